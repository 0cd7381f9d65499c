"""`portal/payment/v1/*`: an owner's payment methods, auto-pay enrolment and payment history."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: list[ProcedureRouter] = []

"""The procedures of the owner portal: `portal/profile/v1/*`, `portal/request/v1/*`, `portal/payment/v1/*`,
`portal/document/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: list[ProcedureRouter] = []

"""The contractor's invoices, payments and receivables (issue 23, P2.7): `invoice/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: tuple[ProcedureRouter, ...] = ()

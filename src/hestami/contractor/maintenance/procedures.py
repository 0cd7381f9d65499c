"""Maintenance agreements (issue 24, P2.9): `maintenance/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

maintenance = ProcedureRouter("maintenance", tags=("maintenance",))
ROUTERS: tuple[ProcedureRouter, ...] = (maintenance,)

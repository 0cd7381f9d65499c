"""Procurement (issue 24, P2.8): `procurement/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

procurement = ProcedureRouter("procurement", tags=("procurement",))
ROUTERS: tuple[ProcedureRouter, ...] = (procurement,)

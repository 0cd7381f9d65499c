"""The field technician's backend (issue 23, P2.6): `fieldTech/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: tuple[ProcedureRouter, ...] = ()

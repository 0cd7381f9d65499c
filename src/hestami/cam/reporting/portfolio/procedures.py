"""`report/portfolio/v1/*` (placeholder: filled in next)."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: list[ProcedureRouter] = []

"""`report/v1/*`: report definitions, generation, runs, downloads and schedules (placeholder: filled in next)."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: list[ProcedureRouter] = []

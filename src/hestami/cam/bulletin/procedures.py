"""The procedures of the community bulletin: `communication/announcement/v1/*`, `calendar/event/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: list[ProcedureRouter] = []

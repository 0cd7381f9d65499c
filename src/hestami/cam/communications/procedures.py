"""The procedures of communications: `communication/template/v1/*`, `communication/mass/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

ROUTERS: list[ProcedureRouter] = []

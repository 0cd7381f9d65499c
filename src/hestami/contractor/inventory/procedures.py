"""Inventory (issue 24, P2.8): `inventory/v1/*`."""

from __future__ import annotations

from hestami.core.rpc.procedure import ProcedureRouter

inventory = ProcedureRouter("inventory", tags=("inventory",))
ROUTERS: tuple[ProcedureRouter, ...] = (inventory,)

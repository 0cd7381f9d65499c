"""Loading the inventory's records through the caller's scope: with a caller, the contractor check and Cerbos
(NOT_FOUND unless they may view it, FORBIDDEN when they may view it but not `action` it); as the system (a workflow
step), the context's organization."""

from __future__ import annotations

import uuid

from hestami.contractor.inventory import kinds
from hestami.contractor.inventory.models import StockItem, StockLocation, Transfer
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext


async def require_contractor(ctx: RequestContext) -> None:
    if ctx.principal is not None:
        await profile.require_contractor(ctx)


async def location(
    ctx: RequestContext, location_id: uuid.UUID, action: str = "view", *, lock: bool = False
) -> StockLocation:
    if ctx.principal is None:
        return await records.find(ctx, kinds.LOCATION, location_id, lock=lock)
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.LOCATION, location_id, action, lock=lock)


async def item(ctx: RequestContext, item_id: uuid.UUID, action: str = "view", *, lock: bool = False) -> StockItem:
    if ctx.principal is None:
        return await records.find(ctx, kinds.ITEM, item_id, lock=lock)
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.ITEM, item_id, action, lock=lock)


async def transfer(
    ctx: RequestContext, transfer_id: uuid.UUID, action: str = "view", *, lock: bool = False
) -> Transfer:
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.TRANSFER, transfer_id, action, lock=lock)

"""Reorder points and their crossings. A point is `armed` while the item's stock at the location (all lots) is
above it; the movement that takes the stock to the point or below disarms it and records one crossing (numbered per
point: a unique key), then calls the registered hooks in the same transaction (procurement drafts the replenishment
from its hook); a movement that takes the stock above the point again re-arms it. The point's row is locked while
this is decided, so two concurrent movements never both record the same crossing."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal

from sqlalchemy.dialects.postgresql import insert as upsert

from hestami.contractor.inventory import kinds, repository, rules
from hestami.contractor.inventory.models import Crossing, ReorderPoint, StockItem
from hestami.contractor.inventory.refs import ReorderCrossing
from hestami.contractor.inventory.schemas import (
    ListReorderPoints,
    ReorderPointOut,
    ReorderPointsOut,
    SetReorderPoint,
)
from hestami.contractor.inventory.services import access
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.ids import new_id

Hook = Callable[[RequestContext, ReorderCrossing], Awaitable[None]]
_HOOKS: list[Hook] = []


def when_reorder_point_crossed(hook: Hook) -> Hook:
    """Registers a hook called inside the transaction of the movement that crossed."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


async def _crossed(ctx: RequestContext, point: ReorderPoint, item: StockItem, stock: Decimal,
                   movement_id: uuid.UUID) -> None:  # fmt: skip
    point.armed, point.crossings = False, point.crossings + 1
    wanted = rules.reorder_quantity(stock, point.reorder_quantity, point.max_level)
    crossing = Crossing(
        organization_id=ctx.require_org(), reorder_point_id=point.id, sequence=point.crossings, item_id=item.id,
        location_id=point.location_id, movement_id=movement_id, on_hand=stock, reorder_point=point.reorder_point,
        reorder_quantity=wanted,
    )  # fmt: skip
    ctx.session.add(crossing)
    await ctx.session.flush()
    found = ReorderCrossing(crossing.id, item.id, item.code, point.location_id, stock, point.reorder_point, wanted)
    for hook in list(_HOOKS):
        await hook(ctx, found)


async def after_movement(ctx: RequestContext, item: StockItem, location_id: uuid.UUID, movement_id: uuid.UUID) -> None:
    point = await repository.reorder_point(ctx.session, item.id, location_id, lock=True)
    if point is None:
        return
    stock = await repository.on_hand(ctx.session, item.id, location_id)
    if point.armed and stock <= point.reorder_point:
        await _crossed(ctx, point, item, stock, movement_id)
    elif not point.armed and stock > point.reorder_point:
        point.armed = True
        await ctx.session.flush()


async def set_point(ctx: RequestContext, data: SetReorderPoint) -> ReorderPointOut:
    """Creates or replaces the item's reorder point at the location; armed when the stock is above it now."""
    location = await access.location(ctx, data.location_id, "set_reorder_point")
    item = await access.item(ctx, data.item_id)
    stock = await repository.on_hand(ctx.session, item.id, location.id)
    values = {"reorder_point": data.reorder_point, "reorder_quantity": data.reorder_quantity,
              "max_level": data.max_level, "armed": stock > data.reorder_point}  # fmt: skip
    statement = (
        upsert(ReorderPoint)
        .values(id=new_id(), organization_id=ctx.require_org(), item_id=item.id, location_id=location.id, **values)
        .on_conflict_do_update(constraint="uq_inventory_reorder_points_slot", set_=values)
        .returning(ReorderPoint.id)
    )
    point_id = (await ctx.session.execute(statement)).scalar_one()
    audit.record(ctx, "inventory_reorder_point.set", "inventory_reorder_point", point_id,
                 after={k: str(v) for k, v in values.items()})  # fmt: skip
    (found,) = await _points(ctx, ReorderPoint.id == point_id)
    return found


async def _points(ctx: RequestContext, *where: object) -> list[ReorderPointOut]:
    visible = await records.visible(ctx, kinds.LOCATION)
    rows = await repository.reorder_points(ctx.session, visible, *where)  # type: ignore[arg-type]
    return [
        records.output(ReorderPointOut, point, code=item.code, location_name=location.name, on_hand=stock)
        for point, item, location, stock in rows
    ]


async def list_points(ctx: RequestContext, data: ListReorderPoints, *, below: bool = False) -> ReorderPointsOut:
    await access.require_contractor(ctx)
    where: list[object] = []
    if data.location_id is not None:
        where.append(ReorderPoint.location_id == (await access.location(ctx, data.location_id)).id)
    if data.item_id is not None:
        where.append(ReorderPoint.item_id == data.item_id)
    if below:
        where.append(repository.stock_of_point() <= ReorderPoint.reorder_point)
    return ReorderPointsOut(items=await _points(ctx, *where))

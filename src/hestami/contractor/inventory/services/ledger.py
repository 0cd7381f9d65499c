"""Receipts, adjustments and what the ledger tells: the levels, the on-hand at a moment (the sum of the movements up
to it) and the movements themselves. Reading follows the locations: a technician reads their own truck's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select

from hestami.contractor.inventory import kinds, repository, rules
from hestami.contractor.inventory.models import Movement, StockItem, StockLevel, StockLocation
from hestami.contractor.inventory.schemas import (
    Adjust,
    LevelOut,
    LevelsOut,
    ListLevels,
    ListMovements,
    MovementOut,
    OnHand,
    OnHandOut,
    OnHandRowOut,
    Receive,
)
from hestami.contractor.inventory.services import access, stock
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page, SortKey, fetch_page


async def _movement(ctx: RequestContext, movement_id: uuid.UUID) -> MovementOut:
    found = (await ctx.session.execute(select(Movement).where(Movement.id == movement_id))).scalar_one()
    return records.output(MovementOut, found)


async def receive(ctx: RequestContext, location: StockLocation, item: StockItem, move: stock.Move) -> stock.Moved:
    """A RECEIPT at its cost; the item's average cost follows (`rules.average_cost`). The item's row is locked
    first, so concurrent receipts of the item average one after the other."""
    stock.check_open(item, location)
    rules.check_tracking(item.tracking, item.code, move.quantity, move.lot_number, move.serial_numbers)
    held = await repository.owned(ctx.session, item.id)
    item.average_cost = rules.average_cost(held, item.average_cost, move.quantity, move.unit_cost)
    await ctx.session.flush()
    return await stock.apply(ctx, move)


async def record_receipt(ctx: RequestContext, data: Receive) -> MovementOut:
    location = await access.location(ctx, data.location_id, "receive")
    item = await access.item(ctx, data.item_id, lock=True)
    move = stock.Move(
        item, location, "RECEIPT", data.quantity, data.unit_cost, data.lot_number, tuple(data.serial_numbers),
        reference=data.reference,
    )  # fmt: skip
    moved = await receive(ctx, location, item, move)
    return await _movement(ctx, moved.id)


async def adjust(ctx: RequestContext, data: Adjust) -> MovementOut:
    """Stock found, lost, damaged, counted or returned: a signed ADJUSTMENT at the item's average cost."""
    location = await access.location(ctx, data.location_id, "adjust")
    item = await access.item(ctx, data.item_id)
    stock.check_location(location)
    rules.check_tracking(item.tracking, item.code, data.quantity, data.lot_number, data.serial_numbers)
    move = stock.Move(
        item, location, "ADJUSTMENT", data.quantity, item.average_cost, data.lot_number, tuple(data.serial_numbers),
        reason=data.reason, reference=data.note,
    )  # fmt: skip
    moved = await stock.apply(ctx, move)
    return await _movement(ctx, moved.id)


async def levels(ctx: RequestContext, data: ListLevels) -> LevelsOut:
    """The levels at a location, or of an item at every location the caller may view; zero levels included."""
    where: list[ColumnElement[bool]] = [await records.visible(ctx, kinds.LOCATION)]
    if data.location_id is not None:
        where.append(StockLevel.location_id == (await access.location(ctx, data.location_id)).id)
    if data.item_id is not None:
        where.append(StockLevel.item_id == (await access.item(ctx, data.item_id)).id)
    rows = await repository.levels(ctx.session, *where)
    serials: dict[uuid.UUID, dict[uuid.UUID, list[str]]] = {}
    for location_id in {lo.id for _, it, lo in rows if it.tracking == "SERIAL"}:
        item_ids = [it.id for _, it, lo in rows if lo.id == location_id]
        serials[location_id] = await repository.serials_at(ctx.session, location_id, item_ids)
    return LevelsOut(items=[
        LevelOut(
            item_id=it.id, code=it.code, item_name=it.name, unit=it.unit, location_id=lo.id, location_name=lo.name,
            location_kind=lo.kind, lot_number=lv.lot_number, on_hand=lv.on_hand, updated_at=lv.updated_at,
            serial_numbers=serials.get(lo.id, {}).get(it.id, []),
        )
        for lv, it, lo in rows
    ])  # fmt: skip


def _visible_locations(visible: ColumnElement[bool]) -> ColumnElement[bool]:
    return Movement.location_id.in_(select(StockLocation.id).where(visible))


async def on_hand(ctx: RequestContext, data: OnHand) -> OnHandOut:
    """Per item, location and lot: the sum of the movements up to `as_of` (what was on hand then)."""
    await access.require_contractor(ctx)
    at = data.as_of or datetime.now(UTC)
    where = [_visible_locations(await records.visible(ctx, kinds.LOCATION))]
    if data.location_id is not None:
        where.append(Movement.location_id == (await access.location(ctx, data.location_id)).id)
    if data.item_id is not None:
        where.append(Movement.item_id == (await access.item(ctx, data.item_id)).id)
    sums = await repository.ledger_sums(ctx.session, at, *where)
    rows = [OnHandRowOut(item_id=i, location_id=lo, lot_number=lot, on_hand=q) for i, lo, lot, q in sums]
    rows.sort(key=lambda r: (str(r.location_id), str(r.item_id), r.lot_number or ""))
    return OnHandOut(as_of=at, items=rows)


async def movements(ctx: RequestContext, data: ListMovements) -> Page[MovementOut]:
    """The ledger, oldest first."""
    await access.require_contractor(ctx)
    where = [_visible_locations(await records.visible(ctx, kinds.LOCATION))]
    if data.location_id is not None:
        where.append(Movement.location_id == (await access.location(ctx, data.location_id)).id)
    if data.item_id is not None:
        where.append(Movement.item_id == data.item_id)
    if data.kind is not None:
        where.append(Movement.kind == data.kind)
    if data.job_id is not None:
        where.append(Movement.job_id == data.job_id)
    statement = select(Movement).where(*where)
    found, cursor = await fetch_page(ctx.session, statement, SortKey((Movement.moved_at, Movement.id)), data)
    return Page[MovementOut](items=[records.output(MovementOut, m) for m in found], next_cursor=cursor)

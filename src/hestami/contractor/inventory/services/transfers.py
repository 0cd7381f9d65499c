"""Transfers between locations (a warehouse restocking a truck): made IN_TRANSIT, the stock leaving the source at
once (TRANSFER_OUT at the item's average cost); then RECEIVED at the destination (TRANSFER_IN) or CANCELLED (the
same lines come back in at the source). The transfer's row is locked while it closes, and each line comes in once
(a unique index on its TRANSFER_IN). Lines move in item order, so two transfers never lock levels crosswise."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import or_

from hestami.contractor.inventory import kinds, repository, rules
from hestami.contractor.inventory.errors import InventoryReason, rule
from hestami.contractor.inventory.models import StockItem, StockLocation, Transfer, TransferLine
from hestami.contractor.inventory.schemas import CreateTransfer, ListTransfers, TransferLineOut, TransferOut
from hestami.contractor.inventory.services import access, stock
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.pagination import Page

TRANSITIONS = {"IN_TRANSIT": frozenset({"RECEIVED", "CANCELLED"})}


async def _outs(ctx: RequestContext, found: list[Transfer]) -> list[TransferOut]:
    lines = await repository.transfer_lines(ctx.session, [t.id for t in found])
    items = await repository.items_by_id(ctx.session, [x.item_id for group in lines.values() for x in group])
    return [
        records.output(TransferOut, t, lines=[
            TransferLineOut(id=x.id, item_id=x.item_id, code=items[x.item_id].code, quantity=x.quantity,
                            lot_number=x.lot_number, serial_numbers=list(x.serial_numbers), unit_cost=x.unit_cost)
            for x in lines[t.id]
        ])
        for t in found
    ]  # fmt: skip


async def _out(ctx: RequestContext, transfer: Transfer) -> TransferOut:
    (found,) = await _outs(ctx, [transfer])
    return found


async def _lines(ctx: RequestContext, data: CreateTransfer) -> list[tuple[StockItem, TransferLine]]:
    seen: set[tuple[uuid.UUID, str | None]] = set()
    made = []
    for line in data.lines:
        if (line.item_id, line.lot_number) in seen:
            raise rule(InventoryReason.DUPLICATE_LINE, "An item (and lot) is on one line only.",
                       item_id=str(line.item_id))  # fmt: skip
        seen.add((line.item_id, line.lot_number))
        item = await access.item(ctx, line.item_id)
        if not item.active:
            raise rule(InventoryReason.ITEM_INACTIVE, f"{item.code} is no longer stocked.", item_code=item.code)
        rules.check_tracking(item.tracking, item.code, line.quantity, line.lot_number, line.serial_numbers)
        made.append(
            (
                item,
                TransferLine(
                    item_id=item.id,
                    quantity=line.quantity,
                    lot_number=line.lot_number,
                    serial_numbers=list(line.serial_numbers),
                    unit_cost=item.average_cost,
                ),
            )
        )
    return sorted(made, key=lambda pair: (pair[0].id, pair[1].lot_number or ""))


async def create(ctx: RequestContext, data: CreateTransfer) -> TransferOut:
    source = await access.location(ctx, data.from_location_id, "transfer")
    target = await access.location(ctx, data.to_location_id, "transfer")
    if source.id == target.id:
        raise rule(InventoryReason.SAME_LOCATION, "A transfer goes from one location to another.")
    stock.check_location(source)
    stock.check_location(target)
    lines = await _lines(ctx, data)
    transfer = await records.create(ctx, kinds.TRANSFER, Transfer(
        from_location_id=source.id, to_location_id=target.id, status="IN_TRANSIT", note=data.note,
        sent_by=ctx.user_id,
    ))  # fmt: skip
    for item, line in lines:
        line.organization_id, line.transfer_id = ctx.require_org(), transfer.id
        ctx.session.add(line)
        await ctx.session.flush()
        await stock.apply(ctx, _move(item, source, "TRANSFER_OUT", line, transfer))
    return await _out(ctx, transfer)


def _move(item: StockItem, at: StockLocation, kind: str, line: TransferLine, transfer: Transfer) -> stock.Move:
    quantity = -line.quantity if kind == "TRANSFER_OUT" else line.quantity
    return stock.Move(
        item, at, kind, quantity, line.unit_cost, line.lot_number, tuple(line.serial_numbers),
        reference=f"transfer {transfer.id}", source_id=transfer.id, source_line_id=line.id,
    )  # fmt: skip


async def _close(ctx: RequestContext, transfer_id: uuid.UUID, status: str) -> TransferOut:
    action, done = ("receive", "received") if status == "RECEIVED" else ("cancel", "cancelled")
    transfer = await access.transfer(ctx, transfer_id, action, lock=True)
    check_transition("transfer", TRANSITIONS, transfer.status, status)
    at = await access.location(ctx, transfer.to_location_id if status == "RECEIVED" else transfer.from_location_id)
    lines = (await repository.transfer_lines(ctx.session, [transfer.id]))[transfer.id]
    items = await repository.items_by_id(ctx.session, [x.item_id for x in lines])
    for line in sorted(lines, key=lambda x: (x.item_id, x.lot_number or "")):
        await stock.apply(ctx, _move(items[line.item_id], at, "TRANSFER_IN", line, transfer))
    closed = {"status": status, "closed_by": ctx.user_id, "closed_at": datetime.now(UTC)}
    return await _out(ctx, await records.change(ctx, kinds.TRANSFER, transfer, closed, action=done))


async def receive(ctx: RequestContext, transfer_id: uuid.UUID) -> TransferOut:
    return await _close(ctx, transfer_id, "RECEIVED")


async def cancel(ctx: RequestContext, transfer_id: uuid.UUID) -> TransferOut:
    return await _close(ctx, transfer_id, "CANCELLED")


async def get(ctx: RequestContext, transfer_id: uuid.UUID) -> TransferOut:
    return await _out(ctx, await access.transfer(ctx, transfer_id))


async def list_transfers(ctx: RequestContext, data: ListTransfers) -> Page[TransferOut]:
    await access.require_contractor(ctx)
    filters = []
    if data.status is not None:
        filters.append(Transfer.status == data.status)
    if data.location_id is not None:
        filters.append(or_(Transfer.from_location_id == data.location_id, Transfer.to_location_id == data.location_id))
    found, cursor = await records.page(ctx, kinds.TRANSFER, data, *filters)
    return Page[TransferOut](items=await _outs(ctx, found), next_cursor=cursor)

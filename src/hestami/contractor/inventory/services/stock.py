"""The stock engine: every change of a level comes with its movement, in the same transaction. A take is one
conditional UPDATE (`... WHERE on_hand >= :quantity RETURNING`): two concurrent takes of the last units cannot both
succeed (the second waits on the row, then finds too little), and the CHECK on the level is the last guard. After
each movement the reorder point of the item at that location (if any) is looked at (`reorder.after_movement`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from hestami.contractor.inventory import repository
from hestami.contractor.inventory.errors import InventoryReason, rule
from hestami.contractor.inventory.models import StockItem, StockLocation
from hestami.contractor.inventory.services import reorder
from hestami.core.context import RequestContext

SERIALS_AFTER = {"USAGE": "USED", "ADJUSTMENT": "USED", "TRANSFER_OUT": "IN_TRANSIT"}


@dataclass(frozen=True, slots=True)
class Move:
    """One movement to make: `quantity` is signed (negative takes stock out of `location`)."""

    item: StockItem
    location: StockLocation
    kind: str
    quantity: Decimal
    unit_cost: Decimal
    lot_number: str | None = None
    serial_numbers: Sequence[str] = field(default_factory=tuple)
    reason: str | None = None
    reference: str | None = None
    source_id: uuid.UUID | None = None
    source_line_id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None
    visit_id: uuid.UUID | None = None
    material_entry_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Moved:
    id: uuid.UUID
    on_hand_after: Decimal
    moved_at: datetime


def insufficient(move: Move, on_hand: Decimal) -> Exception:
    wanted = -move.quantity
    lot = f" (lot {move.lot_number})" if move.lot_number else ""
    return rule(
        InventoryReason.INSUFFICIENT_STOCK,
        f"{move.location.name} has {on_hand} {move.item.unit} of {move.item.code}{lot}: {wanted} is more.",
        item_code=move.item.code, location_id=str(move.location.id), on_hand=str(on_hand), requested=str(wanted),
    )  # fmt: skip


def check_location(location: StockLocation) -> None:
    if not location.active:
        raise rule(InventoryReason.LOCATION_INACTIVE, f"{location.name} is inactive.", location_id=str(location.id))


def check_open(item: StockItem, location: StockLocation) -> None:
    check_location(location)
    if not item.active:
        raise rule(InventoryReason.ITEM_INACTIVE, f"{item.code} is no longer stocked.", item_code=item.code)


async def _take(ctx: RequestContext, move: Move) -> Decimal:
    session, item, location = ctx.session, move.item, move.location
    after = await repository.take(session, item.id, location.id, move.lot_number, -move.quantity)
    if after is None:
        raise insufficient(move, await repository.level(session, item.id, location.id, move.lot_number))
    if move.serial_numbers:
        target = (None, SERIALS_AFTER[move.kind])
        taken = await repository.move_serials(session, item.id, move.serial_numbers, source=(location.id, "IN_STOCK"),
                                              target=target)  # fmt: skip
        _all_there(move, taken, f"not at {location.name}")
    return after


async def _put(ctx: RequestContext, move: Move) -> Decimal:
    session, item, location = ctx.session, move.item, move.location
    after = await repository.put(session, ctx.require_org(), item.id, location.id, move.lot_number, move.quantity)
    if move.serial_numbers:
        if move.kind == "TRANSFER_IN":
            placed = await repository.move_serials(session, item.id, move.serial_numbers, source=(None, "IN_TRANSIT"),
                                                   target=(location.id, "IN_STOCK"))  # fmt: skip
            _all_there(move, placed, "not in transit")
        else:
            placed = await repository.stock_serials(session, ctx.require_org(), item.id, location.id,
                                                    move.serial_numbers)  # fmt: skip
            missing = sorted(set(move.serial_numbers) - placed)
            if missing:
                raise rule(InventoryReason.SERIAL_IN_STOCK, f"{item.code} {', '.join(missing)} is in stock already.",
                           item_code=item.code, serial_numbers=missing)  # fmt: skip
    return after


def _all_there(move: Move, moved: set[str], where: str) -> None:
    missing = sorted(set(move.serial_numbers) - moved)
    if missing:
        raise rule(
            InventoryReason.SERIAL_NOT_HERE, f"{move.item.code} {', '.join(missing)}: {where}.",
            item_code=move.item.code, location_id=str(move.location.id), serial_numbers=missing,
        )  # fmt: skip


async def apply(ctx: RequestContext, move: Move) -> Moved:
    """Changes the level and records the movement (with the level after it), then the reorder point decides."""
    after = await (_take(ctx, move) if move.quantity < 0 else _put(ctx, move))
    values = {
        "organization_id": ctx.require_org(), "item_id": move.item.id, "location_id": move.location.id,
        "kind": move.kind, "reason": move.reason, "quantity": move.quantity, "unit_cost": move.unit_cost,
        "lot_number": move.lot_number, "serial_numbers": list(move.serial_numbers), "on_hand_after": after,
        "moved_by": ctx.user_id, "reference": move.reference, "source_id": move.source_id,
        "source_line_id": move.source_line_id, "job_id": move.job_id, "visit_id": move.visit_id,
        "material_entry_id": move.material_entry_id,
    }  # fmt: skip
    movement_id, moved_at = await repository.add_movement(ctx.session, values)
    await reorder.after_movement(ctx, move.item, move.location.id, movement_id)
    return Moved(movement_id, after, moved_at)

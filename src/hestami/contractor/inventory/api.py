"""What other domains (field work, procurement, their demos, the bench) use of the inventory: usage on a visit from
the technician's truck, receipts, locations and items, and the hook procurement registers for reorder crossings.
Other domains never import `inventory.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).

With a caller each call is authorized like the inventory's own procedures (NOT_FOUND for what the caller may not
view); as the system (a workflow step: no principal) it reads the context's organization."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from hestami.contractor.inventory import repository
from hestami.contractor.inventory.models import StockItem, StockLocation
from hestami.contractor.inventory.refs import LocationRef, ReorderCrossing, StockItemRef, StockUse
from hestami.contractor.inventory.services import access, ledger, reorder, stock, usage
from hestami.core.context import RequestContext

__all__ = [
    "LocationRef",
    "ReorderCrossing",
    "StockItemRef",
    "StockUse",
    "item_of_code",
    "load_item",
    "load_location",
    "on_hand",
    "receive",
    "truck_of",
    "use_on_visit",
    "when_reorder_point_crossed",
]

when_reorder_point_crossed = reorder.when_reorder_point_crossed
"""Registers `async hook(ctx, ReorderCrossing)`, called inside the transaction of the movement that crossed
(procurement starts inventory_workflow_v1 from it)."""


def _location_ref(x: StockLocation) -> LocationRef:
    return LocationRef(x.id, x.name, x.kind, x.branch_id, x.technician_id, x.active)


def _item_ref(x: StockItem) -> StockItemRef:
    return StockItemRef(x.id, x.code, x.name, x.unit, x.tracking, x.average_cost)


async def use_on_visit(
    ctx: RequestContext, *, job_id: uuid.UUID, visit_id: uuid.UUID, technician_id: uuid.UUID, code: str,
    quantity: Decimal, lot_number: str | None = None, serial_numbers: Sequence[str] = (),
    material_entry_id: uuid.UUID | None = None,
) -> StockUse | None:  # fmt: skip
    """Takes the quantity from the technician's truck. None when `code` is not a stocked item (the material is
    recorded without stock, as before). BUSINESS_RULE_VIOLATION reason INSUFFICIENT_STOCK (details: item_code,
    location_id, on_hand, requested) when the truck has less — nothing changes; NO_TRUCK when the item is stocked
    but the technician has no active truck; LOT_REQUIRED, SERIALS_REQUIRED, SERIAL_NOT_HERE for a tracked item. Also
    posts the usage to the job's material cost (same transaction). The calling domain has loaded the job and visit;
    with a caller, Cerbos decides `use` on the truck."""
    return await usage.use_on_visit(
        ctx, job_id=job_id, visit_id=visit_id, technician_id=technician_id, code=code, quantity=quantity,
        lot_number=lot_number, serial_numbers=serial_numbers, material_entry_id=material_entry_id,
    )  # fmt: skip


async def receive(
    ctx: RequestContext, *, location_id: uuid.UUID, item_id: uuid.UUID, quantity: Decimal, unit_cost: Decimal,
    reference: str, source_id: uuid.UUID, lot_number: str | None = None, serial_numbers: Sequence[str] = (),
) -> uuid.UUID:  # fmt: skip
    """A RECEIPT of `quantity` at `unit_cost` (a purchase order's receipt: `source_id`); updates the item's average
    cost (see `inventory/v1/receive`). The movement's id. With a caller, Cerbos decides `receive` on the location."""
    location = await access.location(ctx, location_id, "receive")
    item = await access.item(ctx, item_id, lock=True)
    move = stock.Move(
        item, location, "RECEIPT", quantity, unit_cost, lot_number, tuple(serial_numbers), reference=reference,
        source_id=source_id,
    )  # fmt: skip
    return (await ledger.receive(ctx, location, item, move)).id


async def load_location(ctx: RequestContext, location_id: uuid.UUID) -> LocationRef:
    """One location (NOT_FOUND for another organization's, a random id, or one the caller may not view)."""
    return _location_ref(await access.location(ctx, location_id))


async def location_names(ctx: RequestContext, location_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the organization's locations among these ids (for another domain's listings of records that
    name them: a purchase order's ship-to; the caller was allowed to view those records)."""
    return await repository.location_names(ctx.session, location_ids)


async def load_item(ctx: RequestContext, item_id: uuid.UUID) -> StockItemRef:
    """One stocked item (NOT_FOUND like `load_location`)."""
    return _item_ref(await access.item(ctx, item_id))


async def item_of_code(ctx: RequestContext, code: str) -> StockItemRef | None:
    """The stocked item of that code in the context's organization (active or not), or None."""
    found = await repository.item_by_code(ctx.session, code)
    return _item_ref(found) if found is not None else None


async def on_hand(ctx: RequestContext, item_id: uuid.UUID, location_id: uuid.UUID) -> Decimal:
    """The item's stock at the location now (all lots); both loaded through the caller's scope."""
    location = await access.location(ctx, location_id)
    item = await access.item(ctx, item_id)
    return await repository.on_hand(ctx.session, item.id, location.id)


async def truck_of(ctx: RequestContext, technician_id: uuid.UUID) -> LocationRef | None:
    """The technician's active truck in the context's organization, or None."""
    found = await repository.truck_of(ctx.session, technician_id)
    return _location_ref(found) if found is not None else None

"""Replenishment from reorder points: what `inventory_workflow_v1` does with a crossing.

In the crossing's own transaction (the inventory's hook) the crossing becomes a PENDING reorder, once per crossing;
the workflow then reads it (not visible until that transaction commits) and, in one transaction on the locked
reorder, picks the item's preferred active supplier (none: NO_SUPPLIER; a zero reorder quantity, the level at its
maximum already: NOTHING_TO_ORDER), finds that supplier's open replenishment
DRAFT for the location or makes one (one at a time per supplier and location; a partial unique index stands behind
it, so two crossings racing share the draft), adds one line for the crossing (its reorder quantity at the supplier's
cost; the unique `crossing_id` of a line means a replay cannot add a second) and marks the reorder DRAFTED with the
order and line. A reorder no longer PENDING is answered as it is: the step may run again after a crash."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hestami.contractor.inventory import api as inventory
from hestami.contractor.procurement import kinds, repository
from hestami.contractor.procurement.models import PurchaseOrder, Reorder, Supplier, SupplierItem
from hestami.contractor.procurement.schemas import ListReorders, ReorderOut
from hestami.contractor.procurement.services import orders
from hestami.contractor.profile import api as profile
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.ids import new_id
from hestami.core.pagination import Page


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    purchase_order_id: uuid.UUID | None
    line_id: uuid.UUID | None


def _outcome(reorder: Reorder) -> Outcome:
    return Outcome(reorder.status, reorder.purchase_order_id, reorder.line_id)


async def record_crossing(ctx: RequestContext, crossing: inventory.ReorderCrossing) -> None:
    """The crossing as a PENDING reorder, in the caller's (the crossing's) transaction; once per crossing."""
    values: dict[str, Any] = {
        "id": new_id(), "organization_id": ctx.require_org(), "crossing_id": crossing.id,
        "item_id": crossing.item_id, "item_code": crossing.code, "location_id": crossing.location_id,
        "on_hand": crossing.on_hand, "reorder_point": crossing.reorder_point,
        "reorder_quantity": crossing.reorder_quantity, "status": "PENDING",
    }  # fmt: skip
    await repository.add_reorder(ctx.session, values)
    audit.record(ctx, f"{kinds.REORDER.name}.created", kinds.REORDER.name, values["id"],
                 after={k: str(v) for k, v in values.items()})  # fmt: skip


async def pending(ctx: RequestContext, crossing_id: uuid.UUID) -> Reorder | None:
    """The crossing's reorder once its transaction has committed (None before)."""
    return await repository.reorder_of(ctx.session, crossing_id)


async def _draft_for(ctx: RequestContext, supplier: Supplier, location_id: uuid.UUID) -> PurchaseOrder:
    await repository.hold_replenishment(ctx.session, supplier.id, location_id)
    found = await repository.open_replenishment(ctx.session, supplier.id, location_id)
    if found is not None:
        return found
    return await orders.open_order(ctx, supplier, location_id, memo="Replenishment from reorder points",
                                   replenishment=True)  # fmt: skip


async def _line_for(ctx: RequestContext, order: PurchaseOrder, reorder: Reorder, offered: SupplierItem) -> uuid.UUID:
    line = await repository.line_of_crossing(ctx.session, reorder.crossing_id)
    if line is None:
        stock = await inventory.load_item(ctx, reorder.item_id)
        position = await repository.next_position(ctx.session, order.id)
        values = orders.line_values(order, position, stock, reorder.reorder_quantity, offered.cost,
                                    offered.supplier_part_number, crossing_id=reorder.crossing_id)  # fmt: skip
        await repository.add_crossing_line(ctx.session, {"id": new_id(), **values})
        line = await repository.line_of_crossing(ctx.session, reorder.crossing_id)
        assert line is not None
        await orders.retotal(ctx, order)
    return line.id


async def draft(ctx: RequestContext, crossing_id: uuid.UUID) -> Outcome | None:
    """See the module; None while the crossing's transaction has not committed."""
    reorder = await repository.reorder_of(ctx.session, crossing_id, lock=True)
    if reorder is None:
        return None
    if reorder.status != "PENDING":
        return _outcome(reorder)
    preferred = await repository.preferred_of(ctx.session, reorder.item_id)
    now = datetime.now(UTC)
    if reorder.reorder_quantity <= 0:
        changes: dict[str, Any] = {"status": "NOTHING_TO_ORDER", "handled_at": now}
    elif preferred is None:
        changes = {"status": "NO_SUPPLIER", "handled_at": now}
    else:
        offered, supplier = preferred
        order = await _draft_for(ctx, supplier, reorder.location_id)
        line_id = await _line_for(ctx, order, reorder, offered)
        changes = {"status": "DRAFTED", "supplier_id": supplier.id, "purchase_order_id": order.id,
                   "line_id": line_id, "handled_at": now}  # fmt: skip
    reorder = await records.change(ctx, kinds.REORDER, reorder, changes, action=changes["status"].lower())
    return _outcome(reorder)


async def list_reorders(ctx: RequestContext, data: ListReorders) -> Page[ReorderOut]:
    await profile.require_contractor(ctx)
    wanted: list[tuple[Any, Any]] = [
        (Reorder.status, data.status), (Reorder.item_id, data.item_id), (Reorder.location_id, data.location_id),
    ]  # fmt: skip
    filters = [column == value for column, value in wanted if value is not None]
    rows, cursor = await records.page(ctx, kinds.REORDER, data, *filters)
    return Page[ReorderOut](items=[records.output(ReorderOut, r) for r in rows], next_cursor=cursor)

"""Purchase orders: made to a supplier for an inventory location (both loaded through the caller's scope: another
organization's is NOT_FOUND), numbered PO-000001 per organization without gaps, their lines edited while DRAFT (the
total follows), sent (recorded to the supplier through the outbox), cancelled or closed. Every procedure first
requires a contractor on the platform."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hestami.contractor.inventory import api as inventory
from hestami.contractor.procurement import kinds, lifecycle, repository, rules
from hestami.contractor.procurement.errors import ProcurementReason, rule
from hestami.contractor.procurement.models import PurchaseOrder, PurchaseOrderLine, Supplier
from hestami.contractor.procurement.schemas import (
    AddLine,
    CancelPurchaseOrder,
    ClosePurchaseOrder,
    CreatePurchaseOrder,
    LineIn,
    LineOut,
    ListPurchaseOrders,
    PurchaseOrderDetailOut,
    PurchaseOrderOut,
    SendPurchaseOrder,
    StatusChangeOut,
    UpdateLine,
)
from hestami.contractor.procurement.services import moves, suppliers
from hestami.contractor.profile import api as profile
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.outbox import OutboundMessage, record_once
from hestami.core.pagination import Page

SENT_TEMPLATE = "procurement.purchase_order_sent"


async def orders_out(ctx: RequestContext, orders: list[PurchaseOrder]) -> list[PurchaseOrderOut]:
    """The orders with their supplier's and ship-to location's names (two reads for the page)."""
    by_supplier = await repository.supplier_names(ctx.session, [o.supplier_id for o in orders])
    by_location = await inventory.location_names(ctx, [o.location_id for o in orders])
    return [records.output(PurchaseOrderOut, o, number=o.display_number, supplier_name=by_supplier.get(o.supplier_id),
                           location_name=by_location.get(o.location_id)) for o in orders]  # fmt: skip


async def detail_out(ctx: RequestContext, order: PurchaseOrder) -> PurchaseOrderDetailOut:
    lines = [records.output(LineOut, x) for x in await repository.lines(ctx.session, order.id)]
    history = [StatusChangeOut.model_validate(h, from_attributes=True)
               for h in await repository.history(ctx.session, order.id)]  # fmt: skip
    (named,) = await orders_out(ctx, [order])
    return PurchaseOrderDetailOut(**named.model_dump(), lines=lines, history=history)


async def load(ctx: RequestContext, order_id: uuid.UUID, action: str = "view", *, lock: bool = False) -> PurchaseOrder:
    """A purchase order of the caller's organization the caller may `action` (NOT_FOUND unless they may view it)."""
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.PURCHASE_ORDER, order_id, action, lock=lock)


async def ship_to(ctx: RequestContext, location_id: uuid.UUID) -> inventory.LocationRef:
    location = await inventory.load_location(ctx, location_id)
    if not location.active:
        raise rule(ProcurementReason.LOCATION_INACTIVE, f"{location.name} is not active.",
                   location_id=str(location.id))  # fmt: skip
    return location


def _require_active(supplier: Supplier) -> None:
    if not supplier.active:
        raise rule(ProcurementReason.SUPPLIER_INACTIVE, f"{supplier.name} is not active.",
                   supplier_id=str(supplier.id))  # fmt: skip


async def _priced_line(ctx: RequestContext, order: PurchaseOrder, data: LineIn, position: int) -> PurchaseOrderLine:
    """A line for an inventory item of the caller's scope, at the given cost or the supplier's."""
    stock = await inventory.load_item(ctx, data.item_id)
    offered = await repository.supplier_item(ctx.session, order.supplier_id, stock.id)
    cost = data.unit_cost if data.unit_cost is not None else (offered.cost if offered is not None else None)
    if cost is None:
        raise rule(ProcurementReason.UNIT_COST_REQUIRED, f"The supplier has no cost for {stock.code}: give unit_cost.",
                   item_id=str(stock.id), item_code=stock.code)  # fmt: skip
    part_number = offered.supplier_part_number if offered is not None else None
    return PurchaseOrderLine(**line_values(order, position, stock, data.quantity, cost, part_number))


def line_values(
    order: PurchaseOrder, position: int, stock: inventory.StockItemRef, quantity: Decimal, cost: Decimal,
    part_number: str | None, crossing_id: uuid.UUID | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "organization_id": order.organization_id, "purchase_order_id": order.id, "position": position,
        "item_id": stock.id, "item_code": stock.code, "description": stock.name, "unit": stock.unit,
        "supplier_part_number": part_number, "quantity": quantity, "unit_cost": cost,
        "total": rules.line_total(quantity, cost), "quantity_received": Decimal("0"), "crossing_id": crossing_id,
    }  # fmt: skip


async def retotal(ctx: RequestContext, order: PurchaseOrder) -> PurchaseOrder:
    total = rules.order_total(x.total for x in await repository.lines(ctx.session, order.id))
    if order.total == total:
        return order
    return await records.change(ctx, kinds.PURCHASE_ORDER, order, {"total": total}, action="totalled")


async def open_order(
    ctx: RequestContext, supplier: Supplier, location_id: uuid.UUID, *, memo: str | None, replenishment: bool
) -> PurchaseOrder:
    """A DRAFT order with its history's first row, without a policy decision of its own (the caller's is made)."""
    order = PurchaseOrder(
        number=await repository.next_number(ctx.session, ctx.require_org()), supplier_id=supplier.id,
        location_id=location_id, status="DRAFT", replenishment=replenishment, memo=memo, total=Decimal("0.00"),
    )  # fmt: skip
    order = await records.insert(ctx, kinds.PURCHASE_ORDER, order)
    note = "drafted from reorder points" if replenishment else None
    ctx.session.add(moves.history_row(order, None, "DRAFT", actor=ctx.user_id, note=note))
    await ctx.session.flush()
    return order


async def create(ctx: RequestContext, data: CreatePurchaseOrder) -> PurchaseOrderDetailOut:
    await records.authorize_new(ctx, kinds.PURCHASE_ORDER, "create")
    supplier = await suppliers.load(ctx, data.supplier_id)
    _require_active(supplier)
    location = await ship_to(ctx, data.location_id)
    order = await open_order(ctx, supplier, location.id, memo=data.memo, replenishment=False)
    for position, line in enumerate(data.lines, start=1):
        ctx.session.add(await _priced_line(ctx, order, line, position))
    await ctx.session.flush()
    return await detail_out(ctx, await retotal(ctx, order))


async def get(ctx: RequestContext, order_id: uuid.UUID) -> PurchaseOrderDetailOut:
    return await detail_out(ctx, await load(ctx, order_id))


async def list_orders(ctx: RequestContext, data: ListPurchaseOrders) -> Page[PurchaseOrderOut]:
    await profile.require_contractor(ctx)
    wanted: list[tuple[Any, Any]] = [
        (PurchaseOrder.status, data.status), (PurchaseOrder.supplier_id, data.supplier_id),
        (PurchaseOrder.location_id, data.location_id), (PurchaseOrder.replenishment, data.replenishment),
    ]  # fmt: skip
    filters = [column == value for column, value in wanted if value is not None]
    rows, cursor = await records.page(ctx, kinds.PURCHASE_ORDER, data, *filters)
    return Page[PurchaseOrderOut](items=await orders_out(ctx, rows), next_cursor=cursor)


# --- a draft's lines -----------------------------------------------------------------------------------------


async def add_line(ctx: RequestContext, data: AddLine) -> PurchaseOrderDetailOut:
    order = await load(ctx, data.purchase_order_id, "update", lock=True)
    moves.require_draft(order)
    position = await repository.next_position(ctx.session, order.id)
    ctx.session.add(await _priced_line(ctx, order, data, position))
    await ctx.session.flush()
    return await detail_out(ctx, await retotal(ctx, order))


async def _line_of_draft(ctx: RequestContext, line_id: uuid.UUID) -> tuple[PurchaseOrder, PurchaseOrderLine]:
    await profile.require_contractor(ctx)
    line = await repository.line(ctx.session, line_id)
    if line is None:
        raise not_found("procurement_purchase_order_line", line_id)
    order = await records.find(ctx, kinds.PURCHASE_ORDER, line.purchase_order_id, lock=True)
    if not await records.can(ctx, kinds.PURCHASE_ORDER, order, "view"):
        raise not_found("procurement_purchase_order_line", line_id)
    await records.authorize_record(ctx, kinds.PURCHASE_ORDER, order, "update")
    moves.require_draft(order)
    locked = await repository.line(ctx.session, line_id, lock=True)
    assert locked is not None
    return order, locked


async def update_line(ctx: RequestContext, data: UpdateLine) -> PurchaseOrderDetailOut:
    order, line = await _line_of_draft(ctx, data.id)
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None}
    for name, value in changes.items():
        setattr(line, name, value)
    line.total = rules.line_total(line.quantity, line.unit_cost)
    await ctx.session.flush()
    await ctx.session.refresh(line)
    return await detail_out(ctx, await retotal(ctx, order))


async def remove_line(ctx: RequestContext, line_id: uuid.UUID) -> PurchaseOrderDetailOut:
    order, line = await _line_of_draft(ctx, line_id)
    await ctx.session.delete(line)
    await ctx.session.flush()
    return await detail_out(ctx, await retotal(ctx, order))


# --- sending, cancelling, closing ----------------------------------------------------------------------------


async def _record_sending(ctx: RequestContext, order: PurchaseOrder, supplier: Supplier, to: str) -> None:
    """The order as sent to the supplier, in the outbox (the recording sender: delivery is out of scope), once."""
    lines = await repository.lines(ctx.session, order.id)
    payload: dict[str, Any] = {
        "number": order.display_number, "supplier": supplier.name, "ordered_on": str(order.ordered_on),
        "expected_on": str(order.expected_on), "total": str(order.total),
        "lines": [{"code": x.item_code, "part_number": x.supplier_part_number, "description": x.description,
                   "quantity": str(x.quantity), "unit_cost": str(x.unit_cost)} for x in lines],
    }  # fmt: skip
    message = OutboundMessage(
        organization_id=order.organization_id, channel="EMAIL" if supplier.email else "MAIL", recipient=to,
        template=SENT_TEMPLATE, payload=payload, request_id=ctx.request_id, entity_type=kinds.PURCHASE_ORDER.name,
        entity_id=order.id, dedupe_key=f"purchaseOrder:{order.id}:sent",
    )  # fmt: skip
    await record_once(ctx.session, message)


async def send(ctx: RequestContext, data: SendPurchaseOrder) -> PurchaseOrderDetailOut:
    order = await load(ctx, data.id, lifecycle.ACTION_FOR["SENT"], lock=True)
    supplier = await records.find(ctx, kinds.SUPPLIER, order.supplier_id)
    if order.status == "DRAFT":
        _require_active(supplier)
        if not await repository.lines(ctx.session, order.id):
            raise rule(ProcurementReason.EMPTY_ORDER, f"{order.display_number} has no lines.")
    ordered_on = data.ordered_on or date.today()
    lead = runtime.current().settings.procurement_default_lead_days
    to = supplier.email or supplier.name
    order = await moves.move(
        ctx, order, "SENT", f"sent to {to}", ordered_on=ordered_on, sent_to=to, sent_by=ctx.user_id,
        expected_on=rules.expected_on(ordered_on, supplier.lead_time_days, lead), sent_at=datetime.now(UTC),
    )  # fmt: skip
    await _record_sending(ctx, order, supplier, to)
    return await detail_out(ctx, order)


async def cancel(ctx: RequestContext, data: CancelPurchaseOrder) -> PurchaseOrderDetailOut:
    order = await load(ctx, data.id, lifecycle.ACTION_FOR["CANCELLED"], lock=True)
    order = await moves.move(ctx, order, "CANCELLED", data.reason, cancelled_at=datetime.now(UTC),
                             cancel_reason=data.reason)  # fmt: skip
    return await detail_out(ctx, order)


async def close(ctx: RequestContext, data: ClosePurchaseOrder) -> PurchaseOrderDetailOut:
    order = await load(ctx, data.id, lifecycle.ACTION_FOR["CLOSED"], lock=True)
    order = await moves.move(ctx, order, "CLOSED", data.note, closed_at=datetime.now(UTC))
    return await detail_out(ctx, order)

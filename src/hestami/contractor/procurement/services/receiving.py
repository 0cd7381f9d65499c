"""Receiving a delivery against a SENT or PARTIALLY_RECEIVED purchase order: each line's quantity goes into the
order's ship-to location (or another location of the caller's scope) through the inventory (`inventory.receive`: a
movement and the item's new average cost), at the line's unit cost. The movement is made on procurement's behalf
(the purchase order's policy decided `receive`: a dispatcher receives deliveries without the inventory's own
`receive` on the location); the receipt names who received it. The order's row lock serializes its receipts,
and each line is locked as it is received, so two receipts of the same line never take more than was ordered
together (OVER_RECEIPT: nothing changes); the order moves PARTIALLY_RECEIVED or RECEIVED by the lines."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

from hestami.contractor.inventory import api as inventory
from hestami.contractor.procurement import lifecycle, repository, rules
from hestami.contractor.procurement.errors import ProcurementReason, rule
from hestami.contractor.procurement.models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine
from hestami.contractor.procurement.schemas import ReceiptLineOut, ReceiptOut, ReceiptsOut, Receive, ReceiveOut
from hestami.contractor.procurement.services import moves, orders
from hestami.core import audit, records
from hestami.core.context import RequestContext


def receipt_out(receipt: Receipt, lines: list[ReceiptLine]) -> ReceiptOut:
    shown = [ReceiptLineOut.model_validate(x, from_attributes=True) for x in lines]
    return records.output(ReceiptOut, receipt, lines=shown)


def _require_receivable(order: PurchaseOrder) -> None:
    if order.status not in lifecycle.RECEIVABLE:
        raise rule(ProcurementReason.NOT_RECEIVABLE, f"{order.display_number} is {order.status}: only a SENT or "
                   "PARTIALLY_RECEIVED order is received.", status=order.status)  # fmt: skip


def _check_lines(order: PurchaseOrder, data: Receive, lines: dict[uuid.UUID, PurchaseOrderLine]) -> None:
    seen: set[uuid.UUID] = set()
    for wanted in data.lines:
        line = lines.get(wanted.line_id)
        if line is None:
            raise rule(ProcurementReason.LINE_NOT_ON_ORDER, f"The line is not on {order.display_number}.",
                       line_id=str(wanted.line_id))  # fmt: skip
        if wanted.line_id in seen:
            raise rule(ProcurementReason.DUPLICATE_LINE, "A line is received once per receipt.",
                       line_id=str(wanted.line_id))  # fmt: skip
        seen.add(wanted.line_id)
        left = rules.outstanding(line.quantity, line.quantity_received)
        if wanted.quantity > left:
            raise rule(
                ProcurementReason.OVER_RECEIPT,
                f"{line.item_code}: {wanted.quantity} is more than the {left} {order.display_number} still expects.",
                line_id=str(line.id), item_code=line.item_code, ordered=str(line.quantity),
                received=str(line.quantity_received), requested=str(wanted.quantity),
            )  # fmt: skip


async def receive(ctx: RequestContext, data: Receive) -> ReceiveOut:
    order = await orders.load(ctx, data.purchase_order_id, lifecycle.ACTION_FOR["RECEIVED"], lock=True)
    _require_receivable(order)
    location = await orders.ship_to(ctx, data.location_id or order.location_id)
    lines = {x.id: x for x in await repository.lines(ctx.session, order.id, lock=True)}
    _check_lines(order, data, lines)
    receipt = Receipt(
        organization_id=order.organization_id, purchase_order_id=order.id, location_id=location.id,
        received_on=data.received_on or date.today(), received_by=ctx.user_id, reference=data.reference,
        total=rules.order_total(rules.line_total(x.quantity, lines[x.line_id].unit_cost) for x in data.lines),
    )  # fmt: skip
    ctx.session.add(receipt)
    await ctx.session.flush()
    made: list[ReceiptLine] = []
    on_behalf = replace(ctx, principal=None, roles=frozenset())
    for wanted in data.lines:
        line = lines[wanted.line_id]
        movement = await inventory.receive(
            on_behalf, location_id=location.id, item_id=line.item_id, quantity=wanted.quantity,
            unit_cost=line.unit_cost, reference=f"{order.display_number} line {line.position}", source_id=receipt.id,
            lot_number=wanted.lot_number, serial_numbers=wanted.serial_numbers,
        )  # fmt: skip
        line.quantity_received = line.quantity_received + wanted.quantity
        made.append(ReceiptLine(
            organization_id=order.organization_id, receipt_id=receipt.id, line_id=line.id, item_id=line.item_id,
            quantity=wanted.quantity, unit_cost=line.unit_cost, movement_id=movement, lot_number=wanted.lot_number,
            serial_numbers=list(wanted.serial_numbers),
        ))  # fmt: skip
    ctx.session.add_all(made)
    await ctx.session.flush()
    audit.record(ctx, "procurement_receipt.created", "procurement_receipt", receipt.id,
                 after=records.snapshot(receipt))  # fmt: skip
    status = rules.status_after_receipt((x.quantity, x.quantity_received) for x in lines.values())
    if status != order.status:
        extra = {"received_at": datetime.now(UTC)} if status == "RECEIVED" else {}
        order = await moves.move(ctx, order, status, f"receipt of {receipt.received_on}", **extra)
    return ReceiveOut(purchase_order=await orders.detail_out(ctx, order), receipt=receipt_out(receipt, made))


async def list_receipts(ctx: RequestContext, order_id: uuid.UUID) -> ReceiptsOut:
    order = await orders.load(ctx, order_id)
    return ReceiptsOut(items=[receipt_out(r, x) for r, x in await repository.receipts(ctx.session, order.id)])

"""The one way a purchase order changes status: checked against the table (`lifecycle.TRANSITIONS`:
INVALID_STATE_TRANSITION with from/to), written with its history row and audit event."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.contractor.procurement import kinds, lifecycle
from hestami.contractor.procurement.errors import ProcurementReason, rule
from hestami.contractor.procurement.models import PurchaseOrder, PurchaseOrderStatusChange
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition


def history_row(
    order: PurchaseOrder, from_status: str | None, to_status: str, *, actor: uuid.UUID | None, note: str | None
) -> PurchaseOrderStatusChange:
    return PurchaseOrderStatusChange(
        organization_id=order.organization_id, purchase_order_id=order.id, from_status=from_status,
        to_status=to_status, actor_user_id=actor, note=note,
    )  # fmt: skip


async def move(
    ctx: RequestContext, order: PurchaseOrder, to: str, note: str | None = None, **changes: Any
) -> PurchaseOrder:
    """Moves the (locked) order to `to` with `changes`; the history names the caller (none for the system)."""
    current = order.status
    check_transition("purchase order", lifecycle.TRANSITIONS, current, to)
    order = await records.change(ctx, kinds.PURCHASE_ORDER, order, {"status": to, **changes}, action="status_changed")
    ctx.session.add(history_row(order, current, to, actor=ctx.user_id, note=note))
    await ctx.session.flush()
    return order


def require_draft(order: PurchaseOrder) -> None:
    if order.status != "DRAFT":
        raise rule(
            ProcurementReason.NOT_EDITABLE, f"{order.display_number} is {order.status}: only a DRAFT's lines change.",
            status=order.status,
        )  # fmt: skip

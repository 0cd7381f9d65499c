"""Ordering work for a violation or an ARC request: the record is loaded (and locked) through its own domain's
`api`, which decides whether the caller may order work for it and whether it is in a state to have any; the work
order is made through the work orders' `api` (its create, triage and assignment paths, once per record and kind)."""

from __future__ import annotations

from hestami.cam.arc import api as arc
from hestami.cam.remediation.schemas import OrderArcWork, OrderRemediation, OrderWork
from hestami.cam.violations import api as violations
from hestami.cam.work_order import api as work_orders
from hestami.cam.work_order.schemas import WorkOrderOut
from hestami.core.context import RequestContext

MAX_DESCRIPTION = 5000


def _text(own: str | None, *parts: str | None) -> str:
    text = own or "\n\n".join(p for p in parts if p)
    return text[:MAX_DESCRIPTION]


async def _order(
    ctx: RequestContext, data: OrderWork, new: work_orders.NewWorkOrder, origin: work_orders.WorkOrigin
) -> WorkOrderOut:
    return await work_orders.order_work(
        ctx, new, origin, provider_organization_id=data.provider_organization_id,
        estimated_cost=data.estimated_cost, note=data.note,
    )  # fmt: skip


async def remediate_violation(ctx: RequestContext, data: OrderRemediation) -> WorkOrderOut:
    violation = await violations.to_remediate(ctx, data.id)
    where = f"Location: {violation.location}" if violation.location else None
    new = work_orders.NewWorkOrder(
        association_id=violation.association_id, unit_id=violation.unit_id, category=data.category,
        priority=data.priority, title=data.title or f"Remediate {violation.reference}: {violation.type_name}",
        description=_text(data.description, violation.description, where,
                          f"Remediation of violation {violation.reference}."),
    )  # fmt: skip
    origin = work_orders.WorkOrigin("REMEDIATION", violation.reference, violation_id=violation.id)
    return await _order(ctx, data, new, origin)


async def arc_work(ctx: RequestContext, data: OrderArcWork) -> WorkOrderOut:
    request = await arc.approved_for_work(ctx, data.id)
    conditions = "Conditions: " + "; ".join(request.conditions) if request.conditions else None
    doing = "Inspection" if data.kind == "INSPECTION" else "Installation"
    new = work_orders.NewWorkOrder(
        association_id=request.association_id, unit_id=request.unit_id, category=data.category,
        priority=data.priority, title=data.title or f"{doing} for {request.reference}: {request.title}"[:200],
        description=_text(data.description, request.description, conditions,
                          f"{doing} for the approved ARC request {request.reference}."),
    )  # fmt: skip
    origin = work_orders.WorkOrigin(data.kind, request.reference, arc_request_id=request.id)
    return await _order(ctx, data, new, origin)

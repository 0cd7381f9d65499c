"""Procedures of the remediation module: ordering work for a violation (`violation/v1/orderRemediation`) or an
approved ARC request (`arc/request/v1/orderWork`). Thin: the service does the work."""

from __future__ import annotations

from hestami.cam.remediation.schemas import OrderArcWork, OrderRemediation
from hestami.cam.remediation.services import ordering
from hestami.cam.work_order.schemas import WorkOrderOut
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter

violation = ProcedureRouter("violation")
arc_request = ProcedureRouter("arc/request", tags=("arc",))


@violation.mutation("orderRemediation")
async def order_remediation(ctx: RequestContext, data: OrderRemediation) -> WorkOrderOut:
    """The association remediates a violation itself (self-help): a work order for the violation's unit, submitted
    at once and linked to it (`violation_id`, origin REMEDIATION; title and description default to the violation's
    type, description and location), triaged and assigned at once when `provider_organization_id` names a linked,
    approved, compliant provider, whose job is then handed off with source VIOLATION. Managers only (FORBIDDEN for
    other members who may see the violation, NOT_FOUND for anyone else or another tenant's). The violation must be
    open or fined (BUSINESS_RULE_VIOLATION, reason NOT_OPEN); one work order per violation until it is cancelled
    (BUSINESS_RULE_VIOLATION, reason ALREADY_ORDERED, naming it). `workOrder/v1/list {violation_id}` lists them."""
    return await ordering.remediate_violation(ctx, data)


@arc_request.mutation("orderWork")
async def order_arc_work(ctx: RequestContext, data: OrderArcWork) -> WorkOrderOut:
    """The association orders work on an approved request: an INSPECTION of the finished work or the INSTALLATION
    itself, as a work order for the request's unit, submitted at once and linked to it (`arc_request_id`), triaged
    and assigned at once when `provider_organization_id` names a linked, approved, compliant provider, whose job is
    then handed off with source ARC_REQUEST. Managers only. The request must be APPROVED or APPROVED_WITH_CONDITIONS
    (BUSINESS_RULE_VIOLATION, reason NOT_APPROVED; the conditions go into the description); one work order per
    request and kind until it is cancelled (ALREADY_ORDERED). `workOrder/v1/list {arc_request_id}` lists them."""
    return await ordering.arc_work(ctx, data)


ROUTERS = [violation, arc_request]

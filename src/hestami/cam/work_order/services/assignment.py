"""Vendor assignment: a work order's matching providers, and `vendorAssignment_v1` started by a manager or by an
EMERGENCY work order's submission, with its run (requests, reminders, expiries, rounds) readable.

One run per work order: starting it again answers the run already there, unchanged (the run is unique per work
order and the work order's row is locked first, so two starts at once make one). The association's management and
its seated board see matches and runs; only management starts one; owners, tenants and providers see neither (a
provider sees the bids it is asked for).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hestami.cam.work_order import assignment_workflow, kinds, repository
from hestami.cam.work_order.errors import WorkOrderReason, rule
from hestami.cam.work_order.models import Bid, VendorAssignment, VendorAssignmentRequest, WorkOrder
from hestami.cam.work_order.schemas import (
    AssignmentRequestOut,
    AssignmentStepOut,
    ExcludedOut,
    ExclusionReasonOut,
    MatchesOut,
    MatchOut,
    StartVendorAssignment,
    VendorAssignmentOut,
    WorkOrderAssignmentIn,
)
from hestami.cam.work_order.services import assignment_turns, bids, matching, work_orders
from hestami.core import records
from hestami.core.authz import Resource, allows, authorize
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

AUTOMATIC_WANTED = 3
AUTOMATIC_RESPONSE_HOURS = 2
"""An EMERGENCY work order asks three providers at once, who have two hours to answer (its SLA is four)."""


def _resource(order: WorkOrder) -> Resource:
    """The work order's vendor assignment as the policy sees it, whether or not it exists yet."""
    attrs = {"organization_id": str(order.organization_id), "association_id": str(order.association_id)}
    return Resource(kinds.VENDOR_ASSIGNMENT.name, str(order.id), attrs)


async def matches(ctx: RequestContext, data: WorkOrderAssignmentIn) -> MatchesOut:
    """The work order's matching providers on today's date, best first, and the linked providers left out with every
    reason why."""
    order = await records.load(ctx, kinds.WORK_ORDER, data.work_order_id)
    await authorize(ctx, "view", _resource(order))
    found = await matching.matches_for(ctx, order, date.today())
    asked = {bid.provider_organization_id: bid.status for bid in await repository.bids_on(ctx.session, order.id)}
    return MatchesOut(
        work_order_id=order.id,
        category=found.category,
        postal_codes=list(found.postal_codes),
        on=found.on,
        matches=[
            MatchOut(
                rank=rank,
                provider_organization_id=c.provider_organization_id,
                provider_name=c.provider_name,
                preferred=c.preferred,
                rating=c.rating,
                review_count=c.review_count,
                bid_status=asked.get(c.provider_organization_id),
            )
            for rank, c in enumerate(found.matches, 1)
        ],
        excluded=[
            ExcludedOut(
                provider_organization_id=e.candidate.provider_organization_id,
                provider_name=e.candidate.provider_name,
                reasons=[ExclusionReasonOut(code=r.code.value, message=r.message) for r in e.reasons],
            )
            for e in found.excluded
        ],
    )


async def start(ctx: RequestContext, data: StartVendorAssignment) -> VendorAssignmentOut:
    """Starts the work order's vendor assignment (SUBMITTED or TRIAGED: BID_NOT_OPEN otherwise), or answers the one
    it has."""
    order = await records.find(ctx, kinds.WORK_ORDER, data.work_order_id, lock=True)
    await records.authorize_record(ctx, kinds.WORK_ORDER, order, "request_bids")
    existing = await repository.vendor_assignment_of(ctx.session, order.id)
    if existing is not None:
        await records.authorize_record(ctx, kinds.VENDOR_ASSIGNMENT, existing, "view")
        return await assignment_out(ctx, order, existing)
    if order.status not in bids.OPEN_FOR_BIDS:
        raise rule(WorkOrderReason.BID_NOT_OPEN, f"A work order in {order.status} does not take bids.")
    run = _new_run(ctx, order, "MANUAL", data.providers, data.response_hours)
    run = await records.create(ctx, kinds.VENDOR_ASSIGNMENT, run)
    await assignment_workflow.start(order.organization_id, order.id)  # before commit: durable even if we crash
    return await assignment_out(ctx, order, run)


def _new_run(ctx: RequestContext, order: WorkOrder, trigger: str, wanted: int, hours: int) -> VendorAssignment:
    return VendorAssignment(
        association_id=order.association_id, work_order_id=order.id, trigger=trigger, wanted=wanted,
        response_hours=hours, status="RUNNING", round=0, started_by=ctx.user_id,
    )  # fmt: skip


@work_orders.when_submitted
async def start_for_emergency(ctx: RequestContext, order: WorkOrder) -> None:
    """An EMERGENCY work order's submission starts its vendor assignment (whoever submits it: an owner may), in the
    submitting transaction."""
    if order.priority != "EMERGENCY" or await repository.vendor_assignment_of(ctx.session, order.id) is not None:
        return
    run = _new_run(ctx, order, "EMERGENCY", AUTOMATIC_WANTED, AUTOMATIC_RESPONSE_HOURS)
    await records.insert(ctx, kinds.VENDOR_ASSIGNMENT, run)
    await assignment_workflow.start(order.organization_id, order.id)


async def get(ctx: RequestContext, data: WorkOrderAssignmentIn) -> VendorAssignmentOut:
    """The work order's run with its requests and steps (NOT_STARTED when it has none); NOT_FOUND for a caller who
    may not see runs, as for a work order that does not exist."""
    order = await records.load(ctx, kinds.WORK_ORDER, data.work_order_id)
    run = await repository.vendor_assignment_of(ctx.session, order.id)
    if run is None:
        if not await allows(ctx, "view", _resource(order)):
            raise not_found(kinds.VENDOR_ASSIGNMENT.name, order.id)
        return VendorAssignmentOut(work_order_id=order.id, status="NOT_STARTED")
    await records.authorize_record(ctx, kinds.VENDOR_ASSIGNMENT, run, "view")
    return await assignment_out(ctx, order, run)


def _request_out(request: VendorAssignmentRequest, bid: Bid) -> AssignmentRequestOut:
    return AssignmentRequestOut(
        provider_organization_id=request.provider_organization_id, provider_name=request.provider_name,
        bid_id=bid.id, bid_status=bid.status, round=request.round, rank=request.rank,
        requested_at=request.requested_at, remind_at=request.remind_at, due_at=request.due_at,
        reminded_at=request.reminded_at, expired_at=request.expired_at,
        answered_at=bid.submitted_at if assignment_turns.priced(bid) else None,
    )  # fmt: skip


def _steps(run: VendorAssignment, requests: list[tuple[VendorAssignmentRequest, Bid]]) -> list[AssignmentStepOut]:
    started = f"{run.trigger}: {run.wanted} bids wanted, {run.response_hours} h to answer"
    steps = [AssignmentStepOut(at=run.created_at, step="STARTED", note=started)]
    for request, bid in requests:
        who: dict[str, Any] = {
            "round": request.round, "provider_organization_id": request.provider_organization_id,
            "provider_name": request.provider_name,
        }  # fmt: skip
        steps.append(AssignmentStepOut(at=request.requested_at, step="REQUESTED", note=f"rank {request.rank}", **who))
        if request.reminded_at is not None:
            steps.append(AssignmentStepOut(at=request.reminded_at, step="REMINDED", **who))
        if assignment_turns.priced(bid) and bid.submitted_at is not None:
            steps.append(AssignmentStepOut(at=bid.submitted_at, step="ANSWERED", note=f"{bid.amount}", **who))
        elif bid.status == "WITHDRAWN":
            steps.append(AssignmentStepOut(at=bid.updated_at, step="DECLINED", **who))
        if request.expired_at is not None:
            steps.append(AssignmentStepOut(at=request.expired_at, step="EXPIRED", **who))
    if run.next_round_at is not None:
        second = [r.provider_name for r, _ in requests if r.round == 2]
        note = f"asked {', '.join(second)}" if second else "no other provider matched"
        steps.append(AssignmentStepOut(at=run.next_round_at, step="NEXT_ROUND", round=2, note=note))
    if run.finished_at is not None:
        if run.round == 0 and run.status == "COMPLETED":
            steps.append(AssignmentStepOut(at=run.finished_at, step="NO_MATCHES", note=run.outcome))
        steps.append(AssignmentStepOut(at=run.finished_at, step=run.status, note=run.outcome))
    order = {step: index for index, step in enumerate(("STARTED", "REQUESTED", "REMINDED", "ANSWERED", "DECLINED"))}
    return sorted(steps, key=lambda s: (s.at, order.get(s.step, 9)))


async def assignment_out(ctx: RequestContext, order: WorkOrder, run: VendorAssignment) -> VendorAssignmentOut:
    requests = await repository.vendor_assignment_requests(ctx.session, run.id)
    return VendorAssignmentOut(
        work_order_id=order.id, id=run.id, status=run.status, trigger=run.trigger,
        wanted=run.wanted, response_hours=run.response_hours, round=run.round,
        round_deadline_at=run.round_deadline_at, next_round_at=run.next_round_at,
        answered=sum(1 for _, bid in requests if assignment_turns.priced(bid)), outcome=run.outcome,
        started_by=run.started_by, started_at=run.created_at, finished_at=run.finished_at,
        workflow_id=assignment_workflow.workflow_id(order.id),
        requests=[_request_out(request, bid) for request, bid in requests],
        steps=_steps(run, requests),
    )  # fmt: skip

"""ARC requests: asked by an owner for their unit (or filed by a manager for one), edited while a draft or when
changes were requested, submitted (each submission a new review round with its own deemed-approval deadline),
withdrawn before a decision. Every status change goes through `move`: the transition table, one history row,
the audit trail, the requester's notice (once: a dedupe key per change and recipient) and a wake-up for
`arcReviewLifecycle_v1`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from hestami.cam.arc import kinds, lifecycle, repository, workflows
from hestami.cam.arc.errors import ArcReason, rule
from hestami.cam.arc.models import ArcRequest, StatusChange
from hestami.cam.arc.schemas import (
    ArcRequestOut,
    ArcRequestsOut,
    CreateArcRequest,
    ListArcRequests,
    RecordStart,
    StatusChangeOut,
    UpdateArcRequest,
)
from hestami.cam.arc.services import setup
from hestami.cam.association import api as association
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError, check_transition
from hestami.core.ids import new_id
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

MANAGING_ROLES = ["MANAGER", "ADMIN"]


def reference(number: int) -> str:
    return f"ARC-{number:06d}"


def day_seconds() -> float:
    return runtime.current().settings.arc_day_seconds


async def outputs(ctx: RequestContext, requests: Sequence[ArcRequest]) -> list[ArcRequestOut]:
    """The requests with their unit's number (one read for the page)."""
    units = await association.unit_numbers(ctx, [r.unit_id for r in requests])
    return [
        records.output(ArcRequestOut, r, reference=reference(r.number), unit_number=units.get(r.unit_id))
        for r in requests
    ]


async def output(ctx: RequestContext, request: ArcRequest, history: list[StatusChange] | None = None) -> ArcRequestOut:
    changes = None if history is None else [StatusChangeOut.model_validate(h, from_attributes=True) for h in history]
    (named,) = await outputs(ctx, [request])
    return named if changes is None else named.model_copy(update={"history": changes})


def _check_plan(start: Any, end: Any) -> None:
    if start is not None and end is not None and end < start:
        message = "The planned end comes before the planned start."
        raise HestamiError(
            ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError("/planned_end", message, "order")]
        )


async def create(ctx: RequestContext, data: CreateArcRequest) -> ArcRequestOut:
    """An owner asks for their own unit; a manager may file for any unit of the association."""
    await association.load_association(ctx, data.association_id)
    unit = await association.load_unit(ctx, data.unit_id)
    if unit.association_id != data.association_id:
        raise rule(ArcReason.WRONG_ASSOCIATION, "That unit belongs to another association.")
    _check_plan(data.planned_start, data.planned_end)
    if not ctx.roles & {"MANAGER", "ADMIN"}:
        owners = await association.owners_of_unit(ctx, unit.id, unit.organization_id)
        if str(ctx.user_id) not in owners:
            raise rule(ArcReason.NOT_AN_OWNER, "Only an owner of the unit may ask to change it.")
    values = data.model_dump()
    values["title"] = data.title or data.category.replace("_", " ").title()
    request = ArcRequest(
        **values, requested_by=ctx.user_id, status="DRAFT", round=0, conditions=[],
        number=await repository.next_number(ctx.session, ctx.require_org()),
    )  # fmt: skip
    request = await records.create(ctx, kinds.ARC_REQUEST, request)
    ctx.session.add(
        StatusChange(
            organization_id=request.organization_id, request_id=request.id, from_status=None, to_status="DRAFT",
            actor_user_id=ctx.user_id, note="Drafted.",
        )
    )  # fmt: skip
    await ctx.session.flush()
    return await output(ctx, request)


async def _recipients(ctx: RequestContext, request: ArcRequest, to_status: str) -> list[tuple[str, uuid.UUID | None]]:
    """The requester always; the managers when a request arrives for review; the committee when it is assigned."""
    people: dict[str, uuid.UUID | None] = {}
    if request.requested_by is not None:
        email = await identity.email_of_member(ctx, request.requested_by)
        if email:
            people[email] = request.requested_by
    if to_status == "SUBMITTED":
        for user_id, email in await identity.members_in_roles(ctx, MANAGING_ROLES):
            people[email] = user_id
    if to_status == "UNDER_REVIEW":
        people.update(await _committee(ctx, request))
    return sorted(people.items())


async def _committee(ctx: RequestContext, request: ArcRequest) -> dict[str, uuid.UUID | None]:
    people: dict[str, uuid.UUID | None] = {}
    for member in await repository.committee_user_ids(ctx.session, request.committee_id):
        email = await identity.email_of_member(ctx, uuid.UUID(member))
        if email:
            people[email] = uuid.UUID(member)
    return people


def _payload(request: ArcRequest, change: StatusChange | None, note: str | None) -> dict[str, Any]:
    return {
        "request": reference(request.number), "title": request.title,
        "from": change.from_status if change else request.status, "to": change.to_status if change else request.status,
        "note": note, "deemed": request.deemed, "round": request.round,
        "approval_expires_at": request.approval_expires_at.isoformat() if request.approval_expires_at else None,
        "conditions": list(request.conditions or []),
    }  # fmt: skip


async def tell_committee(ctx: RequestContext, request: ArcRequest, note: str) -> None:
    """The members of a committee the request was reassigned to hear of it, once per committee and round."""
    messages = [
        OutboundMessage(
            organization_id=request.organization_id, channel="EMAIL", recipient=email, recipient_user_id=user_id,
            template="arc.request.assigned", payload=_payload(request, None, note), entity_type="arc_request",
            entity_id=request.id,
            dedupe_key=f"arc_request:{request.id}:round:{request.round}:committee:{request.committee_id}:{email}",
        )
        for email, user_id in sorted((await _committee(ctx, request)).items())
    ]  # fmt: skip
    await record_all_once(ctx.session, messages)


async def _notify(ctx: RequestContext, request: ArcRequest, change: StatusChange) -> None:
    payload = _payload(request, change, change.note)
    messages = [
        OutboundMessage(
            organization_id=request.organization_id, channel="EMAIL", recipient=email, recipient_user_id=user_id,
            template=f"arc.request.{change.to_status.lower()}", payload=payload, entity_type="arc_request",
            entity_id=request.id, dedupe_key=f"arc_request:{request.id}:change:{change.id}:{email}",
        )
        for email, user_id in await _recipients(ctx, request, change.to_status)
    ]  # fmt: skip
    await record_all_once(ctx.session, messages)


async def move(
    ctx: RequestContext, request: ArcRequest, target: str, note: str | None = None, **values: Any
) -> StatusChange:
    """The one path for every status change (with the fields that change with it)."""
    check_transition("arc_request", lifecycle.TRANSITIONS, request.status, target)
    change = StatusChange(
        id=new_id(), organization_id=request.organization_id, request_id=request.id,
        from_status=request.status, to_status=target, actor_user_id=ctx.user_id, note=note,
    )  # fmt: skip
    ctx.session.add(change)
    await records.change(ctx, kinds.ARC_REQUEST, request, {"status": target, **values}, action="status_changed")
    await _notify(ctx, request, change)
    request_id = request.id
    ctx.after_commit(lambda: workflows.signal(request_id, target))
    return change


async def update(ctx: RequestContext, data: UpdateArcRequest) -> ArcRequestOut:
    request = await records.load(ctx, kinds.ARC_REQUEST, data.id, "update", lock=True)
    if request.status not in lifecycle.EDITABLE:
        raise rule(ArcReason.NOT_EDITABLE, f"A request in {request.status} cannot be changed.", status=request.status)
    changes = {
        k: v for k, v in records.changes_of(data).items() if v is not None or k in ("estimated_cost", "contractor")
    }
    _check_plan(changes.get("planned_start", request.planned_start), changes.get("planned_end", request.planned_end))
    await records.change(ctx, kinds.ARC_REQUEST, request, changes)
    return await output(ctx, request)


async def submit(ctx: RequestContext, request_id: uuid.UUID) -> ArcRequestOut:
    """A complete submission starts a review round: the deemed-approval deadline runs from now, and the lifecycle
    workflow (started with the first submission) keeps it. A resubmission after changes were requested goes back to
    the committee that asked for them."""
    request = await records.load(ctx, kinds.ARC_REQUEST, request_id, "submit", lock=True)
    if not await repository.documents(ctx.session, request.id):
        raise rule(
            ArcReason.INCOMPLETE_SUBMISSION,
            "Add at least one document (a plan, a drawing, a photo) before submitting.",
        )
    settings = await setup.effective_settings(ctx, request.association_id)
    now = datetime.now(UTC)
    due = (
        lifecycle.after_days(now, settings.deemed_approval_days, day_seconds())
        if settings.deemed_approval_days
        else None
    )
    first = request.round == 0
    await move(
        ctx, request, "SUBMITTED", "Submitted for review." if first else "Resubmitted with changes.",
        round=request.round + 1, submitted_at=now, review_due_at=due,
        decision=None, decision_reasons=None, decided_at=None, decided_by=None,  # the last round's, in the history
    )  # fmt: skip
    if request.committee_id is not None:
        await move(ctx, request, "UNDER_REVIEW", "Back to the committee that asked for the changes.")
    if first:
        await workflows.start(request.organization_id, request.id)
    return await output(ctx, request)


async def withdraw(ctx: RequestContext, request_id: uuid.UUID, note: str | None = None) -> ArcRequestOut:
    request = await records.load(ctx, kinds.ARC_REQUEST, request_id, "withdraw", lock=True)
    await move(ctx, request, "WITHDRAWN", note or "Withdrawn by the requester.", review_due_at=None)
    return await output(ctx, request)


async def record_start(ctx: RequestContext, data: RecordStart) -> ArcRequestOut:
    """The owner (or a manager) reports the approved work started: the approval no longer expires."""
    request = await records.load(ctx, kinds.ARC_REQUEST, data.id, "record_start", lock=True)
    if request.status not in lifecycle.APPROVED:
        raise rule(ArcReason.NOT_APPROVED, "Only approved work can start.", status=request.status)
    await records.change(ctx, kinds.ARC_REQUEST, request, {"work_started_on": data.work_started_on}, action="started")
    request_id = request.id
    ctx.after_commit(lambda: workflows.signal(request_id, "STARTED"))
    return await output(ctx, request)


async def get(ctx: RequestContext, request_id: uuid.UUID) -> ArcRequestOut:
    request = await records.load(ctx, kinds.ARC_REQUEST, request_id)
    return await output(ctx, request, await repository.history(ctx.session, request.id))


async def list_requests(ctx: RequestContext, data: ListArcRequests) -> ArcRequestsOut:
    filters = []
    for column, value in (
        (ArcRequest.association_id, data.association_id), (ArcRequest.unit_id, data.unit_id),
        (ArcRequest.status, data.status), (ArcRequest.committee_id, data.committee_id),
    ):  # fmt: skip
        if value is not None:
            filters.append(column == value)
    rows, cursor = await records.page(ctx, kinds.ARC_REQUEST, data, *filters)
    return ArcRequestsOut(items=await outputs(ctx, rows), next_cursor=cursor)


async def approve(
    ctx: RequestContext, request: ArcRequest, status: str, *, reasons: str, conditions: list[str], deemed: bool
) -> None:
    """Approves (with or without conditions, by decision or deemed): the approval expires if work has not started
    within the association's approval validity."""
    settings = await setup.effective_settings(ctx, request.association_id)
    now = datetime.now(UTC)
    await move(
        ctx, request, status, reasons, decision=status, deemed=deemed, decision_reasons=reasons,
        conditions=conditions, decided_at=now, decided_by=ctx.user_id, review_due_at=None,
        approval_expires_at=lifecycle.after_days(now, settings.approval_valid_days, day_seconds()),
    )  # fmt: skip


async def deem_if_due(ctx: RequestContext, request: ArcRequest, now: datetime) -> str | None:
    """The lifecycle's move on a locked request: deemed approval when the review deadline passed undecided, expiry
    when approved work did not start in time. Returns what happened, or None."""
    if request.status in lifecycle.IN_REVIEW and request.review_due_at is not None and request.review_due_at <= now:
        reasons = "Deemed approved: no decision within the association's deemed-approval period."
        await approve(ctx, request, "APPROVED", reasons=reasons, conditions=[], deemed=True)
        return "DEEMED_APPROVED"
    expires = request.approval_expires_at
    if request.status in lifecycle.APPROVED and request.work_started_on is None and expires and expires <= now:
        await move(ctx, request, "EXPIRED", "The approved work did not start before the approval expired.")
        return "EXPIRED"
    return None

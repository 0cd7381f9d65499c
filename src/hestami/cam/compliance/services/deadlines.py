"""Deadlines: the dates an association's requirements give, generated for a window (again and again without
duplicates: one per requirement and date), each followed by `complianceDeadline_v1` (its reminder, then its due
date), completed with evidence documents or waived with a reason."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.cam.association import api as association
from hestami.cam.compliance import kinds, repository, rules, workflows
from hestami.cam.compliance.errors import ComplianceReason, rule
from hestami.cam.compliance.models import Deadline, Requirement
from hestami.cam.compliance.schemas import (
    CompleteDeadline,
    DeadlineOut,
    DeadlinesOut,
    GenerateDeadlines,
    GeneratedOut,
    ListDeadlines,
    WaiveDeadline,
)
from hestami.cam.documents import api as documents
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

MAX_WINDOW_DAYS = 3 * 366
CLOSED = frozenset({"COMPLETED", "WAIVED"})


def output(deadline: Deadline, requirement: Requirement | None = None) -> DeadlineOut:
    extra = {"title": requirement.title, "code": requirement.code} if requirement else {}
    return records.output(DeadlineOut, deadline, **extra)


async def generate(ctx: RequestContext, data: GenerateDeadlines) -> GeneratedOut:
    """Every active requirement's due dates from today through `through`; each new deadline starts its clock."""
    await association.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.DEADLINE, "create")
    today = datetime.now(UTC).date()
    if data.through < today or (data.through - today).days > MAX_WINDOW_DAYS:
        raise rule(ComplianceReason.WINDOW_TOO_LONG, "Generate from today through a date at most three years ahead.")
    created = already = 0
    for requirement in await repository.active_requirements(ctx.session, data.association_id):
        try:
            dates = rules.occurrences(requirement.rrule, requirement.anchor_date, today, data.through)
        except rules.InvalidRule as exc:
            raise rule(
                ComplianceReason.INVALID_RULE,
                f"Requirement {requirement.code}: {exc}",
                requirement_id=str(requirement.id),
            ) from None
        rows = [(due, rules.remind_on(due, requirement.lead_days), rules.status_on(due, requirement.lead_days, today))
                for due in dates]  # fmt: skip
        new = await repository.add_deadlines(ctx.session, ctx.require_org(), requirement, rows)
        created, already = created + len(new), already + len(dates) - len(new)
        for deadline_id in new:
            await workflows.start(ctx.require_org(), deadline_id)
    audit.record(
        ctx, "compliance_deadline.generated", kinds.DEADLINE.name, data.association_id,
        after={"through": data.through.isoformat(), "created": created},
    )  # fmt: skip
    return GeneratedOut(created=created, already_there=already)


async def _tell(ctx: RequestContext, deadline: Deadline, requirement: Requirement, what: str, roles: list[str]) -> None:
    payload = {
        "requirement": requirement.code, "title": requirement.title, "due_on": deadline.due_on.isoformat(),
        "reference": requirement.reference, "association_id": str(deadline.association_id),
    }  # fmt: skip
    messages = [
        OutboundMessage(
            organization_id=deadline.organization_id, channel="EMAIL", recipient=email, recipient_user_id=user_id,
            template=f"compliance.deadline.{what}", payload=payload, entity_type="compliance_deadline",
            entity_id=deadline.id, dedupe_key=f"compliance_deadline:{deadline.id}:{what}:{email}",
        )
        for user_id, email in await identity.members_in_roles(ctx, roles, deadline.association_id)
    ]  # fmt: skip
    await record_all_once(ctx.session, messages)


async def on_the_clock(ctx: RequestContext, deadline: Deadline, now: datetime) -> tuple[str | None, datetime | None]:
    """The workflow's move on a locked deadline: the reminder from its reminder date, OVERDUE after its due date.
    Returns what happened and when the clock should look again (None: nothing left to watch)."""
    if deadline.status in CLOSED or deadline.status == "OVERDUE":
        return None, None
    requirement = await repository.requirement(ctx.session, deadline.requirement_id)
    assert requirement is not None  # a foreign key holds it
    happened = None
    if deadline.reminded_at is None and now >= rules.moment(deadline.remind_on):
        await _tell(ctx, deadline, requirement, "reminder", sorted({requirement.responsible_role, "MANAGER", "ADMIN"}))
        deadline.reminded_at, deadline.status, happened = now, "DUE_SOON", "REMINDED"
    if now >= rules.overdue_from(deadline.due_on):
        await _tell(ctx, deadline, requirement, "overdue", ["MANAGER", "ADMIN", requirement.responsible_role])
        deadline.overdue_at, deadline.status, happened = now, "OVERDUE", "OVERDUE"
        await ctx.session.flush()
        return happened, None
    await ctx.session.flush()
    wake = rules.moment(deadline.remind_on) if deadline.reminded_at is None else rules.overdue_from(deadline.due_on)
    return happened, wake


async def _open(ctx: RequestContext, deadline_id: uuid.UUID, action: str) -> Deadline:
    deadline = await records.load(ctx, kinds.DEADLINE, deadline_id, action, lock=True)
    if deadline.status in CLOSED:
        raise rule(
            ComplianceReason.ALREADY_CLOSED, f"This deadline is already {deadline.status}.", status=deadline.status
        )
    return deadline


async def complete(ctx: RequestContext, data: CompleteDeadline) -> DeadlineOut:
    """Done (also after its date: an OVERDUE deadline completed late keeps its overdue time), with the documents
    that prove it (each a document of the same association the caller may see)."""
    deadline = await _open(ctx, data.id, "complete")
    for document_id in data.evidence_document_ids:
        evidence = await documents.existing_file(ctx, document_id)
        if evidence.association_id not in (None, deadline.association_id):
            raise rule(ComplianceReason.WRONG_ASSOCIATION, "That document belongs to another association.")
    await records.change(
        ctx, kinds.DEADLINE, deadline,
        {"status": "COMPLETED", "completed_at": datetime.now(UTC), "completed_by": ctx.user_id,
         "evidence_document_ids": list(dict.fromkeys(data.evidence_document_ids)), "notes": data.notes},
        action="completed",
    )  # fmt: skip
    deadline_id = deadline.id
    ctx.after_commit(lambda: workflows.signal(deadline_id, "COMPLETED"))
    return output(deadline, await repository.requirement(ctx.session, deadline.requirement_id))


async def waive(ctx: RequestContext, data: WaiveDeadline) -> DeadlineOut:
    deadline = await _open(ctx, data.id, "waive")
    await records.change(ctx, kinds.DEADLINE, deadline, {"status": "WAIVED", "notes": data.notes}, action="waived")
    deadline_id = deadline.id
    ctx.after_commit(lambda: workflows.signal(deadline_id, "WAIVED"))
    return output(deadline, await repository.requirement(ctx.session, deadline.requirement_id))


async def get(ctx: RequestContext, deadline_id: uuid.UUID) -> DeadlineOut:
    deadline = await records.load(ctx, kinds.DEADLINE, deadline_id)
    return output(deadline, await repository.requirement(ctx.session, deadline.requirement_id))


async def list_deadlines(ctx: RequestContext, data: ListDeadlines) -> DeadlinesOut:
    filters = []
    if data.association_id is not None:
        filters.append(Deadline.association_id == data.association_id)
    if data.requirement_id is not None:
        filters.append(Deadline.requirement_id == data.requirement_id)
    if data.status is not None:
        filters.append(Deadline.status == data.status)
    if data.due_before is not None:
        filters.append(Deadline.due_on < data.due_before)
    rows, cursor = await records.page(ctx, kinds.DEADLINE, data, *filters)
    found = await repository.requirements_by_id(ctx.session, list({d.requirement_id for d in rows}))
    return DeadlinesOut(items=[output(d, found.get(d.requirement_id)) for d in rows], next_cursor=cursor)

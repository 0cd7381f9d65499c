"""A visit's checklist: the steps of a pricebook job template copied onto the visit once (CHECKLIST_EXISTS after),
each done or undone with a note by the visit's technician. Required steps not done keep the visit from completion."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.contractor.field import kinds, repository
from hestami.contractor.field.errors import FieldReason, conflict
from hestami.contractor.field.models import ChecklistStep
from hestami.contractor.field.schemas import ChecklistOut, StepOut, StepPayload
from hestami.contractor.field.services import worksite
from hestami.contractor.field.services.worksite import Worksite
from hestami.contractor.job import api as jobs
from hestami.contractor.pricebook import api as pricebook
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found


def checklist_out(visit_id: uuid.UUID, steps: list[ChecklistStep]) -> ChecklistOut:
    items = [records.output(StepOut, s) for s in steps]
    return ChecklistOut(visit_id=visit_id, items=items, required_open=len(open_required(steps)))


def open_required(steps: list[ChecklistStep]) -> list[ChecklistStep]:
    return [s for s in steps if s.required and s.done_at is None]


def _step(site: Worksite, template_id: uuid.UUID, step: pricebook.StepRef) -> ChecklistStep:
    return ChecklistStep(
        job_id=site.job.id, visit_id=site.visit.id, template_id=template_id, position=step.position, text=step.text,
        required=step.required,
    )  # fmt: skip


async def apply(
    ctx: RequestContext, visit_id: uuid.UUID, template_id: uuid.UUID, job_id: uuid.UUID | None = None
) -> ChecklistOut:
    site = await worksite.for_recording(ctx, visit_id, job_id)
    template = await pricebook.template(ctx, template_id)
    if await repository.steps(ctx.session, site.visit.id):
        raise conflict(FieldReason.CHECKLIST_EXISTS, "This visit has its checklist already.")
    made = [await records.insert(ctx, kinds.STEP, _step(site, template.id, step)) for step in template.steps]
    return checklist_out(site.visit.id, made)


async def get(ctx: RequestContext, visit_id: uuid.UUID) -> ChecklistOut:
    visit = await jobs.load_visit(ctx, visit_id)
    await worksite.for_reading(ctx, visit.job_id, visit.id)
    return checklist_out(visit.id, await repository.steps(ctx.session, visit.id))


async def mark(
    ctx: RequestContext, data: StepPayload, done: bool, visit_id: uuid.UUID | None = None,
    job_id: uuid.UUID | None = None,
) -> StepOut:  # fmt: skip
    """Done (at `data.at`, default now) or undone, with the note; the step must be of `visit_id` when given (the
    sync's action names its visit)."""
    step = await records.find(ctx, kinds.STEP, data.step_id, lock=True)
    if visit_id is not None and step.visit_id != visit_id:
        raise not_found(kinds.STEP.name, data.step_id)
    await worksite.for_recording(ctx, step.visit_id, job_id)
    changes = (
        {"done_at": data.at or datetime.now(UTC), "done_by": ctx.user_id, "note": data.note}
        if done
        else {"done_at": None, "done_by": None, "note": data.note}
    )
    changed = await records.change(ctx, kinds.STEP, step, changes, action="done" if done else "undone")
    return records.output(StepOut, changed)

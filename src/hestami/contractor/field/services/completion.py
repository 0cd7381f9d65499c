"""Completing a visit: its required checklist steps done (REQUIRED_STEPS_OPEN names the others), the technician's
timer on it stopped, the visit COMPLETED, dispatch's assignment COMPLETED, and the job COMPLETED once no other visit
of it is open (through the jobs' one transition path, so the HOA hand-off mirrors it onto the work order)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.contractor.dispatch import api as dispatch
from hestami.contractor.field import repository, rules
from hestami.contractor.field.errors import FieldError, FieldReason, rule
from hestami.contractor.field.models import ChecklistStep
from hestami.contractor.field.schemas import VisitCompletedOut
from hestami.contractor.field.services import checklists, timers, worksite
from hestami.contractor.job import api as jobs
from hestami.core.context import RequestContext


def _refused(missing: list[ChecklistStep]) -> FieldError:
    names = "; ".join(f"{s.position}. {s.text}" for s in missing)
    return rule(
        FieldReason.REQUIRED_STEPS_OPEN, f"Required steps are not done: {names}.",
        steps=[{"id": str(s.id), "visit_id": str(s.visit_id), "position": s.position, "text": s.text} for s in missing],
    )  # fmt: skip


async def guard_job_completion(ctx: RequestContext, job_id: uuid.UUID) -> None:
    """The jobs' completion guard (`job.api.before_completion`): a job is not moved to COMPLETED by hand while a visit
    of it that is not cancelled has required checklist steps open (REQUIRED_STEPS_OPEN)."""
    visits = [v.id for v in await jobs.visits_of(ctx, job_id) if v.status != "CANCELLED"]
    missing = await repository.open_required_steps(ctx.session, visits)
    if missing:
        raise _refused(missing)


async def complete(
    ctx: RequestContext, visit_id: uuid.UUID, at: datetime | None, job_id: uuid.UUID | None = None
) -> VisitCompletedOut:
    site = await worksite.for_recording(ctx, visit_id, job_id)
    when = at or datetime.now(UTC)
    missing = checklists.open_required(await repository.steps(ctx.session, site.visit.id, lock=True))
    if missing:
        raise _refused(missing)
    running = await repository.open_entry(ctx.session, site.assignment.technician_id)
    closed = None
    if running is not None and running.visit_id == site.visit.id:
        closed = (await timers.close(ctx, running, when)).id
    visit = await timers.walk_visit(ctx, site.visit, rules.VISIT_DONE_WALK)
    await dispatch.finish(ctx, visit.id, when)
    job = site.job
    others = [v for v in await jobs.visits_of(ctx, job.id) if v.id != visit.id and v.status in rules.VISIT_OPEN]
    if others:
        job = await timers.walk_job(ctx, site, rules.WORK_WALK, "The technician completed a visit.")
    else:
        job = await timers.walk_job(ctx, site, rules.DONE_WALK, "The technician completed the last visit.")
    assignment = await dispatch.assignment_of_visit(ctx, visit.id)
    return VisitCompletedOut(
        visit_id=visit.id, visit_status=visit.status, job_id=job.id, job_status=job.status,
        assignment_status=assignment.status if assignment is not None else None, time_entry_closed=closed,
    )  # fmt: skip

"""Where field work happens: a visit of an open job, assigned (dispatch's live assignment) to a technician. Every
action loads the visit through the caller's scope (NOT_FOUND unless they may view it), then the policy decides on
the work (`field_work`): the assigned technician records, dispatchers and managers record for them and correct,
VENDOR members and the job's technicians read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hestami.contractor.dispatch import api as dispatch
from hestami.contractor.field import kinds, rules
from hestami.contractor.field.errors import FieldReason, conflict, rule
from hestami.contractor.job import api as jobs
from hestami.core.authz import authorize
from hestami.core.context import RequestContext
from hestami.core.errors import not_found


@dataclass(frozen=True, slots=True)
class Worksite:
    job: jobs.JobRef
    visit: jobs.VisitRef
    assignment: dispatch.VisitAssignment


async def _resource_of_visit(
    ctx: RequestContext, visit: jobs.VisitRef, assignment: dispatch.VisitAssignment | None
) -> kinds.Resource:
    users = await dispatch.job_technician_users(ctx, visit.job_id)
    assigned = assignment.technician_user_id if assignment is not None else None
    return kinds.work(ctx.require_org(), visit.id, assigned, users)


async def _reassigned(ctx: RequestContext, visit_id: uuid.UUID) -> bool:
    """The caller's technician was assigned this visit once, and no longer is (the offline device's view is old)."""
    user = ctx.user_id
    if user is None or not await dispatch.was_assigned(ctx, visit_id, user):
        return False
    live = await dispatch.assignment_of_visit(ctx, visit_id)
    return live is None or live.technician_user_id != user


async def for_recording(ctx: RequestContext, visit_id: uuid.UUID, job_id: uuid.UUID | None = None) -> Worksite:
    """The visit to record work on. CONFLICT, VISIT_REASSIGNED, when the caller's technician was taken off it;
    NOT_FOUND unless the caller may view it (or when `job_id` is not its job); FORBIDDEN unless the caller is its
    technician (or a dispatcher or manager); JOB_CLOSED, NOT_ASSIGNED, VISIT_CLOSED (BUSINESS_RULE_VIOLATION)."""
    await dispatch.hold(ctx)
    if await _reassigned(ctx, visit_id):
        message = "This visit was assigned to another technician (or unassigned) meanwhile."
        raise conflict(FieldReason.VISIT_REASSIGNED, message, visit_id=str(visit_id))
    visit = await jobs.load_visit(ctx, visit_id)
    if job_id is not None and visit.job_id != job_id:
        raise not_found("job visit", visit_id)
    assignment = await dispatch.assignment_of_visit(ctx, visit.id)
    await authorize(ctx, "record", await _resource_of_visit(ctx, visit, assignment))
    job = await jobs.load_job(ctx, visit.job_id)
    if job.status not in rules.JOB_OPEN:
        raise rule(FieldReason.JOB_CLOSED, f"{job.number} is {job.status}: its field work is over.", status=job.status)
    if visit.status not in rules.VISIT_OPEN:
        raise rule(FieldReason.VISIT_CLOSED, f"Visit {visit.sequence} is {visit.status}.", status=visit.status)
    if assignment is None or assignment.status not in rules.LIVE_ASSIGNMENT:
        raise rule(FieldReason.NOT_ASSIGNED, f"Visit {visit.sequence} is not assigned to a technician.")
    return Worksite(job, visit, assignment)


async def for_reading(ctx: RequestContext, job_id: uuid.UUID, visit_id: uuid.UUID | None = None) -> jobs.JobRef:
    """A job (and one of its visits) whose field work the caller may read (NOT_FOUND otherwise)."""
    job = await jobs.load_job(ctx, job_id)
    if visit_id is not None:
        visit = await jobs.load_visit(ctx, visit_id)
        if visit.job_id != job.id:
            raise not_found("job visit", visit_id)
        resource = await _resource_of_visit(ctx, visit, await dispatch.assignment_of_visit(ctx, visit.id))
    else:
        users = await dispatch.job_technician_users(ctx, job.id)
        resource = kinds.work(ctx.require_org(), job.id, None, users)
    if ctx.principal is not None:
        await authorize(ctx, "view", resource)
    return job


async def for_correcting(ctx: RequestContext, visit_id: uuid.UUID) -> jobs.JobRef:
    """A visit whose recorded work the caller may correct (dispatchers and managers: FORBIDDEN for others who may
    view it), of a job not invoiced yet (JOB_CLOSED)."""
    await dispatch.hold(ctx)
    visit = await jobs.load_visit(ctx, visit_id)
    assignment = await dispatch.assignment_of_visit(ctx, visit.id)
    await authorize(ctx, "correct", await _resource_of_visit(ctx, visit, assignment))
    job = await jobs.load_job(ctx, visit.job_id)
    if job.status not in rules.CORRECTABLE_JOBS:
        raise rule(FieldReason.JOB_CLOSED, f"{job.number} is {job.status}: its time is invoiced.", status=job.status)
    return job

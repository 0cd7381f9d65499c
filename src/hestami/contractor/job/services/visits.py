"""Visits: the trips a job needs, numbered per job (1, 2, ...), each with an arrival window (or none yet: UNSCHEDULED)
and the time it should take on site. Dispatch assigns technicians to them and moves them on (`api.set_visit_status`);
here they are planned: added to an open job, changed while open, cancelled."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from hestami.contractor.job import kinds, lifecycle, repository
from hestami.contractor.job.errors import JobReason, rule
from hestami.contractor.job.models import JobVisit
from hestami.contractor.job.schemas import AddVisit, UpdateVisit, VisitOut
from hestami.contractor.job.services import jobs
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition

VISIT = "job visit"


def visit_out(visit: JobVisit) -> VisitOut:
    return records.output(VisitOut, visit)


async def load(ctx: RequestContext, visit_id: uuid.UUID, action: str = "view", *, lock: bool = False) -> JobVisit:
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.JOB_VISIT, visit_id, action, lock=lock)


async def add(ctx: RequestContext, data: AddVisit) -> VisitOut:
    """The job's next visit: SCHEDULED with a window, else UNSCHEDULED. The job's row lock numbers visits one at a
    time."""
    job = await jobs.load(ctx, data.job_id, lock=True)
    await records.authorize_new(ctx, kinds.JOB_VISIT, "create")
    jobs.require_open(job, "add a visit to")
    visit = JobVisit(
        **data.model_dump(), sequence=await repository.next_visit_sequence(ctx.session, job.id),
        status="SCHEDULED" if data.window_start is not None else "UNSCHEDULED",
    )  # fmt: skip
    return visit_out(await records.create(ctx, kinds.JOB_VISIT, visit))


def _require_open(visit: JobVisit) -> None:
    if visit.status not in lifecycle.VISIT_OPEN:
        raise rule(JobReason.VISIT_CLOSED, f"Visit {visit.sequence} is {visit.status}.", status=visit.status)


def _status_for_window(visit: JobVisit, start: datetime | None) -> str:
    """SCHEDULED once an unscheduled visit has a window; UNSCHEDULED when the window is taken away (checked against
    the visits' table: a visit under way keeps its window)."""
    if start is not None:
        return "SCHEDULED" if visit.status == "UNSCHEDULED" else visit.status
    if visit.status != "UNSCHEDULED":
        check_transition(VISIT, lifecycle.VISIT_TRANSITIONS, visit.status, "UNSCHEDULED")
    return "UNSCHEDULED"


async def change(ctx: RequestContext, visit: JobVisit, changes: dict[str, Any]) -> JobVisit:
    """Changes a loaded (authorized, locked) visit of an open job; a new window moves its status along."""
    job = await records.find(ctx, kinds.JOB, visit.job_id)
    jobs.require_open(job, "change a visit of")
    _require_open(visit)
    if "window_start" in changes:
        changes["status"] = _status_for_window(visit, changes["window_start"])
    if changes:
        await records.change(ctx, kinds.JOB_VISIT, visit, changes)
    return visit


async def update(ctx: RequestContext, data: UpdateVisit) -> VisitOut:
    visit = await load(ctx, data.id, "update", lock=True)
    changes = records.changes_of(data)
    for required in ("duration_minutes", "pinned"):
        if changes.get(required, True) is None:
            changes.pop(required)
    return visit_out(await change(ctx, visit, changes))


async def cancel(ctx: RequestContext, visit_id: uuid.UUID) -> VisitOut:
    """A visit not done is cancelled (kept on record); a done or cancelled one is INVALID_STATE_TRANSITION."""
    visit = await load(ctx, visit_id, "cancel", lock=True)
    check_transition(VISIT, lifecycle.VISIT_TRANSITIONS, visit.status, "CANCELLED")
    await records.change(ctx, kinds.JOB_VISIT, visit, {"status": "CANCELLED"}, action="cancelled")
    return visit_out(visit)


async def set_status(ctx: RequestContext, visit: JobVisit, status: str) -> JobVisit:
    """Moves a loaded, locked visit along the visits' table (the same status again changes nothing)."""
    if visit.status == status:
        return visit
    check_transition(VISIT, lifecycle.VISIT_TRANSITIONS, visit.status, status)
    if status == "SCHEDULED" and visit.window_start is None:
        raise rule(JobReason.NO_WINDOW, f"Visit {visit.sequence} has no arrival window to be scheduled in.")
    return await records.change(ctx, kinds.JOB_VISIT, visit, {"status": status}, action="status_changed")

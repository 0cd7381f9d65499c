"""The hand-off: an HOA work order assigned to the contractor (a bid accepted, or the provider assigned) becomes the
contractor's job, and the job's progress becomes the work order's, with nothing typed twice.

Work orders are CAM's and jobs the contractor's; each side writes only in its own scope and through the other's
`api`. `job_lifecycle_v1` (`workflows.py`) carries the hand-off: its first step opens the job in the contractor's
organization once the assignment is committed (one job per work order and contractor: a unique index); each later
step mirrors what happened since the last one, read from the job's status history (never from the wake-up that
woke it, so a lost or repeated wake-up changes nothing):

| job moves to | the work order moves to |
|---|---|
| SCHEDULED | SCHEDULED (the first visit's arrival window, else the next hour) |
| IN_PROGRESS | IN_PROGRESS (SCHEDULED first when it is not yet) |
| ON_HOLD | ON_HOLD |
| COMPLETED | COMPLETED |

and the association cancelling the work order cancels the job (its open visits with it); a work order moved on by
another path (the provider or the association moving it directly) brings the job forward to match (`CAUGHT_UP`).
A move the work order's table does not allow from where it is, or one it has made already, is left alone, so a
step that runs again after a crash changes nothing: each move happens once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.job import kinds, lifecycle, repository
from hestami.contractor.job.models import Job
from hestami.contractor.job.services import jobs
from hestami.core import records
from hestami.core.context import RequestContext

CAUGHT_UP = {"SCHEDULED": "SCHEDULED", "IN_PROGRESS": "IN_PROGRESS", "COMPLETED": "COMPLETED", "INVOICED": "COMPLETED",
             "CLOSED": "COMPLETED"}  # fmt: skip
"""Where the job must be at least when the work order moved on by another path (the provider or the association
moved it directly): the job follows, forward only."""
PROGRESS = {"JOB_CREATED": 0, "SCHEDULED": 1, "DISPATCHED": 2, "IN_PROGRESS": 3, "ON_HOLD": 3, "COMPLETED": 4}
"""How far along a job is, for catching up (a job on hold is as far as one in progress)."""
SOURCE_OF = {"REMEDIATION": "VIOLATION", "INSPECTION": "ARC_REQUEST", "INSTALLATION": "ARC_REQUEST"}
"""A job's source by the work order's origin (a work order of its own: WORK_ORDER); `origin_reference` names the
violation or ARC request, else the work order."""
MIRRORED = {"SCHEDULED": "SCHEDULED", "IN_PROGRESS": "IN_PROGRESS", "ON_HOLD": "ON_HOLD", "COMPLETED": "COMPLETED"}
NEEDS_SCHEDULE = frozenset({"IN_PROGRESS", "ON_HOLD", "COMPLETED"})
ENDED = frozenset({"CLOSED", "CANCELLED"})


class AssignmentNotVisibleError(Exception):
    """The work order's assignment to this contractor is not committed yet (the step tries again)."""


async def open_from_work_order(ctx: RequestContext, work_order_id: uuid.UUID, site_postal_code: str | None) -> Job:
    """The contractor's job for the work order assigned to it (ctx: the contractor's organization, as the system):
    the existing one, or a new JOB_CREATED job with the work order's title, description, trade (its category),
    priority, SLA and site. AssignmentNotVisibleError while the assignment is not committed."""
    existing = await repository.job_for_work_order(ctx.session, work_order_id, lock=True)
    if existing is not None:
        return existing
    work = await work_orders.assigned_work(ctx, work_order_id)
    if work is None:
        raise AssignmentNotVisibleError(str(work_order_id))
    job = Job(
        source=SOURCE_OF.get(work.origin_kind or "", "WORK_ORDER"), work_order_id=work.work_order_id,
        hoa_organization_id=work.organization_id, association_id=work.association_id, unit_id=work.unit_id,
        origin_reference=work.origin_reference or work.number,
        title=f"{work.number}: {work.title}", description=work.description, trade=work.category.strip().upper(),
        priority=work.priority, status="JOB_CREATED", zip_code=site_postal_code, sla_due_at=work.sla_due_at,
    )  # fmt: skip
    return await jobs.open_job(ctx, job, f"from the association's work order {work.number}", actor=None)


async def _window(ctx: RequestContext, job: Job) -> tuple[datetime, datetime]:
    for visit in await repository.visits(ctx.session, job.id):
        if visit.window_start is not None and visit.window_end is not None and visit.status != "CANCELLED":
            return visit.window_start, visit.window_end
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return start, start + timedelta(hours=1)


async def _mirror(ctx: RequestContext, job: Job, to_status: str) -> None:
    target = MIRRORED.get(to_status)
    if target is None or job.work_order_id is None:
        return
    note = f"{job.display_number} (the contractor's job) is {to_status}"
    start, end = await _window(ctx, job)
    if target in NEEDS_SCHEDULE:
        await work_orders.follow_provider_progress(
            ctx, job.work_order_id, "SCHEDULED", note, scheduled_start=start, scheduled_end=end
        )
    await work_orders.follow_provider_progress(
        ctx, job.work_order_id, target, note, scheduled_start=start, scheduled_end=end
    )


async def _catch_up(ctx: RequestContext, job: Job, work: work_orders.AssignedWork) -> tuple[Job, str] | None:
    """The job brought forward to where the work order is, when the work order moved on without it (forward only,
    through the job's table, each move recorded as the system's), with its last history row's id (the cursor past
    these moves); None when it is where it should be."""
    target = CAUGHT_UP.get(work.status)
    if target is None or job.status not in PROGRESS or PROGRESS[job.status] >= PROGRESS[target]:
        return None
    for step in lifecycle.path(job.status, target):
        note = f"{work.number} is {work.status} on the association's side"
        job = await jobs.transition(ctx, job, step, note, actor=None)
    return job, str((await repository.history_after(ctx.session, job.id, None))[-1].id)


async def sync(ctx: RequestContext, job_id: uuid.UUID, cursor: str | None) -> dict[str, Any]:
    """Mirrors the job's moves recorded after `cursor` (a history row id) onto the work order, and the work order's
    cancellation onto the job (ctx: the contractor's organization, as the system). Returns the new cursor, the
    statuses and whether the hand-off is over (the job or the work order ended, or the work order is no longer
    this contractor's)."""
    job = await records.find(ctx, kinds.JOB, job_id, lock=True)
    assert job.work_order_id is not None
    work = await work_orders.assigned_work(ctx, job.work_order_id)
    if work is not None and work.status == "CANCELLED" and job.status in lifecycle.OPEN:
        job = await jobs.transition(ctx, job, "CANCELLED", f"{work.number} cancelled by the association", actor=None)
    for change in await repository.history_after(ctx.session, job.id, uuid.UUID(cursor) if cursor else None):
        if work is not None and work.status != "CANCELLED":
            await _mirror(ctx, job, change.to_status)
        cursor = str(change.id)
    if work is not None and (caught_up := await _catch_up(ctx, job, work)) is not None:
        job, cursor = caught_up  # the job followed the work order: nothing to mirror back
    work_status = work.status if work is not None else None
    done = job.status in ENDED or work is None or work_status in ("CLOSED", "CANCELLED")
    return {"cursor": cursor, "job_status": job.status, "work_order_status": work_status, "done": done}

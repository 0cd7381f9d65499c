"""One look at a job's SLA (`dispatchSla_v1`), as the system in the contractor's organization: met (a technician
on site or done, or the job under way or past it), breached (due and not met: the job is marked through the jobs'
api, once), superseded (the job's due time is no longer the one the run watches), or still running."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hestami.contractor.dispatch import repository, rules
from hestami.contractor.job import api as jobs
from hestami.core import runtime
from hestami.core.context import RequestContext

WATCHING, MET, BREACHED, SUPERSEDED = "WATCHING", "MET", "BREACHED", "SUPERSEDED"


async def look(ctx: RequestContext, job_id: uuid.UUID, due_at: datetime, now: datetime) -> str | None:
    """The SLA's state at `now`; None while the job or its due time is not visible (the run starts in the
    transaction that sets them: the step tries again once that has committed)."""
    job = await jobs.committed_job(ctx, job_id)
    if job is None or job.sla_due_at is None:
        return None
    if job.sla_due_at != due_at:
        return SUPERSEDED
    if rules.sla_met(job.status, await repository.statuses_of_job(ctx.session, job_id)):
        return MET
    if now < due_at:
        return WATCHING
    await jobs.mark_sla_breached(ctx, job_id)
    return BREACHED


async def handed_off_due(ctx: RequestContext, job_id: Any) -> datetime | None:
    """The SLA due time of a job the hand-off opened at JOB_CREATED: the work order's (the association's clock),
    else the priority's window from now (set on the job). None for a job past JOB_CREATED."""
    job = await jobs.load_job(ctx, job_id)
    if job.status != rules.SLA_STARTS:
        return None
    if job.sla_due_at is not None:
        return job.sla_due_at
    configured = {p: w.respond_within_minutes for p, w in (await repository.sla_windows(ctx.session)).items()}
    due = datetime.now(UTC) + timedelta(
        seconds=rules.respond_within(job.priority, configured) * runtime.current().settings.dispatch_sla_minute_seconds
    )
    await jobs.set_sla_due(ctx, job_id, due)
    return due

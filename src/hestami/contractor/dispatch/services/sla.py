"""SLA windows: how soon the organization responds to a job of each priority (`setSLAWindow`; the defaults of
`rules.DEFAULT_RESPOND_WITHIN_MINUTES` when none is set). A job's SLA falls due that long after it enters
JOB_CREATED (the first time: a job sent back to JOB_CREATED keeps its due time); its `dispatchSla_v1` run, started
in that transaction, marks the job breached at the due time unless it was met by then. A window changed later
applies to the jobs that enter JOB_CREATED after the change. A "minute" of a window lasts
`DISPATCH_SLA_MINUTE_SECONDS` (60; shorter for tests and demos)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hestami.contractor.dispatch import kinds, repository, rules, workflows
from hestami.contractor.dispatch.models import SlaWindow
from hestami.contractor.dispatch.schemas import SetSLAWindow, SlaWindowOut, SlaWindowsOut
from hestami.contractor.job import api as jobs
from hestami.contractor.profile import api as profile
from hestami.core import records, runtime
from hestami.core.context import RequestContext


def minute_seconds() -> float:
    return runtime.current().settings.dispatch_sla_minute_seconds


async def set_window(ctx: RequestContext, data: SetSLAWindow) -> SlaWindowOut:
    """Sets (or changes) the priority's window; one row per priority (the unique key behind the lock). The windows
    are the organization's settings: the caller may change them or not (FORBIDDEN), whether one is set yet or not."""
    await profile.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.SLA_WINDOW, "update")
    await repository.lock_sla_windows(ctx.session, ctx.require_org())
    existing = await repository.sla_window(ctx.session, data.priority, lock=True)
    if existing is None:
        window = SlaWindow(priority=data.priority, respond_within_minutes=data.respond_within_minutes)
        await records.insert(ctx, kinds.SLA_WINDOW, window)
    else:
        await records.change(ctx, kinds.SLA_WINDOW, existing, {"respond_within_minutes": data.respond_within_minutes})
    return SlaWindowOut(priority=data.priority, respond_within_minutes=data.respond_within_minutes, configured=True)


async def windows(ctx: RequestContext) -> SlaWindowsOut:
    """Every priority's window, the organization's or the default."""
    await profile.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.SLA_WINDOW, "view")
    configured = await repository.sla_windows(ctx.session)
    items = []
    for priority in rules.PRIORITIES:
        found = configured.get(priority)
        minutes = found.respond_within_minutes if found else rules.DEFAULT_RESPOND_WITHIN_MINUTES[priority]
        items.append(SlaWindowOut(priority=priority, respond_within_minutes=minutes, configured=found is not None))
    return SlaWindowsOut(items=items)


async def on_job_moved(ctx: RequestContext, job: Any, from_status: str, to_status: str, note: str | None) -> None:
    """The jobs' `when_transitioned` hook: a job entering JOB_CREATED the first time gets its SLA due time and its
    run; a job responded to (under way or past it) wakes its run, which then ends."""
    if to_status == rules.SLA_STARTS and job.sla_due_at is None:
        configured = {p: w.respond_within_minutes for p, w in (await repository.sla_windows(ctx.session)).items()}
        minutes = rules.respond_within(job.priority, configured)
        due = datetime.now(UTC) + timedelta(seconds=minutes * minute_seconds())
        await jobs.set_sla_due(ctx, job.id, due)
        await workflows.start_sla(job.organization_id, job.id, due)
    elif to_status in rules.RESPONDED:
        job_id = job.id
        ctx.after_commit(lambda: workflows.wake_sla(job_id))

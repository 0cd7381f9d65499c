"""Time on a visit: TRAVEL and WORK entries of the visit's technician. One timer runs per technician (a partial unique
index; writers hold the dispatch lock): starting one closes the running one at that moment (starting work while
travelling ends the travel), unless it is the same timer on the same visit (TIMER_RUNNING). Setting off moves a
SCHEDULED visit and job to DISPATCHED; starting work moves them to IN_PROGRESS and the assignment ON_SITE.
Dispatchers and managers correct entries (audited with their reason)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hestami.contractor.dispatch import api as dispatch
from hestami.contractor.field import kinds, repository, rules
from hestami.contractor.field.errors import FieldReason, rule
from hestami.contractor.field.models import TimeEntry
from hestami.contractor.field.schemas import CorrectTimeEntry, OfJob, TimeEntriesOut, TimeEntryOut
from hestami.contractor.field.services import worksite
from hestami.contractor.field.services.worksite import Worksite
from hestami.contractor.job import api as jobs
from hestami.core import records
from hestami.core.context import RequestContext


def entry_out(entry: TimeEntry) -> TimeEntryOut:
    spent = rules.minutes(entry.started_at, entry.ended_at) if entry.ended_at is not None else None
    return records.output(TimeEntryOut, entry, minutes=spent)


async def close(ctx: RequestContext, entry: TimeEntry, at: datetime) -> TimeEntry:
    """Ends a running entry at `at` (BEFORE_START when `at` is before its start)."""
    if at < entry.started_at:
        message = f"The running {entry.kind.lower()} timer started at {entry.started_at.isoformat()}, after {at}."
        raise rule(FieldReason.BEFORE_START, message, started_at=entry.started_at.isoformat())
    return await records.change(ctx, kinds.TIME_ENTRY, entry, {"ended_at": at}, action="stopped")


async def walk_job(ctx: RequestContext, site: Worksite, walk: dict[str, tuple[str, ...]], note: str) -> jobs.JobRef:
    job = site.job
    for status in walk.get(job.status, ()):
        job = await jobs.transition(ctx, job.id, status, note, actor=ctx.user_id)
    return job


async def walk_visit(ctx: RequestContext, visit: jobs.VisitRef, walk: dict[str, tuple[str, ...]]) -> jobs.VisitRef:
    for status in walk.get(visit.status, ()):
        visit = await jobs.set_visit_status(ctx, visit.id, status)
    return visit


async def start(
    ctx: RequestContext, visit_id: uuid.UUID, kind: str, at: datetime | None, job_id: uuid.UUID | None = None
) -> TimeEntryOut:
    site = await worksite.for_recording(ctx, visit_id, job_id)
    when = at or datetime.now(UTC)
    running = await repository.open_entry(ctx.session, site.assignment.technician_id)
    if running is not None:
        if running.visit_id == site.visit.id and running.kind == kind:
            raise rule(FieldReason.TIMER_RUNNING, f"The {kind.lower()} timer of this visit is running already.",
                       time_entry_id=str(running.id))  # fmt: skip
        await close(ctx, running, when)
    entry = TimeEntry(
        job_id=site.job.id, visit_id=site.visit.id, technician_id=site.assignment.technician_id,
        technician_user_id=site.assignment.technician_user_id, kind=kind, started_at=when, recorded_by=ctx.user_id,
    )  # fmt: skip
    made = await records.insert(ctx, kinds.TIME_ENTRY, entry)
    if kind == "TRAVEL":
        await walk_visit(ctx, site.visit, {"SCHEDULED": ("DISPATCHED",)})
        await walk_job(ctx, site, rules.TRAVEL_WALK, "The technician set off.")
    else:
        await walk_visit(ctx, site.visit, rules.VISIT_WORK_WALK)
        await walk_job(ctx, site, rules.WORK_WALK, "The technician started work.")
        await dispatch.arrive(ctx, site.visit.id, when)
    return entry_out(made)


async def stop(
    ctx: RequestContext, visit_id: uuid.UUID, at: datetime | None, job_id: uuid.UUID | None = None
) -> TimeEntryOut:
    """Stops the timer the visit's technician runs on this visit (NO_TIMER otherwise)."""
    site = await worksite.for_recording(ctx, visit_id, job_id)
    running = await repository.open_entry(ctx.session, site.assignment.technician_id)
    if running is None or running.visit_id != site.visit.id:
        raise rule(FieldReason.NO_TIMER, "No timer of this visit is running.")
    return entry_out(await close(ctx, running, at or datetime.now(UTC)))


async def list_entries(ctx: RequestContext, data: OfJob) -> TimeEntriesOut:
    job = await worksite.for_reading(ctx, data.job_id, data.visit_id)
    found = await repository.entries(ctx.session, job.id, data.visit_id)
    return TimeEntriesOut(items=[entry_out(e) for e in found])


async def correct(ctx: RequestContext, data: CorrectTimeEntry) -> TimeEntryOut:
    """A dispatcher's or manager's correction of an entry's start or end (audited as `field_time_entry.corrected`
    with the reason); a running entry may be given its end."""
    entry = await records.find(ctx, kinds.TIME_ENTRY, data.id, lock=True)
    await worksite.for_correcting(ctx, entry.visit_id)
    changes: dict[str, Any] = {"corrected_by": ctx.user_id, "correction_reason": data.reason}
    started = data.started_at or entry.started_at
    ended = data.ended_at or entry.ended_at
    if ended is not None and ended < started:
        raise rule(FieldReason.BEFORE_START, "The entry would end before it starts.")
    changes.update(started_at=started, ended_at=ended)
    return entry_out(await records.change(ctx, kinds.TIME_ENTRY, entry, changes, action="corrected"))

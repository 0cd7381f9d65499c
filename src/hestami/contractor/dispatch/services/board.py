"""The dispatch board of a day: the active technicians (of a branch, or all) with their live assignments of the day
and the capacity they have left (the day's shifts less time off, less the booked minutes inside them), the day's
open visits no live assignment holds (EMERGENCY first, then by window), and the open jobs with no visit planned
(EMERGENCY first); each with whom its job is for and where (`job.api.job_sites`, read once for the whole board).

The day is read in `DISPATCH_TIME_ZONE`; a technician's shifts in their own zone. A fixed number of queries,
whatever the number of technicians and visits (no query per row)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from hestami.contractor.dispatch import kinds, repository, rules
from hestami.contractor.dispatch.models import DispatchAssignment
from hestami.contractor.dispatch.schemas import (
    BoardAssignment,
    BoardJob,
    BoardOut,
    BoardTechnician,
    BoardVisit,
    GetBoard,
)
from hestami.contractor.dispatch.services.assignments import time_zone
from hestami.contractor.job import api as jobs
from hestami.contractor.profile import api as profile
from hestami.contractor.technician import api as technicians
from hestami.core import records
from hestami.core.context import RequestContext

URGENCY = {"EMERGENCY": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}


def _site(site: jobs.JobSite | None) -> dict[str, Any]:
    if site is None:
        return {}
    return {"customer_name": site.customer_name, "site_address": site.address, "site_postal_code": site.zip_code}


def _assignment(row: DispatchAssignment, visit: jobs.BoardVisit | None, site: jobs.JobSite | None) -> BoardAssignment:
    return BoardAssignment(
        assignment_id=row.id, visit_id=row.visit_id, job_id=row.job_id,
        job_number=visit.job_number if visit else site.number if site else "",
        title=visit.job_title if visit else site.title if site else "",
        priority=visit.priority if visit else "", trade=visit.trade if visit else "",
        zip_code=visit.zip_code if visit else None, window_start=row.window_start, window_end=row.window_end,
        starts_at=row.starts_at, ends_at=row.ends_at, status=row.status, pinned=row.pinned, **_site(site),
    )  # fmt: skip


def _technician(
    worker: technicians.Rostered,
    day: date,
    booked: list[DispatchAssignment],
    visits: dict[uuid.UUID, jobs.BoardVisit],
    sites: dict[uuid.UUID, jobs.JobSite],
) -> BoardTechnician:
    shifts = rules.shift_periods(((s.weekday, s.start, s.end) for s in worker.shifts), day, worker.time_zone)
    off = [(a.starts_at, a.ends_at) for a in worker.time_off]
    shift_minutes, booked_minutes, left = rules.capacity_left(shifts, off, [(a.starts_at, a.ends_at) for a in booked])
    return BoardTechnician(
        technician_id=worker.id, display_name=worker.display_name, branch_id=worker.branch_id,
        shift_minutes=shift_minutes, booked_minutes=booked_minutes, capacity_left_minutes=left,
        assignments=[_assignment(a, visits.get(a.visit_id), sites.get(a.job_id)) for a in booked],
    )  # fmt: skip


def _visit(visit: jobs.BoardVisit, site: jobs.JobSite | None) -> BoardVisit:
    return BoardVisit(
        visit_id=visit.id, job_id=visit.job_id, job_number=visit.job_number, title=visit.job_title,
        priority=visit.priority, trade=visit.trade, zip_code=visit.zip_code, window_start=visit.window_start,
        window_end=visit.window_end, duration_minutes=visit.duration_minutes, sla_due_at=visit.sla_due_at,
        **_site(site),
    )  # fmt: skip


def _job(job: jobs.JobRef, site: jobs.JobSite | None) -> BoardJob:
    return BoardJob(
        job_id=job.id, job_number=job.number, title=job.title, status=job.status, priority=job.priority,
        trade=job.trade, zip_code=job.zip_code, sla_due_at=job.sla_due_at, **_site(site),
    )  # fmt: skip


async def board(ctx: RequestContext, data: GetBoard) -> BoardOut:
    await profile.require_contractor(ctx)
    if data.branch_id is not None:
        await profile.load_branch(ctx, data.branch_id)
    await records.authorize_new(ctx, kinds.ASSIGNMENT, "board")
    zone = time_zone()
    starts, ends = rules.day_bounds(data.date, zone)
    workers = await technicians.roster(ctx, branch_id=data.branch_id, time_off_between=(starts, ends))
    visible = await records.visible(ctx, kinds.ASSIGNMENT)
    ids = [w.id for w in workers]
    booked: dict[uuid.UUID, list[DispatchAssignment]] = defaultdict(list)
    for row in await repository.between(ctx.session, starts, ends, visible, technician_ids=ids):
        booked[row.technician_id].append(row)
    day_visits = await jobs.visits_on(ctx, starts, ends)
    by_id = {v.id: v for v in day_visits}
    held = await repository.of_visits(ctx.session, list(by_id))
    free = [
        v for v in day_visits
        if v.id not in held and (data.branch_id is None or v.branch_id == data.branch_id)
    ]  # fmt: skip
    free.sort(key=lambda v: (URGENCY.get(v.priority, len(URGENCY)), v.window_start or starts, v.job_number))
    waiting = await jobs.open_jobs_without_visits(ctx, data.branch_id)
    shown = [a.job_id for rows in booked.values() for a in rows] + [v.job_id for v in free] + [j.id for j in waiting]
    sites = await jobs.job_sites(ctx, shown)
    return BoardOut(
        date=data.date, time_zone=zone, branch_id=data.branch_id,
        technicians=[_technician(w, data.date, booked[w.id], by_id, sites) for w in workers],
        unassigned_visits=[_visit(v, sites.get(v.job_id)) for v in free],
        unassigned_jobs=[_job(j, sites.get(j.id)) for j in waiting],
    )  # fmt: skip

"""Assignments: a dispatcher assigns a technician to a visit, moves the assignment to another slot or technician,
or cancels it; the technician reports being on the way. Every write holds the organization's dispatch lock and
goes through `booking`'s checks; each new assignment starts its `dispatch_assignment_v1` run (the customer's
notices), and every later change wakes it once committed."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from hestami.contractor.dispatch import kinds, repository, rules, workflows
from hestami.contractor.dispatch.errors import DispatchReason, rule
from hestami.contractor.dispatch.models import DispatchAssignment
from hestami.contractor.dispatch.schemas import (
    AssignmentOut,
    AssignTech,
    ListAssignments,
    MarkEnRoute,
    Reschedule,
    UnassignTech,
)
from hestami.contractor.dispatch.services import booking, progress
from hestami.contractor.job import api as jobs
from hestami.contractor.profile import api as profile
from hestami.contractor.technician import api as technicians
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.pagination import Page

KIND = "dispatch assignment"
UNASSIGNABLE = frozenset({"ASSIGNED", "EN_ROUTE"})


def assignment_out(row: DispatchAssignment) -> AssignmentOut:
    return records.output(AssignmentOut, row)


def time_zone() -> str:
    """The zone dispatch reads a day in (`DISPATCH_TIME_ZONE`)."""
    return runtime.current().settings.dispatch_time_zone


async def begin(ctx: RequestContext) -> None:
    """A contractor on the platform, and the organization's dispatch lock held until the request ends."""
    await profile.require_contractor(ctx)
    await repository.lock_dispatch(ctx.session, ctx.require_org())


async def started(rows: list[DispatchAssignment]) -> None:
    """The new assignments' runs, started once every check has passed, before the request commits (so that no
    crash loses one); a run's first turn waits until its assignment is visible. Idempotent: a run's id is its
    assignment's."""
    for row in rows:
        await workflows.start_assignment(row.organization_id, row.id)


def woken(ctx: RequestContext, row: DispatchAssignment) -> None:
    ctx.after_commit(lambda: workflows.wake_assignment(row.id))


async def assign(ctx: RequestContext, data: AssignTech) -> AssignmentOut:
    await begin(ctx)
    found = await booking.target(ctx, data.visit_id)
    worker = await booking.technician(ctx, data.technician_id)
    await records.authorize_new(ctx, kinds.ASSIGNMENT, "create")
    slot = booking.slot_of(found.visit, data.starts_at, data.ends_at)
    made = await booking.book(ctx, found, worker, slot, pinned=data.pinned, reason=data.reason)
    await started([made])
    return assignment_out(made)


async def load(ctx: RequestContext, assignment_id: uuid.UUID, action: str = "view") -> DispatchAssignment:
    """An assignment the caller may `action`, locked (NOT_FOUND unless the caller may view it)."""
    return await records.load(ctx, kinds.ASSIGNMENT, assignment_id, action, lock=True)


async def reschedule(ctx: RequestContext, data: Reschedule) -> AssignmentOut:
    """Another slot (and technician) for an ASSIGNED assignment, after the same checks as a new one; one whose
    technician is on the way or on site is ASSIGNMENT_CLOSED (unassign it, then assign again)."""
    await begin(ctx)
    assignment = await load(ctx, data.assignment_id, "reschedule")
    worker = await booking.technician(ctx, data.technician_id or assignment.technician_id)
    if assignment.status not in rules.RESCHEDULABLE:
        message = f"The assignment is {assignment.status}: only an ASSIGNED one moves."
        raise rule(DispatchReason.ASSIGNMENT_CLOSED, message, status=assignment.status)
    found = await booking.target(ctx, assignment.visit_id)
    slot = booking.slot_of(found.visit, data.starts_at, data.ends_at)
    moved = await booking.move(ctx, assignment, found, worker, slot, reason=data.reason)
    woken(ctx, moved)
    return assignment_out(moved)


async def unassign(ctx: RequestContext, data: UnassignTech) -> AssignmentOut:
    """Cancels an ASSIGNED or EN_ROUTE assignment (INVALID_STATE_TRANSITION otherwise)."""
    await begin(ctx)
    assignment = await load(ctx, data.assignment_id, "unassign")
    if assignment.status not in UNASSIGNABLE:
        check_transition(KIND, {s: frozenset({"CANCELLED"}) for s in UNASSIGNABLE}, assignment.status, "CANCELLED")
    await booking.release(ctx, assignment, data.reason, action="unassigned")
    woken(ctx, assignment)
    return assignment_out(assignment)


async def mark_en_route(ctx: RequestContext, data: MarkEnRoute) -> AssignmentOut:
    """The technician is on the way (their own assignment, or a dispatcher for them): EN_ROUTE, the visit and the
    job DISPATCHED; the customer hears it once (the assignment's run)."""
    await begin(ctx)
    assignment = await load(ctx, data.assignment_id, "mark_en_route")
    check_transition(KIND, rules.TRANSITIONS, assignment.status, "EN_ROUTE")
    changes = {"status": "EN_ROUTE", "en_route_at": datetime.now(UTC)}
    await records.change(ctx, kinds.ASSIGNMENT, assignment, changes, action="en_route")
    job = await jobs.load_job(ctx, assignment.job_id)
    if job.status == "SCHEDULED":
        await jobs.transition(ctx, job.id, "DISPATCHED", "The technician is on the way.", actor=ctx.user_id)
    await jobs.set_visit_status(ctx, assignment.visit_id, "DISPATCHED")
    woken(ctx, assignment)
    return assignment_out(assignment)


async def get(ctx: RequestContext, assignment_id: uuid.UUID) -> AssignmentOut:
    await profile.require_contractor(ctx)
    return assignment_out(await records.load(ctx, kinds.ASSIGNMENT, assignment_id))


async def list_assignments(ctx: RequestContext, data: ListAssignments) -> Page[AssignmentOut]:
    """A page of the assignments the caller may view (a technician: their own), oldest first."""
    await profile.require_contractor(ctx)
    model = DispatchAssignment
    filters = [
        column == value
        for column, value in (
            (model.technician_id, data.technician_id),
            (model.job_id, data.job_id),
            (model.status, data.status),
        )
        if value is not None
    ]
    if data.date is not None:
        starts, ends = rules.day_bounds(data.date, time_zone())
        filters += [model.starts_at >= starts, model.starts_at < ends]
    rows, cursor = await records.page(ctx, kinds.ASSIGNMENT, data, *filters)
    return Page[AssignmentOut](items=[assignment_out(r) for r in rows], next_cursor=cursor)


async def technician_users(ctx: RequestContext, job_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Who works each job, for the jobs' policies (`job.api.register_technician_users`): the technicians of its
    assignments that are not cancelled."""
    return await repository.technician_users_of_jobs(ctx.session, job_ids)


async def on_job_moved(ctx: RequestContext, job: Any, from_status: str, to_status: str, note: str | None) -> None:
    """The jobs' `when_transitioned` hook: the job's live assignments' runs wake once the move has committed, and
    follow it (on site, completed, cancelled)."""
    for assignment_id in await progress.live_of_job(ctx, job.id):
        ctx.after_commit(functools.partial(workflows.wake_assignment, assignment_id))


async def job_facts(ctx: RequestContext, technician_id: uuid.UUID) -> list[technicians.JobFact]:
    """What a technician's KPIs read (`technician.api.register_job_facts`): one fact per job they were assigned to
    (not cancelled): completed when one of their assignments on it is; the visits the job took (its assignments);
    the minutes on site of their completed assignments (on site to finished; None when not recorded)."""
    mine = await repository.worked_by(ctx.session, technician_id)
    visits = await repository.visits_per_job(ctx.session, list({a.job_id for a in mine}))
    by_job: dict[uuid.UUID, list[DispatchAssignment]] = {}
    for row in mine:
        by_job.setdefault(row.job_id, []).append(row)
    return [_fact(rows, visits.get(job_id, len(rows))) for job_id, rows in by_job.items()]


def _fact(rows: list[DispatchAssignment], visits: int) -> technicians.JobFact:
    done = [r for r in rows if r.status == "COMPLETED"]
    timed = [rules.minutes_between(r.on_site_at, r.finished_at) for r in done if r.on_site_at and r.finished_at]
    return technicians.JobFact(completed=bool(done), visits=visits, minutes_worked=sum(timed) if timed else None)

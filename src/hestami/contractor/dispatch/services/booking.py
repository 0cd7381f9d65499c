"""The checks every assignment goes through, whoever makes it (a dispatcher's `assignTech` or `reschedule`, an
applied route plan, a sick call's reassignment), and the writes that follow them.

In order: the visit and its job are open and the visit has no other live assignment; the slot lies inside the
visit's arrival window plus its duration (a visit without a window takes the slot as its window); the technician is
eligible (`technician.api.eligibility`: skill in the job's trade, the job's zip code in their territory, inside a
shift, no time off, certifications current, the contractor compliant), else NOT_ELIGIBLE with every reason; the
technician has no other live slot overlapping it, else DOUBLE_BOOKED naming that assignment. The caller holds the
organization's dispatch lock (`repository.lock_dispatch`), so the reads see every assignment committed before; the
exclusion constraint and the unique index answer the same for any path that does not (mapped to the same errors).

Locks are taken in one order: the dispatch lock, an assignment row, the job row (a move), the visit row.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from hestami.contractor.dispatch import kinds, repository, rules
from hestami.contractor.dispatch.errors import DispatchReason, rule
from hestami.contractor.dispatch.models import DispatchAssignment
from hestami.contractor.job import api as jobs
from hestami.contractor.technician import api as technicians
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

T = TypeVar("T")
Besides = frozenset[uuid.UUID]
ASSIGNABLE_VISITS = frozenset({"UNSCHEDULED", "SCHEDULED"})
CLOSED_JOBS = frozenset({"COMPLETED", "INVOICED", "PAID", "WARRANTY", "CLOSED", "CANCELLED"})
TECHNICIAN = "technician"


@dataclass(frozen=True, slots=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Target:
    """An open visit of an open job, read for an assignment."""

    visit: jobs.VisitRef
    job: jobs.JobRef


async def target(ctx: RequestContext, visit_id: uuid.UUID) -> Target:
    """The visit and its job (NOT_FOUND unless the caller may view the visit)."""
    visit = await jobs.load_visit(ctx, visit_id)
    return Target(visit, await jobs.load_job(ctx, visit.job_id))


async def technician(ctx: RequestContext, technician_id: uuid.UUID) -> technicians.Rostered:
    """One of the organization's technicians the caller may view, active or not (NOT_FOUND otherwise)."""
    found = await technicians.roster(ctx, technician_ids=[technician_id], active_only=False)
    if not found:
        raise not_found(TECHNICIAN, technician_id)
    return found[0]


def slot_of(visit: jobs.VisitRef, starts_at: datetime, ends_at: datetime | None) -> Slot:
    return Slot(starts_at, ends_at or rules.default_end(starts_at, visit.duration_minutes))


def check_open(found: Target) -> None:
    job, visit = found.job, found.visit
    if job.status in CLOSED_JOBS:
        raise rule(DispatchReason.JOB_CLOSED, f"{job.number} is {job.status}.", status=job.status)
    if visit.status not in ASSIGNABLE_VISITS:
        message = f"Visit {visit.sequence} of {job.number} is {visit.status}."
        raise rule(DispatchReason.VISIT_CLOSED, message, status=visit.status)


async def check_visit_free(ctx: RequestContext, visit: jobs.VisitRef, besides: Besides = frozenset()) -> None:
    held = await repository.of_visit(ctx.session, visit.id)
    if held is not None and held.id not in besides:
        message = f"Visit {visit.sequence} is assigned already; reschedule or unassign that assignment."
        raise rule(DispatchReason.VISIT_ASSIGNED, message, assignment_id=str(held.id))


def check_window(visit: jobs.VisitRef, slot: Slot) -> None:
    """The slot lies inside the visit's arrival window plus its duration (a visit without one: anywhere)."""
    if visit.window_start is None or visit.window_end is None:
        return
    window = rules.Window(visit.window_start, visit.window_end)
    if not rules.within_window(window, visit.duration_minutes, slot.starts_at, slot.ends_at):
        latest_end = rules.default_end(window.end, visit.duration_minutes)
        raise rule(
            DispatchReason.OUTSIDE_WINDOW,
            "The slot must start inside the visit's arrival window and end by its end plus the visit's duration.",
            window_start=window.start.isoformat(), window_end=window.end.isoformat(),
            latest_end=latest_end.isoformat(),
        )  # fmt: skip


async def check_eligible(ctx: RequestContext, job: jobs.JobRef, technician_id: uuid.UUID, slot: Slot) -> None:
    """NOT_ELIGIBLE with every reason (`details.reasons`: code, message, details) unless the technician may take
    the job in the slot."""
    if not job.zip_code:
        raise rule(DispatchReason.NO_ZIP_CODE, f"{job.number} has no zip code to check the territory against.")
    found = await technicians.eligibility(ctx, technician_id, job.trade, job.zip_code, slot.starts_at, slot.ends_at)
    if not found.eligible:
        reasons = [{"code": r.code, "message": r.message, "details": r.details} for r in found.reasons]
        message = "The technician may not take this visit: " + "; ".join(r.message for r in found.reasons)
        raise rule(DispatchReason.NOT_ELIGIBLE, message, technician_id=str(technician_id), reasons=reasons)


def _double_booked(existing: DispatchAssignment | None) -> Exception:
    conflicting = None
    if existing is not None:
        conflicting = {
            "id": str(existing.id), "visit_id": str(existing.visit_id), "job_id": str(existing.job_id),
            "starts_at": existing.starts_at.isoformat(), "ends_at": existing.ends_at.isoformat(),
            "status": existing.status,
        }  # fmt: skip
    message = "The technician has another assignment then."
    return rule(DispatchReason.DOUBLE_BOOKED, message, conflicting_assignment=conflicting)


async def check_free(ctx: RequestContext, technician_id: uuid.UUID, slot: Slot, besides: Besides = frozenset()) -> None:
    existing = await repository.clash(ctx.session, technician_id, slot.starts_at, slot.ends_at, besides=besides)
    if existing is not None:
        raise _double_booked(existing)


async def guarded(ctx: RequestContext, write: Callable[[], Awaitable[T]], technician_id: uuid.UUID, slot: Slot) -> T:
    """The write, with the database's guards answered like the checks before it (a path without the lock)."""
    try:
        async with ctx.session.begin_nested():
            return await write()
    except IntegrityError as exc:
        if repository.NO_DOUBLE_BOOKING in str(exc.orig):
            clash = await repository.clash(ctx.session, technician_id, slot.starts_at, slot.ends_at)
            raise _double_booked(clash) from None
        if repository.ONE_PER_VISIT in str(exc.orig):
            raise rule(DispatchReason.VISIT_ASSIGNED, "The visit is assigned already.") from None
        raise


async def check_all(
    ctx: RequestContext, found: Target, technician_id: uuid.UUID, slot: Slot, besides: Besides = frozenset()
) -> None:
    """Every check of an assignment, in the module's order; `besides`: assignments set aside (the one being moved,
    or every assignment a route plan moves)."""
    check_open(found)
    await check_visit_free(ctx, found.visit, besides)
    check_window(found.visit, slot)
    await check_eligible(ctx, found.job, technician_id, slot)
    await check_free(ctx, technician_id, slot, besides)


async def book(
    ctx: RequestContext,
    found: Target,
    worker: technicians.Rostered,
    slot: Slot,
    *,
    pinned: bool = False,
    reason: str | None = None,
) -> DispatchAssignment:
    """A new assignment after every check (the caller holds the dispatch lock)."""
    await check_all(ctx, found, worker.id, slot)
    return await guarded(
        ctx, lambda: write_new(ctx, found, worker, slot, pinned=pinned, reason=reason), worker.id, slot
    )


async def write_new(
    ctx: RequestContext,
    found: Target,
    worker: technicians.Rostered,
    slot: Slot,
    *,
    pinned: bool = False,
    reason: str | None = None,
    route_plan_id: uuid.UUID | None = None,
) -> DispatchAssignment:
    """Writes a checked assignment; the job moves to SCHEDULED (from JOB_CREATED) and the visit to SCHEDULED
    (taking the slot as its window when it has none)."""
    visit = found.visit
    follows = visit.window_start is None or visit.window_end is None
    row = DispatchAssignment(
        job_id=found.job.id, visit_id=visit.id, technician_id=worker.id, technician_user_id=worker.user_id,
        starts_at=slot.starts_at.astimezone(UTC), ends_at=slot.ends_at.astimezone(UTC),
        window_start=(slot.starts_at if follows else visit.window_start),
        window_end=(slot.ends_at if follows else visit.window_end), window_from_slot=follows,
        status="ASSIGNED", pinned=pinned, assigned_by=ctx.user_id, reason=reason, route_plan_id=route_plan_id,
    )  # fmt: skip
    made = await records.create(ctx, kinds.ASSIGNMENT, row)
    if (await jobs.load_job(ctx, found.job.id)).status == "JOB_CREATED":  # read again: a plan books a job twice
        await jobs.transition(ctx, found.job.id, "SCHEDULED", "A technician is assigned.", actor=ctx.user_id)
    if follows:
        await jobs.set_visit_window(ctx, visit.id, slot.starts_at, slot.ends_at)
    await jobs.set_visit_status(ctx, visit.id, "SCHEDULED")
    return made


def as_checked(assignment: DispatchAssignment, found: Target) -> Target:
    """What a move is checked against: a visit whose window came from the slot has no window of its own."""
    return Target(_windowless(found.visit), found.job) if assignment.window_from_slot else found


async def move(
    ctx: RequestContext,
    assignment: DispatchAssignment,
    found: Target,
    worker: technicians.Rostered,
    slot: Slot,
    *,
    reason: str | None = None,
) -> DispatchAssignment:
    """The assignment (locked, ASSIGNED) moved to another slot or technician after the same checks as a new one
    (itself set aside)."""
    await check_all(ctx, as_checked(assignment, found), worker.id, slot, besides=frozenset({assignment.id}))
    write = lambda: write_move(ctx, assignment, found, worker, slot, reason=reason)  # noqa: E731
    return await guarded(ctx, write, worker.id, slot)


async def write_move(
    ctx: RequestContext,
    assignment: DispatchAssignment,
    found: Target,
    worker: technicians.Rostered,
    slot: Slot,
    *,
    reason: str | None = None,
    route_plan_id: uuid.UUID | None = None,
) -> DispatchAssignment:
    """Writes a checked move; a visit whose window came from the slot takes the new slot as its window."""
    follows = assignment.window_from_slot
    changes: dict[str, object] = {
        "technician_id": worker.id, "technician_user_id": worker.user_id,
        "starts_at": slot.starts_at.astimezone(UTC), "ends_at": slot.ends_at.astimezone(UTC),
        "reason": reason if reason is not None else assignment.reason, "route_plan_id": route_plan_id,
    }  # fmt: skip
    if follows:
        changes["window_start"], changes["window_end"] = changes["starts_at"], changes["ends_at"]
    moved = await records.change(ctx, kinds.ASSIGNMENT, assignment, changes, action="rescheduled")
    if follows:
        await jobs.set_visit_window(ctx, found.visit.id, slot.starts_at, slot.ends_at)
    return moved


def _windowless(visit: jobs.VisitRef) -> jobs.VisitRef:
    return jobs.VisitRef(
        id=visit.id, job_id=visit.job_id, status=visit.status, window_start=None, window_end=None,
        duration_minutes=visit.duration_minutes, pinned=visit.pinned, sequence=visit.sequence,
    )  # fmt: skip


async def release(ctx: RequestContext, assignment: DispatchAssignment, reason: str, *, action: str) -> None:
    """Cancels a locked live assignment: the job goes back (DISPATCHED → SCHEDULED → JOB_CREATED) when no other
    live assignment holds it, and the visit back to UNSCHEDULED (losing the window it took from the slot)."""
    follows = assignment.window_from_slot
    changes = {"status": "CANCELLED", "reason": reason, "finished_at": datetime.now(UTC)}
    await records.change(ctx, kinds.ASSIGNMENT, assignment, changes, action=action)
    others = [a for a in await repository.live_of_job(ctx.session, assignment.job_id) if a.id != assignment.id]
    job = await jobs.load_job(ctx, assignment.job_id)
    if not others:
        note = f"Unassigned: {reason}"
        for current, back in (("DISPATCHED", "SCHEDULED"), ("SCHEDULED", "JOB_CREATED")):
            if job.status == current:
                job = await jobs.transition(ctx, job.id, back, note, actor=ctx.user_id)
    visit = await jobs.load_visit(ctx, assignment.visit_id)
    if visit.status == "DISPATCHED":
        visit = await jobs.set_visit_status(ctx, visit.id, "SCHEDULED")
    if visit.status not in ASSIGNABLE_VISITS:
        return
    if follows:
        await jobs.set_visit_window(ctx, visit.id, None, None)
    else:
        await jobs.set_visit_status(ctx, visit.id, "UNSCHEDULED")

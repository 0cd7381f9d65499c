"""The demo's dispatch day (`demo_data.py`): Evergreen's dispatcher assigns the day's visits through dispatch's own
service (every check of `assignTech`): first a visit for each of the first two Sunset Ridge HOA work orders assigned
to Evergreen and still open (their jobs are the hand-off's, `job_lifecycle_v1`, which the seeder waits for, bounded,
since the workflow opens them asynchronously), then the job demo's visits of the day, then the homeowners' calls
opened as jobs, until the day has 25 assigned visits. Each visit goes to the least booked technician with the trade
and the territory, at the earliest half hour of its window that the technician's shift and day allow; a pair the
checks refuse is skipped. A work order's job that is scheduled moves its work order to SCHEDULED (the hand-off), so
Sunset Ridge's manager sees the day too. Runs after the work orders (order 40) and the jobs (order 47); not again
once Evergreen has an assignment."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from hestami.cam.work_order import api as work_orders
from hestami.contractor.dispatch import repository, rules
from hestami.contractor.dispatch.demo_data import (
    CALLS,
    CUSTOMERS,
    DAY_VISITS,
    DISPATCHER,
    EVERGREEN,
    HANDOFF_WAIT_SECONDS,
    HOA,
    HOA_VISITS,
    OPEN_WORK_ORDER,
    ZONE,
    demo_day,
)
from hestami.contractor.dispatch.schemas import AssignTech
from hestami.contractor.dispatch.services import assignments
from hestami.contractor.job import api as jobs
from hestami.contractor.job import procedures as job_procedures
from hestami.contractor.job.lifecycle import VISIT_OPEN
from hestami.contractor.job.schemas import AddVisit, ById, CreateCustomer, CreateJob, JobOut, ListJobs, TransitionJob
from hestami.contractor.profile import api as profile
from hestami.contractor.technician import api as technicians
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast

STEP = timedelta(minutes=30)
ANOTHER_TECHNICIAN = frozenset({"NO_SKILL", "OUT_OF_TERRITORY", "CERTIFICATION_EXPIRED", "INACTIVE"})
"""Eligibility reasons no other slot cures: the next technician is tried."""


@dataclass(frozen=True)
class Stop:
    visit_id: uuid.UUID
    trade: str
    zip_code: str | None
    window_start: datetime
    window_end: datetime
    minutes: int


@dataclass
class Planner:
    """Places visits on the day, keeping each technician's booked slots to try free ones first."""

    ctx: RequestContext
    workers: list[technicians.Rostered]
    booked: dict[uuid.UUID, list[tuple[datetime, datetime]]] = field(default_factory=dict)

    def candidates(self, stop: Stop) -> list[technicians.Rostered]:
        able = [w for w in self.workers if stop.trade in w.trades and stop.zip_code in w.territory_zip_codes]
        return sorted(able, key=lambda w: (sum(rules.minutes_between(*s) for s in self.booked.get(w.id, [])), w.id))

    def starts(self, stop: Stop, worker: technicians.Rostered) -> list[datetime]:
        found, moment = [], stop.window_start
        while moment <= stop.window_end:
            ends = moment + timedelta(minutes=stop.minutes)
            if not any(rules.overlaps(moment, ends, *slot) for slot in self.booked.get(worker.id, [])):
                found.append(moment)
            moment += STEP
        return found

    async def place(self, stop: Stop) -> str | None:
        """The technician's name the visit went to, or None when no pair passed the checks."""
        for worker in self.candidates(stop):
            for starts in self.starts(stop, worker):
                try:
                    async with self.ctx.session.begin_nested():
                        body = AssignTech(visit_id=stop.visit_id, technician_id=worker.id, starts_at=starts)
                        made = await assignments.assign(self.ctx, body)
                except HestamiError as refused:
                    codes = {r["code"] for r in (refused.details or {}).get("reasons", [])}
                    if codes & ANOTHER_TECHNICIAN:
                        break
                    continue
                self.booked.setdefault(worker.id, []).append((made.starts_at, made.ends_at))
                return worker.display_name
        return None


async def _hoa_work_orders(cast: DemoCast) -> list[uuid.UUID]:
    """Sunset Ridge's work orders assigned to Evergreen and still open (ASSIGNED or SCHEDULED), by number, as
    Evergreen sees its work (`workOrder/v1/listForProvider`'s rows); none without the association's organization."""
    hoa = cast.orgs.get(HOA)
    async with cast.acting(DISPATCHER, EVERGREEN) as ctx:
        work = await work_orders.provider_work(ctx)
    return [w.work_order_id for w in work if w.organization_id == hoa and w.assigned and w.status in OPEN_WORK_ORDER]


async def _handed_off(cast: DemoCast, work_order_ids: list[uuid.UUID]) -> list[JobOut]:
    """The jobs the hand-off opened for the work orders, in their order. `job_lifecycle_v1` opens them after the
    work-order seeder's commits, asynchronously: this waits for them up to HANDOFF_WAIT_SECONDS and leaves out any
    not open by then (each poll its own transaction, so it sees the workflow's commits)."""
    deadline = time.monotonic() + HANDOFF_WAIT_SECONDS
    while True:
        async with cast.acting(DISPATCHER, EVERGREEN) as ctx:
            pages = [await job_procedures.list_jobs(ctx, ListJobs(work_order_id=w, limit=1)) for w in work_order_ids]
        found = [page.items[0] for page in pages if page.items]
        if len(found) == len(work_order_ids) or time.monotonic() >= deadline:
            return found
        await asyncio.sleep(0.25)


async def _hoa_visits(ctx: RequestContext, day: date, handed_off: list[JobOut]) -> list[Stop]:
    """A visit on the day (HOA_VISITS: its window and minutes, in turn) for each of the first jobs of a work order
    (source WORK_ORDER, not a violation's or an ARC request's) that are still open without an open visit."""
    stops: list[Stop] = []
    for job in handed_off:
        if len(stops) == len(HOA_VISITS):
            break
        detail = await job_procedures.get_job(ctx, ById(id=job.id))
        if detail.source != "WORK_ORDER" or detail.status not in jobs.NEEDS_A_VISIT:
            continue
        if any(v.status in VISIT_OPEN for v in detail.visits):
            continue
        (opens, closes), minutes = HOA_VISITS[len(stops)]
        starts, ends = datetime.combine(day, opens, tzinfo=ZONE), datetime.combine(day, closes, tzinfo=ZONE)
        visit = await job_procedures.add_visit(ctx, AddVisit(
            job_id=job.id, window_start=starts, window_end=ends, duration_minutes=minutes,
        ))  # fmt: skip
        stops.append(Stop(visit.id, detail.trade, detail.zip_code, starts, ends, minutes))
    return stops


async def _open_calls(ctx: RequestContext, day: date, count: int) -> list[Stop]:
    """The first `count` calls as jobs (JOB_CREATED) of new customers, each with a visit on the day."""
    customer_ids = [
        (await job_procedures.create_customer(ctx, CreateCustomer(name=n, email=e, phone=p, address=a, zip_code=z))).id
        for n, e, p, a, z in CUSTOMERS
    ]  # fmt: skip
    stops = []
    for call in CALLS[:count]:
        branch = await profile.branch_named(ctx, call.branch)
        job = await job_procedures.create_job(ctx, CreateJob(
            customer_id=customer_ids[call.customer], title=call.title, trade=call.trade, priority=call.priority,
            branch_id=branch.id if branch else None,
        ))  # fmt: skip
        await job_procedures.transition_job(ctx, TransitionJob(id=job.id, to="JOB_CREATED"))
        starts = datetime.combine(day, call.window[0], tzinfo=ZONE)
        ends = datetime.combine(day, call.window[1], tzinfo=ZONE)
        visit = await job_procedures.add_visit(ctx, AddVisit(
            job_id=job.id, window_start=starts, window_end=ends, duration_minutes=call.minutes,
        ))  # fmt: skip
        stops.append(Stop(visit.id, call.trade, job.zip_code, starts, ends, call.minutes))
    return stops


async def _day_visits(ctx: RequestContext, day: date) -> list[Stop]:
    """The job demo's open visits on the day that nobody holds and that can still be assigned."""
    starts, ends = rules.day_bounds(day, assignments.time_zone())
    found = await jobs.visits_on(ctx, starts, ends)
    held = await repository.of_visits(ctx.session, [v.id for v in found])
    return [
        Stop(v.id, v.trade, v.zip_code, v.window_start, v.window_end, v.duration_minutes)
        for v in found
        if v.id not in held and v.status in {"UNSCHEDULED", "SCHEDULED"} and v.window_start and v.window_end
    ]


@dataclass(frozen=True)
class DayOut:
    """Whom each visit tried went to (None: no technician passed the checks), by where the visit came from."""

    from_work_orders: list[str | None]
    from_jobs: list[str | None]
    from_calls: list[str | None]

    def line(self, day: date) -> str:
        tried = (*self.from_work_orders, *self.from_jobs, *self.from_calls)
        assigned = _placed(tried)
        return (
            f"demo dispatch (Evergreen Plumbing & HVAC): {day.isoformat()}, {assigned} visits assigned "
            f"({_placed(self.from_work_orders)} of Sunset Ridge's work orders, {_placed(self.from_jobs)} of the job "
            f"demo's), {len(tried) - assigned} left for the dispatcher"
        )


def _placed(names: Sequence[str | None]) -> int:
    return sum(1 for name in names if name)


async def _dispatch_day(ctx: RequestContext, day: date, handed_off: list[JobOut]) -> DayOut:
    """The day's visits placed in order (the work orders', the job demo's, then as many calls as make DAY_VISITS)."""
    starts, ends = rules.day_bounds(day, assignments.time_zone())
    planner = Planner(ctx, await technicians.roster(ctx, time_off_between=(starts, ends)))
    day_stops = await _day_visits(ctx, day)  # read before the work orders' visits are added: each is tried once
    from_work_orders = [await planner.place(stop) for stop in await _hoa_visits(ctx, day, handed_off)]
    from_jobs = [await planner.place(stop) for stop in day_stops]
    missing = DAY_VISITS - _placed(from_work_orders) - _placed(from_jobs)
    from_calls = [await planner.place(stop) for stop in await _open_calls(ctx, day, missing)]
    return DayOut(from_work_orders, from_jobs, from_calls)


@demo_seed("dispatch", order=48)
async def seed_dispatch(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["demo dispatch: skipped, the demo admin does not exist"]
    if EVERGREEN not in cast.orgs or not await cast.member(DISPATCHER, EVERGREEN):
        return [f"demo dispatch: skipped, {EVERGREEN} or its dispatcher is missing"]
    day = demo_day(datetime.now(ZONE).date())
    async with cast.acting(DISPATCHER, EVERGREEN) as ctx:
        try:
            await profile.require_contractor(ctx)
        except HestamiError:
            return ["demo dispatch: skipped, Evergreen Plumbing & HVAC has no contractor profile"]
        if await repository.any_assignment(ctx.session):
            return ["demo dispatch (Evergreen Plumbing & HVAC): already loaded"]
    orders = await _hoa_work_orders(cast)
    handed_off = await _handed_off(cast, orders)
    async with cast.acting(DISPATCHER, EVERGREEN) as ctx:
        out = await _dispatch_day(ctx, day, handed_off)
    lines = [out.line(day)]
    if len(handed_off) < len(orders):
        lines.append(
            f"  {len(orders) - len(handed_off)} of Sunset Ridge's work orders had no job after "
            f"{HANDOFF_WAIT_SECONDS:.0f}s (the hand-off had not opened it yet): not on the day"
        )
    return lines

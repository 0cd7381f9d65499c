"""Route optimization: the day's plan for review (`optimizeRoute`), then applied through the same checks as a
dispatcher's assignments, all or nothing (`applyRoute`), or discarded.

The problem is built from the records: the day (in `DISPATCH_TIME_ZONE`) is minutes from its local midnight. Each
active technician asked for (default: all) starts and ends at home (their home zip code's centroid, else their
territory's first locatable zip code; neither: left out) and works inside one shift of the day less its time off
(the longest free part of any shift; shifts are not merged, so every stop fits one shift as eligibility wants);
their skills and territory are hard constraints. The visits are the day's open visits whose arrival window overlaps
the day, with their job's trade and zip code; those held by a technician left out of the problem are left alone; a
visit whose assignment is pinned (or the visit pinned), or whose technician is on the way or on site, keeps its
technician and start. A visit without a locatable zip code is reported unassigned (UNLOCATED). `routing.solve`
runs in `routeOptimization_v1`'s step; `routing.check` verifies every plan before it is stored.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import structlog

from hestami.contractor.dispatch import kinds, repository, routing, rules, travel, workflows
from hestami.contractor.dispatch.errors import DispatchReason, rule
from hestami.contractor.dispatch.models import DispatchAssignment, RoutePlan
from hestami.contractor.dispatch.schemas import ByPlan, OptimizeRoute, RoutePlanOut
from hestami.contractor.dispatch.services import assignments, booking
from hestami.contractor.job import api as jobs
from hestami.contractor.profile import api as profile
from hestami.contractor.technician import api as technicians
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.ids import new_id

log = structlog.get_logger("hestami.dispatch.routes")
UNDER_WAY = frozenset({"EN_ROUTE", "ON_SITE"})
LAST_MINUTE = 2 * 24 * 60


@dataclass
class Built:
    problem: routing.Problem
    day_start: datetime
    technician_ids: list[uuid.UUID]
    left_out: list[dict[str, Any]] = field(default_factory=list)


def _minute(moment: datetime, day_start: datetime, *, up: bool = False) -> int:
    exact = (moment - day_start).total_seconds() / 60
    return min(LAST_MINUTE, max(0, math.ceil(exact) if up else math.floor(exact)))


def _home(worker: technicians.Rostered) -> travel.Point | None:
    for zip_code in [worker.home_zip_code or "", *sorted(worker.territory_zip_codes)]:
        point = travel.locate(zip_code) if zip_code else None
        if point is not None:
            return point
    return None


def _working_time(worker: technicians.Rostered, day: date) -> tuple[datetime, datetime] | None:
    """The longest part of one of the day's shifts without time off."""
    off = [(a.starts_at, a.ends_at) for a in worker.time_off]
    shifts = rules.shift_periods(((s.weekday, s.start, s.end) for s in worker.shifts), day, worker.time_zone)
    free = [part for start, end in shifts for part in rules.gaps(start, end, off)]
    return max(free, key=lambda p: (p[1] - p[0], -p[0].timestamp()), default=None)


def _technician(worker: technicians.Rostered, day: date, day_start: datetime) -> routing.Technician | None:
    home, working = _home(worker), _working_time(worker, day)
    if home is None or working is None:
        return None
    start, end = _minute(working[0], day_start, up=True), _minute(working[1], day_start)
    if end <= start:
        return None
    return routing.Technician(
        id=worker.id, start=home, shift_start_minute=start, shift_end_minute=end, skills=worker.trades,
        zip_codes=worker.territory_zip_codes,
    )  # fmt: skip


def _visit(visit: jobs.BoardVisit, held: DispatchAssignment | None, day_start: datetime) -> routing.Visit | str:
    """The visit as the solver sees it, or why it cannot be placed."""
    point = travel.locate(visit.zip_code) if visit.zip_code else None
    if point is None or visit.zip_code is None or visit.window_start is None or visit.window_end is None:
        return f"{visit.job_number} has no zip code the travel estimate can place"
    pinned = held is not None and (held.pinned or visit.pinned or held.status in UNDER_WAY)
    return routing.Visit(
        id=visit.id, point=point, zip_code=visit.zip_code, trade=visit.trade,
        window_start_minute=_minute(visit.window_start, day_start, up=True),
        window_end_minute=max(_minute(visit.window_start, day_start, up=True), _minute(visit.window_end, day_start)),
        service_minutes=visit.duration_minutes,
        pinned_technician_id=held.technician_id if pinned and held else None,
        pinned_start_minute=_minute(held.starts_at, day_start) if pinned and held else None,
    )  # fmt: skip


async def _workers(
    ctx: RequestContext, ids: Sequence[uuid.UUID] | None, between: tuple[datetime, datetime]
) -> list[technicians.Rostered]:
    found = await technicians.roster(ctx, technician_ids=ids, active_only=ids is None, time_off_between=between)
    if ids is not None:
        known = {w.id for w in found}
        for technician_id in ids:
            if technician_id not in known:
                raise not_found(booking.TECHNICIAN, technician_id)
    return [w for w in found if w.active]


async def build(ctx: RequestContext, day: date, ids: Sequence[uuid.UUID] | None) -> Built:
    zone = assignments.time_zone()
    day_start, day_end = rules.day_bounds(day, zone)
    workers = await _workers(ctx, ids, (day_start, day_end))
    planned = [t for t in (_technician(w, day, day_start) for w in workers) if t is not None]
    planned_ids = {w.id for w in workers}
    day_visits = await jobs.visits_on(ctx, day_start, day_end)
    held = await repository.of_visits(ctx.session, [v.id for v in day_visits])
    visits, left_out = [], []
    for visit in day_visits:
        holder = held.get(visit.id)
        if holder is not None and holder.technician_id not in planned_ids:
            continue
        made = _visit(visit, holder, day_start)
        if isinstance(made, str):
            left_out.append({"visit_id": str(visit.id), "code": "UNLOCATED", "message": made})
        else:
            visits.append(made)
    limit = runtime.current().settings.route_time_limit_seconds
    problem = routing.Problem(planned, visits, time_limit_seconds=limit)
    return Built(problem, day_start, [w.id for w in workers], left_out)


def _at(day_start: datetime, minute: int) -> str:
    return (day_start + timedelta(minutes=minute)).isoformat()


def _routes(plan: routing.Plan, day_start: datetime) -> list[dict[str, Any]]:
    return [
        {
            "technician_id": str(route.technician_id), "travel_minutes": route.travel_minutes,
            "stops": [
                {"visit_id": str(s.visit_id), "arrive_at": _at(day_start, s.arrive_minute),
                 "starts_at": _at(day_start, s.start_minute), "ends_at": _at(day_start, s.end_minute)}
                for s in route.stops
            ],
        }
        for route in plan.routes
    ]  # fmt: skip


def plan_out(row: RoutePlan, made: Sequence[DispatchAssignment] = ()) -> RoutePlanOut:
    return records.output(RoutePlanOut, row, assignments=[assignments.assignment_out(a) for a in made])


async def optimize(ctx: RequestContext, data: OptimizeRoute) -> RoutePlanOut:
    """Builds the day's problem, solves it in `routeOptimization_v1` and stores the plan, PROPOSED."""
    await profile.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.ROUTE_PLAN, "create")
    built = await build(ctx, data.date, data.technician_ids)
    plan_id = new_id()
    plan = await workflows.optimize(plan_id, built.problem)
    violations = routing.check(plan, built.problem)
    if violations:
        log.error("route_plan_invalid", plan_id=str(plan_id), violations=violations[:20])
        raise RuntimeError(f"the route plan breaks its own rules: {violations[0]}")
    unassigned = [{"visit_id": str(u.visit_id), "code": str(u.reason.code), "message": u.reason.message}
                  for u in plan.unassigned]  # fmt: skip
    row = RoutePlan(
        id=plan_id, plan_date=data.date, time_zone=assignments.time_zone(), status="PROPOSED",
        technician_ids=built.technician_ids, routes=_routes(plan, built.day_start),
        unassigned=unassigned + built.left_out, travel_minutes=sum(r.travel_minutes for r in plan.routes),
        objective=plan.objective, solve_seconds=plan.solve_seconds, created_by=ctx.user_id,
    )  # fmt: skip
    return plan_out(await records.create(ctx, kinds.ROUTE_PLAN, row))


async def get(ctx: RequestContext, plan_id: uuid.UUID) -> RoutePlanOut:
    await profile.require_contractor(ctx)
    return plan_out(await records.load(ctx, kinds.ROUTE_PLAN, plan_id))


async def _proposed(ctx: RequestContext, plan_id: uuid.UUID, action: str) -> RoutePlan:
    row = await records.load(ctx, kinds.ROUTE_PLAN, plan_id, action, lock=True)
    if row.status != "PROPOSED":
        raise rule(DispatchReason.PLAN_DECIDED, f"The plan is {row.status} already.", status=row.status)
    return row


async def _decide(ctx: RequestContext, row: RoutePlan, status: str) -> None:
    changes = {"status": status, "decided_by": ctx.user_id, "decided_at": datetime.now(UTC)}
    await records.change(ctx, kinds.ROUTE_PLAN, row, changes, action=status.lower())


async def discard(ctx: RequestContext, data: ByPlan) -> RoutePlanOut:
    await profile.require_contractor(ctx)
    row = await _proposed(ctx, data.plan_id, "discard")
    await _decide(ctx, row, "DISCARDED")
    return plan_out(row)


@dataclass(frozen=True, slots=True)
class Step:
    found: booking.Target
    worker: technicians.Rostered
    slot: booking.Slot
    held: DispatchAssignment | None


def _overlapping(steps: list[Step]) -> Step | None:
    """A stop of the plan that overlaps an earlier stop of the same technician (the solver never makes one)."""
    by_technician: dict[uuid.UUID, list[Step]] = {}
    for step in sorted(steps, key=lambda s: s.slot.starts_at):
        earlier = by_technician.setdefault(step.worker.id, [])
        if earlier and earlier[-1].slot.ends_at > step.slot.starts_at:
            return step
        earlier.append(step)
    return None


async def _steps(ctx: RequestContext, row: RoutePlan) -> tuple[list[Step], frozenset[uuid.UUID]]:
    """Every stop of the plan checked as an assignment of its own, against the day as the plan leaves it: the
    assignments of the plan's visits are set aside."""
    stops = [(uuid.UUID(route["technician_id"]), stop) for route in row.routes for stop in route["stops"]]
    held = await repository.of_visits(ctx.session, [uuid.UUID(stop["visit_id"]) for _, stop in stops])
    aside = frozenset(a.id for a in held.values())
    workers = {w.id: w for w in await technicians.roster(ctx, technician_ids=[t for t, _ in stops], active_only=False)}
    steps = []
    for technician_id, stop in stops:
        worker = workers.get(technician_id)
        if worker is None:
            raise not_found(booking.TECHNICIAN, technician_id)
        visit_id = uuid.UUID(stop["visit_id"])
        found = await booking.target(ctx, visit_id)
        slot = booking.Slot(datetime.fromisoformat(stop["starts_at"]), datetime.fromisoformat(stop["ends_at"]))
        steps.append(Step(found, worker, slot, held.get(visit_id)))
    return steps, aside


def _unchanged(step: Step) -> bool:
    held = step.held
    return held is not None and (
        held.status in UNDER_WAY
        or (held.technician_id == step.worker.id and held.starts_at == step.slot.starts_at
            and held.ends_at == step.slot.ends_at)
    )  # fmt: skip


async def apply(ctx: RequestContext, data: ByPlan) -> RoutePlanOut:
    """Every changed stop is checked like `assignTech` against the day as the plan leaves it, then written (a
    visit's assignment moved, or a new one); any refusal refuses the whole plan, which stays PROPOSED."""
    await assignments.begin(ctx)
    row = await _proposed(ctx, data.plan_id, "apply")
    steps, aside = await _steps(ctx, row)
    changed = [s for s in steps if not _unchanged(s)]
    for step in changed:
        target = booking.as_checked(step.held, step.found) if step.held else step.found
        await booking.check_all(ctx, target, step.worker.id, step.slot, besides=aside)
    clash = _overlapping(steps)
    if clash is not None:
        raise rule(DispatchReason.DOUBLE_BOOKED, "Two stops of the plan overlap.", visit_id=str(clash.found.visit.id))
    made, moved = await _write(ctx, row, changed)
    await _decide(ctx, row, "APPLIED")
    await assignments.started(made)
    for assignment in moved:
        assignments.woken(ctx, assignment)
    return plan_out(row, [*made, *moved])


async def _write(
    ctx: RequestContext, row: RoutePlan, changed: list[Step]
) -> tuple[list[DispatchAssignment], list[DispatchAssignment]]:
    """The plan's writes, with the double-booking constraint checked once at their end (a plan may swap slots)."""
    made: list[DispatchAssignment] = []
    moved: list[DispatchAssignment] = []

    async def write() -> None:
        await repository.defer_double_booking(ctx.session)
        for step in changed:
            if step.held is not None:
                moved.append(await booking.write_move(
                    ctx, step.held, step.found, step.worker, step.slot, reason="Route plan", route_plan_id=row.id,
                ))  # fmt: skip
            else:
                made.append(await booking.write_new(
                    ctx, step.found, step.worker, step.slot, reason="Route plan", route_plan_id=row.id,
                ))  # fmt: skip
        await repository.check_double_booking(ctx.session)

    first = changed[0] if changed else None
    if first is not None:
        await booking.guarded(ctx, write, first.worker.id, first.slot)
    return made, moved

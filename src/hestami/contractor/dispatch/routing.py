"""Route optimization: the day's vehicle-routing problem with time windows, solved as pure code (no database, no
DBOS: `dispatch` builds the `Problem` from its records and calls `solve` from a DBOS step; applying the plan goes
through the same assignment checks as a dispatcher's).

`solve(problem) -> Plan` gives each technician a route (home, visits in order, home) so that

- a visit goes only to a technician who has its trade and covers its zip code (hard: never traded for travel);
- a pinned visit stays with its technician, and starts at its pinned minute when one is given;
- every visit starts inside its arrival window, and every technician leaves home at or after the start of their
  shift and is back by its end, with the travel times of `problem.travel` (see `travel`) and the service minutes;
- as many visits as possible are assigned (pinned ones first), then the total travel minutes are as low as the
  search finds within `problem.time_limit_seconds`.

A visit no route can take is left out with a `Reason` (`ReasonCode`: NO_SKILL, OUT_OF_TERRITORY, the pinned
technician absent or ineligible, a pinned start outside the window, UNREACHABLE inside the window and shift by any
eligible technician, or NO_ROOM left in the eligible technicians' days) rather than failing the whole solve.

How: eligibility is settled here first; a greedy construction (each visit, the most constrained first, put where
it adds the least travel) gives a feasible start, which the search (`routing_search`, PyVRP's iterated local
search) improves until the time limit; every route it returns is then re-timed on the real timetable (a stop that
would break a window or the shift is dropped, which the model should never need), and each visit still out is
inserted where it fits at the least added travel, so NO_ROOM means no single insertion fits. `check(plan,
problem)` verifies a plan independently of all this (the tests and the service run it on every plan).

CPU-bound for up to the time limit on one core: call it off the event loop (`asyncio.to_thread`; the search
leaves the interpreter responsive to other threads).
"""

from __future__ import annotations

import time
from collections.abc import Hashable

from hestami.contractor.dispatch.routing_check import check
from hestami.contractor.dispatch.routing_problem import (
    DEFAULT_TIME_LIMIT_SECONDS,
    PINNED_UNASSIGNED_COST,
    UNASSIGNED_COST,
    Plan,
    Problem,
    Reason,
    ReasonCode,
    Route,
    Stop,
    Technician,
    Timetable,
    Unassigned,
    Visit,
    unassigned_cost,
)
from hestami.contractor.dispatch.routing_search import search

__all__ = [
    "DEFAULT_TIME_LIMIT_SECONDS",
    "PINNED_UNASSIGNED_COST",
    "UNASSIGNED_COST",
    "Plan",
    "Problem",
    "Reason",
    "ReasonCode",
    "Route",
    "Stop",
    "Technician",
    "Unassigned",
    "Visit",
    "check",
    "solve",
]


def solve(problem: Problem) -> Plan:
    """The day's plan: a route per technician (in the problem's order) and the visits left out, with reasons."""
    began = time.perf_counter()
    table = Timetable(problem)
    allowed, refused = _eligibility(table)
    start: list[list[int]] = [[] for _ in table.technicians]
    _insert(table, start, list(allowed), allowed)
    found = search(table, allowed, start, seconds=problem.time_limit_seconds, seed=problem.seed)
    routes = [_feasible_part(table, t, [v for v in sequence if t in allowed.get(v, ())])
              for t, sequence in enumerate(found)]  # fmt: skip
    placed = {v for sequence in routes for v in sequence}
    for v in _insert(table, routes, [v for v in allowed if v not in placed], allowed):
        refused[v] = Reason(ReasonCode.NO_ROOM, "no eligible technician's day has room for it inside its window")
    unassigned = [Unassigned(table.visits[v].id, refused[v]) for v in sorted(refused)]
    plan_routes = [_route(table, t, sequence) for t, sequence in enumerate(routes)]
    objective = sum(r.travel_minutes for r in plan_routes) + sum(unassigned_cost(table.visits[v]) for v in refused)
    return Plan(plan_routes, unassigned, objective, round(time.perf_counter() - began, 3))


def _eligibility(table: Timetable) -> tuple[dict[int, list[int]], dict[int, Reason]]:
    """Per visit index, the technician indexes that may take it alone in their day; or why none may."""
    allowed: dict[int, list[int]] = {}
    refused: dict[int, Reason] = {}
    index = {tech.id: t for t, tech in enumerate(table.technicians)}
    for v, visit in enumerate(table.visits):
        candidates, reason = _candidates(table.technicians, index, visit)
        if reason is None:
            candidates = [t for t in candidates if table.schedule(t, [v]) is not None]
            if not candidates:
                reason = Reason(
                    ReasonCode.UNREACHABLE,
                    "no eligible technician can start it inside its window and be home by the end of their shift",
                )
        if reason is None:
            allowed[v] = candidates
        else:
            refused[v] = reason
    return allowed, refused


def _candidates(
    technicians: list[Technician], index: dict[Hashable, int], visit: Visit
) -> tuple[list[int], Reason | None]:
    if visit.pinned_start_minute is not None and not (
        visit.window_start_minute <= visit.pinned_start_minute <= visit.window_end_minute
    ):
        return [], Reason(ReasonCode.PINNED_START_OUTSIDE_WINDOW, "its pinned start lies outside its arrival window")
    if visit.pinned_technician_id is not None:
        t = index.get(visit.pinned_technician_id)
        if t is None:
            return [], Reason(ReasonCode.PINNED_TECHNICIAN_ABSENT, "the technician it is pinned to is not in the plan")
        if not technicians[t].can_work(visit):
            return [], Reason(
                ReasonCode.PINNED_TECHNICIAN_INELIGIBLE,
                f"the technician it is pinned to lacks the trade {visit.trade} or does not cover {visit.zip_code}",
            )
        return [t], None
    skilled = [t for t, tech in enumerate(technicians) if visit.trade in tech.skills]
    if not skilled:
        return [], Reason(ReasonCode.NO_SKILL, f"no technician has the trade {visit.trade}")
    covering = [t for t in skilled if technicians[t].covers(visit)]
    if not covering:
        return [], Reason(
            ReasonCode.OUT_OF_TERRITORY, f"no technician with the trade {visit.trade} covers {visit.zip_code}"
        )
    return covering, None


def _feasible_part(table: Timetable, technician: int, sequence: list[int]) -> list[int]:
    """The sequence with every stop that would break a window or the shift dropped, in order."""
    kept: list[int] = []
    for v in sequence:
        if table.schedule(technician, [*kept, v]) is not None:
            kept.append(v)
    return kept


def _insert(table: Timetable, routes: list[list[int]], left: list[int], allowed: dict[int, list[int]]) -> list[int]:
    """Each visit of `left` (pinned first, then those the fewest technicians may take, then by window) put where it
    fits at the least added travel; answers the visits that fit nowhere."""
    rest = []
    for v in sorted(left, key=lambda v: (not table.visits[v].pinned, len(allowed[v]), table.windows[v])):
        best: tuple[int, int, int] | None = None  # added travel, technician, position
        for t in allowed[v]:
            current = table.travel_minutes(t, routes[t])
            for position in range(len(routes[t]) + 1):
                candidate = [*routes[t][:position], v, *routes[t][position:]]
                if table.schedule(t, candidate) is None:
                    continue
                added = table.travel_minutes(t, candidate) - current
                if best is None or added < best[0]:
                    best = (added, t, position)
        if best is None:
            rest.append(v)
        else:
            routes[best[1]].insert(best[2], v)
    return rest


def _route(table: Timetable, technician: int, sequence: list[int]) -> Route:
    timings = table.schedule(technician, sequence)
    if timings is None:  # _feasible_part and _insert keep every route feasible
        raise AssertionError("an infeasible route was kept")
    stops = [Stop(table.visits[v].id, at.arrive, at.start, at.end) for v, at in zip(sequence, timings, strict=True)]
    return Route(table.technicians[technician].id, stops, table.travel_minutes(technician, sequence))

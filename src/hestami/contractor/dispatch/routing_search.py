"""The search behind `routing.solve`: PyVRP's iterated local search over the day's vehicle-routing problem with
time windows. Only this module knows the solver; `routing` hands it the timetable and, per visit, the technicians
it may go to, and gets back each technician's visits in order.

The model:

- every technician is a vehicle of its own (`VehicleType`, one available) starting and ending at a depot at their
  home, whose time window is the shift (leave at or after its start, back by its end);
- every visit is an optional client (`required=False`) with its start window (the arrival window, or the pinned
  start), its service minutes, and a prize of `unassigned_cost(visit)`: the search minimises travel minutes plus
  the prizes of the visits it leaves out, so it leaves out a visit only when no route can take it;
- skills, territory and pinning are HARD: each technician drives on a routing profile of their own (technicians
  with the same allowed visits share one) in which every visit they may not take is FORBIDDEN_MINUTES away from
  everything. Reaching it would break its window by far more than any prize, so no feasible plan contains it, and
  `routing` re-checks every route it returns against the real timetable anyway;
- the search stops at the problem's time limit, or earlier once PATIENCE iterations in a row found nothing better.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from pyvrp import Client, Depot, Location, ProblemData, Route, Solution, VehicleType, solve
from pyvrp.stop import MaxRuntime, MultipleCriteria, NoImprovement

from hestami.contractor.dispatch.routing_problem import Timetable, unassigned_cost

FORBIDDEN_MINUTES = 1_000_000
"""Travel to and from a visit on the profile of a technician who may not take it."""
PATIENCE = 5_000
"""Iterations without a better plan after which the search stops before its time limit."""


def search(
    table: Timetable,
    allowed: Mapping[int, Sequence[int]],
    start: Sequence[Sequence[int]],
    *,
    seconds: float,
    seed: int,
) -> list[list[int]]:
    """Per technician (in the problem's order) the visit indexes of their route, in order. `allowed` maps each
    visit index to search for to the technician indexes that may take it (never empty); `start` is a feasible
    plan to improve on (per technician, visit indexes)."""
    visits = sorted(allowed)
    technicians = table.technicians
    if not visits or not technicians:
        return [[] for _ in technicians]
    data = _problem_data(table, visits, allowed)
    stop = MultipleCriteria([MaxRuntime(seconds), NoImprovement(PATIENCE)])
    client = {v: k for k, v in enumerate(visits)}
    initial = Solution(data, [Route(data, [client[v] for v in route], t) for t, route in enumerate(start) if route])
    best = solve(data, stop=stop, seed=seed, collect_stats=False, display=False, initial_solution=initial).best
    routes: list[list[int]] = [[] for _ in technicians]
    for route in best.routes():
        routes[route.vehicle_type()] = [visits[a.idx] for a in route.schedule() if a.is_client()]
    return routes


def _problem_data(table: Timetable, visits: list[int], allowed: Mapping[int, Sequence[int]]) -> ProblemData:
    technicians = table.technicians
    homes = len(technicians)
    places = list(range(homes)) + [table.visit_place(v) for v in visits]
    base = np.asarray(table.matrix, dtype=np.int64)[np.ix_(places, places)]
    profiles: dict[frozenset[int], int] = {}
    matrices: list[Any] = []  # int64 square arrays (PyVRP's stubs spell the type oddly)
    vehicle_types = []
    for t, tech in enumerate(technicians):
        forbidden = frozenset(homes + k for k, v in enumerate(visits) if t not in allowed[v])
        if forbidden not in profiles:
            profiles[forbidden] = len(matrices)
            matrices.append(_forbid(base, sorted(forbidden)))
        vehicle_types.append(
            VehicleType(
                num_available=1,
                start_depot=t,
                end_depot=t,
                tw_early=tech.shift_start_minute,
                tw_late=tech.shift_end_minute,
                unit_distance_cost=1,
                profile=profiles[forbidden],
            )
        )
    locations = [Location(x=t.start.lon, y=t.start.lat) for t in technicians]
    locations += [Location(x=table.visits[v].point.lon, y=table.visits[v].point.lat) for v in visits]
    depots = [Depot(location=t, tw_early=tech.shift_start_minute, tw_late=tech.shift_end_minute)
              for t, tech in enumerate(technicians)]  # fmt: skip
    clients = []
    for k, v in enumerate(visits):
        earliest, latest = table.windows[v]
        visit = table.visits[v]
        clients.append(
            Client(location=homes + k, service_duration=visit.service_minutes, tw_early=earliest, tw_late=latest,
                   prize=unassigned_cost(visit), required=False)
        )  # fmt: skip
    return ProblemData(
        locations=locations,
        clients=clients,
        depots=depots,
        vehicle_types=vehicle_types,
        distance_matrices=matrices,
        duration_matrices=matrices,
    )


def _forbid(base: np.ndarray, places: list[int]) -> np.ndarray:
    matrix = base.copy()
    if places:
        matrix[places, :] = FORBIDDEN_MINUTES
        matrix[:, places] = FORBIDDEN_MINUTES
        matrix[places, places] = 0
    return matrix

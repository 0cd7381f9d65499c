"""`check(plan, problem)`: every rule a plan must keep, verified from the problem alone (it shares no code with the
solver but the input types, and asks the travel provider again), one sentence per violation; [] when it holds.

The rules: every visit of the problem is either on exactly one route or unassigned, and nothing else is; a route
belongs to a technician of the problem, one route each; the technician has the visit's trade and covers its zip
code; a pinned visit on a route is with its technician and starts at its pinned minute; every stop starts inside
its arrival window, not before the technician arrives, and ends after its service minutes; the technician can
reach each stop by its arrival time from home (leaving no earlier than the shift's start) or from the previous
stop's end, and is back home by the end of the shift; the route's travel minutes are its legs' sum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable

from hestami.contractor.dispatch.routing_problem import Plan, Problem, Route, Technician, Visit


def check(plan: Plan, problem: Problem) -> list[str]:
    """The plan's violations of the problem's rules, in plan order ([] for a valid plan)."""
    technicians = {t.id: t for t in problem.technicians}
    visits = {v.id: v for v in problem.visits}
    problems = _coverage(plan, technicians, visits)
    for route in plan.routes:
        tech = technicians.get(route.technician_id)
        if tech is not None and all(stop.visit_id in visits for stop in route.stops):
            problems += _route(route, tech, [visits[stop.visit_id] for stop in route.stops], problem)
    return problems


def _coverage(plan: Plan, technicians: dict[Hashable, Technician], visits: dict[Hashable, Visit]) -> list[str]:
    problems = []
    owners = Counter(route.technician_id for route in plan.routes)
    for tech_id, count in owners.items():
        if tech_id not in technicians:
            problems.append(f"a route belongs to {tech_id}, who is not a technician of the problem")
        elif count > 1:
            problems.append(f"technician {tech_id} has {count} routes")
    seen = Counter([stop.visit_id for route in plan.routes for stop in route.stops])
    seen.update(item.visit_id for item in plan.unassigned)
    for visit_id, count in seen.items():
        if visit_id not in visits:
            problems.append(f"visit {visit_id} is not a visit of the problem")
        elif count > 1:
            problems.append(f"visit {visit_id} is in the plan {count} times")
    problems += [f"visit {visit_id} is missing from the plan" for visit_id in visits if visit_id not in seen]
    return problems


def _route(route: Route, tech: Technician, visits: list[Visit], problem: Problem) -> list[str]:
    who = f"technician {tech.id}"
    problems = []
    places = [tech.start, *(v.point for v in visits)]
    matrix = problem.travel.minutes(places, [*places[1:], tech.start])
    legs = [matrix[i][i] for i in range(len(places))]  # home→first, …, last→home
    free_at, where = tech.shift_start_minute, "home at the start of the shift"
    for n, (stop, visit) in enumerate(zip(route.stops, visits, strict=True)):
        name = f"visit {visit.id}"
        if visit.trade not in tech.skills:
            problems.append(f"{name} ({visit.trade}) is with {who}, who lacks the trade")
        if not tech.covers(visit):
            problems.append(f"{name} ({visit.zip_code}) is with {who}, whose territory does not cover it")
        if visit.pinned_technician_id is not None and visit.pinned_technician_id != tech.id:
            problems.append(f"{name} is pinned to technician {visit.pinned_technician_id} but is with {who}")
        if visit.pinned_start_minute is not None and stop.start_minute != visit.pinned_start_minute:
            problems.append(f"{name} is pinned to start at {visit.pinned_start_minute}, not {stop.start_minute}")
        if not visit.window_start_minute <= stop.start_minute <= visit.window_end_minute:
            problems.append(
                f"{name} starts at {stop.start_minute}, outside its window "
                f"{visit.window_start_minute}-{visit.window_end_minute}"
            )
        if stop.start_minute < stop.arrive_minute:
            problems.append(f"{name} starts at {stop.start_minute}, before {who} arrives at {stop.arrive_minute}")
        if stop.end_minute != stop.start_minute + visit.service_minutes:
            problems.append(f"{name} ends at {stop.end_minute}, not after its {visit.service_minutes} minutes")
        if stop.arrive_minute < free_at + legs[n]:
            problems.append(
                f"{who} cannot reach {name} by {stop.arrive_minute}: {where} at {free_at}, {legs[n]} minutes away"
            )
        free_at, where = stop.end_minute, f"done with {name}"
    back = free_at + legs[-1]
    if back > tech.shift_end_minute:
        problems.append(f"{who} is back home at {back}, after the end of the shift at {tech.shift_end_minute}")
    if route.travel_minutes != sum(legs):
        problems.append(
            f"the route of {who} says {route.travel_minutes} travel minutes; its legs add up to {sum(legs)}"
        )
    return problems

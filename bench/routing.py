"""Route optimization: `dispatch/v1/optimizeRoute`'s solver path (`hestami.contractor.dispatch.routing.solve`) on a
day of 20 technicians and 150 visits, in-process and pure (no database: the procedure loads the day, then runs
exactly this in a DBOS step).

The day: technicians spread over the demo's three cities (Austin and Round Rock, San Antonio, Corpus Christi) in
proportion 10:6:4, each with two of three trades (every fifth with all three) and their city as territory (every
seventh with none: every zip code), shifts 07:00-17:00 or 08:00-18:00, homes jittered around the zip codes'
approximate centroids; 150 visits in the same proportion, arrival windows 08-12 or 12-16, 30 to 90 minutes of
work, mixed trades; straight-line travel (30 mph, detour 1.3). Seeded: every run solves the same day, each with
another search seed.

* **p50 / p95 of RUNS solves** (wall, from the problem to the checked-ready plan: the travel matrix, eligibility,
  the construction, the search up to the default time limit, the re-timing). **Floor: the same day with a time
  limit of 0** (matrix, eligibility and construction, no search): the ratio is what the search adds. Target ≤ 10 s.
* **visits assigned** and **travel minutes** of the median run, next to the construction's: what the search buys.
* Every plan is verified with `routing.check` (a violation fails the section).
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import time
from typing import Any

from bench.common import Row, log, ratio
from bench.context import Bench
from bench.loadgen import percentile
from hestami.contractor.dispatch.routing import Problem, Technician, Visit, check, solve
from hestami.contractor.dispatch.travel import ZIP_CENTROIDS, Point, StraightLine

SECTION = "routing"
TECHNICIANS, VISITS = 20, 150
RUNS = {"full": 5, "quick": 3}
TARGET_S = 10.0
REGIONS = {
    "austin": ("78701", "78702", "78704", "78745", "78748", "78750", "78759", "78664", "78665", "78681", "78756"),
    "san antonio": ("78209", "78216", "78232", "78249", "78258", "78259"),
    "corpus christi": ("78411", "78412", "78413", "78418"),
}
TRADES = ("PLUMBING", "HVAC", "ELECTRICAL")


def day(seed: int = 22) -> Problem:
    """The benchmark's day as a `routing.Problem` (see the module's docstring)."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible day, not a secret)
    cities = list(REGIONS)

    def near(zip_code: str) -> Point:
        centre = ZIP_CENTROIDS[zip_code]
        return Point(centre.lat + rng.uniform(-0.02, 0.02), centre.lon + rng.uniform(-0.02, 0.02))

    crew = []
    for n in range(TECHNICIANS):
        city = cities[0] if n % 10 < 5 else cities[1] if n % 10 < 8 else cities[2]
        skills = frozenset(rng.sample(TRADES, 2)) if n % 5 else frozenset(TRADES)
        territory = None if n % 7 == 6 else frozenset(REGIONS[city])
        shift = rng.choice([(420, 1020), (480, 1080)])
        crew.append(Technician(f"t{n}", near(rng.choice(REGIONS[city])), *shift, skills, territory))
    visits = []
    for n in range(VISITS):
        city = rng.choices(cities, weights=[10, 6, 4])[0]
        zip_code = rng.choice(REGIONS[city])
        window = rng.choice([(480, 720), (720, 960)])
        service = rng.choice([30, 45, 60, 90])
        visits.append(Visit(f"v{n}", near(zip_code), zip_code, rng.choice(TRADES), *window, service))
    return Problem(crew, visits, StraightLine())


def _solve(problem: Problem) -> dict[str, Any]:
    began, cpu = time.perf_counter(), time.process_time()
    plan = solve(problem)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    violations = check(plan, problem)
    if violations:
        raise RuntimeError(f"routing.solve returned a plan with {len(violations)} violations: {violations[:3]}")
    return {
        "seed": problem.seed,
        "time_limit_s": problem.time_limit_seconds,
        "wall_s": wall,
        "cpu_s": cpu,
        "assigned": sum(len(r.stops) for r in plan.routes),
        "unassigned": len(plan.unassigned),
        "unassigned_reasons": sorted({str(u.reason.code) for u in plan.unassigned}),
        "travel_minutes": sum(r.travel_minutes for r in plan.routes),
        "objective": plan.objective,
    }


def run(bench: Bench) -> dict[str, Any]:
    runs = RUNS["quick" if bench.report.name == "quick" or bench.sizes.lifecycles < 1000 else "full"]
    problem = day()
    log(f"routing: {TECHNICIANS} technicians x {VISITS} visits, {runs} solves at the default time limit "
        f"({problem.time_limit_seconds:g} s) and {runs} at 0 (construction only)")  # fmt: skip
    floor = [_solve(dataclasses.replace(problem, time_limit_seconds=0, seed=n)) for n in range(runs)]
    solves = [_solve(dataclasses.replace(problem, seed=n)) for n in range(runs)]
    for got in solves:
        log(f"routing: seed {got['seed']}: {got['wall_s']:.2f} s, {got['assigned']} assigned, "
            f"{got['travel_minutes']} travel minutes")  # fmt: skip
    walls = sorted(s["wall_s"] for s in solves)
    floor_walls = sorted(s["wall_s"] for s in floor)
    p50, p95 = percentile(walls, 50), percentile(walls, 95)
    floor_p50 = percentile(floor_walls, 50)
    median = sorted(solves, key=lambda s: s["objective"])[len(solves) // 2]
    construction = floor[0]
    size = f"{TECHNICIANS} technicians x {VISITS} visits"
    cpu = statistics.median(s["cpu_s"] for s in solves)
    note = (f"{runs} solves, time limit {problem.time_limit_seconds:g} s; CPU {cpu:.2f} s per solve (one core); "
            "every plan checked by routing.check")  # fmt: skip
    for name, value in (("p50", p50), ("p95", p95)):
        bench.report.add(
            Row(SECTION, f"optimizeRoute solver, {size}: {name}", value, "s", "time limit 0 (construction only)",
                floor_p50, ratio(value, floor_p50), target=f"≤ {TARGET_S:g} s", met=value <= TARGET_S, note=note)
        )  # fmt: skip
    bench.report.add(
        Row(SECTION, f"optimizeRoute solver, {size}: visits assigned (median plan)", median["assigned"], "visits",
            "construction only", construction["assigned"], ratio(median["assigned"], construction["assigned"]),
            note=f"unassigned reasons: {', '.join(median['unassigned_reasons']) or 'none'}")
    )  # fmt: skip
    bench.report.add(
        Row(SECTION, f"optimizeRoute solver, {size}: travel minutes (median plan)", median["travel_minutes"], "min",
            "construction only", construction["travel_minutes"],
            ratio(median["travel_minutes"], construction["travel_minutes"]))
    )  # fmt: skip
    return {"technicians": TECHNICIANS, "visits": VISITS, "runs": solves, "floor_runs": floor,
            "p50_s": p50, "p95_s": p95, "floor_p50_s": floor_p50}  # fmt: skip

"""`dispatch.routing`: the day's vehicle-routing problem with time windows. Small hand-made problems with known
answers (skills force the split, a window forces the order, territory excludes, a pinned visit stays, impossible
visits are left out with their reasons), a seeded 20 technicians x 150 visits day over the demo's zip codes solved
inside its time limit with no violation, and `check` itself. Pure: no database."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Hashable, Sequence

import pytest

from hestami.contractor.dispatch.routing import (
    PINNED_UNASSIGNED_COST,
    UNASSIGNED_COST,
    Plan,
    Problem,
    Reason,
    ReasonCode,
    Route,
    Stop,
    Technician,
    Unassigned,
    Visit,
    check,
    solve,
)
from hestami.contractor.dispatch.travel import ZIP_CENTROIDS, Point, StraightLine


class Grid:
    """Travel in a plane: 100 minutes per degree, rounded up (`place(10)` is 10 minutes east of `place(0)`)."""

    def minutes(self, origins: Sequence[Point], destinations: Sequence[Point]) -> list[list[int]]:
        return [
            [math.ceil(100 * math.hypot(a.lat - b.lat, a.lon - b.lon) - 1e-9) for b in destinations] for a in origins
        ]


def place(east: float, north: float = 0) -> Point:
    return Point(north / 100, east / 100)


def tech(
    id: str,
    *,
    home: float = 0,
    skills: tuple[str, ...] = ("PLUMBING",),
    zips: tuple[str, ...] | None = None,
    shift: tuple[int, int] = (450, 1020),
) -> Technician:
    territory = None if zips is None else frozenset(zips)
    return Technician(id, place(home), shift[0], shift[1], frozenset(skills), territory)


def visit(
    id: str,
    east: float,
    *,
    trade: str = "PLUMBING",
    zip_code: str = "78701",
    window: tuple[int, int] = (480, 960),
    service: int = 30,
    pinned_to: str | None = None,
    pinned_at: int | None = None,
) -> Visit:
    return Visit(id, place(east), zip_code, trade, window[0], window[1], service, pinned_to, pinned_at)


def planned(technicians: list[Technician], visits: list[Visit], limit: float = 1.0) -> Plan:
    problem = Problem(technicians, visits, Grid(), limit)
    plan = solve(problem)
    assert check(plan, problem) == []
    return plan


def sequence(plan: Plan, technician_id: str) -> list[Hashable]:
    route = plan.route_of(technician_id)
    assert route is not None
    return [stop.visit_id for stop in route.stops]


def reasons(plan: Plan) -> dict[Hashable, ReasonCode]:
    return {visit_id: reason.code for visit_id, reason in plan.unassigned}


# --- known answers --------------------------------------------------------------------------------------------


def test_skills_force_the_split() -> None:
    plumber, hvac = tech("plumber"), tech("hvac", skills=("HVAC",))
    plan = planned([plumber, hvac], [visit("leak", 10), visit("furnace", 10, trade="HVAC"), visit("drain", 12)])
    assert sorted(sequence(plan, "plumber")) == ["drain", "leak"]
    assert sequence(plan, "hvac") == ["furnace"]
    assert plan.unassigned == []
    assert [r.technician_id for r in plan.routes] == ["plumber", "hvac"]


def test_a_window_forces_the_order() -> None:
    # On a line: A 10, B 20, C 30 minutes from home. By travel alone A,B,C and C,B,A tie at 60 minutes; C's early
    # window and A's late one leave C,B,A, and the technician leaves home at 450 to arrive as C's window opens.
    visits = [visit("A", 10, window=(700, 720)), visit("B", 20, window=(480, 900)), visit("C", 30, window=(480, 500))]
    plan = planned([tech("solo")], visits)
    route = plan.route_of("solo")
    assert route is not None
    assert route.stops == [Stop("C", 480, 480, 510), Stop("B", 520, 520, 550), Stop("A", 560, 700, 730)]
    assert route.travel_minutes == 60
    assert plan.objective == 60


def test_territory_excludes_the_nearer_technician() -> None:
    far = tech("far", home=50)
    fenced = planned([tech("near", zips=("78704",)), far], [visit("downtown", 5, zip_code="78701")])
    assert (sequence(fenced, "near"), sequence(fenced, "far")) == ([], ["downtown"])
    open_ = planned([tech("near"), far], [visit("downtown", 5, zip_code="78701")])
    assert (sequence(open_, "near"), sequence(open_, "far")) == (["downtown"], [])
    alone = planned([tech("near", zips=("78704",))], [visit("downtown", 5, zip_code="78701")])
    assert reasons(alone) == {"downtown": ReasonCode.OUT_OF_TERRITORY}
    assert "78701" in str(alone.unassigned[0].reason)


def test_a_pinned_visit_stays_with_its_technician_and_time() -> None:
    near, far = tech("near"), tech("far", home=40)
    assert sequence(planned([near, far], [visit("v", 5)]), "near") == ["v"]
    assert sequence(planned([near, far], [visit("v", 5, pinned_to="far")]), "far") == ["v"]
    plan = planned([near, far], [visit("v", 5, pinned_to="far", pinned_at=600), visit("w", 5, window=(590, 610))])
    route = plan.route_of("far")
    assert route is not None
    assert route.stops[0].start_minute == 600
    assert sequence(plan, "near") == ["w"]


def test_impossible_visits_are_left_unassigned_with_their_reasons() -> None:
    solo = tech("solo", zips=("78701",), shift=(480, 1020))
    visits = [
        visit("fine", 10),
        visit("roof", 10, trade="ROOFING"),
        visit("elsewhere", 10, zip_code="78745"),
        visit("too far", 200, window=(480, 500)),
        visit("too late", 10, window=(1000, 1010)),
        visit("ghost's", 10, pinned_to="ghost"),
        visit("pinned hvac", 10, trade="HVAC", pinned_to="solo"),
        visit("pinned early", 10, window=(520, 600), pinned_to="solo", pinned_at=500),
        visit("first", 0, window=(480, 480)),
        visit("second", 0, window=(480, 480)),
    ]
    plan = planned([solo], visits)
    got = reasons(plan)
    full = {k: v for k, v in got.items() if k not in ("first", "second")}
    assert full == {
        "roof": ReasonCode.NO_SKILL,
        "elsewhere": ReasonCode.OUT_OF_TERRITORY,
        "too far": ReasonCode.UNREACHABLE,
        "too late": ReasonCode.UNREACHABLE,
        "ghost's": ReasonCode.PINNED_TECHNICIAN_ABSENT,
        "pinned hvac": ReasonCode.PINNED_TECHNICIAN_INELIGIBLE,
        "pinned early": ReasonCode.PINNED_START_OUTSIDE_WINDOW,
    }
    assert sorted(got.get(k, "routed") for k in ("first", "second")) == [ReasonCode.NO_ROOM, "routed"]
    assert "fine" in sequence(plan, "solo")
    assert [u.visit_id for u in plan.unassigned] == [v.id for v in visits if v.id in got]  # in the problem's order
    assert all(isinstance(u, Unassigned) and u.reason.message for u in plan.unassigned)
    route = plan.route_of("solo")
    assert route is not None
    assert plan.objective == route.travel_minutes + 5 * UNASSIGNED_COST + 3 * PINNED_UNASSIGNED_COST


def test_nothing_to_plan() -> None:
    plan = planned([tech("a"), tech("b")], [])
    assert [(r.technician_id, r.stops, r.travel_minutes) for r in plan.routes] == [("a", [], 0), ("b", [], 0)]
    assert plan.objective == 0
    assert reasons(planned([], [visit("v", 1)])) == {"v": ReasonCode.NO_SKILL}


def test_a_zero_time_limit_still_gives_a_valid_plan() -> None:
    visits = [visit(f"v{n}", n * 3 % 40, window=(480 + n * 20, 600 + n * 20)) for n in range(12)]
    plan = planned([tech("a"), tech("b", home=30)], visits, limit=0)
    assert sum(len(r.stops) for r in plan.routes) == 12


def test_malformed_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        Problem([tech("a"), tech("a")], [])
    with pytest.raises(ValueError, match="unique"):
        Problem([], [visit("v", 1), visit("v", 2)])
    with pytest.raises(ValueError, match="window"):
        visit("v", 1, window=(600, 500))
    with pytest.raises(ValueError, match="shift"):
        tech("a", shift=(600, 500))
    with pytest.raises(ValueError, match="time_limit"):
        Problem([], [], Grid(), -1)


# --- a seeded day at the benchmark's size ---------------------------------------------------------------------

REGIONS = {
    "austin": ("78701", "78702", "78704", "78745", "78748", "78750", "78759", "78664", "78665", "78681", "78756"),
    "san antonio": ("78209", "78216", "78232", "78249", "78258", "78259"),
    "corpus christi": ("78411", "78412", "78413", "78418"),
}
TRADES = ("PLUMBING", "HVAC", "ELECTRICAL")


def random_day(seed: int, technicians: int = 20, visits: int = 150, limit: float = 3.0) -> Problem:
    """Technicians spread over the demo's three cities in proportion 10:6:4, each with two of three trades and their
    city as territory (some with none: they cover every zip code), shifts 07:00-17:00 or 08:00-18:00; visits in the
    same proportion, jittered around the zip codes' centroids, windows 08-12 or 12-16, mixed trades and lengths."""
    rng = random.Random(seed)
    cities = list(REGIONS)

    def near(zip_code: str) -> Point:
        centre = ZIP_CENTROIDS[zip_code]
        return Point(centre.lat + rng.uniform(-0.02, 0.02), centre.lon + rng.uniform(-0.02, 0.02))

    crew = []
    for n in range(technicians):
        city = cities[0] if n % 10 < 5 else cities[1] if n % 10 < 8 else cities[2]
        skills = frozenset(rng.sample(TRADES, 2)) if n % 5 else frozenset(TRADES)
        territory = None if n % 7 == 6 else frozenset(REGIONS[city])
        shift = rng.choice([(420, 1020), (480, 1080)])
        crew.append(Technician(f"t{n}", near(rng.choice(REGIONS[city])), *shift, skills, territory))
    day = []
    for n in range(visits):
        city = rng.choices(cities, weights=[10, 6, 4])[0]
        zip_code = rng.choice(REGIONS[city])
        window = rng.choice([(480, 720), (720, 960)])
        service = rng.choice([30, 45, 60, 90])
        day.append(Visit(f"v{n}", near(zip_code), zip_code, rng.choice(TRADES), *window, service))
    return Problem(crew, day, StraightLine(), limit)


def test_a_random_day_of_20_technicians_and_150_visits_solves_in_time_without_violations() -> None:
    problem = random_day(seed=22)
    plan = solve(problem)
    assert check(plan, problem) == []
    assert plan.solve_seconds <= problem.time_limit_seconds + 2.0  # the matrix, the construction, the re-timing
    assert len(plan.routes) == 20
    routed = sum(len(r.stops) for r in plan.routes)
    assert routed + len(plan.unassigned) == 150
    assert routed >= 135
    assert {code for code in reasons(plan).values()} <= {ReasonCode.NO_ROOM, ReasonCode.UNREACHABLE}


# --- check ----------------------------------------------------------------------------------------------------


@pytest.fixture
def two_trades() -> tuple[Problem, Plan]:
    """A plumber and an HVAC technician at home at 0; a leak 10 minutes away, a furnace 20; both windows 480-600."""
    problem = Problem(
        [tech("plumber"), tech("hvac", skills=("HVAC",))],
        [visit("leak", 10, window=(480, 600)), visit("furnace", 20, trade="HVAC", window=(480, 600))],
        Grid(),
    )
    plan = Plan(
        [Route("plumber", [Stop("leak", 480, 480, 510)], 20), Route("hvac", [Stop("furnace", 480, 480, 510)], 40)],
        [],
        60,
        0.0,
    )
    return problem, plan


def with_routes(plan: Plan, *routes: Route) -> Plan:
    return dataclasses.replace(plan, routes=list(routes))


def test_check_passes_a_valid_plan(two_trades: tuple[Problem, Plan]) -> None:
    problem, plan = two_trades
    assert check(plan, problem) == []


def test_check_catches_a_window_violation(two_trades: tuple[Problem, Plan]) -> None:
    problem, plan = two_trades
    late = with_routes(plan, Route("plumber", [Stop("leak", 610, 610, 640)], 20), plan.routes[1])
    assert check(late, problem) == ["visit leak starts at 610, outside its window 480-600"]


def test_check_catches_a_skill_violation(two_trades: tuple[Problem, Plan]) -> None:
    problem, plan = two_trades
    swapped = with_routes(
        plan, Route("plumber", [Stop("furnace", 480, 480, 510)], 40), Route("hvac", [Stop("leak", 480, 480, 510)], 20)
    )
    assert check(swapped, problem) == [
        "visit furnace (HVAC) is with technician plumber, who lacks the trade",
        "visit leak (PLUMBING) is with technician hvac, who lacks the trade",
    ]


def test_check_catches_travel_shift_and_bookkeeping_violations(two_trades: tuple[Problem, Plan]) -> None:
    problem, plan = two_trades
    hvac = plan.routes[1]
    too_soon = with_routes(plan, Route("plumber", [Stop("leak", 455, 480, 510)], 20), hvac)
    assert check(too_soon, problem) == [
        "technician plumber cannot reach visit leak by 455: home at the start of the shift at 450, 10 minutes away"
    ]
    wrong_sum = with_routes(plan, Route("plumber", [Stop("leak", 480, 480, 510)], 15), hvac)
    assert check(wrong_sum, problem) == [
        "the route of technician plumber says 15 travel minutes; its legs add up to 20"
    ]
    short = with_routes(plan, Route("plumber", [Stop("leak", 480, 480, 500)], 20), hvac)
    assert check(short, problem) == ["visit leak ends at 500, not after its 30 minutes"]
    missing = with_routes(plan, Route("plumber", [], 0), hvac)
    assert check(missing, problem) == ["visit leak is missing from the plan"]
    twice = dataclasses.replace(plan, unassigned=[Unassigned("leak", Reason(ReasonCode.NO_ROOM, "full"))])
    assert check(twice, problem) == ["visit leak is in the plan 2 times"]
    overtime = Problem([tech("plumber", shift=(450, 500)), tech("hvac", skills=("HVAC",))], problem.visits, Grid())
    assert check(plan, overtime) == [
        "technician plumber is back home at 520, after the end of the shift at 500",
    ]


def test_check_catches_pins_territory_and_strangers(two_trades: tuple[Problem, Plan]) -> None:
    problem, plan = two_trades
    pinned = dataclasses.replace(
        problem, visits=[visit("leak", 10, window=(480, 600), pinned_to="hvac", pinned_at=490), problem.visits[1]]
    )
    assert check(plan, pinned) == [
        "visit leak is pinned to technician hvac but is with technician plumber",
        "visit leak is pinned to start at 490, not 480",
    ]
    fenced = dataclasses.replace(problem, technicians=[tech("plumber", zips=("78745",)), problem.technicians[1]])
    assert check(plan, fenced) == ["visit leak (78701) is with technician plumber, whose territory does not cover it"]
    stranger = with_routes(plan, *plan.routes, Route("nobody", [Stop("ghost", 480, 480, 510)], 0))
    assert check(stranger, problem) == [
        "a route belongs to nobody, who is not a technician of the problem",
        "visit ghost is not a visit of the problem",
    ]

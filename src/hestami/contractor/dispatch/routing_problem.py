"""The day's routing problem and plan as plain data, and the timetable both the solver and the check read.

Times are whole minutes from the start of the day in the branch's local time zone (08:00 is 480). A technician
leaves home at or after `shift_start_minute` and is back home by `shift_end_minute`. A visit's window is its
ARRIVAL window: the work starts inside it (start ≥ window_start, start ≤ window_end) and may run past its end. A
technician who arrives early waits for the window to open. A pinned visit with a pinned start starts exactly then.

Ids are whatever the caller uses (UUIDs for the dispatch records); the solver only compares them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple

from hestami.contractor.dispatch.travel import Point, StraightLine, TravelTimeProvider

DEFAULT_TIME_LIMIT_SECONDS = 5.0
MINUTES_IN_TWO_DAYS = 2 * 24 * 60
"""The latest minute a shift may end: a night shift may run past midnight into the next day."""


@dataclass(frozen=True, slots=True)
class Technician:
    id: Hashable
    start: Point
    """Home: where the day starts and ends."""
    shift_start_minute: int
    shift_end_minute: int
    skills: frozenset[str]
    """The trades the technician may work (`Visit.trade` must be one)."""
    zip_codes: frozenset[str] | None = None
    """The territory; None: every zip code."""

    def __post_init__(self) -> None:
        if not 0 <= self.shift_start_minute <= self.shift_end_minute <= MINUTES_IN_TWO_DAYS:
            raise ValueError(f"technician {self.id}: the shift must satisfy 0 ≤ start ≤ end ≤ {MINUTES_IN_TWO_DAYS}")

    def can_work(self, visit: Visit) -> bool:
        return visit.trade in self.skills and self.covers(visit)

    def covers(self, visit: Visit) -> bool:
        return self.zip_codes is None or visit.zip_code in self.zip_codes


@dataclass(frozen=True, slots=True)
class Visit:
    id: Hashable
    point: Point
    zip_code: str
    trade: str
    window_start_minute: int
    window_end_minute: int
    """The latest start (an arrival window of 08:00-12:00 is 480-720)."""
    service_minutes: int
    pinned_technician_id: Hashable | None = None
    """Already assigned and pinned: the plan keeps it with this technician."""
    pinned_start_minute: int | None = None
    """Pinned to this start, too (it must lie inside the window)."""

    def __post_init__(self) -> None:
        if not 0 <= self.window_start_minute <= self.window_end_minute:
            raise ValueError(f"visit {self.id}: the window must satisfy 0 ≤ start ≤ end")
        if self.service_minutes < 0:
            raise ValueError(f"visit {self.id}: service_minutes must not be negative")

    @property
    def pinned(self) -> bool:
        return self.pinned_technician_id is not None or self.pinned_start_minute is not None


@dataclass(frozen=True, slots=True)
class Problem:
    technicians: Sequence[Technician]
    visits: Sequence[Visit]
    travel: TravelTimeProvider = field(default_factory=StraightLine)
    time_limit_seconds: float = DEFAULT_TIME_LIMIT_SECONDS
    """The search's budget; it stops earlier once the plan has not improved for a while."""
    seed: int = 0
    """The search's random seed (the same seed and an unexhausted time limit give the same plan)."""

    def __post_init__(self) -> None:
        for kind, ids in (("technician", [t.id for t in self.technicians]), ("visit", [v.id for v in self.visits])):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{kind} ids must be unique")
        if self.time_limit_seconds < 0:
            raise ValueError("time_limit_seconds must not be negative")


@dataclass(frozen=True, slots=True)
class Stop:
    visit_id: Hashable
    arrive_minute: int
    start_minute: int
    """max(arrival, window start): the technician waits in between."""
    end_minute: int
    """start + service minutes."""


@dataclass(frozen=True, slots=True)
class Route:
    technician_id: Hashable
    stops: list[Stop]
    travel_minutes: int
    """Home to the first stop, between stops, and the last stop back home."""


class ReasonCode(StrEnum):
    NO_SKILL = "NO_SKILL"
    OUT_OF_TERRITORY = "OUT_OF_TERRITORY"
    PINNED_TECHNICIAN_ABSENT = "PINNED_TECHNICIAN_ABSENT"
    PINNED_TECHNICIAN_INELIGIBLE = "PINNED_TECHNICIAN_INELIGIBLE"
    PINNED_START_OUTSIDE_WINDOW = "PINNED_START_OUTSIDE_WINDOW"
    UNREACHABLE = "UNREACHABLE"
    NO_ROOM = "NO_ROOM"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a visit is left unassigned: a stable code and a sentence for the dispatcher."""

    code: ReasonCode
    message: str

    def __str__(self) -> str:
        return self.message


class Unassigned(NamedTuple):
    """A visit the plan leaves for the dispatcher, and why."""

    visit_id: Hashable
    reason: Reason


@dataclass(frozen=True, slots=True)
class Plan:
    routes: list[Route]
    """One per technician of the problem, in its order (a technician with nothing to do has no stops)."""
    unassigned: list[Unassigned]
    objective: int
    """Travel minutes of all routes plus UNASSIGNED_COST per visit left unassigned (PINNED_UNASSIGNED_COST per
    pinned one): lower is better; comparable between plans of the same problem."""
    solve_seconds: float

    def route_of(self, technician_id: Hashable) -> Route | None:
        return next((r for r in self.routes if r.technician_id == technician_id), None)


UNASSIGNED_COST = 10_000
"""More than any one visit can add to travel in a day, so the search assigns every visit it can first."""
PINNED_UNASSIGNED_COST = 100_000


def unassigned_cost(visit: Visit) -> int:
    return PINNED_UNASSIGNED_COST if visit.pinned else UNASSIGNED_COST


@dataclass(frozen=True, slots=True)
class Timing:
    arrive: int
    start: int
    end: int


class Timetable:
    """Travel between the problem's places and the schedule of a sequence of visits.

    Places are numbered technicians first (their homes, 0..T-1), then visits (T..T+V-1); `visit` arguments are
    visit indexes (0..V-1). The matrix is asked of the travel provider once.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.technicians = list(problem.technicians)
        self.visits = list(problem.visits)
        places = [t.start for t in self.technicians] + [v.point for v in self.visits]
        self.matrix = problem.travel.minutes(places, places) if places else []
        self.windows = [window_of(v) for v in self.visits]

    def visit_place(self, visit: int) -> int:
        return len(self.technicians) + visit

    def travel(self, origin: int, destination: int) -> int:
        return self.matrix[origin][destination]

    def schedule(self, technician: int, sequence: Sequence[int]) -> list[Timing] | None:
        """The earliest timings of `sequence` (visit indexes) for the technician, or None when it breaks a window
        or the shift. The technician leaves home at the shift's start, or later when that only means waiting at
        the first stop (the departure is pushed back so that they arrive as the first window opens)."""
        tech = self.technicians[technician]
        now, here = tech.shift_start_minute, technician
        timings: list[Timing] = []
        for visit in sequence:
            place = self.visit_place(visit)
            arrive = now + self.matrix[here][place]
            earliest, latest = self.windows[visit]
            start = max(arrive, earliest)
            if start > latest:
                return None
            if not timings and start > arrive:
                arrive = start  # leave home later instead of waiting on the doorstep
            now = start + self.visits[visit].service_minutes
            timings.append(Timing(arrive, start, now))
            here = place
        if now + self.matrix[here][technician] > tech.shift_end_minute:
            return None
        return timings

    def travel_minutes(self, technician: int, sequence: Sequence[int]) -> int:
        places = [technician, *(self.visit_place(v) for v in sequence), technician]
        return sum(self.matrix[a][b] for a, b in pairwise(places))


def window_of(visit: Visit) -> tuple[int, int]:
    """The start window the solver works with: the arrival window, or just the pinned start."""
    if visit.pinned_start_minute is not None:
        return visit.pinned_start_minute, visit.pinned_start_minute
    return visit.window_start_minute, visit.window_end_minute

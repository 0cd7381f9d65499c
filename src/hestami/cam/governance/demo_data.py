"""The demo's governance as data: for each demo association its board of directors with a term history, its
architectural review committee, its meeting rules, a year of meetings (last year's annual meeting with its election,
the board meeting after it that approved its minutes, last month's board meeting, today's, where the board adopts a
special assessment and the pool rules, and next month's, noticed to every owner), and what the board adopts.
`demo.py` writes them.

Seat holders are named by the unit whose owner of record holds the seat (`"12"`) or by a demo login
(`"login:board"`, Blair Board, with the unit she owns where she owns one). The dates follow one association's
calendar: last year's annual meeting (`annual_on`, eleven months or so ago, so this year's is coming up), the board
meeting five weeks later, last month's board meeting, today's, and next month's (the second Tuesday). Terms are two
years, staggered: the seats of the `EARLIER` class began at the annual meeting the year before last year's and end
at this year's, the `ELECTED` seat began at last year's, and the `ENDED` seat (the past president) began two years
before last year's and ended with its term there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

TEXAS = ZoneInfo("America/Chicago")
Since = Literal["ENDED", "EARLIER", "ELECTED"]
BOARD_NAME = "Board of Directors"
COMMITTEE_NAME = "Architectural Review Committee"
COMMITTEE_PURPOSE = (
    "Reviews owners' applications for exterior changes against the declaration and the architectural guidelines, "
    "and recommends decisions to the board."
)


@dataclass(frozen=True)
class SeatSpec:
    position: str
    holder: str
    """A unit number (its first owner of record holds the seat) or `login:<demo login>`."""
    since: Since
    unit: str | None = None
    """For a login: the unit whose owner party is theirs (None: they own nothing in the association)."""
    present_today: bool = True
    """At today's board meeting (otherwise absent)."""
    votes_no: bool = False
    """Votes NO on the special assessment today (otherwise YES)."""


@dataclass(frozen=True)
class Item:
    title: str
    item_type: str = "DISCUSSION"
    session: str = "OPEN"
    description: str | None = None


@dataclass(frozen=True)
class Assessment:
    title: str
    body: str
    total: Decimal
    fund: Literal["OPERATING", "RESERVE"]
    discussed: str
    """How last month's board meeting put the project on its agenda."""


@dataclass(frozen=True)
class PoolRules:
    resolution_title: str
    policy_title: str
    body: str


@dataclass(frozen=True)
class Governance:
    slug: str
    name: str
    short: str
    channels: tuple[str, ...]
    location: str
    annual_days_ago: int
    annual_weekday: int
    """Last year's annual meeting: the weekday (0 Monday) on or before `annual_days_ago` days ago."""
    annual_hour: int
    seat_count: int
    seats: tuple[SeatSpec, ...]
    runner_up: str
    """The unit whose owner ran against the ELECTED seat's holder last year."""
    committee: tuple[SeatSpec, ...]
    assessment: Assessment
    pool_rules: PoolRules
    next_agenda: tuple[Item, ...]


def annual_on(spec: Governance, today: date) -> date:
    """Last year's annual meeting, eleven months or so ago (this year's is coming up)."""
    day = today - timedelta(days=spec.annual_days_ago)
    return day - timedelta(days=(day.weekday() - spec.annual_weekday) % 7)


def years_after(day: date, years: int) -> date:
    """The same day `years` later (February 29 becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TEXAS)


def second_tuesday_of_next_month(today: date) -> date:
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def due_on(today: date) -> date:
    """A special assessment adopted today is due on the first of the month after next."""
    return ((today.replace(day=1) + timedelta(days=32)).replace(day=1) + timedelta(days=32)).replace(day=1)


ANNUAL_AGENDA = (
    Item("Call to order and establishment of a quorum", "REPORT"),
    Item("President's report on the year", "REPORT"),
    Item("Treasurer's report and the adopted budget", "REPORT"),
    Item("Election of a director for a two-year term", "ELECTION"),
    Item("Owner open forum", "OPEN_FORUM"),
)
ORGANIZATIONAL_AGENDA = (
    Item("Election of officers for the coming year", "ACTION"),
    Item("Appointments to the Architectural Review Committee", "ACTION"),
    Item("Manager's report", "REPORT"),
)
LAST_MONTH_AGENDA = (
    Item("Reserve study presentation: percent funded and the next five years", "REPORT"),
    Item("Delinquent accounts and collection referrals", "DISCUSSION", "EXECUTIVE"),
)
TODAY_AGENDA_AFTER = (Item("Manager's report", "REPORT"),)

SUNSET = Governance(
    slug="sunset-ridge-hoa",
    name="Sunset Ridge Homeowners Association",
    short="Sunset Ridge HOA",
    channels=("EMAIL", "MAIL", "PORTAL", "POSTED"),
    location="Sunset Ridge Clubhouse, 2100 Sunset Ridge Dr",
    annual_days_ago=340,
    annual_weekday=3,
    annual_hour=19,
    seat_count=5,
    seats=(
        SeatSpec("PRESIDENT", "2", "ENDED"),
        SeatSpec("VICE_PRESIDENT", "5", "EARLIER"),
        SeatSpec("SECRETARY", "12", "EARLIER", votes_no=True),
        SeatSpec("TREASURER", "18", "EARLIER"),
        SeatSpec("DIRECTOR", "21", "EARLIER", present_today=False),
        SeatSpec("PRESIDENT", "login:board", "ELECTED", unit="3"),
    ),
    runner_up="16",
    committee=(
        SeatSpec("CHAIR", "login:board", "EARLIER", unit="3"),
        SeatSpec("MEMBER", "8", "EARLIER"),
        SeatSpec("MEMBER", "15", "ELECTED"),
    ),
    assessment=Assessment(
        title="Special assessment: pool deck resurfacing",
        body=(
            "Resolved, that the Association levies a special assessment of $10,000.00 for the pool deck resurfacing, "
            "credited to the reserve fund: the reserve study gives the deck one year of remaining life and a "
            "replacement cost of $21,600.00, and the reserve fund cannot carry it with the plaster replaced this "
            "year. Each lot pays its share, due on the date stated."
        ),
        total=Decimal("10000.00"),
        fund="RESERVE",
        discussed="Pool deck resurfacing: bids and funding options",
    ),
    pool_rules=PoolRules(
        resolution_title="Adopt the Pool and Amenity Rules",
        policy_title="Pool and Amenity Rules",
        body=(
            "1. The pool is open 9 a.m. to 9 p.m. from Memorial Day to Labor Day.\n"
            "2. Children under 14 swim with an adult. No lifeguard is on duty.\n"
            "3. No glass, pets or amplified music in the pool enclosure.\n"
            "4. Owners may bring up to four guests; private parties of up to 30 guests and 3 hours are reserved "
            "through the portal.\n"
            "5. The gate stays closed and latched; report damage to the manager."
        ),
    ),
    next_agenda=(
        Item("Treasurer's report: financials and delinquencies", "REPORT"),
        Item("Approve the insurance renewal invoice (above the manager's approval limit)", "ACTION"),
        Item("Reserve study: percent funded and the planned replacements of the next five years", "REPORT"),
        Item("Pool deck resurfacing: contractor selection", "ACTION"),
        Item("Delinquent accounts and collection referrals", "DISCUSSION", "EXECUTIVE"),
        Item("Owner open forum", "OPEN_FORUM"),
    ),
)

WILLOW = Governance(
    slug="summit-property-management",
    name="Willow Creek Homeowners Association",
    short="Willow Creek HOA",
    channels=("EMAIL", "MAIL", "PORTAL"),
    location="Willow Creek Clubhouse, 1100 Willow Creek Dr",
    annual_days_ago=350,
    annual_weekday=1,
    annual_hour=19,
    seat_count=5,
    seats=(
        SeatSpec("PRESIDENT", "5", "ENDED"),
        SeatSpec("VICE_PRESIDENT", "2", "EARLIER"),
        SeatSpec("SECRETARY", "24", "EARLIER", present_today=False),
        SeatSpec("TREASURER", "17", "EARLIER"),
        SeatSpec("DIRECTOR", "login:board", "EARLIER"),
        SeatSpec("PRESIDENT", "14", "ELECTED", votes_no=True),
    ),
    runner_up="9",
    committee=(
        SeatSpec("CHAIR", "6", "EARLIER"),
        SeatSpec("MEMBER", "10", "EARLIER"),
        SeatSpec("MEMBER", "33", "ELECTED"),
    ),
    assessment=Assessment(
        title="Special assessment: entry gate operators and access system",
        body=(
            "Resolved, that the Association levies a special assessment of $12,000.00 for replacing the entry gate "
            "operators and the access system, credited to the reserve fund: the operators fail weekly and the "
            "reserve study gives them two years at most. Each lot pays its share, due on the date stated."
        ),
        total=Decimal("12000.00"),
        fund="RESERVE",
        discussed="Entry gate operators: repair history, bids and funding options",
    ),
    pool_rules=PoolRules(
        resolution_title="Adopt the Pool Rules",
        policy_title="Pool Rules",
        body=(
            "1. The pool is open 8 a.m. to 10 p.m., May through September.\n"
            "2. No glass. Children under 14 swim with an adult.\n"
            "3. Private parties of up to 4 hours and 60 guests are reserved through the portal.\n"
            "4. Residents badge in with their RFID tag; guests stay with their host."
        ),
    ),
    next_agenda=(
        Item("Treasurer's report: financials and delinquencies", "REPORT"),
        Item("Entry gate operators: contractor selection", "ACTION"),
        Item("Landscaping contract renewal", "ACTION"),
        Item("Violation hearings: decisions", "DISCUSSION", "EXECUTIVE"),
        Item("Owner open forum", "OPEN_FORUM"),
    ),
)

HARBOR = Governance(
    slug="summit-property-management",
    name="Harbor View Condominium Association",
    short="Harbor View COA",
    channels=("EMAIL", "PORTAL", "POSTED"),
    location="Harbor Room, 4250 Ocean Dr",
    annual_days_ago=330,
    annual_weekday=5,
    annual_hour=10,
    seat_count=5,
    seats=(
        SeatSpec("PRESIDENT", "402", "ENDED"),
        SeatSpec("VICE_PRESIDENT", "305", "EARLIER"),
        SeatSpec("SECRETARY", "104", "EARLIER"),
        SeatSpec("TREASURER", "503", "EARLIER", votes_no=True),
        SeatSpec("DIRECTOR", "206", "EARLIER", present_today=False),
        SeatSpec("PRESIDENT", "201", "ELECTED"),
    ),
    runner_up="403",
    committee=(
        SeatSpec("CHAIR", "102", "EARLIER"),
        SeatSpec("MEMBER", "304", "EARLIER"),
        SeatSpec("MEMBER", "506", "ELECTED"),
    ),
    assessment=Assessment(
        title="Special assessment: garage deck coating",
        body=(
            "Resolved, that the Association levies a special assessment of $30,000.00 toward the garage deck "
            "coating, credited to the reserve fund: the coating is failing over the lower deck and the reserve "
            "study gives it two years. Each unit pays by its percentage interest under the declaration, due on "
            "the date stated."
        ),
        total=Decimal("30000.00"),
        fund="RESERVE",
        discussed="Garage deck coating: engineer's report and funding options",
    ),
    pool_rules=PoolRules(
        resolution_title="Adopt the Sky Deck Pool Rules",
        policy_title="Sky Deck Pool Rules",
        body=(
            "1. The Sky Deck pool is heated and open 7 a.m. to 10 p.m. all year.\n"
            "2. Residents and up to four guests; private events of up to 3 hours are reserved through the portal.\n"
            "3. No glass or grilling on the deck; quiet after 9 p.m.\n"
            "4. Wet swimwear stays off the lobby furniture."
        ),
    ),
    next_agenda=(
        Item("Treasurer's report: financials and delinquencies", "REPORT"),
        Item("Elevator modernization: engineer's scope", "DISCUSSION"),
        Item("Garage deck coating: contractor selection", "ACTION"),
        Item("Insurance claim for the fifth-floor water leak", "DISCUSSION", "EXECUTIVE"),
        Item("Owner open forum", "OPEN_FORUM"),
    ),
)

GOVERNANCE = (SUNSET, WILLOW, HARBOR)

"""The demo's violations as data: the rules every demo association enforces (violation types and their fine
schedules), the one association that changes the default settings, and for each association its cases, each on
an owned unit of the association demo (`cam/association/demo_data.py`) and taken to the status it shows.
`demo.py` writes them through the services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Target = Literal["NOTICED", "CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED", "FINED", "CURED", "CLOSED"]
"""How far a case goes: NOTICED is left to the lifecycle workflow (the courtesy notice of a new violation);
CURE_PERIOD and ESCALATED get the first (and second) notice at once; HEARING_SCHEDULED a hearing 20 days ahead;
FINED that hearing decided with the type's fine; CURED resolved as cured; CLOSED dismissed, then closed."""


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    category: str
    rule_reference: str
    fine_first: Decimal | None
    fine_repeat: Decimal | None
    fine_daily: Decimal | None
    fine_cap: Decimal | None
    default_cure_days: int | None = None


def _money(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _type(code: str, name: str, category: str, ref: str, fines: tuple[str | None, ...], cure: int | None) -> TypeSpec:
    first, repeat, daily, cap = (_money(f) for f in fines)
    return TypeSpec(code, name, category, ref, first, repeat, daily, cap, cure)


TYPES = (
    _type(
        "TRASH_CANS", "Trash cans visible from the street", "MAINTENANCE", "Rules 6.2", ("50", "100", "10", "500"), 7
    ),
    _type(
        "LANDSCAPING", "Lawn and landscaping not maintained", "MAINTENANCE", "CC&R 7.3", ("75", "150", "15", "750"), 21
    ),
    _type("PARKING", "Vehicle parked on the street overnight", "PARKING", "Rules 4.1", ("50", "100", "25", "500"), 3),
    _type("ARCHITECTURAL", "Unapproved exterior change", "ARCHITECTURAL", "CC&R 9.1", ("200", "400", "25", "2000"), 30),
    _type("NOISE", "Excessive noise after 10 p.m.", "NOISE", "Rules 8.1", ("100", "200", None, "1000"), None),
    _type("PETS", "Pet off leash", "PETS", "Rules 5.3", ("50", "100", None, "500"), None),
)


@dataclass(frozen=True)
class Case:
    unit: str
    code: str
    description: str
    location: str | None
    days_ago: int
    target: Target
    note: str = ""
    """The manager's note when resolving, the resolution when closing, the board's notes on a fine."""


@dataclass(frozen=True)
class Enforcement:
    slug: str
    """The organization (as in the association demo)."""
    name: str
    """The association's name (as in the association demo)."""
    short: str
    settings: dict[str, object]
    """Changes to the default violation settings (`UpdateViolationSettings` fields); empty keeps the defaults."""
    cases: tuple[Case, ...]
    decider: str = "admin"
    """The demo login who records the hearing body's decision (the admin recording the board's decision: a
    BOARD_MEMBER may decide, but the fine's charge on the ledger is created as the caller, and the ledger lets
    only management create charges)."""


SUNSET = Enforcement(
    slug="sunset-ridge-hoa",
    name="Sunset Ridge Homeowners Association",
    short="Sunset Ridge HOA",
    settings={},
    cases=(
        # Journey 2 step 5: Olivia Owner's unit; the lifecycle sends the courtesy notice at once.
        Case(
            "14", "TRASH_CANS", "Two trash cans left at the curb two days after collection.", "Driveway", 1, "NOTICED"
        ),
        Case("5", "LANDSCAPING", "Front lawn overgrown, beds full of weeds.", "Front yard", 20, "CURE_PERIOD"),
        Case(
            "8",
            "PARKING",
            "Boat trailer parked on Sunset Ridge Dr overnight, three nights running.",
            "Street",
            30,
            "ESCALATED",
        ),
        Case(
            "12",
            "ARCHITECTURAL",
            "New front fence built without architectural approval.",
            "Front yard",
            45,
            "HEARING_SCHEDULED",
        ),
        Case(
            "10",
            "TRASH_CANS",
            "Trash cans kept in front of the garage all week.",
            "Driveway",
            60,
            "FINED",
            "The owner did not appear; the cans were still out at the board's visit.",
        ),
        Case(
            "19",
            "NOISE",
            "Reported amplified music after midnight.",
            None,
            25,
            "CLOSED",
            "Dismissed: a one-off event, and the owner apologized to the neighbors.",
        ),
        Case(
            "21",
            "PETS",
            "Dog off leash in Ridgetop Park.",
            "Ridgetop Park",
            18,
            "CURED",
            "Owner confirmed the dog is leashed; no further reports.",
        ),
    ),
)
WILLOW = Enforcement(
    slug="summit-property-management",
    name="Willow Creek Homeowners Association",
    short="Willow Creek HOA",
    settings={},
    cases=(
        Case("6", "LANDSCAPING", "Dead shrubs along the front walk.", "Front yard", 2, "NOTICED"),
        Case("13", "PARKING", "Pickup parked on the sidewalk overnight.", "Sidewalk", 12, "CURE_PERIOD"),
        Case(
            "24",
            "TRASH_CANS",
            "Recycling bins stored beside the garage, visible from the street.",
            "Side yard",
            16,
            "CURED",
            "Bins moved behind the fence.",
        ),
        Case(
            "30",
            "ARCHITECTURAL",
            "Exterior painted a color not on the approved palette.",
            "House front",
            50,
            "HEARING_SCHEDULED",
        ),
    ),
)
HARBOR = Enforcement(
    slug="summit-property-management",
    name="Harbor View Condominium Association",
    short="Harbor View COA",
    settings={
        "courtesy_cure_days": 10,
        "first_notice_cure_days": 10,
        "hearing_notice_days": 15,
        "hearing_body": "COMMITTEE",
    },
    cases=(
        Case("204", "NOISE", "Loud music from the balcony after 10 p.m.", "Balcony", 1, "NOTICED"),
        Case("305", "PETS", "Dog off leash in the lobby and the elevator.", "Lobby", 28, "ESCALATED"),
        Case(
            "402",
            "PARKING",
            "Car parked in a guest space for a week.",
            "Guest parking",
            21,
            "CLOSED",
            "Dismissed: the guest pass had been issued by the front desk.",
        ),
    ),
)

ENFORCEMENTS = (WILLOW, HARBOR, SUNSET)
HEARING_DAYS_AHEAD = 20
"""Hearings are set 20 days ahead: more than the default 14 days' notice and Harbor View's 15."""

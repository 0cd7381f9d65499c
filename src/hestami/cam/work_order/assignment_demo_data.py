"""The demo's vendor-assignment data: three more plumbing providers around San Antonio, linked to Sunset Ridge HOA
(2100 Sunset Ridge Dr, 78258) next to Evergreen, and the two plumbing jobs that put them out to bid. Dates are
relative to the day the demo is seeded. `assignment_demo.py` seeds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hestami.cam.work_order.demo_data import SUNSET, Provider
from hestami.cam.work_order.schemas import Priority

ALAMO = "alamo-city-plumbing"
MISSION = "mission-rooter-drain"
HILL_COUNTRY = "hill-country-water-heaters"


@dataclass(frozen=True)
class Rated:
    """A provider's link to the association: preferred or not, and the manager's rating."""

    provider: Provider
    rating: Decimal
    preferred: bool = False


@dataclass(frozen=True)
class PutOutToBid:
    """A plumbing job at Sunset Ridge: by whom, where, and how it is put out to bid (an EMERGENCY starts its own run;
    the others are started by the manager with `providers` and `response_hours`)."""

    title: str
    description: str
    priority: Priority
    by: str
    unit: str | None = None
    area: str | None = None
    providers: int = 3
    response_hours: int = 48
    answered_by: tuple[tuple[str, Decimal, str], ...] = ()
    """(provider slug, amount, scope) of the bids that come in at once."""


COMMUNITY = SUNSET
ASSOCIATION = "Sunset Ridge Homeowners Association"


def providers_on(today: date) -> tuple[Rated, ...]:
    alamo = Provider(
        ALAMO,
        "Alamo City Plumbing",
        "admin",
    )
    mission = Provider(
        MISSION,
        "Mission Rooter & Drain",
        "admin",
    )
    hill_country = Provider(
        HILL_COUNTRY,
        "Hill Country Water Heaters",
        "admin",
    )
    return (
        Rated(alamo, Decimal("4.60")),
        Rated(mission, Decimal("4.80")),  # better rated, but its insurance lapsed: left out
        Rated(hill_country, Decimal("4.90")),  # the best rated, but Austin only: out of the area
    )


JOBS = (
    PutOutToBid(
        "Water heater burst in the garage",
        "The water heater in the garage split at the bottom seam; water is running under the door into the street. "
        "I closed the cold-water valve on top but it is still dripping.",
        "EMERGENCY",
        by="owner",
        unit="14",
        answered_by=((ALAMO, Decimal("1850.00"), "Replace the 50-gallon gas water heater, pan and expansion tank."),),
    ),
    PutOutToBid(
        "Clubhouse kitchen drain backing up",
        "The double sink in the clubhouse kitchen drains slowly and backs up into the second basin; it smells.",
        "HIGH",
        by="manager",
        area="Sunset Ridge Clubhouse",
        providers=2,
        response_hours=72,
    ),
)

"""The demo's vendor-assignment data: three more plumbing providers around San Antonio, linked to Sunset Ridge HOA
(2100 Sunset Ridge Dr, 78258) next to Evergreen, and the two plumbing jobs that put them out to bid. Dates are
relative to the day the demo is seeded. `assignment_demo.py` seeds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hestami.cam.work_order.demo_data import SAN_ANTONIO_ZIPS, SUNSET, Provider
from hestami.cam.work_order.schemas import Priority, UpsertProfile

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
    def years(n: int) -> date:
        return date(today.year + n, today.month, min(today.day, 28))

    alamo = Provider(
        ALAMO,
        "Alamo City Plumbing",
        "admin",
        UpsertProfile(
            categories=["PLUMBING", "WATER_HEATER", "DRAIN"],
            service_zip_codes=list(SAN_ANTONIO_ZIPS),
            service_radius_miles=40,
            license_number="TSBPE RMP-38120",
            license_expires_on=years(1),
            insurance_carrier="Texas Mutual (general liability, $1M)",
            insurance_expires_on=today + timedelta(days=200),
            workers_comp_expires_on=today + timedelta(days=200),
            description="Family-run plumbers on the north side of San Antonio; water heaters and slab leaks.",
        ),
    )
    mission = Provider(
        MISSION,
        "Mission Rooter & Drain",
        "admin",
        UpsertProfile(
            categories=["PLUMBING", "DRAIN"],
            service_zip_codes=list(SAN_ANTONIO_ZIPS),
            service_radius_miles=30,
            license_number="TSBPE RMP-40277",
            license_expires_on=years(1),
            insurance_carrier="Lone Star Casualty (general liability, $1M)",
            insurance_expires_on=today - timedelta(days=12),
            description="Drain cleaning and camera inspection; insurance renewal pending.",
        ),
    )
    hill_country = Provider(
        HILL_COUNTRY,
        "Hill Country Water Heaters",
        "admin",
        UpsertProfile(
            categories=["PLUMBING", "WATER_HEATER"],
            service_zip_codes=["78701", "78704", "78745", "78748", "78750"],
            service_radius_miles=25,
            license_number="TSBPE RMP-44519",
            license_expires_on=years(2),
            insurance_carrier="Hartford (general liability, $2M)",
            insurance_expires_on=today + timedelta(days=330),
            workers_comp_expires_on=today + timedelta(days=330),
            description="Tank and tankless water heaters in Austin.",
        ),
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

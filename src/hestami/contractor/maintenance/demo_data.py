"""The demo's maintenance agreements as data: Evergreen Plumbing & HVAC's members (Central Texas, 2026) — mostly
homeowner "Comfort Club" HVAC tune-ups (semi-annual) and water-heater flushes (annual), a few quarterly plans,
and Sunset Ridge HOA's quarterly pool-equipment service — and a few gutter-cleaning plans of Cibolo Creek Roofing.
Most terms started in the last three months (a year of visits ahead); a few are near renewal: one is renewed by
hand, one lapses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hestami.contractor.technician.demo_data import CIBOLO, EVERGREEN

__all__ = ["CIBOLO", "EVERGREEN", "HOA", "LAPSING", "MEMBERS", "RENEWED", "SUNSET_RIDGE", "DemoAgreement"]

SUNSET_RIDGE = "sunset-ridge-hoa"
LAPSE_WAIT_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class DemoAgreement:
    member: str
    """The customer's name (made when missing), or the HOA's organization slug."""
    plan: str
    trade: str
    schedule: str
    frequency: str
    price: Decimal
    started_days_ago: int
    """-1: a one-year term that ends today."""
    services: tuple[tuple[str, str], ...] = ()
    street: str = ""
    zip_code: str = "78258"
    auto_renew: bool = True
    organization: str = EVERGREEN
    visit_in_months: int = 2
    """A `{month}` schedule's visit: the first of the month this many months ahead."""


COMFORT = ("Comfort Club", "HVAC", "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=15", "SEMI_ANNUAL", Decimal("189.00"))
"""The spring (cooling) and fall (heating) tune-ups."""
FLUSH = ("Water Heater Care", "PLUMBING", "FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=1", "ANNUAL", Decimal("129.00"))
"""The yearly flush on the first of a month a few months ahead (`{month}`: the seeder fills it in)."""
QUARTERLY = ("Comfort Club Plus", "HVAC", "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=10", "QUARTERLY", Decimal("356.00"))
TUNE = (("HVAC-TUNE-AC", "1"), ("HVAC-FILTER", "2"))
HEATER = (("WH-FLUSH", "1"),)
NAMES = (
    "Maria Gonzalez", "James Whitfield", "Priya Raman", "Carlos Medina", "Linda Okafor", "Tom Brennan",
    "Sofia Alvarez", "Derek Huang", "Ana Castillo", "Robert Haynes", "Elena Petrova", "Marcus Reed",
    "Grace Kim", "Luis Herrera", "Hannah Schultz", "David Nguyen", "Rosa Delgado", "Kevin O'Neil",
    "Aisha Bello", "Frank Moreno", "Julia Stein", "Miguel Ortiz", "Nora Fitzgerald", "Samuel Park",
    "Teresa Lopez", "Owen Gallagher", "Irene Vasquez",
)  # fmt: skip
STREETS = ("Oak Hollow Dr", "Stone Oak Pkwy", "Canyon Golf Rd", "Bulverde Rd", "Evans Rd", "Hardy Oak Blvd")
ZIPS = ("78258", "78259", "78232", "78249", "78216", "78209")


NEAR_RENEWAL = frozenset({3, 10, 17, 24})
"""Members whose term ends within the renewal notice (their notices go out; they auto-renew at term end)."""


def _member(i: int, name: str) -> DemoAgreement:
    plan, trade, schedule, frequency, price = QUARTERLY if i % 9 == 4 else FLUSH if i % 3 == 2 else COMFORT
    services = TUNE if trade == "HVAC" else HEATER
    return DemoAgreement(
        member=name, plan=plan, trade=trade, schedule=schedule, frequency=frequency, price=price,
        started_days_ago=330 + i % 20 if i in NEAR_RENEWAL else (i * 11) % 90, services=services,
        street=f"{1200 + i * 37} {STREETS[i % 6]}", zip_code=ZIPS[i % 6], visit_in_months=i % 4 + 1,
    )  # fmt: skip


MEMBERS: tuple[DemoAgreement, ...] = tuple(_member(i, name) for i, name in enumerate(NAMES))
RENEWED = DemoAgreement(
    member="Walter Kowalski", plan="Comfort Club", trade="HVAC", schedule="FREQ=MONTHLY;INTERVAL=6",
    frequency="SEMI_ANNUAL", price=Decimal("189.00"), started_days_ago=355, services=TUNE,
    street="410 Sonterra Blvd", zip_code="78258",
)  # fmt: skip
"""Near its term's end, renewed by hand (`maintenance/v1/renew`) at the renewal price."""
LAPSING = DemoAgreement(
    member="Beatrice Lang", plan="Water Heater Care", trade="PLUMBING", schedule="FREQ=YEARLY", frequency="ANNUAL",
    price=Decimal("129.00"), started_days_ago=-1, services=HEATER, street="77 Knights Cross", zip_code="78259",
    auto_renew=False,
)  # fmt: skip
"""Its term ends today without auto-renewal: activated on a one-second "day" (its clock, recorded when it is
activated), its run lapses it during seeding."""
HOA = DemoAgreement(
    member=SUNSET_RIDGE, plan="Pool equipment service", trade="PLUMBING",
    schedule="FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=15", frequency="QUARTERLY", price=Decimal("1980.00"),
    started_days_ago=45,
)  # fmt: skip
"""Sunset Ridge HOA's quarterly pool-equipment service (pumps, filters, heaters), billed to the association."""
GUTTERS = tuple(
    DemoAgreement(member=name, plan="Gutter Guard", trade="GUTTERS", schedule="FREQ=YEARLY;BYMONTH=4,11;BYMONTHDAY=1",
                  frequency="ANNUAL", price=Decimal("240.00"), started_days_ago=days, street=street, zip_code=zip_code,
                  organization=CIBOLO)
    for name, days, street, zip_code in (
        ("Harold Jenkins", 120, "5 Fair Oaks Pkwy", "78249"), ("Mei Lin", 200, "88 Dominion Dr", "78232"),
        ("Paul Duarte", 30, "914 Elm Creek", "78216"),
    )
)  # fmt: skip

"""The demo's dispatch day: Evergreen Plumbing & HVAC's 25 visits across its six technicians (a visit for each of two
open Sunset Ridge HOA work orders handed off to Evergreen first, then the job demo's visits of the day, then the calls
below), assigned through dispatch's checks, and the burst pipe (EMERGENCY, no visit yet) left for the dispatcher.

The day is the first Tuesday, Wednesday or Thursday from the seeding day (in Chicago) when all six technicians work
(Theo Tran works Tuesday to Saturday, Toby Trujillo Monday to Thursday) and Tessa Torres is not on next week's
holiday. The calls are ordered across the three areas (North Austin, South Austin, San Antonio), so that when the job
demo's visits fill part of the day, the calls left out are spread evenly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from hestami.contractor.technician.demo_data import EVERGREEN, NORTH, SOUTH, ZONE, next_week_off

__all__ = [
    "CALLS",
    "CUSTOMERS",
    "DAY_VISITS",
    "DISPATCHER",
    "EVERGREEN",
    "HANDOFF_WAIT_SECONDS",
    "HOA",
    "HOA_VISITS",
    "OPEN_WORK_ORDER",
    "ZONE",
    "DemoCall",
    "demo_day",
]

DISPATCHER = "vendor"
"""The demo login who dispatches for Evergreen (its VENDOR and DISPATCHER member)."""
DAY_VISITS = 25
WORKING_DAYS = (1, 2, 3)  # Tuesday, Wednesday, Thursday
AM, PM, EARLY = (time(8), time(12)), (time(12), time(16)), (time(7, 30), time(10, 30))

HOA = "sunset-ridge-hoa"
"""Sunset Ridge HOA's organization (78258, San Antonio): the day visits its work orders assigned to Evergreen first."""
OPEN_WORK_ORDER = frozenset({"ASSIGNED", "SCHEDULED"})
"""Where a work order stands when its job still needs a visit (not one in progress, done or closed)."""
HOA_VISITS = ((AM, 60), (PM, 45))
"""The arrival window and minutes of the visit each of Sunset Ridge's open work orders gets, by work-order number:
one visit each for the first two."""
HANDOFF_WAIT_SECONDS = 30.0
"""How long the seeder waits for the hand-off (`job_lifecycle_v1`, asynchronous) to open those work orders' jobs."""


@dataclass(frozen=True)
class DemoCall:
    title: str
    trade: str
    priority: str
    customer: int
    """Index into CUSTOMERS (the job's address and zip code are the customer's)."""
    branch: str
    window: tuple[time, time]
    minutes: int


CUSTOMERS = (
    ("Grace Holloway", "grace.holloway@example.com", "(512) 555-3101", "8800 Burnet Rd, Austin, TX", "78759"),
    ("Marcus Bell", "marcus.bell@example.com", "(512) 555-3102", "4100 Steck Ave, Austin, TX", "78750"),
    ("Ana Lucia Ortiz", "ana.ortiz@example.com", "(512) 555-3103", "1200 E 6th St, Austin, TX", "78702"),
    ("Wen Zhao", "wen.zhao@example.com", "(512) 555-3104", "2101 Red Bud Ln, Round Rock, TX", "78664"),
    ("Kevin O'Neal", "kevin.oneal@example.com", "(512) 555-3105", "600 S 1st St, Austin, TX", "78704"),
    ("Rosa Jimenez", "rosa.jimenez@example.com", "(512) 555-3106", "5300 Brodie Ln, Austin, TX", "78745"),
    ("Tom and Jill Parker", "parkers@example.com", "(512) 555-3107", "9900 Menchaca Rd, Austin, TX", "78748"),
    ("Luis Herrera", "luis.herrera@example.com", "(210) 555-3108", "22 Sunset Ridge Dr, San Antonio, TX", "78258"),
    ("Denise Moore", "denise.moore@example.com", "(210) 555-3109", "150 Alamo Heights Blvd, San Antonio, TX",
     "78209"),
    ("Frank Castillo", "frank.castillo@example.com", "(210) 555-3110", "4400 Thousand Oaks, San Antonio, TX", "78232"),
    ("Priti Shah", "priti.shah@example.com", "(210) 555-3111", "7000 Babcock Rd, San Antonio, TX", "78249"),
    ("Olivia Grant", "olivia.grant@example.com", "(210) 555-3112", "19000 Stone Oak Pkwy, San Antonio, TX", "78259"),
    ("Sam Whitaker", "sam.whitaker@example.com", "(512) 555-3113", "1700 Gattis School Rd, Round Rock, TX", "78681"),
    ("Nora Lindqvist", "nora.lindqvist@example.com", "(210) 555-3114", "800 NW Military Hwy, San Antonio, TX",
     "78216"),
)  # fmt: skip
"""(name, email, phone, address, zip code) of the homeowners who called."""

CALLS = (
    DemoCall("AC not cooling, thermostat blank", "HVAC", "HIGH", 0, NORTH, AM, 90),
    DemoCall("Slow drain in the main shower", "PLUMBING", "MEDIUM", 5, SOUTH, EARLY, 60),
    DemoCall("Leaking relief valve on the water heater", "PLUMBING", "HIGH", 7, SOUTH, AM, 60),
    DemoCall("Replace a leaking shut-off valve", "PLUMBING", "MEDIUM", 0, NORTH, AM, 60),
    DemoCall("AC short cycling", "HVAC", "HIGH", 4, SOUTH, AM, 90),
    DemoCall("Sewer smell in the laundry room", "PLUMBING", "MEDIUM", 8, SOUTH, AM, 60),
    DemoCall("GFCI outlets in the kitchen trip", "ELECTRICAL", "MEDIUM", 3, NORTH, AM, 60),
    DemoCall("Garbage disposal jammed", "PLUMBING", "LOW", 6, SOUTH, PM, 45),
    DemoCall("Dead outlets in the garage", "ELECTRICAL", "MEDIUM", 9, SOUTH, AM, 60),
    DemoCall("Heat pump defrost check", "HVAC", "MEDIUM", 1, NORTH, AM, 60),
    DemoCall("Furnace ignitor and filter", "HVAC", "MEDIUM", 5, SOUTH, PM, 60),
    DemoCall("Replace the kitchen faucet", "PLUMBING", "LOW", 9, SOUTH, AM, 60),
    DemoCall("Install an EV charger circuit", "ELECTRICAL", "MEDIUM", 12, NORTH, AM, 120),
    DemoCall("Flickering lights in the hallway", "ELECTRICAL", "LOW", 5, SOUTH, PM, 60),
    DemoCall("Tankless heater shows an error code", "PLUMBING", "HIGH", 10, SOUTH, PM, 90),
    DemoCall("Water heater flush and anode check", "PLUMBING", "LOW", 1, NORTH, PM, 60),
    DemoCall("Add an outdoor outlet on the patio", "ELECTRICAL", "LOW", 4, SOUTH, PM, 60),
    DemoCall("Irrigation backflow test", "PLUMBING", "LOW", 11, SOUTH, PM, 45),
    DemoCall("Replace the blower capacitor", "HVAC", "MEDIUM", 2, NORTH, PM, 60),
    DemoCall("Water softener bypass valve stuck", "PLUMBING", "MEDIUM", 13, SOUTH, PM, 60),
    DemoCall("Running toilet in the guest bath", "PLUMBING", "LOW", 12, NORTH, PM, 45),
    DemoCall("Ceiling fan wobbles and hums", "ELECTRICAL", "LOW", 10, SOUTH, PM, 60),
    DemoCall("Outdoor faucet split by the freeze", "PLUMBING", "HIGH", 3, NORTH, PM, 60),
    DemoCall("Pool pump hums but will not start", "ELECTRICAL", "HIGH", 7, SOUTH, PM, 60),
    DemoCall("Seasonal HVAC maintenance", "HVAC", "LOW", 2, NORTH, PM, 60),
)  # fmt: skip


def demo_day(today: date) -> date:
    """The first Tuesday to Thursday from `today` outside Tessa Torres's holiday next week."""
    off_from, off_to = (moment.date() for moment in next_week_off(today))
    day = today
    while day.weekday() not in WORKING_DAYS or off_from <= day < off_to:
        day += timedelta(days=1)
    return day

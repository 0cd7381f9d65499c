"""The demo's jobs: Evergreen Plumbing & HVAC's homeowners off the platform (in the Austin and San Antonio zip codes
its branches serve) and 22 DIRECT jobs in every state of the lifecycle. Dates are relative to the day the demo is
seeded (in Chicago): twelve visits today and tomorrow in arrival windows of 8 to 12 and 12 to 16, so the dispatch
board has a day to show; a burst pipe (EMERGENCY) with no visit yet; work finished yesterday waiting for its QA
checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hestami.contractor.technician.demo_data import EVERGREEN, NORTH, SOUTH

EVERGREEN_SLUG = EVERGREEN
ZONE = ZoneInfo("America/Chicago")
WINDOWS = {"AM": (time(8), time(12)), "PM": (time(12), time(16))}


@dataclass(frozen=True)
class DemoCustomer:
    name: str
    email: str
    phone: str
    address: str
    zip_code: str


@dataclass(frozen=True)
class DemoVisit:
    day: int | None
    """Days from the seeding day (0 today, 1 tomorrow, -1 yesterday); None for a visit without a window."""
    window: str | None
    duration_minutes: int = 90
    pinned: bool = False
    moves: tuple[str, ...] = ()
    """The statuses it goes through after SCHEDULED (dispatch's moves)."""
    notes: str | None = None


@dataclass(frozen=True)
class DemoJob:
    title: str
    trade: str
    priority: str
    customer: int | None
    """Index into CUSTOMERS; None for a walk-in with its own address."""
    branch: str
    status: str
    description: str | None = None
    visits: tuple[DemoVisit, ...] = ()
    qa: str | None = None
    """A QA checkpoint: PENDING or PASSED (added before the job moves on)."""
    warranty_days: int | None = None
    """A WARRANTY checkpoint due that many days from the seeding day."""
    notes: tuple[tuple[str, bool], ...] = ()
    """(body, internal)."""
    address: tuple[str, str] | None = None
    """A walk-in's (address, zip code)."""


CUSTOMERS = (
    DemoCustomer("Maria Delgado", "maria.delgado@example.com", "(512) 555-2101", "1804 S 5th St, Austin, TX", "78704"),
    DemoCustomer("James Whitfield", "jwhitfield@example.com", "(512) 555-2102", "9212 Spring Hollow Dr, Austin, TX",
                 "78759"),
    DemoCustomer("Priya Raman", "priya.raman@example.com", "(512) 555-2103", "10305 Boulder Ln, Austin, TX", "78750"),
    DemoCustomer("Robert and Linda Okafor", "okafor.family@example.com", "(512) 555-2104",
                 "7001 Manchaca Rd, Austin, TX", "78745"),
    DemoCustomer("Carlos Mendoza", "cmendoza@example.com", "(210) 555-2105", "311 Terrell Rd, San Antonio, TX",
                 "78209"),
    DemoCustomer("Hannah Schultz", "hannah.schultz@example.com", "(210) 555-2106", "14 Bluff Park, San Antonio, TX",
                 "78232"),
    DemoCustomer("Derek Lawson", "derek.lawson@example.com", "(512) 555-2107", "1510 Sam Bass Rd, Round Rock, TX",
                 "78664"),
    DemoCustomer("Sofia Alvarez", "sofia.alvarez@example.com", "(210) 555-2108", "6023 Babcock Rd, San Antonio, TX",
                 "78249"),
)  # fmt: skip

JOBS = (
    DemoJob("Water heater leaking at the base", "PLUMBING", "HIGH", 0, SOUTH, "SCHEDULED",
            "40-gallon gas unit in the garage, about 12 years old.", (DemoVisit(0, "AM", 120),),
            notes=(("Leak started Tuesday; bring a 50-gallon gas unit on the truck.", True),)),
    DemoJob("No cooling upstairs", "HVAC", "HIGH", 1, NORTH, "DISPATCHED",
            "Second-floor zone blows warm air; downstairs is fine.", (DemoVisit(0, "AM", 90, moves=("DISPATCHED",)),),
            notes=(("The homeowner will leave the side gate unlocked.", False),)),
    DemoJob("Kitchen sink drain clogged", "PLUMBING", "MEDIUM", 2, NORTH, "IN_PROGRESS",
            visits=(DemoVisit(0, "AM", 60, moves=("DISPATCHED", "IN_PROGRESS")),)),
    DemoJob("Annual AC tune-up", "HVAC", "LOW", 3, SOUTH, "SCHEDULED", visits=(DemoVisit(0, "PM", 60),)),
    DemoJob("Replace garbage disposal", "PLUMBING", "MEDIUM", 4, SOUTH, "SCHEDULED",
            "Customer bought a 3/4 HP unit; install only.", (DemoVisit(0, "PM", 60),)),
    DemoJob("Breaker trips when the dryer runs", "ELECTRICAL", "MEDIUM", 6, NORTH, "SCHEDULED",
            visits=(DemoVisit(0, "PM", 90),)),
    DemoJob("Install a ceiling fan in the bedroom", "ELECTRICAL", "LOW", 5, SOUTH, "SCHEDULED",
            visits=(DemoVisit(1, "AM", 120),)),
    DemoJob("Furnace bangs when it starts", "HVAC", "MEDIUM", 7, SOUTH, "SCHEDULED", visits=(DemoVisit(1, "AM", 90),)),
    DemoJob("Low water pressure in both bathrooms", "PLUMBING", "MEDIUM", 1, NORTH, "SCHEDULED",
            visits=(DemoVisit(1, "PM", 90),)),
    DemoJob("Tankless water heater installation", "PLUMBING", "MEDIUM", 2, NORTH, "SCHEDULED",
            "Replace the tank with a 199k BTU tankless unit; new venting through the roof.",
            (DemoVisit(1, "AM", 240, pinned=True, notes="Rough-in and venting"),
             DemoVisit(1, "PM", 180, pinned=True, notes="Set the unit, gas and water, start-up")),
            qa="PENDING"),
    DemoJob("Replace the thermostat", "HVAC", "LOW", 0, SOUTH, "SCHEDULED", visits=(DemoVisit(1, "PM", 45),)),
    DemoJob("Burst pipe under the slab", "PLUMBING", "EMERGENCY", 3, SOUTH, "JOB_CREATED",
            "Water coming up through the living-room floor; the main is shut off.",
            notes=(("Customer is without water: first free plumber.", True),)),
    DemoJob("Estimate: whole-house repipe", "PLUMBING", "LOW", 5, SOUTH, "ESTIMATE_REQUIRED",
            "Polybutylene supply lines, 1984 house."),
    DemoJob("Gas line to an outdoor kitchen", "PLUMBING", "LOW", 4, SOUTH, "LEAD",
            "Called from the website; wants a quote in the spring."),
    DemoJob("Toilet runs constantly", "PLUMBING", "LOW", 6, NORTH, "TICKET"),
    DemoJob("Replace the condenser fan motor", "HVAC", "HIGH", 7, SOUTH, "ON_HOLD",
            visits=(DemoVisit(-1, "AM", 90, moves=("IN_PROGRESS", "COMPLETED")), DemoVisit(None, None, 60)),
            notes=(("Motor on back order at the supply house; ETA Friday.", True),)),
    DemoJob("Water softener installation", "PLUMBING", "MEDIUM", 2, NORTH, "COMPLETED",
            visits=(DemoVisit(-1, "PM", 180, moves=("IN_PROGRESS", "COMPLETED")),), qa="PENDING"),
    DemoJob("Repair a leaking outdoor spigot", "PLUMBING", "LOW", None, NORTH, "INVOICED",
            address=("611 W 6th St, Austin, TX", "78701")),
    DemoJob("Duct cleaning and sealing", "HVAC", "MEDIUM", 3, SOUTH, "PAID", qa="PASSED"),
    DemoJob("Main panel upgrade to 200 A", "ELECTRICAL", "HIGH", 6, NORTH, "CLOSED", qa="PASSED"),
    DemoJob("Sewer line camera inspection", "PLUMBING", "MEDIUM", 0, SOUTH, "CANCELLED",
            visits=(DemoVisit(1, "AM", 60),)),
    DemoJob("Water heater replaced last month", "PLUMBING", "MEDIUM", 1, NORTH, "WARRANTY", warranty_days=335),
)  # fmt: skip


def window(today: date, visit: DemoVisit) -> tuple[datetime | None, datetime | None]:
    """The visit's arrival window on its day, in Chicago (none for a visit without a day)."""
    if visit.window is None or visit.day is None:
        return None, None
    day = today + timedelta(days=visit.day)
    starts, ends = WINDOWS[visit.window]
    return datetime.combine(day, starts, tzinfo=ZONE), datetime.combine(day, ends, tzinfo=ZONE)

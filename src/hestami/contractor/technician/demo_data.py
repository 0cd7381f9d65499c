"""The demo's technicians: Evergreen Plumbing & HVAC's six field technicians (the demo logins tech1@ .. tech6@,
TECHNICIAN members of evergreen-plumbing), split across its Austin North and Austin South branches, with a mix of
plumbing, HVAC and electrical skills, weekly shifts, territories and certifications. Austin South covers San
Antonio, Sunset Ridge's zip code (78258, the Sunset Ridge property's address in the association demo) among them;
Tina Tate's territory is also drawn as a polygon around Sunset Ridge (kept as data). Dates are relative to the day
the demo is seeded: Tessa Torres is off Monday to Wednesday next week, Theo Tran's journeyman electrician licence
expires in 20 days. Cibolo Creek Roofing's roofer Tomas Tovar (tech7@) covers San Antonio, Sunset Ridge included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EVERGREEN = "evergreen-plumbing"
CIBOLO = "cibolo-roofing"
NORTH, SOUTH = "Austin North", "Austin South"
SAN_ANTONIO_BRANCH = "San Antonio"
ZONE = ZoneInfo("America/Chicago")

SUNSET_RIDGE_ZIP = "78258"
NORTH_AUSTIN = ("78701", "78702", "78750", "78759", "78664", "78665", "78681")
SOUTH_AUSTIN = ("78701", "78704", "78745", "78748")
SAN_ANTONIO = ("78209", "78216", "78232", "78249", SUNSET_RIDGE_ZIP, "78259")
SUNSET_RIDGE_AREA = [[-98.505, 29.630], [-98.470, 29.630], [-98.470, 29.655], [-98.505, 29.655], [-98.505, 29.630]]

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


def days_of(days: tuple[str, ...], starts: time, ends: time) -> tuple[tuple[str, time, time], ...]:
    return tuple((day, starts, ends) for day in days)


@dataclass(frozen=True)
class DemoCertification:
    name: str
    issuer: str
    number: str
    trade: str | None
    issued_on: date
    expires_in_days: int | None
    """Days from the seeding day to its expiry (None: it does not expire)."""


@dataclass(frozen=True)
class DemoTechnician:
    login: str
    name: str
    employee_number: str
    branch: str
    phone: str
    home_zip_code: str
    hired_on: date
    skills: tuple[tuple[str, str], ...]
    shifts: tuple[tuple[str, time, time], ...]
    zip_codes: tuple[str, ...]
    polygons: tuple[dict[str, object], ...] = ()
    certifications: tuple[DemoCertification, ...] = ()
    time_off_next_week: str | None = None
    """The reason of a Monday-to-Wednesday absence next week, if any."""
    organization: str = EVERGREEN
    """The contractor's slug (its ADMIN, admin@, makes the technician)."""


TECHNICIANS = (
    DemoTechnician(
        "tech1", "Terry Tech", "EV-101", NORTH, "(512) 555-0101", "78759", date(2016, 4, 4),
        skills=(("PLUMBING", "MASTER"), ("HVAC", "JOURNEYMAN")),
        shifts=days_of(WEEKDAYS, time(7), time(17)),
        zip_codes=NORTH_AUSTIN,
        certifications=(
            DemoCertification("Backflow Prevention Assembly Tester", "TCEQ", "BPAT-22107", "PLUMBING",
                              date(2024, 2, 1), 730),
        ),
    ),
    DemoTechnician(
        "tech2", "Tessa Torres", "EV-102", NORTH, "(512) 555-0102", "78750", date(2018, 9, 10),
        skills=(("HVAC", "MASTER"),),
        shifts=days_of(WEEKDAYS, time(7), time(17)),
        zip_codes=(*NORTH_AUSTIN, "78704"),
        certifications=(
            DemoCertification("EPA Section 608 Universal", "US EPA", "608-U-551902", "HVAC", date(2012, 5, 14), None),
        ),
        time_off_next_week="Family vacation",
    ),
    DemoTechnician(
        "tech3", "Theo Tran", "EV-103", NORTH, "(512) 555-0103", "78664", date(2021, 1, 18),
        skills=(("ELECTRICAL", "JOURNEYMAN"), ("HVAC", "APPRENTICE")),
        shifts=days_of(("TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"), time(8), time(18)),
        zip_codes=(*NORTH_AUSTIN, *SOUTH_AUSTIN),
        certifications=(
            DemoCertification("Journeyman Electrician", "TDLR", "JE-418833", "ELECTRICAL", date(2022, 1, 5), 20),
        ),
    ),
    DemoTechnician(
        "tech4", "Tina Tate", "EV-201", SOUTH, "(210) 555-0104", "78258", date(2017, 7, 24),
        skills=(("PLUMBING", "JOURNEYMAN"),),
        shifts=days_of(WEEKDAYS, time(7), time(17)),
        zip_codes=SAN_ANTONIO,
        polygons=({"name": "Sunset Ridge", "rings": [SUNSET_RIDGE_AREA]},),
        certifications=(
            DemoCertification("Backflow Prevention Assembly Tester", "TCEQ", "BPAT-30544", "PLUMBING",
                              date(2023, 8, 1), 400),
        ),
    ),
    DemoTechnician(
        "tech5", "Toby Trujillo", "EV-202", SOUTH, "(210) 555-0105", "78232", date(2024, 6, 3),
        skills=(("PLUMBING", "APPRENTICE"), ("ELECTRICAL", "APPRENTICE")),
        shifts=days_of(("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"), time(6), time(16, 30)),
        zip_codes=SAN_ANTONIO,
    ),
    DemoTechnician(
        "tech6", "Tara Thompson", "EV-203", SOUTH, "(512) 555-0106", "78745", date(2019, 3, 11),
        skills=(("HVAC", "JOURNEYMAN"), ("PLUMBING", "JOURNEYMAN")),
        shifts=(*days_of(WEEKDAYS, time(7), time(11)), *days_of(WEEKDAYS, time(12), time(16)),
                ("SATURDAY", time(8), time(12))),
        zip_codes=(*SOUTH_AUSTIN, SUNSET_RIDGE_ZIP, "78259"),
        certifications=(
            DemoCertification("EPA Section 608 Universal", "US EPA", "608-U-600417", "HVAC", date(2019, 2, 20), None),
        ),
    ),
    DemoTechnician(
        "tech7", "Tomas Tovar", "CC-101", SAN_ANTONIO_BRANCH, "(210) 555-0177", "78259", date(2020, 2, 17),
        skills=(("ROOFING", "MASTER"), ("GUTTERS", "JOURNEYMAN")),
        shifts=days_of(WEEKDAYS, time(7), time(17)),
        zip_codes=SAN_ANTONIO,
        certifications=(
            DemoCertification("OSHA 30-Hour Construction", "OSHA", "OSHA30-7781220", "ROOFING", date(2021, 3, 8),
                              None),
        ),
        organization=CIBOLO,
    ),
)  # fmt: skip


def next_week_off(today: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to Thursday 00:00 of next week, in Chicago."""
    monday = today + timedelta(days=7 - today.weekday())
    return (
        datetime.combine(monday, time(0), tzinfo=ZONE),
        datetime.combine(monday + timedelta(days=3), time(0), tzinfo=ZONE),
    )

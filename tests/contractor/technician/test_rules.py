"""The workforce's pure rules, without a database: every eligibility reason, the window's edges against a shift,
daylight saving time, windows crossing midnight, overlapping time off and shifts, lapsed certifications, and the
KPIs over job facts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hestami.contractor.technician.eligibility import (
    Absence,
    Credential,
    Job,
    Standing,
    TechnicianFacts,
    WeeklyShift,
    lapsed,
    overlapping_shifts,
    reasons,
)
from hestami.contractor.technician.kpis import JobFact, kpis

CHICAGO = ZoneInfo("America/Chicago")
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
WEEK = tuple(WeeklyShift(day, time(8), time(17)) for day in WEEKDAYS)
GOOD = Standing(True)


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def facts(**changes: object) -> TechnicianFacts:
    base: dict[str, object] = {
        "active": True,
        "time_zone": "America/Chicago",
        "trades": frozenset({"PLUMBING"}),
        "territory_zip_codes": frozenset({"78258", "78701"}),
        "shifts": WEEK,
    }
    return TechnicianFacts(**{**base, **changes})  # type: ignore[arg-type]


def job(starts: datetime, ends: datetime, trade: str = "PLUMBING", zip_code: str = "78258") -> Job:
    return Job(trade, zip_code, starts, ends)


def codes(found: list) -> list[str]:  # type: ignore[type-arg]
    return [r.code for r in found]


# A Wednesday in June (CDT, UTC-5).
MORNING = job(local(2026, 6, 10, 9), local(2026, 6, 10, 11))


def test_an_eligible_technician_has_no_reasons() -> None:
    assert reasons(facts(), MORNING, GOOD) == []


def test_each_reason_alone() -> None:
    assert codes(reasons(facts(active=False), MORNING, GOOD)) == ["INACTIVE"]
    found = reasons(facts(), MORNING, Standing(False, ("GENERAL_LIABILITY_EXPIRED",)))
    assert codes(found) == ["CONTRACTOR_NON_COMPLIANT"]
    assert found[0].details == {"issues": ["GENERAL_LIABILITY_EXPIRED"]}
    assert codes(reasons(facts(), job(MORNING.starts_at, MORNING.ends_at, trade="HVAC"), GOOD)) == ["NO_SKILL"]
    assert codes(reasons(facts(), job(MORNING.starts_at, MORNING.ends_at, zip_code="10001"), GOOD)) == [
        "OUT_OF_TERRITORY"
    ]
    assert codes(reasons(facts(shifts=()), MORNING, GOOD)) == ["OUTSIDE_SHIFT"]
    off = Absence(uuid.uuid4(), local(2026, 6, 10, 10), local(2026, 6, 12, 0))
    found = reasons(facts(time_off=(off,)), MORNING, GOOD)
    assert codes(found) == ["TIME_OFF"]
    assert found[0].details["time_off_id"] == str(off.id)
    lapsed_card = Credential(uuid.uuid4(), "Backflow tester", "PLUMBING", date(2026, 6, 9))
    found = reasons(facts(certifications=(lapsed_card,)), MORNING, GOOD)
    assert codes(found) == ["CERTIFICATION_EXPIRED"]
    assert found[0].details == {"certification_id": str(lapsed_card.id), "expires_on": "2026-06-09"}


def test_every_reason_is_reported_not_just_the_first() -> None:
    off = Absence(uuid.uuid4(), local(2026, 6, 10, 0), local(2026, 6, 11, 0))
    old = Credential(uuid.uuid4(), "Medical gas", "HVAC", date(2020, 1, 1))
    technician = facts(active=False, shifts=(), time_off=(off,), certifications=(old,))
    found = reasons(technician, job(MORNING.starts_at, MORNING.ends_at, "HVAC", "99999"), Standing(False))
    assert codes(found) == [
        "INACTIVE", "CONTRACTOR_NON_COMPLIANT", "NO_SKILL", "CERTIFICATION_EXPIRED", "OUT_OF_TERRITORY",
        "OUTSIDE_SHIFT", "TIME_OFF",
    ]  # fmt: skip


def test_a_window_ending_exactly_at_the_shift_end_is_inside_one_minute_past_is_not() -> None:
    assert reasons(facts(), job(local(2026, 6, 10, 15), local(2026, 6, 10, 17)), GOOD) == []
    late = reasons(facts(), job(local(2026, 6, 10, 15), local(2026, 6, 10, 17, 1)), GOOD)
    assert codes(late) == ["OUTSIDE_SHIFT"]
    assert reasons(facts(), job(local(2026, 6, 10, 8), local(2026, 6, 10, 9)), GOOD) == []
    early = reasons(facts(), job(local(2026, 6, 10, 7, 59), local(2026, 6, 10, 9)), GOOD)
    assert codes(early) == ["OUTSIDE_SHIFT"]


def test_the_window_must_lie_inside_one_shift_of_its_weekday() -> None:
    split = (WeeklyShift("WEDNESDAY", time(7), time(12)), WeeklyShift("WEDNESDAY", time(13), time(17)))
    technician = facts(shifts=split)
    assert reasons(technician, job(local(2026, 6, 10, 13), local(2026, 6, 10, 14)), GOOD) == []
    assert codes(reasons(technician, job(local(2026, 6, 10, 11), local(2026, 6, 10, 14)), GOOD)) == ["OUTSIDE_SHIFT"]
    thursday = job(local(2026, 6, 11, 9), local(2026, 6, 11, 10))
    assert codes(reasons(technician, thursday, GOOD)) == ["OUTSIDE_SHIFT"]


@pytest.mark.parametrize(
    ("day", "offset_hours"),
    [(date(2026, 3, 8), -5), (date(2026, 11, 1), -6)],
    ids=["spring forward (CDT from 02:00)", "fall back (CST from 02:00)"],
)
def test_shifts_are_wall_clock_times_on_the_days_the_clocks_change(day: date, offset_hours: int) -> None:
    """Sunday 08:00-17:00 in Chicago is 13:00-22:00 UTC on the spring day and 14:00-23:00 UTC on the autumn day:
    the whole shift is bookable by its UTC times, and a minute outside it is not."""
    sunday = facts(shifts=(WeeklyShift("SUNDAY", time(8), time(17)),))
    start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) - timedelta(hours=offset_hours)
    end = start + timedelta(hours=9)
    assert reasons(sunday, job(start, end), GOOD) == []
    assert codes(reasons(sunday, job(start - timedelta(minutes=1), end), GOOD)) == ["OUTSIDE_SHIFT"]
    assert codes(reasons(sunday, job(start, end + timedelta(minutes=1)), GOOD)) == ["OUTSIDE_SHIFT"]


def test_an_early_shift_on_the_spring_day_is_read_after_the_gap() -> None:
    """01:00-04:00 local on the spring day is only two hours long: 07:00-09:00 UTC fits it."""
    night = facts(shifts=(WeeklyShift("SUNDAY", time(1), time(4)),))
    starts, ends = datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 3, 8, 9, tzinfo=UTC)
    assert reasons(night, job(starts, ends), GOOD) == []
    assert codes(reasons(night, job(starts, ends + timedelta(minutes=1)), GOOD)) == ["OUTSIDE_SHIFT"]


def test_a_window_crossing_midnight_is_inside_no_shift() -> None:
    long_days = tuple(WeeklyShift(day, time(0), time(23, 59)) for day in WEEKDAYS)
    technician = facts(shifts=long_days)
    assert reasons(technician, job(local(2026, 6, 10, 22), local(2026, 6, 10, 23, 59)), GOOD) == []
    crossing = job(local(2026, 6, 10, 23), local(2026, 6, 11, 1))
    assert codes(reasons(technician, crossing, GOOD)) == ["OUTSIDE_SHIFT"]
    # Midnight in UTC is not midnight in Chicago: 23:00-01:00 UTC is 18:00-20:00 CDT, inside Wednesday.
    utc_crossing = job(datetime(2026, 6, 10, 23, tzinfo=UTC), datetime(2026, 6, 11, 1, tzinfo=UTC))
    assert reasons(technician, utc_crossing, GOOD) == []


def test_the_window_is_read_in_the_technicians_own_time_zone() -> None:
    """09:00-10:00 Chicago is 07:00-08:00 in Los Angeles: outside an 08:00 shift there."""
    pacific = facts(time_zone="America/Los_Angeles")
    assert codes(reasons(pacific, MORNING, GOOD)) == ["OUTSIDE_SHIFT"]


def test_time_off_periods_are_half_open() -> None:
    before = Absence(uuid.uuid4(), local(2026, 6, 10, 0), local(2026, 6, 10, 9))
    after = Absence(uuid.uuid4(), local(2026, 6, 10, 11), local(2026, 6, 10, 18))
    assert reasons(facts(time_off=(before, after)), MORNING, GOOD) == []
    inside = Absence(uuid.uuid4(), local(2026, 6, 10, 9, 30), local(2026, 6, 10, 9, 45))
    assert codes(reasons(facts(time_off=(inside, before)), MORNING, GOOD)) == ["TIME_OFF"]


def test_a_certification_is_valid_through_its_expiry_day_and_a_renewal_replaces_it() -> None:
    card = Credential(uuid.uuid4(), "Backflow tester", "PLUMBING", date(2026, 6, 10))
    assert lapsed([card], "PLUMBING", date(2026, 6, 10)) == []
    assert lapsed([card], "PLUMBING", date(2026, 6, 11)) == [card]
    renewed = Credential(uuid.uuid4(), "BACKFLOW TESTER", "PLUMBING", date(2028, 6, 10))
    assert lapsed([card, renewed], "PLUMBING", date(2027, 1, 1)) == []
    lifetime = Credential(uuid.uuid4(), "Backflow tester", "PLUMBING", None)
    assert lapsed([card, lifetime], "PLUMBING", date(2030, 1, 1)) == []
    other_trade = Credential(uuid.uuid4(), "EPA 608", "HVAC", date(2020, 1, 1))
    assert lapsed([other_trade], "PLUMBING", date(2030, 1, 1)) == []


def test_the_certification_is_judged_on_the_local_day_the_window_ends() -> None:
    """Valid through June 10 in Chicago: a window ending 23:30 CDT on June 10 (04:30 UTC on June 11) is fine."""
    card = Credential(uuid.uuid4(), "Backflow tester", "PLUMBING", date(2026, 6, 10))
    night = facts(certifications=(card,), shifts=(WeeklyShift("WEDNESDAY", time(22), time(23, 59)),))
    window = job(local(2026, 6, 10, 22, 30), local(2026, 6, 10, 23, 30))
    assert window.ends_at.astimezone(UTC).date() == date(2026, 6, 11)
    assert reasons(night, window, GOOD) == []


def test_overlapping_shifts_of_one_weekday_are_found_touching_ones_are_not() -> None:
    touching = [WeeklyShift("MONDAY", time(7), time(12)), WeeklyShift("MONDAY", time(12), time(17))]
    assert overlapping_shifts(touching) == []
    other_days = [WeeklyShift("MONDAY", time(7), time(17)), WeeklyShift("TUESDAY", time(7), time(17))]
    assert overlapping_shifts(other_days) == []
    nested = [WeeklyShift("MONDAY", time(7), time(17)), WeeklyShift("MONDAY", time(9), time(10)),
              WeeklyShift("MONDAY", time(11), time(12))]  # fmt: skip
    assert overlapping_shifts(nested)


# --- KPIs -------------------------------------------------------------------------------------------------------


def test_no_jobs_are_zero_jobs_and_no_rates() -> None:
    figures = kpis([])
    assert (figures.jobs_completed, figures.first_time_fix_rate, figures.average_job_minutes) == (0, None, None)
    unfinished = kpis([JobFact(completed=False, visits=1, minutes_worked=30)])
    assert (unfinished.jobs_completed, unfinished.first_time_fix_rate) == (0, None)


def test_kpis_over_synthetic_jobs() -> None:
    facts_ = [
        JobFact(completed=True, visits=1, minutes_worked=60),
        JobFact(completed=True, visits=2, minutes_worked=120),
        JobFact(completed=True, visits=1, minutes_worked=45, callback=True),
        JobFact(completed=True, visits=1, minutes_worked=None),
        JobFact(completed=True, visits=1, minutes_worked=90),
        JobFact(completed=True, visits=1, minutes_worked=30),
        JobFact(completed=False, visits=3, minutes_worked=500),
    ]
    figures = kpis(facts_)
    assert figures.jobs_completed == 6
    assert figures.first_time_fix_rate == Decimal("0.6667")  # 4 of 6, half-even to 4 places
    assert figures.average_job_minutes == Decimal("69.0")  # (60 + 120 + 45 + 90 + 30) / 5


def test_kpi_rounding() -> None:
    assert kpis([JobFact(True, 1, 1), JobFact(True, 1, 2)]).average_job_minutes == Decimal("1.5")
    three = [JobFact(True, 1, 10), JobFact(True, 2, 10), JobFact(True, 2, 11)]
    figures = kpis(three)
    assert figures.first_time_fix_rate == Decimal("0.3333")
    assert figures.average_job_minutes == Decimal("10.3")
    assert kpis(
        [JobFact(True, 1, 1), JobFact(True, 1, 2), JobFact(True, 1, 2), JobFact(True, 1, 2)]
    ).average_job_minutes == Decimal("1.8")

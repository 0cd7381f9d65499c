"""Dispatch's pure rules, without a database: where a slot may lie, periods, a day's bounds and capacity, SLA
windows, and where an assignment goes when its job moves on."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from hestami.contractor.dispatch import rules

T0 = datetime(2030, 6, 12, 13, 0, tzinfo=UTC)  # 08:00 in Chicago (CDT)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def test_the_slot_starts_in_the_window_and_ends_by_its_end_plus_the_duration() -> None:
    window = rules.Window(hours(0), hours(2))
    assert rules.within_window(window, 60, hours(0), hours(1))
    assert rules.within_window(window, 60, hours(2), hours(3))  # the latest arrival, the latest end
    assert not rules.within_window(window, 60, hours(-0.25), hours(0.75))
    assert not rules.within_window(window, 60, hours(2.25), hours(3))
    assert not rules.within_window(window, 60, hours(1.5), hours(3.25))


def test_periods_are_half_open() -> None:
    assert not rules.overlaps(hours(0), hours(1), hours(1), hours(2))
    assert rules.overlaps(hours(0), hours(1.01), hours(1), hours(2))
    assert rules.covered_minutes([(hours(0), hours(1)), (hours(0.5), hours(2))], hours(0), hours(3)) == 120
    assert rules.gaps(hours(0), hours(4), [(hours(1), hours(2)), (hours(1.5), hours(3))]) == [
        (hours(0), hours(1)), (hours(3), hours(4)),
    ]  # fmt: skip
    assert rules.gaps(hours(0), hours(4), [(hours(-1), hours(5))]) == []


def test_a_day_is_local_midnight_to_midnight() -> None:
    assert rules.day_bounds(date(2030, 6, 12), "America/Chicago") == (
        datetime(2030, 6, 12, 5, tzinfo=UTC), datetime(2030, 6, 13, 5, tzinfo=UTC),
    )  # fmt: skip
    starts, ends = rules.day_bounds(date(2030, 3, 10), "America/Chicago")  # clocks go forward: 23 hours
    assert ends - starts == timedelta(hours=23)


def test_capacity_is_the_shifts_less_time_off_less_booked_minutes() -> None:
    shifts = rules.shift_periods(
        [("WEDNESDAY", time(8), time(12)), ("WEDNESDAY", time(13), time(17)), ("THURSDAY", time(8), time(17))],
        date(2030, 6, 12), "America/Chicago",
    )  # fmt: skip
    assert shifts == [(hours(0), hours(4)), (hours(5), hours(9))]
    assert rules.capacity_left(shifts, [], []) == (480, 0, 480)
    booked = [(hours(1), hours(2.5)), (hours(4.5), hours(6))]  # 90 minutes, then 60 of 90 inside a shift
    assert rules.capacity_left(shifts, [(hours(7), hours(10))], booked) == (360, 150, 210)
    assert rules.capacity_left(shifts, [(hours(-1), hours(10))], booked)[2] == 0


def test_sla_windows_default_per_priority() -> None:
    assert rules.respond_within("EMERGENCY", {}) == 120
    assert rules.respond_within("LOW", {}) == 4320
    assert rules.respond_within("HIGH", {"HIGH": 30}) == 30
    assert rules.sla_met("IN_PROGRESS", [])
    assert rules.sla_met("SCHEDULED", ["ON_SITE"])
    assert not rules.sla_met("DISPATCHED", ["EN_ROUTE", "CANCELLED"])


@pytest.mark.parametrize(
    ("current", "job", "visit", "expected"),
    [
        ("ASSIGNED", "CANCELLED", "CANCELLED", "CANCELLED"),
        ("EN_ROUTE", "SCHEDULED", "CANCELLED", "CANCELLED"),
        ("ON_SITE", "COMPLETED", "IN_PROGRESS", "COMPLETED"),
        ("ASSIGNED", "IN_PROGRESS", "COMPLETED", "COMPLETED"),
        ("EN_ROUTE", "IN_PROGRESS", "DISPATCHED", "ON_SITE"),
        ("ASSIGNED", "IN_PROGRESS", "SCHEDULED", None),  # another visit of the job is under way
        ("ASSIGNED", "IN_PROGRESS", "IN_PROGRESS", "ON_SITE"),
        ("ON_SITE", "ON_HOLD", "IN_PROGRESS", None),
        ("CANCELLED", "COMPLETED", "COMPLETED", None),
    ],
)
def test_an_assignment_follows_its_job_and_visit(current: str, job: str, visit: str, expected: str | None) -> None:
    assert rules.followed_status(current, job, visit) == expected

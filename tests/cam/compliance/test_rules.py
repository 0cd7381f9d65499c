"""Domain 12's recurrence rules as pure functions (no database): the due dates an RRULE gives from its anchor in a
window (edges included), the guard against rules that give too many dates, the texts that are not rules, and a
deadline's reminder date, overdue moment and status around each edge. Every expected date is worked out by hand
in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hestami.cam.compliance import rules

ANNUAL_REPORT = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31"


def test_a_yearly_rule_gives_its_month_and_day_each_year_of_the_window() -> None:
    dates = rules.occurrences(ANNUAL_REPORT, date(2025, 1, 1), date(2025, 1, 1), date(2027, 12, 31))
    assert dates == [date(2025, 3, 31), date(2026, 3, 31), date(2027, 3, 31)]


def test_the_window_includes_both_edges_and_nothing_beyond() -> None:
    anchor = date(2025, 1, 1)
    assert rules.occurrences(ANNUAL_REPORT, anchor, date(2026, 3, 31), date(2027, 3, 31)) == [
        date(2026, 3, 31), date(2027, 3, 31)
    ]  # fmt: skip
    assert rules.occurrences(ANNUAL_REPORT, anchor, date(2026, 4, 1), date(2027, 3, 30)) == []
    assert rules.occurrences(ANNUAL_REPORT, anchor, date(2026, 3, 31), date(2026, 3, 31)) == [date(2026, 3, 31)]


def test_no_date_before_the_anchor() -> None:
    # Anchored June 1, 2026: March 31, 2026 is before it, so the first date is March 31, 2027.
    dates = rules.occurrences(ANNUAL_REPORT, date(2026, 6, 1), date(2026, 1, 1), date(2027, 12, 31))
    assert dates == [date(2027, 3, 31)]


def test_the_rrule_prefix_and_surrounding_blanks_are_accepted() -> None:
    plain = rules.occurrences(ANNUAL_REPORT, date(2025, 1, 1), date(2025, 1, 1), date(2026, 12, 31))
    prefixed = rules.occurrences(f"  RRULE:{ANNUAL_REPORT} ", date(2025, 1, 1), date(2025, 1, 1), date(2026, 12, 31))
    assert prefixed == plain == [date(2025, 3, 31), date(2026, 3, 31)]


def test_every_fifth_year_counts_from_the_anchor() -> None:
    # A reserve study every five years from June 15, 2021: 2021, 2026, 2031, 2036 (2041 is past the window).
    rule = "FREQ=YEARLY;INTERVAL=5"
    anchor = date(2021, 6, 15)
    assert rules.occurrences(rule, anchor, date(2020, 1, 1), date(2040, 12, 31)) == [
        date(2021, 6, 15), date(2026, 6, 15), date(2031, 6, 15), date(2036, 6, 15)
    ]  # fmt: skip
    assert rules.occurrences(rule, anchor, date(2022, 1, 1), date(2030, 12, 31)) == [date(2026, 6, 15)]
    assert rules.occurrences(rule, anchor, date(2026, 6, 16), date(2031, 6, 14)) == []


def test_a_monthly_rule_on_the_first_monday() -> None:
    # 2026-01-01 is a Thursday (2025-01-01 was a Wednesday, 2025 has 365 days): the first Monday is January 5.
    # February 1 is 31 days later, a Sunday: February 2. March 1 is 28 days after that, a Sunday: March 2.
    # April 1 is 31 days later, a Wednesday: April 6.
    rule = "FREQ=MONTHLY;BYDAY=1MO"
    dates = rules.occurrences(rule, date(2026, 1, 1), date(2026, 1, 1), date(2026, 4, 30))
    assert dates == [date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2), date(2026, 4, 6)]
    assert all(d.weekday() == 0 and d.day <= 7 for d in dates)
    # A window starting the day after a first Monday and ending the day before the next one holds none.
    assert rules.occurrences(rule, date(2026, 1, 1), date(2026, 2, 3), date(2026, 3, 1)) == []


def test_a_rule_with_an_end_stops_there() -> None:
    rule = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31;UNTIL=20260401"
    assert rules.occurrences(rule, date(2025, 1, 1), date(2025, 1, 1), date(2030, 12, 31)) == [
        date(2025, 3, 31), date(2026, 3, 31)
    ]  # fmt: skip
    assert rules.occurrences("FREQ=YEARLY;COUNT=2", date(2025, 7, 4), date(2025, 1, 1), date(2030, 12, 31)) == [
        date(2025, 7, 4), date(2026, 7, 4)
    ]  # fmt: skip


def test_a_daily_rule_over_three_years_is_refused() -> None:
    with pytest.raises(rules.InvalidRule, match="more than 500"):
        rules.occurrences("FREQ=DAILY", date(2025, 1, 1), date(2025, 1, 1), date(2027, 12, 31))


def test_the_guard_allows_exactly_max_occurrences() -> None:
    assert rules.MAX_OCCURRENCES == 500
    start = date(2025, 1, 1)
    # 2025-01-01 through 2026-05-15: 365 days of 2025, then 31 + 28 + 31 + 30 + 15 = 135 of 2026: 500 dates.
    assert len(rules.occurrences("FREQ=DAILY", start, start, date(2026, 5, 15))) == 500
    with pytest.raises(rules.InvalidRule):
        rules.occurrences("FREQ=DAILY", start, start, date(2026, 5, 16))


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "",
        "   ",
        "FREQ=FORTNIGHTLY",
        "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=thirty",
        "FREQ=YEARLY;DTSTART=20250101",
        "DTSTART:20250101T000000\nRRULE:FREQ=YEARLY",
        "RRULE:FREQ=YEARLY;dtstart=20250101",
    ],
)
def test_texts_that_are_not_rules_we_accept_raise_invalid_rule(text: str) -> None:
    with pytest.raises(rules.InvalidRule):
        rules.parse(text, date(2025, 1, 1))
    with pytest.raises(rules.InvalidRule):
        rules.occurrences(text, date(2025, 1, 1), date(2025, 1, 1), date(2025, 12, 31))


def test_invalid_rule_is_a_value_error() -> None:
    assert issubclass(rules.InvalidRule, ValueError)


def test_the_reminder_date_is_lead_days_before() -> None:
    assert rules.remind_on(date(2026, 3, 31), 30) == date(2026, 3, 1)  # March has 31 days
    assert rules.remind_on(date(2026, 3, 1), 1) == date(2026, 2, 28)
    assert rules.remind_on(date(2024, 3, 1), 1) == date(2024, 2, 29)  # a leap year
    assert rules.remind_on(date(2026, 1, 10), 14) == date(2025, 12, 27)
    assert rules.remind_on(date(2026, 3, 31), 0) == date(2026, 3, 31)


def test_the_moments_are_the_starts_of_days_in_utc() -> None:
    assert rules.moment(date(2026, 3, 1)) == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert rules.overdue_from(date(2026, 3, 31)) == datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    assert rules.overdue_from(date(2025, 12, 31)) == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert rules.overdue_from(date(2024, 2, 28)) == datetime(2024, 2, 29, 0, 0, tzinfo=UTC)
    assert rules.moment(date(2026, 3, 1)).utcoffset() == timedelta(0)


def test_the_status_around_each_edge() -> None:
    due, lead = date(2026, 3, 31), 30  # the reminder on March 1
    assert rules.status_on(due, lead, date(2026, 1, 1)) == "UPCOMING"
    assert rules.status_on(due, lead, date(2026, 2, 28)) == "UPCOMING"  # the day before the reminder
    assert rules.status_on(due, lead, date(2026, 3, 1)) == "DUE_SOON"  # the reminder day
    assert rules.status_on(due, lead, date(2026, 3, 15)) == "DUE_SOON"
    assert rules.status_on(due, lead, date(2026, 3, 31)) == "DUE_SOON"  # the due day
    assert rules.status_on(due, lead, date(2026, 4, 1)) == "OVERDUE"  # the day after
    assert rules.status_on(due, lead, date(2027, 1, 1)) == "OVERDUE"


def test_without_lead_days_the_due_day_itself_is_due_soon() -> None:
    due = date(2026, 3, 31)
    assert rules.status_on(due, 0, date(2026, 3, 30)) == "UPCOMING"
    assert rules.status_on(due, 0, date(2026, 3, 31)) == "DUE_SOON"
    assert rules.status_on(due, 0, date(2026, 4, 1)) == "OVERDUE"


def test_the_status_agrees_with_the_moments() -> None:
    """On each day the status is DUE_SOON exactly when the reminder moment has passed and the overdue one has not."""
    due, lead = date(2026, 3, 31), 5
    day = date(2026, 3, 20)
    while day <= date(2026, 4, 5):
        start = rules.moment(day)
        reminded = start >= rules.moment(rules.remind_on(due, lead))
        overdue = start >= rules.overdue_from(due)
        expected = "OVERDUE" if overdue else "DUE_SOON" if reminded else "UPCOMING"
        assert rules.status_on(due, lead, day) == expected, day
        day += timedelta(days=1)

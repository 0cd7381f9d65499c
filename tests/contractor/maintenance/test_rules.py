"""The agreements' pure rules: terms, the RRULE schedule (anchored at the term's start, a short month's last day for
a day it lacks), billing periods adding up to the price, renewal prices in cents, the agreement's clock, SLA
outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest

from hestami.contractor.maintenance import rules


def test_a_term_ends_the_day_before_its_anniversary() -> None:
    assert rules.term_end(date(2026, 1, 1), 12) == date(2026, 12, 31)
    assert rules.term_end(date(2026, 3, 31), 1) == date(2026, 4, 29)
    assert rules.term_end(date(2028, 2, 29), 12) == date(2029, 2, 27)


def test_a_quarterly_schedule_has_four_visits_in_a_year() -> None:
    start = date(2026, 3, 10)
    found = rules.occurrences("FREQ=MONTHLY;INTERVAL=3", start, start, rules.term_end(start, 12))
    assert found == [date(2026, 3, 10), date(2026, 6, 10), date(2026, 9, 10), date(2026, 12, 10)]
    yearly = rules.occurrences("RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=15", start, start, date(2027, 3, 9))
    assert yearly == [date(2026, 4, 15), date(2026, 7, 15), date(2026, 10, 15), date(2027, 1, 15)]


def test_a_day_a_month_lacks_falls_on_its_last_day() -> None:
    start = date(2026, 8, 31)
    found = rules.occurrences("FREQ=MONTHLY;INTERVAL=3", start, start, rules.term_end(start, 12))
    assert found == [date(2026, 8, 31), date(2026, 11, 30), date(2027, 2, 28), date(2027, 5, 31)]


def test_occurrences_start_from_the_first_day_asked_and_keep_the_rules_count_and_until() -> None:
    start = date(2026, 1, 5)
    assert rules.occurrences("FREQ=WEEKLY;COUNT=3", start, date(2026, 1, 6), date(2026, 12, 31)) == [
        date(2026, 1, 12), date(2026, 1, 19),
    ]  # fmt: skip
    assert rules.occurrences("FREQ=MONTHLY;UNTIL=20260301", start, start, date(2026, 12, 31)) == [
        date(2026, 1, 5), date(2026, 2, 5),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("schedule", "why"),
    [("FREQ=DAILY", "FREQ"), ("FREQ=HOURLY", "FREQ"), ("FREQ=WEEKLY;BYDAY=MO,TH", "At most"),
     ("FREQ=MONTHLY;INTERVAL=0", "INTERVAL"), ("FREQ=MONTHLY;BYSETPOS=x", "RRULE"), ("FREQ=MONTHLY;FOO=1", "RRULE"),
     ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "no visit"), ("DTSTART:20260101\nRRULE:FREQ=MONTHLY", "One RRULE")],
)  # fmt: skip
def test_schedules_an_agreement_cannot_follow(schedule: str, why: str) -> None:
    with pytest.raises(rules.ScheduleError, match=why):
        rules.check_schedule(schedule)


def test_billing_periods_add_up_to_the_price() -> None:
    start = date(2026, 1, 31)
    periods = rules.billing_periods(start, rules.term_end(start, 12), 12, "MONTHLY", Decimal("100.00"))
    assert len(periods) == 12
    assert periods[0].amount == Decimal("8.33")
    assert periods[-1].amount == Decimal("8.37")
    assert sum(p.amount for p in periods) == Decimal("100.00")
    assert all(b.start == a.end + timedelta(days=1) for a, b in pairwise(periods))
    (whole,) = rules.billing_periods(start, rules.term_end(start, 24), 24, "UPFRONT", Decimal("500.00"))
    assert (whole.start, whole.end, whole.amount) == (start, date(2028, 1, 30), Decimal("500.00"))
    halves = rules.billing_periods(date(2026, 1, 1), date(2026, 12, 31), 12, "SEMI_ANNUAL", Decimal("189.01"))
    assert [p.amount for p in halves] == [Decimal("94.51"), Decimal("94.50")]


def test_renewal_prices_round_half_up_to_cents() -> None:
    assert rules.renewal_price(Decimal("189.00"), Decimal("4")) == Decimal("196.56")
    assert rules.renewal_price(Decimal("0.10"), Decimal("5")) == Decimal("0.11")
    assert rules.renewal_price(Decimal("240.00"), Decimal("-10")) == Decimal("216.00")


def test_the_agreements_clock_runs_days_of_its_length() -> None:
    started = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 09:00 in Chicago
    clock = rules.Clock(started, 2.0, "America/Chicago")
    assert clock.today(started) == date(2026, 11, 30)
    assert clock.today(started + timedelta(seconds=2)) == date(2026, 12, 1)
    assert clock.today(started + timedelta(seconds=1.3)) == date(2026, 12, 1)  # past midnight: 15 h of 24
    assert clock.start_of(date(2026, 12, 1)) == started + timedelta(seconds=2 * 15 / 24)
    real = rules.Clock(started, 86400.0, "America/Chicago")
    assert real.now(started + timedelta(hours=5)) == started + timedelta(hours=5)


def test_sla_outcomes() -> None:
    end = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert rules.sla_outcome(end, 0, end - timedelta(hours=1), end) == rules.Outcome("ON_TIME", 0)
    assert rules.sla_outcome(end, 2, end + timedelta(days=1), end) == rules.Outcome("LATE", 1)
    assert rules.sla_outcome(end, 2, end + timedelta(days=3), end) == rules.Outcome("MISSED", 3)
    assert rules.sla_outcome(end, 2, None, end + timedelta(days=1)) is None
    assert rules.sla_outcome(end, 2, None, end + timedelta(days=2, seconds=1)) == rules.Outcome("MISSED", 3)
    assert rules.sla_outcome(end, 0, None, end - timedelta(hours=2)) is None

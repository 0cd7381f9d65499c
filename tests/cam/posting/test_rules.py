"""Posting's pure rules, without a database: which periods fall due on a day, and the next collection step."""

from __future__ import annotations

from datetime import date

import pytest

from hestami.cam.accounting.posting.rules import Calendar, falls_due, next_step


@pytest.mark.parametrize(
    ("frequency", "day", "due"),
    [
        ("MONTHLY", date(2026, 2, 5), True),
        ("MONTHLY", date(2026, 2, 6), False),
        ("QUARTERLY", date(2026, 4, 5), True),
        ("QUARTERLY", date(2026, 5, 5), False),
        ("SEMI_ANNUAL", date(2026, 7, 5), True),
        ("SEMI_ANNUAL", date(2026, 4, 5), False),
        ("ANNUAL", date(2027, 1, 5), True),
        ("ANNUAL", date(2026, 7, 5), False),
        ("ONE_TIME", date(2026, 1, 5), False),
    ],
)
def test_periods_fall_due_on_the_due_day_counted_from_january(frequency: str, day: date, due: bool) -> None:
    assert falls_due(frequency, 5, 1, day) is due


def test_a_july_fiscal_year_moves_the_quarters_and_the_year() -> None:
    assert falls_due("QUARTERLY", 1, 7, date(2026, 10, 1))
    assert not falls_due("QUARTERLY", 1, 7, date(2026, 11, 1))
    assert falls_due("ANNUAL", 1, 7, date(2026, 7, 1))
    assert not falls_due("ANNUAL", 1, 7, date(2027, 1, 1))


def test_collection_steps_come_one_at_a_time_in_order() -> None:
    cal = Calendar()
    assert next_step(cal, 14, set()) is None
    assert next_step(cal, 15, set()) == "REMINDER"
    assert next_step(cal, 95, set()) == "REMINDER"  # found late: the reminder first, the rest on later days
    assert next_step(cal, 95, {"REMINDER"}) == "LATE_NOTICE"
    assert next_step(cal, 29, {"REMINDER"}) is None
    assert next_step(cal, 90, {"REMINDER", "LATE_NOTICE"}) == "INTENT_TO_LIEN"
    assert next_step(cal, 400, {"REMINDER", "LATE_NOTICE", "INTENT_TO_LIEN"}) is None


def test_the_association_sets_the_days() -> None:
    cal = Calendar(reminder_days=10, late_notice_days=20, intent_to_lien_days=45)
    assert next_step(cal, 10, set()) == "REMINDER"
    assert next_step(cal, 44, {"REMINDER", "LATE_NOTICE"}) is None
    assert next_step(cal, 45, {"REMINDER", "LATE_NOTICE"}) == "INTENT_TO_LIEN"

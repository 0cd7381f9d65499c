"""Posting's pure rules: which periods fall due on a day, and the collection step a delinquent unit is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hestami.cam.accounting.proration import MONTHS_PER_PERIOD

STEPS = ("REMINDER", "LATE_NOTICE", "INTENT_TO_LIEN")
"""The collection steps in the order they are taken."""


@dataclass(frozen=True, slots=True)
class Calendar:
    """An association's assessment calendar and collection days (the defaults when it set none)."""

    due_day: int = 1
    reminder_days: int = 15
    late_notice_days: int = 30
    intent_to_lien_days: int = 90
    allocation: str = "EQUAL"

    def step_days(self) -> dict[str, int]:
        return {
            "REMINDER": self.reminder_days,
            "LATE_NOTICE": self.late_notice_days,
            "INTENT_TO_LIEN": self.intent_to_lien_days,
        }


def falls_due(frequency: str, due_day: int, fiscal_start_month: int, day: date) -> bool:
    """Whether a period of a type of this frequency falls due on `day`: on the calendar's due day of every month
    (MONTHLY), or of every third, sixth or twelfth month counted from the fiscal year's first month."""
    step = MONTHS_PER_PERIOD.get(frequency)
    if step is None or day.day != due_day:
        return False
    return (day.month - fiscal_start_month) % step == 0


def next_step(calendar: Calendar, days_past_due: int, taken: set[str]) -> str | None:
    """The collection step a unit whose oldest open charge is `days_past_due` days overdue takes now: the first
    step not yet taken for that charge, once its days have passed. One step at a time, in order, so a unit found
    90 days behind gets its reminder first and the intent to lien only on a later day (after the late notice)."""
    days = calendar.step_days()
    for step in STEPS:
        if step in taken:
            continue
        return step if days_past_due >= days[step] else None
    return None

"""Recurring obligations as data: an RFC 5545 recurrence rule (RRULE, read by python-dateutil) from an anchor date
gives the due dates; the reminder goes out `lead_days` before each. Pure functions.

A deadline is due by the end of its date (UTC here): it is overdue from the start of the next day without completion;
its reminder goes out at the start of its reminder date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dateutil.rrule import rrulestr

MAX_OCCURRENCES = 500
"""No rule may produce more dates than this in one generation window (a daily rule over years is a mistake)."""


class InvalidRule(ValueError):  # noqa: N818 - the name the schemas and services use
    """The text is not a recurrence rule dateutil can read, or it has no end and no interval we accept."""


def parse(rule: str, anchor: date) -> object:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "DTSTART" in text.upper():
        raise InvalidRule("give the start as anchor_date, not DTSTART inside the rule")
    if any(f"FREQ={unit}" in text.upper().replace(" ", "") for unit in ("HOURLY", "MINUTELY", "SECONDLY")):
        raise InvalidRule("obligations recur by the day at the finest (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)")
    try:
        return rrulestr(text, dtstart=datetime(anchor.year, anchor.month, anchor.day))
    except (ValueError, TypeError) as exc:
        raise InvalidRule(str(exc)) from None


def occurrences(rule: str, anchor: date, start: date, end: date) -> list[date]:
    """The due dates the rule gives from `start` to `end` (both included), in order."""
    parsed = parse(rule, anchor)
    begin = datetime(start.year, start.month, start.day)
    finish = datetime(end.year, end.month, end.day)
    found: list[date] = []
    for moment in parsed.xafter(begin, inc=True):  # type: ignore[attr-defined]  # lazily: stop at the window's end
        if moment > finish:
            break
        if not found or found[-1] != moment.date():
            found.append(moment.date())
        if len(found) > MAX_OCCURRENCES:
            raise InvalidRule(f"the rule gives more than {MAX_OCCURRENCES} dates in the window")
    return found


def remind_on(due_on: date, lead_days: int) -> date:
    return due_on - timedelta(days=lead_days)


def moment(day: date) -> datetime:
    """The start of a date (UTC): when a reminder is due (its reminder date)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def overdue_from(due_on: date) -> datetime:
    """The start of the day after the due date."""
    return moment(due_on + timedelta(days=1))


def status_on(due_on: date, lead_days: int, today: date) -> str:
    """UPCOMING before the reminder date, DUE_SOON from it, OVERDUE after the due date (for an open deadline)."""
    if today > due_on:
        return "OVERDUE"
    if today >= remind_on(due_on, lead_days):
        return "DUE_SOON"
    return "UPCOMING"

"""The violation lifecycle in one place: the moves that exist, the notice sequence and its cure periods, the
hearing's notice period, repeat detection and the fine schedule. Pure functions: the services and the workflow
apply them, the tests check them without a database.

OPEN → NOTICED (courtesy notice) → CURE_PERIOD (first notice) → ESCALATED (second notice) → HEARING_SCHEDULED
(hearing notice) → FINED, or CURED / DISMISSED from any open state; then CLOSED. "Days" are the association's
calendar days; `VIOLATION_DAY_SECONDS` shortens them for tests and demos (a test clock, not a business rule).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any


def reference(number: int) -> str:
    """A violation's number as people say it: VIO-000001 (per organization)."""
    return f"VIO-{number:06d}"


TRANSITIONS: dict[str, frozenset[str]] = {
    "OPEN": frozenset({"NOTICED", "CURED", "DISMISSED"}),
    "NOTICED": frozenset({"CURE_PERIOD", "HEARING_SCHEDULED", "CURED", "DISMISSED"}),
    "CURE_PERIOD": frozenset({"ESCALATED", "HEARING_SCHEDULED", "CURED", "DISMISSED"}),
    "ESCALATED": frozenset({"HEARING_SCHEDULED", "CURED", "DISMISSED"}),
    "HEARING_SCHEDULED": frozenset({"FINED", "CURED", "DISMISSED"}),
    "FINED": frozenset({"CLOSED"}),
    "CURED": frozenset({"CLOSED"}),
    "DISMISSED": frozenset({"CLOSED"}),
    "CLOSED": frozenset(),
}
OPEN_STATES = frozenset({"OPEN", "NOTICED", "CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED"})
RESOLVED = frozenset({"FINED", "CURED", "DISMISSED"})
CURE_RUNNING = frozenset({"NOTICED", "CURE_PERIOD", "ESCALATED"})
"""States in which a cure deadline runs; when it passes uncured, the next notice goes out."""

STEPS = ("COURTESY", "FIRST", "SECOND", "HEARING", "FINE")
NEXT_STEP: dict[str, str] = {"OPEN": "COURTESY", "NOTICED": "FIRST", "CURE_PERIOD": "SECOND", "ESCALATED": "HEARING"}
"""The notice that moves a violation on from each state of the sequence."""
STATUS_AFTER: dict[str, str] = {
    "COURTESY": "NOTICED",
    "FIRST": "CURE_PERIOD",
    "SECOND": "ESCALATED",
    "HEARING": "HEARING_SCHEDULED",
}

DEFAULT_SETTINGS: dict[str, Any] = {
    "courtesy_cure_days": 14,
    "first_notice_cure_days": 14,
    "second_notice_cure_days": 10,
    "hearing_notice_days": 14,
    "appeal_days": 15,
    "repeat_window_days": 365,
    "fine_cap_per_violation": None,
    "hearing_body": "BOARD",
    "delivery_methods": ["MAIL", "EMAIL"],
}
"""DOMAIN-NOTES: cure periods of 10-30 days, at least 14 days' notice of a hearing; state law may ask more."""

CURE_DAYS_SETTING = {
    "COURTESY": "courtesy_cure_days",
    "FIRST": "first_notice_cure_days",
    "SECOND": "second_notice_cure_days",
}


def workflow_id(violation_id: object) -> str:
    return f"violation:{violation_id}:lifecycle:v1"


def cure_days(step: str, settings: dict[str, Any], type_cure_days: int | None) -> int | None:
    """Days the owner has to cure after a notice: the type's own period for the courtesy notice when it has one,
    else the association's setting for the step; none after the hearing notice."""
    setting = CURE_DAYS_SETTING.get(step)
    if setting is None:
        return None
    if step == "COURTESY" and type_cure_days:
        return type_cure_days
    return int(settings[setting])


def after_days(start: datetime, days: float, day_seconds: float) -> datetime:
    return start + timedelta(seconds=days * day_seconds)


def earliest_hearing(now: datetime, settings: dict[str, Any], day_seconds: float) -> datetime:
    """A hearing may be held no sooner than the required notice days after its notice goes out (now)."""
    return after_days(now, int(settings["hearing_notice_days"]), day_seconds)


def is_repeat(previous_observed: list[datetime], observed_at: datetime, window_days: int) -> bool:
    """Another violation of the same type on the same unit within the window before this one."""
    start = observed_at - timedelta(days=window_days)
    return any(start <= earlier <= observed_at for earlier in previous_observed)


def scheduled_fine(fine_first: Decimal | None, fine_repeat: Decimal | None, repeat: bool) -> Decimal | None:
    """The type's fine for this violation: the repeat fine for a repeat (the first fine if none is set)."""
    if repeat and fine_repeat is not None:
        return fine_repeat
    return fine_first


def within_cap(amount: Decimal, already: Decimal, caps: list[Decimal | None]) -> Decimal:
    """What may still be fined: `amount`, reduced so the violation's fines stay within every cap that is set."""
    allowed = amount
    for cap in caps:
        if cap is not None:
            allowed = min(allowed, max(Decimal(0), cap - already))
    return allowed

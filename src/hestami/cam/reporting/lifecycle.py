"""A report run's statuses, its workflow's id, and when a schedule falls due."""

from __future__ import annotations

import uuid
from datetime import date

GENERATION_WORKFLOW = "reportGeneration_v1"
SCHEDULES_WORKFLOW = "reportSchedules_v1"
TRANSITIONS: dict[str, frozenset[str]] = {
    "QUEUED": frozenset({"RUNNING", "FAILED"}),
    "RUNNING": frozenset({"COMPLETED", "FAILED"}),
    "COMPLETED": frozenset(),
    "FAILED": frozenset(),
}
FINISHED = frozenset({"COMPLETED", "FAILED"})
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
QUARTER_MONTHS = frozenset({1, 4, 7, 10})


def workflow_id(run_id: uuid.UUID | str) -> str:
    return f"reportRun:{run_id}:generation:v1"


def due_on(day: date, frequency: str, day_of_month: int | None, weekday: str | None) -> bool:
    """Whether a schedule falls due on `day`: MONTHLY on its day of the month, QUARTERLY on that day of January,
    April, July and October, WEEKLY on its weekday."""
    if frequency == "WEEKLY":
        return WEEKDAYS[day.weekday()] == weekday
    if day.day != day_of_month:
        return False
    return frequency == "MONTHLY" or day.month in QUARTER_MONTHS

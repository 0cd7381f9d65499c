"""The field backend's pure rules: which jobs and visits take work, the job's and visit's walks when work starts and
ends, and how time is counted."""

from __future__ import annotations

import math
from datetime import datetime

JOB_OPEN = frozenset({"LEAD", "TICKET", "ESTIMATE_REQUIRED", "JOB_CREATED", "SCHEDULED", "DISPATCHED",
                      "IN_PROGRESS", "ON_HOLD"})  # fmt: skip
"""A job takes field work until it is COMPLETED (or CANCELLED)."""
CORRECTABLE_JOBS = JOB_OPEN | {"COMPLETED"}
"""Time is corrected until the job is invoiced."""
VISIT_OPEN = frozenset({"UNSCHEDULED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS"})
LIVE_ASSIGNMENT = frozenset({"ASSIGNED", "EN_ROUTE", "ON_SITE"})

TRAVEL_WALK: dict[str, tuple[str, ...]] = {"SCHEDULED": ("DISPATCHED",)}
"""A job's moves when its technician sets off (the visit: SCHEDULED → DISPATCHED)."""
WORK_WALK: dict[str, tuple[str, ...]] = {
    "JOB_CREATED": ("SCHEDULED", "DISPATCHED", "IN_PROGRESS"),
    "SCHEDULED": ("DISPATCHED", "IN_PROGRESS"),
    "DISPATCHED": ("IN_PROGRESS",),
    "ON_HOLD": ("IN_PROGRESS",),
}
"""A job's moves when work starts on one of its visits (a lead, ticket or estimate visit leaves it as it is)."""
DONE_WALK: dict[str, tuple[str, ...]] = {
    "JOB_CREATED": ("SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED"),
    "SCHEDULED": ("DISPATCHED", "IN_PROGRESS", "COMPLETED"),
    "DISPATCHED": ("IN_PROGRESS", "COMPLETED"),
    "IN_PROGRESS": ("COMPLETED",),
    "ON_HOLD": ("IN_PROGRESS", "COMPLETED"),
}
"""A job's moves when its last open visit is completed."""
VISIT_WORK_WALK: dict[str, tuple[str, ...]] = {
    "SCHEDULED": ("IN_PROGRESS",),
    "DISPATCHED": ("IN_PROGRESS",),
}
VISIT_DONE_WALK: dict[str, tuple[str, ...]] = {
    "SCHEDULED": ("IN_PROGRESS", "COMPLETED"),
    "DISPATCHED": ("IN_PROGRESS", "COMPLETED"),
    "IN_PROGRESS": ("COMPLETED",),
}


def minutes(started_at: datetime, ended_at: datetime) -> int:
    """Whole minutes of a time entry, rounded up (a started minute counts)."""
    return max(0, math.ceil((ended_at - started_at).total_seconds() / 60))

"""Dispatch's pure rules: the assignment's lifecycle, where a slot may lie, the SLA windows, a day's bounds and a
technician's capacity in it.

Times are aware datetimes; periods are half-open (`[starts_at, ends_at)`, as `tstzrange`): a slot ending at 10:00
does not overlap one starting at 10:00. A visit's window is an ARRIVAL window: the technician arrives (the slot
starts) inside it, and the work may run past its end by the visit's duration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STATUSES = ("ASSIGNED", "EN_ROUTE", "ON_SITE", "COMPLETED", "CANCELLED")
LIVE = frozenset({"ASSIGNED", "EN_ROUTE", "ON_SITE"})
"""An assignment that still holds its technician's slot and its visit."""
TRANSITIONS: dict[str, frozenset[str]] = {
    "ASSIGNED": frozenset({"EN_ROUTE", "ON_SITE", "COMPLETED", "CANCELLED"}),
    "EN_ROUTE": frozenset({"ON_SITE", "COMPLETED", "CANCELLED"}),
    "ON_SITE": frozenset({"COMPLETED", "CANCELLED"}),
    "COMPLETED": frozenset(),
    "CANCELLED": frozenset(),
}
RESCHEDULABLE = frozenset({"ASSIGNED"})
"""Only an assignment nobody is on the way to yet moves to another slot or technician (an EN_ROUTE one is
unassigned, then assigned again)."""

PRIORITIES = ("EMERGENCY", "HIGH", "MEDIUM", "LOW")
DEFAULT_RESPOND_WITHIN_MINUTES: Mapping[str, int] = {"EMERGENCY": 120, "HIGH": 480, "MEDIUM": 1440, "LOW": 4320}
"""How soon a job of each priority is answered when the organization has set no window of its own."""
RESPONDED = frozenset({"IN_PROGRESS", "ON_HOLD", "COMPLETED", "INVOICED", "PAID", "WARRANTY", "CLOSED", "CANCELLED"})
"""Job statuses in which its SLA is met (or no longer owed: CANCELLED)."""
SLA_STARTS = "JOB_CREATED"
PLAN_STATUSES = ("PROPOSED", "APPLIED", "DISCARDED")


@dataclass(frozen=True, slots=True)
class Window:
    """An arrival window: the slot starts in [start, end]."""

    start: datetime
    end: datetime


def default_end(starts_at: datetime, duration_minutes: int) -> datetime:
    return starts_at + timedelta(minutes=duration_minutes)


def within_window(window: Window, duration_minutes: int, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether the slot lies inside the arrival window plus the visit's duration: it starts inside the window and
    ends by the window's end plus the duration."""
    return window.start <= starts_at <= window.end and ends_at <= window.end + timedelta(minutes=duration_minutes)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def respond_within(priority: str, configured: Mapping[str, int]) -> int:
    """Minutes to respond to a job of `priority`: the organization's window, else the default."""
    return configured.get(priority, DEFAULT_RESPOND_WITHIN_MINUTES.get(priority, DEFAULT_RESPOND_WITHIN_MINUTES["LOW"]))


def sla_met(job_status: str, assignment_statuses: Iterable[str]) -> bool:
    """Whether a job has been responded to: a technician on site (or done), or the job under way or past it."""
    return job_status in RESPONDED or any(s in {"ON_SITE", "COMPLETED"} for s in assignment_statuses)


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The day as [local midnight, next local midnight) in `zone`, in UTC (23 or 25 hours on the days clocks
    change)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def minutes_between(starts_at: datetime, ends_at: datetime) -> int:
    """Whole minutes of a period, rounded down (a slot is planned in minutes)."""
    return max(0, int((ends_at - starts_at).total_seconds() // 60))


def clipped(starts_at: datetime, ends_at: datetime, lower: datetime, upper: datetime) -> tuple[datetime, datetime]:
    """The part of [starts_at, ends_at) inside [lower, upper) (empty: start == end)."""
    start, end = max(starts_at, lower), min(ends_at, upper)
    return (start, end) if start < end else (start, start)


def covered_minutes(periods: Iterable[tuple[datetime, datetime]], lower: datetime, upper: datetime) -> int:
    """Minutes of [lower, upper) covered by any of `periods` (overlaps counted once)."""
    spans = sorted(p for p in (clipped(s, e, lower, upper) for s, e in periods) if p[0] < p[1])
    total, reach = 0, lower
    for start, end in spans:
        start = max(start, reach)
        if start < end:
            total += minutes_between(start, end)
            reach = end
    return total


def gaps(
    lower: datetime, upper: datetime, taken: Iterable[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The parts of [lower, upper) no period of `taken` covers, in order (a sick day around time off on file)."""
    found, reach = [], lower
    for start, end in sorted(taken):
        if start > reach:
            found.append((reach, min(start, upper)))
        reach = max(reach, end)
        if reach >= upper:
            break
    if reach < upper:
        found.append((reach, upper))
    return [(s, e) for s, e in found if s < e]


def shift_periods(shifts: Iterable[tuple[str, time, time]], day: date, zone: str) -> list[tuple[datetime, datetime]]:
    """The technician's shifts on `day` (weekday, wall-clock start and end in `zone`), as UTC periods."""
    weekday = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")[day.weekday()]
    tz = ZoneInfo(zone)
    return sorted(
        (datetime.combine(day, start, tzinfo=tz).astimezone(UTC), datetime.combine(day, end, tzinfo=tz).astimezone(UTC))
        for name, start, end in shifts
        if name == weekday
    )


def capacity_left(
    shifts: list[tuple[datetime, datetime]],
    time_off: Iterable[tuple[datetime, datetime]],
    booked: Iterable[tuple[datetime, datetime]],
) -> tuple[int, int, int]:
    """(shift minutes, booked minutes, minutes left) of a technician's day: the shifts less their time off, and the
    live slots inside those shifts; never below zero."""
    off = list(time_off)
    slots = list(booked)
    shift_total = sum(minutes_between(s, e) - covered_minutes(off, s, e) for s, e in shifts)
    booked_total = sum(covered_minutes(slots, s, e) for s, e in shifts)
    return shift_total, booked_total, max(0, shift_total - booked_total)


DONE_JOBS = frozenset({"COMPLETED", "INVOICED", "PAID", "WARRANTY", "CLOSED"})


def followed_status(current: str, job_status: str, visit_status: str) -> str | None:
    """Where a live assignment goes when its job or visit moved on without dispatch (the technician started or
    finished the work, the job or visit was cancelled), or None: cancelled with the job or visit, completed with
    them, on site once the visit is under way (or the job, for a technician on the way)."""
    if current not in LIVE:
        return None
    if job_status == "CANCELLED" or visit_status == "CANCELLED":
        return "CANCELLED"
    if job_status in DONE_JOBS or visit_status == "COMPLETED":
        return "COMPLETED"
    under_way = visit_status == "IN_PROGRESS" or (current == "EN_ROUTE" and job_status in {"IN_PROGRESS", "ON_HOLD"})
    if current != "ON_SITE" and under_way:
        return "ON_SITE"
    return None

"""Whether a technician may take a job: the pure rules dispatch relies on, with every reason they are not eligible.

A job is a trade, a zip code and a window (`starts_at` to `ends_at`, aware datetimes). The technician is eligible
when none of these holds (all are reported, not just the first):

- INACTIVE: the technician is not ACTIVE;
- CONTRACTOR_NON_COMPLIANT: their organization is not compliant (licences, insurance) on the job's day;
- NO_SKILL: no skill in the trade;
- CERTIFICATION_EXPIRED: a certification for the trade expired before the window ends. A certification is valid
  through the whole of its `expires_on` day in the technician's time zone; certifications are grouped by name and
  only the latest of each name counts (a renewed certification replaces the lapsed one);
- OUT_OF_TERRITORY: the zip code is not one of the territory's zip codes (polygons are kept as data only);
- OUTSIDE_SHIFT: the window does not lie inside one weekly shift. Shifts are wall-clock times in the technician's
  time zone, so the window is read in that zone (a shift of 08:00-17:00 is 08:00-17:00 local on the days the
  clocks change too); it is inside when it starts at or after the shift's start and ends at or before its end,
  on the shift's weekday: a window ending exactly at the shift's end is inside, one minute later is not, and a
  window crossing local midnight is inside no shift;
- TIME_OFF: the window overlaps scheduled time off (periods are half-open: time off ending at 12:00 does not
  overlap a window starting at 12:00).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def weekday_of(moment: datetime | date) -> str:
    return WEEKDAYS[moment.weekday()]


@dataclass(frozen=True, slots=True)
class WeeklyShift:
    weekday: str
    """MONDAY .. SUNDAY."""
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Absence:
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Credential:
    id: uuid.UUID
    name: str
    trade: str | None
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class TechnicianFacts:
    """What the rules read of one technician."""

    active: bool
    time_zone: str
    trades: frozenset[str]
    territory_zip_codes: frozenset[str]
    shifts: tuple[WeeklyShift, ...] = ()
    time_off: tuple[Absence, ...] = ()
    certifications: tuple[Credential, ...] = ()


@dataclass(frozen=True, slots=True)
class Job:
    trade: str
    zip_code: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Standing:
    """The contractor organization's compliance on the job's day: the codes of what it lacks, if anything."""

    compliant: bool
    issues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


def local_window(facts: TechnicianFacts, job: Job) -> tuple[datetime, datetime]:
    """The job's window as wall-clock times in the technician's time zone."""
    zone = ZoneInfo(facts.time_zone)
    return job.starts_at.astimezone(zone), job.ends_at.astimezone(zone)


def within_one_shift(shifts: Iterable[WeeklyShift], starts: datetime, ends: datetime) -> bool:
    """Whether the local window [starts, ends] lies inside one shift of its weekday (edges included)."""
    if starts.date() != ends.date():
        return False
    weekday, start, end = weekday_of(starts), starts.time(), ends.time()
    return any(s.weekday == weekday and s.start <= start and end <= s.end for s in shifts)


def overlapping(time_off: Iterable[Absence], starts_at: datetime, ends_at: datetime) -> list[Absence]:
    """The periods off that share some time with [starts_at, ends_at) (half-open, as `tstzrange`)."""
    return [a for a in time_off if a.starts_at < ends_at and starts_at < a.ends_at]


def lapsed(certifications: Iterable[Credential], trade: str, last_day: date) -> list[Credential]:
    """The trade's certifications whose latest of the same name expired before `last_day` (the local day the window
    ends); one without an expiry never lapses."""
    latest: dict[str, Credential] = {}
    for credential in certifications:
        if credential.trade != trade:
            continue
        key = credential.name.casefold()
        known = latest.get(key)
        if known is None or _later(credential.expires_on, known.expires_on):
            latest[key] = credential
    return [c for c in latest.values() if c.expires_on is not None and c.expires_on < last_day]


def _later(one: date | None, other: date | None) -> bool:
    if one is None:
        return other is not None
    return other is not None and one > other


def _standing(facts: TechnicianFacts, standing: Standing) -> list[Reason]:
    found = []
    if not facts.active:
        found.append(Reason("INACTIVE", "The technician is inactive."))
    if not standing.compliant:
        message = "The contractor is not compliant (licences or insurance) on the job's day."
        found.append(Reason("CONTRACTOR_NON_COMPLIANT", message, {"issues": list(standing.issues)}))
    return found


def _qualified(facts: TechnicianFacts, job: Job, last_day: date) -> list[Reason]:
    found = []
    if job.trade not in facts.trades:
        found.append(Reason("NO_SKILL", f"The technician has no {job.trade} skill.", {"trade": job.trade}))
    for credential in lapsed(facts.certifications, job.trade, last_day):
        expired = credential.expires_on.isoformat() if credential.expires_on else ""
        message = f"The {credential.name} certification expired on {expired}."
        details = {"certification_id": str(credential.id), "expires_on": expired}
        found.append(Reason("CERTIFICATION_EXPIRED", message, details))
    return found


def _available(facts: TechnicianFacts, job: Job, starts: datetime, ends: datetime) -> list[Reason]:
    found = []
    if job.zip_code not in facts.territory_zip_codes:
        message = f"{job.zip_code} is outside the technician's territory."
        found.append(Reason("OUT_OF_TERRITORY", message, {"zip_code": job.zip_code}))
    if not within_one_shift(facts.shifts, starts, ends):
        message = f"The window is not inside one of the technician's shifts ({facts.time_zone})."
        local = {"local_starts_at": starts.isoformat(), "local_ends_at": ends.isoformat()}
        found.append(Reason("OUTSIDE_SHIFT", message, local))
    for absence in overlapping(facts.time_off, job.starts_at, job.ends_at):
        period = {"starts_at": absence.starts_at.isoformat(), "ends_at": absence.ends_at.isoformat()}
        message = "The window overlaps the technician's time off."
        found.append(Reason("TIME_OFF", message, {"time_off_id": str(absence.id), **period}))
    return found


def reasons(facts: TechnicianFacts, job: Job, standing: Standing) -> list[Reason]:
    """Every reason the technician may not take the job (in the order of the module's list); empty when eligible."""
    starts, ends = local_window(facts, job)
    qualified = _qualified(facts, job, ends.date())
    return [*_standing(facts, standing), *qualified, *_available(facts, job, starts, ends)]


def overlapping_shifts(shifts: Sequence[WeeklyShift]) -> list[tuple[WeeklyShift, WeeklyShift]]:
    """Pairs of shifts of one weekday that share some time (touching end to start is no overlap)."""
    ordered = sorted(shifts, key=lambda s: (WEEKDAYS.index(s.weekday), s.start, s.end))
    return [
        (earlier, later)
        for earlier, later in itertools.pairwise(ordered)
        if earlier.weekday == later.weekday and later.start < earlier.end
    ]

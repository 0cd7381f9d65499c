"""What other domains (dispatch, jobs) may use of the workforce: whether a technician may take a job, with the
reasons they may not.

Other domains never import `technician.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hestami.contractor.technician import eligibility as rules
from hestami.contractor.technician import kinds, kpis, repository
from hestami.contractor.technician.eligibility import Absence, Reason, WeeklyShift
from hestami.contractor.technician.models import Technician
from hestami.contractor.technician.schemas import AddTimeOff
from hestami.contractor.technician.services import availability, checks
from hestami.core import records
from hestami.core.context import RequestContext

__all__ = ["Absence", "Eligibility", "Reason", "Rostered", "WeeklyShift", "add_time_off", "eligibility", "roster"]


@dataclass(frozen=True, slots=True)
class Eligibility:
    technician_id: uuid.UUID
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


async def eligibility(
    ctx: RequestContext,
    technician_id: uuid.UUID,
    trade: str,
    zip_code: str,
    starts_at: datetime,
    ends_at: datetime,
) -> Eligibility:
    """Whether the technician may take a job of `trade` at `zip_code` from `starts_at` to `ends_at` (aware
    datetimes), with every reason they may not (codes INACTIVE, CONTRACTOR_NON_COMPLIANT, NO_SKILL,
    CERTIFICATION_EXPIRED, OUT_OF_TERRITORY, OUTSIDE_SHIFT, TIME_OFF; see `technician.eligibility`). The technician
    must be one of the caller's organization's that the caller may view (NOT_FOUND otherwise, like a random id); the
    calling domain authorizes its own action. `trade` is compared in capitals."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("starts_at and ends_at must be aware datetimes")
    job = rules.Job(trade.strip().upper(), zip_code.strip(), starts_at, ends_at)
    found = await checks.reasons(ctx, technician_id, job, action="view")
    return Eligibility(technician_id, tuple(found))


@dataclass(frozen=True, slots=True)
class Rostered:
    """A technician as dispatch plans with them: who, where, what they can do and when they work (shifts in
    `time_zone`'s wall-clock times; the scheduled time off within the period asked for)."""

    id: uuid.UUID
    user_id: uuid.UUID
    display_name: str
    branch_id: uuid.UUID | None
    status: str
    home_zip_code: str | None
    time_zone: str
    territory_zip_codes: frozenset[str]
    trades: frozenset[str]
    shifts: tuple[WeeklyShift, ...]
    time_off: tuple[Absence, ...]

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"


async def roster(
    ctx: RequestContext,
    *,
    branch_id: uuid.UUID | None = None,
    technician_ids: Sequence[uuid.UUID] | None = None,
    active_only: bool = True,
    time_off_between: tuple[datetime, datetime] | None = None,
) -> list[Rostered]:
    """The caller's organization's technicians the caller may view (the technician policy's query plan; the system:
    all), of one branch or all, only `technician_ids` when given, ACTIVE ones unless `active_only` is false, by
    name; with their skills, shifts and the scheduled time off that overlaps `time_off_between` (none without it).
    Four queries whatever the number of technicians."""
    filters = [await records.visible(ctx, kinds.TECHNICIAN)] if ctx.principal is not None else []
    if branch_id is not None:
        filters.append(Technician.branch_id == branch_id)
    if technician_ids is not None:
        filters.append(Technician.id.in_(set(technician_ids)))
    if active_only:
        filters.append(Technician.status == "ACTIVE")
    rows = await repository.roster(ctx.session, *filters)
    ids = [row.id for row in rows]
    skills = await repository.skills_of(ctx.session, ids)
    shifts = await repository.shifts_of(ctx.session, ids)
    off: dict[uuid.UUID, list[Absence]] = {technician_id: [] for technician_id in ids}
    if time_off_between is not None:
        for period in await repository.time_off_between(ctx.session, ids, *time_off_between):
            off[period.technician_id].append(Absence(period.id, period.starts_at, period.ends_at))
    return [
        Rostered(
            id=row.id,
            user_id=row.user_id,
            display_name=row.display_name,
            branch_id=row.branch_id,
            status=row.status,
            home_zip_code=row.home_zip_code,
            time_zone=row.time_zone,
            territory_zip_codes=frozenset(row.territory_zip_codes),
            trades=frozenset(s.trade for s in skills[row.id]),
            shifts=tuple(WeeklyShift(s.weekday, s.start_time, s.end_time) for s in shifts[row.id]),
            time_off=tuple(off[row.id]),
        )
        for row in rows
    ]


async def add_time_off(
    ctx: RequestContext, technician_id: uuid.UUID, starts_at: datetime, ends_at: datetime, reason: str | None = None
) -> None:
    """Schedules time off for a technician the caller may view (NOT_FOUND otherwise); the calling domain authorizes
    its own action (dispatch's sick call). One that overlaps a scheduled period is a CONFLICT, TIME_OFF_OVERLAP."""
    data = AddTimeOff(id=technician_id, starts_at=starts_at, ends_at=ends_at, reason=reason)
    await availability.add_time_off(ctx, data, action="view")


JobFact = kpis.JobFact
register_job_facts = kpis.register_job_facts
"""Dispatch registers where a technician's KPIs read their jobs from (`kpis.JobFacts`)."""

"""What other domains (invoices) may use of the field work: the time and materials of a job, as recorded.

Loading: with a caller (a request) the job is NOT_FOUND unless the caller may view it; as the system (a workflow
step: no principal) any job of the context's organization. Other domains never import `field.models`,
`.repository`, `.kinds` or `.services` (import-linter holds this)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hestami.contractor.field import repository, rules
from hestami.contractor.field.models import MaterialEntry, TimeEntry
from hestami.contractor.job import api as jobs
from hestami.contractor.technician import api as technicians
from hestami.core.context import RequestContext

__all__ = ["BillableWork", "MaterialUsed", "TimeWorked", "billable_work"]


@dataclass(frozen=True, slots=True)
class TimeWorked:
    technician_id: uuid.UUID
    technician_name: str
    kind: str  # "TRAVEL" | "WORK"
    started_at: datetime
    ended_at: datetime
    minutes: int  # rounded up to the whole minute


@dataclass(frozen=True, slots=True)
class MaterialUsed:
    code: str  # pricebook item code (of the ACTIVE version when recorded)
    name: str
    unit: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class BillableWork:
    job_id: uuid.UUID
    time: tuple[TimeWorked, ...]  # closed time entries only, by start
    materials: tuple[MaterialUsed, ...]  # summed per code, in first-use order


async def billable_work(ctx: RequestContext, job_id: uuid.UUID) -> BillableWork:
    """NOT_FOUND unless the caller may view the job (system: any job of the context's organization)."""
    job = await jobs.load_job(ctx, job_id)
    entries = [e for e in await repository.entries(ctx.session, job.id) if e.ended_at is not None]
    names = await _names(ctx, {e.technician_id for e in entries})
    return BillableWork(
        job_id=job.id,
        time=tuple(_worked(e, names.get(e.technician_id, "")) for e in entries),
        materials=summed(await repository.materials(ctx.session, job.id)),
    )


async def _names(ctx: RequestContext, technician_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not technician_ids:
        return {}
    found = await technicians.roster(ctx, technician_ids=sorted(technician_ids), active_only=False)
    return {t.id: t.display_name for t in found}


def _worked(entry: TimeEntry, name: str) -> TimeWorked:
    assert entry.ended_at is not None
    return TimeWorked(
        technician_id=entry.technician_id, technician_name=name, kind=entry.kind, started_at=entry.started_at,
        ended_at=entry.ended_at, minutes=rules.minutes(entry.started_at, entry.ended_at),
    )  # fmt: skip


def summed(rows: list[MaterialEntry]) -> tuple[MaterialUsed, ...]:
    """Quantities summed per code, codes in the order first used (name and unit of the first use)."""
    totals: dict[str, MaterialUsed] = {}
    for row in rows:
        seen = totals.get(row.code)
        quantity = row.quantity + (seen.quantity if seen is not None else Decimal(0))
        first = seen or MaterialUsed(row.code, row.name, row.unit, Decimal(0))
        totals[row.code] = MaterialUsed(first.code, first.name, first.unit, quantity)
    return tuple(totals.values())

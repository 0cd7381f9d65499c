"""The jobs' SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.job.lifecycle import VISIT_OPEN
from hestami.contractor.job.models import Customer, Job, JobCheckpoint, JobNote, JobStatusChange, JobVisit
from hestami.core.repository import hold_lock

URGENCY = {"EMERGENCY": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    """The organization's next job number. A transaction-scoped advisory lock per organization makes creators take
    numbers one at a time, so they stay gapless and unique until the transaction ends."""
    await hold_lock(session, f"job_number:{organization_id}")
    last = await session.scalar(select(func.max(Job.number)).where(Job.organization_id == organization_id))
    return int(last or 0) + 1


async def customer(session: AsyncSession, customer_id: uuid.UUID) -> Customer | None:
    """The customer in the session's scope, deleted or not."""
    return await session.get(Customer, customer_id)


async def customer_names(session: AsyncSession, customer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the customers in the session's scope among these ids, deleted or not."""
    if not customer_ids:
        return {}
    statement = select(Customer.id, Customer.name).where(Customer.id.in_(list(set(customer_ids))))
    return {row.id: row.name for row in (await session.execute(statement)).all()}


async def job_sites(session: AsyncSession, job_ids: Sequence[uuid.UUID]) -> list[Any]:
    """The jobs in the session's scope among these ids with their customer's name, address and zip code (deleted
    or not; None without one), in one query."""
    if not job_ids:
        return []
    columns = (
        Job.id, Job.number, Job.title, Job.address, Job.zip_code, Job.work_order_id,
        Customer.name.label("customer_name"), Customer.address.label("customer_address"),
        Customer.zip_code.label("customer_zip_code"),
    )  # fmt: skip
    statement = (
        select(*columns)
        .outerjoin(Customer, and_(Customer.organization_id == Job.organization_id, Customer.id == Job.customer_id))
        .where(Job.id.in_(list(set(job_ids))))
    )
    return list((await session.execute(statement)).all())


async def next_visit_sequence(session: AsyncSession, job_id: uuid.UUID) -> int:
    """The job's next visit number; the caller holds the job's row lock, so visits are numbered one at a time."""
    last = await session.scalar(select(func.max(JobVisit.sequence)).where(JobVisit.job_id == job_id))
    return int(last or 0) + 1


def name_contains(part: str) -> ColumnElement[bool]:
    escaped = part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Customer.name.ilike(f"%{escaped}%", escape="\\")


async def history(session: AsyncSession, job_id: uuid.UUID) -> list[JobStatusChange]:
    statement = (
        select(JobStatusChange)
        .where(JobStatusChange.job_id == job_id)
        .order_by(JobStatusChange.created_at, JobStatusChange.id)
    )
    return list((await session.execute(statement)).scalars())


async def visits(session: AsyncSession, job_id: uuid.UUID) -> list[JobVisit]:
    statement = select(JobVisit).where(JobVisit.job_id == job_id).order_by(JobVisit.sequence)
    return list((await session.execute(statement)).scalars())


async def checkpoints(session: AsyncSession, job_id: uuid.UUID) -> list[JobCheckpoint]:
    statement = (
        select(JobCheckpoint).where(JobCheckpoint.job_id == job_id).order_by(JobCheckpoint.created_at, JobCheckpoint.id)
    )
    return list((await session.execute(statement)).scalars())


async def notes(session: AsyncSession, job_id: uuid.UUID) -> list[JobNote]:
    """The job's notes, oldest first."""
    statement = select(JobNote).where(JobNote.job_id == job_id).order_by(JobNote.created_at, JobNote.id)
    return list((await session.execute(statement)).scalars())


async def blocking_checkpoints(
    session: AsyncSession, job_id: uuid.UUID, statuses: frozenset[str]
) -> list[JobCheckpoint]:
    """The job's QA checkpoints in one of `statuses` (those that keep it from closing)."""
    statement = (
        select(JobCheckpoint)
        .where(JobCheckpoint.job_id == job_id, JobCheckpoint.kind == "QA", JobCheckpoint.status.in_(statuses))
        .order_by(JobCheckpoint.created_at, JobCheckpoint.id)
    )
    return list((await session.execute(statement)).scalars())


async def cancel_open_visits(session: AsyncSession, job_id: uuid.UUID) -> list[uuid.UUID]:
    """Cancels every visit of the job not done or cancelled yet; their ids."""
    statement = (
        update(JobVisit)
        .where(JobVisit.job_id == job_id, JobVisit.status.in_(VISIT_OPEN))
        .values(status="CANCELLED", updated_at=func.now())
        .returning(JobVisit.id)
        .execution_options(synchronize_session=False)
    )
    return list((await session.execute(statement)).scalars())


def _job_facts() -> tuple[Any, ...]:
    return (
        JobVisit, Job.number, Job.title, Job.status, Job.trade, Job.priority, Job.zip_code, Job.address,
        Job.branch_id, Job.sla_due_at,
    )  # fmt: skip


async def visits_between(
    session: AsyncSession, starts: datetime, ends: datetime, branch_id: uuid.UUID | None, *visible: ColumnElement[bool]
) -> list[Any]:
    """Open visits whose arrival window overlaps [starts, ends), with their job's facts, in one query: by window
    start, then job number and visit sequence. `visible`: the policies' conditions on the visit and the job."""
    filters = [
        *visible,
        JobVisit.window_start < ends,
        JobVisit.window_end > starts,
        JobVisit.status.in_(VISIT_OPEN),
    ]
    if branch_id is not None:
        filters.append(Job.branch_id == branch_id)
    statement = (
        select(*_job_facts())
        .join(Job, and_(Job.organization_id == JobVisit.organization_id, Job.id == JobVisit.job_id))
        .where(*filters)
        .order_by(JobVisit.window_start, Job.number, JobVisit.sequence)
    )
    return list((await session.execute(statement)).all())


async def open_jobs_without_visits(
    session: AsyncSession,
    branch_id: uuid.UUID | None,
    statuses: Sequence[str],
    limit: int,
    *visible: ColumnElement[bool],
) -> list[Job]:
    """Open jobs in `statuses` without an open visit that has a window: EMERGENCY first, then by number."""
    planned = exists().where(
        JobVisit.organization_id == Job.organization_id,
        JobVisit.job_id == Job.id,
        JobVisit.status.in_(VISIT_OPEN),
        JobVisit.window_start.is_not(None),
    )
    filters = [*visible, Job.status.in_(statuses), ~planned]
    if branch_id is not None:
        filters.append(Job.branch_id == branch_id)
    urgency = case(URGENCY, value=Job.priority, else_=len(URGENCY))
    statement = select(Job).where(*filters).order_by(urgency, Job.number).limit(limit)
    return list((await session.execute(statement)).scalars())


# --- the hand-off (services/handoff.py) ----------------------------------------------------------------------------


async def job_for_work_order(session: AsyncSession, work_order_id: uuid.UUID, *, lock: bool = False) -> Job | None:
    """The organization's job for an HOA work order (one per work order: a unique index; a maintenance agreement's
    visits carrying a standing work order's link are not it); `lock` holds it, or the advisory lock its creation
    takes, until the transaction ends, so two steps never both create it."""
    await hold_lock(session, f"job_for_work_order:{work_order_id}")
    statement = select(Job).where(Job.work_order_id == work_order_id, Job.source != "AGREEMENT")
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def job(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    """The job in the session's scope (None when RLS hides it or it is not committed yet)."""
    return await session.get(Job, job_id)


async def history_after(session: AsyncSession, job_id: uuid.UUID, after: uuid.UUID | None) -> list[JobStatusChange]:
    """The job's status changes recorded after the change `after` (all when None), oldest first (ids are UUIDv7:
    they sort by time of creation)."""
    statement = select(JobStatusChange).where(JobStatusChange.job_id == job_id)
    if after is not None:
        statement = statement.where(JobStatusChange.id > after)
    return list((await session.execute(statement.order_by(JobStatusChange.id))).scalars())

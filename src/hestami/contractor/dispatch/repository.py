"""Dispatch's SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, func, select, text, type_coerce, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.dispatch.models import DispatchAssignment, RoutePlan, SlaWindow
from hestami.contractor.dispatch.rules import LIVE
from hestami.core.repository import hold_lock

NO_DOUBLE_BOOKING = "dispatch_assignments_no_double_booking"
ONE_PER_VISIT = "uq_dispatch_assignments_visit"


async def lock_dispatch(session: AsyncSession, organization_id: uuid.UUID) -> None:
    """Holds the organization's dispatch lock until the transaction ends: assignments are written one at a time
    per organization, so a check that reads (is the technician free? is the visit taken?) sees what an earlier
    writer committed. Taken before any job or assignment row lock (one order: no deadlock)."""
    await hold_lock(session, f"dispatch:{organization_id}")


async def clash(
    session: AsyncSession,
    technician_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime,
    *,
    besides: frozenset[uuid.UUID] = frozenset(),
) -> DispatchAssignment | None:
    """A live (not cancelled) assignment of the technician whose slot overlaps [starts_at, ends_at), other than
    those `besides`; the earliest."""
    statement = select(DispatchAssignment).where(
        DispatchAssignment.technician_id == technician_id,
        DispatchAssignment.status != "CANCELLED",
        DispatchAssignment.starts_at < ends_at,
        DispatchAssignment.ends_at > starts_at,
    )
    if besides:
        statement = statement.where(DispatchAssignment.id.not_in(besides))
    statement = statement.order_by(DispatchAssignment.starts_at).limit(1)
    return (await session.execute(statement)).scalar_one_or_none()


async def defer_double_booking(session: AsyncSession) -> None:
    """Until `check_double_booking`, the transaction's writes may overlap a technician's slots for a moment (a route
    plan swapping two visits); the constraint is checked then (it is DEFERRABLE INITIALLY IMMEDIATE)."""
    await session.execute(text(f"SET CONSTRAINTS {NO_DOUBLE_BOOKING} DEFERRED"))


async def check_double_booking(session: AsyncSession) -> None:
    """The deferred double-booking check, now (IntegrityError when slots overlap)."""
    await session.execute(text(f"SET CONSTRAINTS {NO_DOUBLE_BOOKING} IMMEDIATE"))


async def of_visit(session: AsyncSession, visit_id: uuid.UUID) -> DispatchAssignment | None:
    """The visit's assignment that is not cancelled (one at most)."""
    statement = select(DispatchAssignment).where(
        DispatchAssignment.visit_id == visit_id, DispatchAssignment.status != "CANCELLED"
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def of_visits(session: AsyncSession, visit_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, DispatchAssignment]:
    """The visits' assignments that are not cancelled, by visit, in one query."""
    if not visit_ids:
        return {}
    statement = select(DispatchAssignment).where(
        DispatchAssignment.visit_id.in_(set(visit_ids)), DispatchAssignment.status != "CANCELLED"
    )
    return {a.visit_id: a for a in (await session.execute(statement)).scalars()}


async def live_of_job(session: AsyncSession, job_id: uuid.UUID, *, lock: bool = False) -> list[DispatchAssignment]:
    """The job's live assignments, earliest slot first."""
    statement = (
        select(DispatchAssignment)
        .where(DispatchAssignment.job_id == job_id, DispatchAssignment.status.in_(LIVE))
        .order_by(DispatchAssignment.starts_at, DispatchAssignment.id)
    )
    if lock:
        statement = statement.with_for_update(key_share=True)
    return list((await session.execute(statement)).scalars())


async def statuses_of_job(session: AsyncSession, job_id: uuid.UUID) -> list[str]:
    statement = select(DispatchAssignment.status).where(DispatchAssignment.job_id == job_id)
    return list((await session.execute(statement)).scalars())


async def between(
    session: AsyncSession,
    starts: datetime,
    ends: datetime,
    *filters: ColumnElement[bool],
    technician_ids: Sequence[uuid.UUID] | None = None,
) -> list[DispatchAssignment]:
    """Live assignments whose slot overlaps [starts, ends), of `technician_ids` when given, by technician and
    start; `filters`: the policy's query plan."""
    statement = select(DispatchAssignment).where(
        *filters,
        DispatchAssignment.status.in_(LIVE),
        DispatchAssignment.starts_at < ends,
        DispatchAssignment.ends_at > starts,
    )
    if technician_ids is not None:
        statement = statement.where(DispatchAssignment.technician_id.in_(set(technician_ids)))
    statement = statement.order_by(
        DispatchAssignment.technician_id, DispatchAssignment.starts_at, DispatchAssignment.id
    )
    return list((await session.execute(statement)).scalars())


async def finish_live_of_job(
    session: AsyncSession, job_id: uuid.UUID, status: str, at: datetime, *, only: Sequence[str] = tuple(LIVE)
) -> list[uuid.UUID]:
    """Moves the job's assignments in `only` to `status` (COMPLETED, CANCELLED) at `at`; their ids."""
    statement = (
        update(DispatchAssignment)
        .where(DispatchAssignment.job_id == job_id, DispatchAssignment.status.in_(only))
        .values(status=status, finished_at=at, updated_at=func.now())
        .returning(DispatchAssignment.id)
        .execution_options(synchronize_session=False)
    )
    return list((await session.execute(statement)).scalars())


async def technician_users_of_jobs(
    session: AsyncSession, job_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The accounts of the technicians with a live or completed assignment on each job, in one query."""
    if not job_ids:
        return {}
    statement = (
        select(DispatchAssignment.job_id, DispatchAssignment.technician_user_id)
        .where(DispatchAssignment.job_id.in_(set(job_ids)), DispatchAssignment.status != "CANCELLED")
        .distinct()
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for job_id, user_id in (await session.execute(statement)).all():
        found.setdefault(job_id, []).append(user_id)
    return found


def technician_users_column(organization_id: Any, job_id: Any) -> ColumnElement[Any]:
    """The same accounts as a SQL text array of a job row (for the job policies' query plans)."""
    users = (
        select(cast(DispatchAssignment.technician_user_id, Text))
        .where(
            DispatchAssignment.organization_id == organization_id,
            DispatchAssignment.job_id == job_id,
            DispatchAssignment.status != "CANCELLED",
        )
        .correlate_except(DispatchAssignment)
        .scalar_subquery()
    )
    return type_coerce(func.array(users), ARRAY(Text))


async def worked_by(session: AsyncSession, technician_id: uuid.UUID) -> list[DispatchAssignment]:
    """The technician's assignments that were not cancelled, oldest first (their KPIs)."""
    statement = (
        select(DispatchAssignment)
        .where(DispatchAssignment.technician_id == technician_id, DispatchAssignment.status != "CANCELLED")
        .order_by(DispatchAssignment.starts_at, DispatchAssignment.id)
    )
    return list((await session.execute(statement)).scalars())


async def visits_per_job(session: AsyncSession, job_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many assignments (visits made or planned) each job had, cancelled ones aside, in one query."""
    if not job_ids:
        return {}
    statement = (
        select(DispatchAssignment.job_id, func.count())
        .where(DispatchAssignment.job_id.in_(set(job_ids)), DispatchAssignment.status != "CANCELLED")
        .group_by(DispatchAssignment.job_id)
    )
    return {job_id: int(count) for job_id, count in (await session.execute(statement)).all()}


async def sla_windows(session: AsyncSession) -> dict[str, SlaWindow]:
    """The organization's SLA windows by priority."""
    return {w.priority: w for w in (await session.execute(select(SlaWindow))).scalars()}


async def sla_window(session: AsyncSession, priority: str, *, lock: bool = False) -> SlaWindow | None:
    statement = select(SlaWindow).where(SlaWindow.priority == priority)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def lock_sla_windows(session: AsyncSession, organization_id: uuid.UUID) -> None:
    """Setting a priority's window the first time: one writer at a time (the unique key stands behind it)."""
    await hold_lock(session, f"dispatch_sla_window:{organization_id}")


async def route_plan(session: AsyncSession, plan_id: uuid.UUID, *, lock: bool = False) -> RoutePlan | None:
    statement = select(RoutePlan).where(RoutePlan.id == plan_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def any_assignment(session: AsyncSession) -> bool:
    """Whether the organization has made any assignment (the demo loads once)."""
    return (await session.execute(select(DispatchAssignment.id).limit(1))).first() is not None


async def assignment(
    session: AsyncSession, assignment_id: uuid.UUID, *, lock: bool = False
) -> DispatchAssignment | None:
    """One assignment as the system reads it (a workflow step)."""
    statement = select(DispatchAssignment).where(DispatchAssignment.id == assignment_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def was_assigned(session: AsyncSession, visit_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """Whether the user's technician had a cancelled assignment of the visit (the field's VISIT_REASSIGNED)."""
    statement = select(DispatchAssignment.id).where(
        DispatchAssignment.visit_id == visit_id,
        DispatchAssignment.technician_user_id == user_id,
        DispatchAssignment.status == "CANCELLED",
    )
    return (await session.execute(statement.limit(1))).first() is not None

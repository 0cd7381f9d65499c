"""Reporting's SQL: runs and schedules."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.reporting.models import ReportRun, ReportSchedule

_SCHEDULE_ORGANIZATIONS = text("SELECT organization_id FROM app_report_schedule_organizations()")


async def run(session: AsyncSession, run_id: uuid.UUID, *, lock: bool = False) -> ReportRun | None:
    """A run in the session's organization (RLS), without a policy check: for the workflow's steps."""
    statement: Select[tuple[ReportRun]] = select(ReportRun).where(ReportRun.id == run_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def set_progress(session: AsyncSession, run_id: uuid.UUID, rows: int) -> None:
    await session.execute(
        update(ReportRun)
        .where(ReportRun.id == run_id, ReportRun.status == "RUNNING", ReportRun.rows_written < rows)
        .values(rows_written=rows)
    )


async def schedule_organizations(session: AsyncSession) -> list[uuid.UUID]:
    """Every organization with an active schedule (migration 0032's SECURITY DEFINER function: ids only)."""
    return list((await session.execute(_SCHEDULE_ORGANIZATIONS)).scalars())


async def active_schedules(session: AsyncSession) -> list[ReportSchedule]:
    statement = select(ReportSchedule).where(ReportSchedule.status == "ACTIVE").order_by(ReportSchedule.id)
    return list((await session.execute(statement)).scalars())


async def add_scheduled_run(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Inserts a schedule's run for its due date unless it has one; the new run's id, or None."""
    statement = (
        pg_insert(ReportRun)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_report_runs_schedule_due")
        .returning(ReportRun.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def scheduled_run(session: AsyncSession, schedule_id: uuid.UUID, due: Any) -> ReportRun | None:
    statement = select(ReportRun).where(ReportRun.schedule_id == schedule_id, ReportRun.due_on == due)
    return (await session.execute(statement)).scalar_one_or_none()


async def schedule(session: AsyncSession, schedule_id: uuid.UUID) -> ReportSchedule | None:
    return await session.get(ReportSchedule, schedule_id)

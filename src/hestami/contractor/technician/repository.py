"""The workforce's SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.technician.models import Certification, Shift, Skill, Technician, TimeOff
from hestami.core.repository import children_by_parent


async def technician_of_member(session: AsyncSession, user_id: uuid.UUID) -> Technician | None:
    """The organization's technician record of a member (at most one)."""
    return (await session.execute(select(Technician).where(Technician.user_id == user_id))).scalar_one_or_none()


async def with_employee_number(session: AsyncSession, number: str) -> Technician | None:
    statement = select(Technician).where(Technician.employee_number == number)
    return (await session.execute(statement)).scalar_one_or_none()


def has_skill_in(trade: str) -> ColumnElement[bool]:
    """Technicians with a skill in `trade` (a filter for lists)."""
    return exists().where(
        Skill.organization_id == Technician.organization_id,
        Skill.technician_id == Technician.id,
        Skill.trade == trade,
    )


async def skills(session: AsyncSession, technician_id: uuid.UUID) -> list[Skill]:
    statement = select(Skill).where(Skill.technician_id == technician_id).order_by(Skill.trade)
    return list((await session.execute(statement)).scalars())


async def skills_of(session: AsyncSession, technician_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Skill]]:
    """The skills of a page of technicians, in one query."""
    return await children_by_parent(session, Skill, Skill.technician_id, technician_ids)


async def skill(session: AsyncSession, technician_id: uuid.UUID, trade: str) -> Skill | None:
    statement = select(Skill).where(Skill.technician_id == technician_id, Skill.trade == trade)
    return (await session.execute(statement)).scalar_one_or_none()


async def certifications(session: AsyncSession, technician_id: uuid.UUID) -> list[Certification]:
    statement = (
        select(Certification)
        .where(Certification.technician_id == technician_id)
        .order_by(Certification.created_at, Certification.id)
    )
    return list((await session.execute(statement)).scalars())


async def certification(
    session: AsyncSession, technician_id: uuid.UUID, certification_id: uuid.UUID
) -> Certification | None:
    """One certification, looked up among the technician's own only."""
    statement = select(Certification).where(
        Certification.technician_id == technician_id, Certification.id == certification_id
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def shifts(session: AsyncSession, technician_id: uuid.UUID) -> list[Shift]:
    statement = select(Shift).where(Shift.technician_id == technician_id).order_by(Shift.created_at, Shift.id)
    return list((await session.execute(statement)).scalars())


async def clear_shifts(session: AsyncSession, technician_id: uuid.UUID) -> None:
    await session.execute(delete(Shift).where(Shift.technician_id == technician_id))


async def time_off(session: AsyncSession, technician_id: uuid.UUID, *, ending_after: datetime) -> list[TimeOff]:
    """The technician's scheduled time off that ends after `ending_after`, soonest first."""
    statement = (
        select(TimeOff)
        .where(TimeOff.technician_id == technician_id, TimeOff.status == "SCHEDULED", TimeOff.ends_at > ending_after)
        .order_by(TimeOff.starts_at, TimeOff.id)
    )
    return list((await session.execute(statement)).scalars())


async def overlapping_time_off(
    session: AsyncSession, technician_id: uuid.UUID, starts_at: datetime, ends_at: datetime
) -> TimeOff | None:
    """A scheduled period of the technician's that shares some time with [starts_at, ends_at)."""
    statement = select(TimeOff).where(
        TimeOff.technician_id == technician_id,
        TimeOff.status == "SCHEDULED",
        TimeOff.starts_at < ends_at,
        TimeOff.ends_at > starts_at,
    )
    return (await session.execute(statement.order_by(TimeOff.starts_at).limit(1))).scalar_one_or_none()


async def time_off_entry(
    session: AsyncSession, technician_id: uuid.UUID, time_off_id: uuid.UUID, *, lock: bool = False
) -> TimeOff | None:
    """One period, looked up among the technician's own only."""
    statement = select(TimeOff).where(TimeOff.technician_id == technician_id, TimeOff.id == time_off_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def roster(session: AsyncSession, *filters: ColumnElement[bool]) -> list[Technician]:
    """The organization's technicians that `filters` admit, by name (dispatch's board and routing)."""
    statement = select(Technician).where(*filters).order_by(Technician.display_name, Technician.id)
    return list((await session.execute(statement)).scalars())


async def shifts_of(session: AsyncSession, technician_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Shift]]:
    """The weekly shifts of many technicians, in one query."""
    return await children_by_parent(session, Shift, Shift.technician_id, technician_ids)


async def time_off_between(
    session: AsyncSession, technician_ids: Sequence[uuid.UUID], starts_at: datetime, ends_at: datetime
) -> list[TimeOff]:
    """The scheduled time off of many technicians that shares some time with [starts_at, ends_at), in one query."""
    if not technician_ids:
        return []
    statement = (
        select(TimeOff)
        .where(
            TimeOff.technician_id.in_(set(technician_ids)),
            TimeOff.status == "SCHEDULED",
            TimeOff.starts_at < ends_at,
            TimeOff.ends_at > starts_at,
        )
        .order_by(TimeOff.starts_at, TimeOff.id)
    )
    return list((await session.execute(statement)).scalars())


async def delete_row(session: AsyncSession, row: Any) -> None:
    await session.delete(row)
    await session.flush()

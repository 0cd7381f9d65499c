"""Domain 12's SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.compliance.models import ChecklistItem, Deadline, Requirement
from hestami.core.ids import new_id
from hestami.core.repository import hold_lock


async def deadline(session: AsyncSession, deadline_id: uuid.UUID, *, lock: bool = False) -> Deadline | None:
    """A deadline in scope, for the reminder workflow (which acts as the system: no policy check)."""
    statement = select(Deadline).where(Deadline.id == deadline_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def requirement(session: AsyncSession, requirement_id: uuid.UUID) -> Requirement | None:
    return (await session.execute(select(Requirement).where(Requirement.id == requirement_id))).scalar_one_or_none()


async def active_requirements(session: AsyncSession, association_id: uuid.UUID) -> list[Requirement]:
    statement = (
        select(Requirement)
        .where(Requirement.association_id == association_id, Requirement.active.is_(True))
        .order_by(Requirement.code)
    )
    return list((await session.execute(statement)).scalars())


async def requirements_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Requirement]:
    if not ids:
        return {}
    rows = await session.execute(select(Requirement).where(Requirement.id.in_(ids)))
    return {row.id: row for row in rows.scalars()}


async def requirement_with_code(session: AsyncSession, association_id: uuid.UUID, code: str) -> Requirement | None:
    statement = select(Requirement).where(Requirement.association_id == association_id, Requirement.code == code)
    return (await session.execute(statement)).scalar_one_or_none()


async def lock_codes(session: AsyncSession, association_id: uuid.UUID) -> None:
    await hold_lock(session, f"compliance_requirement_code:{association_id}")


async def add_deadlines(
    session: AsyncSession, organization_id: uuid.UUID, requirement: Requirement, dates: Sequence[tuple[date, date, str]]
) -> list[uuid.UUID]:
    """Inserts the (due, remind, status) deadlines the requirement does not have yet; the ids of the new ones (a
    date already generated is left alone: generating twice creates nothing)."""
    if not dates:
        return []
    rows = [
        {
            "id": new_id(), "organization_id": organization_id, "association_id": requirement.association_id,
            "requirement_id": requirement.id, "due_on": due, "remind_on": remind, "status": status,
        }
        for due, remind, status in dates
    ]  # fmt: skip
    statement = (
        pg_insert(Deadline)
        .values(rows)
        .on_conflict_do_nothing(constraint="uq_compliance_deadlines_due")
        .returning(Deadline.id)
    )
    return list((await session.execute(statement)).scalars())


async def checklist_items(session: AsyncSession, checklist_id: uuid.UUID) -> list[ChecklistItem]:
    statement = select(ChecklistItem).where(ChecklistItem.checklist_id == checklist_id).order_by(ChecklistItem.position)
    return list((await session.execute(statement)).scalars())


async def codes(session: AsyncSession, association_id: uuid.UUID) -> set[str]:
    """The requirement codes the association has (active or not)."""
    statement = select(Requirement.code).where(Requirement.association_id == association_id)
    return set((await session.execute(statement)).scalars())


async def checklist_item(
    session: AsyncSession, checklist_id: uuid.UUID, item_id: uuid.UUID, *, lock: bool = False
) -> ChecklistItem | None:
    """One item, looked up among the checklist's own items only."""
    statement = select(ChecklistItem).where(ChecklistItem.checklist_id == checklist_id, ChecklistItem.id == item_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def next_position(session: AsyncSession, checklist_id: uuid.UUID) -> int:
    """The position after the checklist's last item (1 for the first); the caller holds the checklist's lock."""
    statement = select(func.coalesce(func.max(ChecklistItem.position), 0)).where(
        ChecklistItem.checklist_id == checklist_id
    )
    return int((await session.execute(statement)).scalar_one()) + 1


async def open_items(session: AsyncSession, checklist_id: uuid.UUID) -> int:
    """How many of the checklist's items are not done."""
    statement = select(func.count()).where(
        ChecklistItem.checklist_id == checklist_id, ChecklistItem.completed_at.is_(None)
    )
    return int((await session.execute(statement)).scalar_one())


# --- reporting (issue 20) --------------------------------------------------------------------------------------

DONE = ("COMPLETED", "WAIVED")


async def report_rows(session: AsyncSession, association_id: uuid.UUID, visible: ColumnElement[bool]) -> list[Row[Any]]:
    """The association's deadlines that `visible` admits, with their requirement's code, title and kind, by due
    date."""
    statement = (
        select(
            Requirement.code,
            Requirement.title,
            Requirement.kind,
            Deadline.due_on,
            Deadline.status,
            Deadline.completed_at,
        )
        .join(
            Requirement,
            and_(Requirement.organization_id == Deadline.organization_id, Requirement.id == Deadline.requirement_id),
        )
        .where(Deadline.association_id == association_id, visible)
        .order_by(Deadline.due_on, Requirement.code, Deadline.id)
    )
    return list((await session.execute(statement)).all())


async def due_counts_by_association(
    session: AsyncSession, association_ids: Sequence[uuid.UUID], today: date, horizon: date
) -> dict[uuid.UUID, tuple[int, int]]:
    """(deadlines not done falling due from `today` to `horizon`, deadlines not done past due) per association,
    in one query; associations with neither are absent."""
    if not association_ids:
        return {}
    statement = (
        select(
            Deadline.association_id,
            func.count().filter(Deadline.due_on >= today, Deadline.due_on <= horizon),
            func.count().filter(Deadline.due_on < today),
        )
        .where(Deadline.association_id.in_(set(association_ids)), Deadline.status.not_in(DONE))
        .where(Deadline.due_on <= horizon)
        .group_by(Deadline.association_id)
    )
    return {a: (int(due), int(overdue)) for a, due, overdue in (await session.execute(statement)).all()}

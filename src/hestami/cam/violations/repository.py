"""Domain 4's SQL beyond the common record steps: numbering, settings per association, repeat detection, and the
rows that hang off a violation (history, evidence, notices, hearings, fines)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.violations.models import (
    Evidence,
    Fine,
    Hearing,
    Notice,
    StatusChange,
    Violation,
    ViolationSettings,
    ViolationType,
)
from hestami.core.repository import hold_lock


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    """The organization's next violation number, one creator at a time (an advisory lock until commit)."""
    await hold_lock(session, f"violation_number:{organization_id}")
    last = await session.scalar(select(func.max(Violation.number)).where(Violation.organization_id == organization_id))
    return int(last or 0) + 1


async def violation(session: AsyncSession, violation_id: uuid.UUID, *, lock: bool = False) -> Violation | None:
    """A violation in scope (for the lifecycle, which acts as the system: no policy check)."""
    statement = select(Violation).where(Violation.id == violation_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def settings_of(
    session: AsyncSession, association_id: uuid.UUID, *, lock: bool = False
) -> ViolationSettings | None:
    statement = select(ViolationSettings).where(ViolationSettings.association_id == association_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def lock_settings(session: AsyncSession, association_id: uuid.UUID) -> None:
    """Serializes the first save of an association's settings (there is no row to lock yet)."""
    await hold_lock(session, f"violation_settings:{association_id}")


async def type_with_code(session: AsyncSession, association_id: uuid.UUID, code: str) -> ViolationType | None:
    statement = select(ViolationType).where(ViolationType.association_id == association_id, ViolationType.code == code)
    return (await session.execute(statement)).scalar_one_or_none()


async def type_names(session: AsyncSession, type_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not type_ids:
        return {}
    statement = select(ViolationType.id, ViolationType.name).where(ViolationType.id.in_(set(type_ids)))
    return {type_id: name for type_id, name in (await session.execute(statement)).all()}


async def lock_type_codes(session: AsyncSession, association_id: uuid.UUID) -> None:
    await hold_lock(session, f"violation_type_code:{association_id}")


async def earlier_of_type(
    session: AsyncSession, unit_id: uuid.UUID, violation_type_id: uuid.UUID, since: datetime, until: datetime
) -> list[tuple[uuid.UUID, datetime]]:
    """Violations of the type on the unit observed from `since` up to `until` (for repeat detection: the ones
    before a violation being recorded, also a backdated one), newest first."""
    statement = (
        select(Violation.id, Violation.observed_at)
        .where(
            Violation.unit_id == unit_id,
            Violation.violation_type_id == violation_type_id,
            Violation.observed_at >= since,
            Violation.observed_at <= until,
            Violation.status != "DISMISSED",
        )
        .order_by(Violation.observed_at.desc())
    )
    return [(row[0], row[1]) for row in (await session.execute(statement)).all()]


async def _children(session: AsyncSession, model: Any, violation_id: uuid.UUID, order: Any) -> list[Any]:
    statement = select(model).where(model.violation_id == violation_id).order_by(order, model.id)
    return list((await session.execute(statement)).scalars())


async def history(session: AsyncSession, violation_id: uuid.UUID) -> list[StatusChange]:
    return await _children(session, StatusChange, violation_id, StatusChange.created_at)


async def evidence(session: AsyncSession, violation_id: uuid.UUID) -> list[Evidence]:
    return await _children(session, Evidence, violation_id, Evidence.created_at)


async def evidence_item(session: AsyncSession, violation_id: uuid.UUID, evidence_id: uuid.UUID) -> Evidence | None:
    statement = select(Evidence).where(Evidence.violation_id == violation_id, Evidence.id == evidence_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def notices(session: AsyncSession, violation_id: uuid.UUID) -> list[Notice]:
    return await _children(session, Notice, violation_id, Notice.sent_at)


async def notice_for(session: AsyncSession, violation_id: uuid.UUID, step: str) -> Notice | None:
    statement = select(Notice).where(Notice.violation_id == violation_id, Notice.step == step)
    return (await session.execute(statement)).scalar_one_or_none()


async def hearings(session: AsyncSession, violation_id: uuid.UUID) -> list[Hearing]:
    return await _children(session, Hearing, violation_id, Hearing.created_at)


async def open_hearing(session: AsyncSession, violation_id: uuid.UUID) -> Hearing | None:
    statement = select(Hearing).where(Hearing.violation_id == violation_id, Hearing.status == "SCHEDULED")
    return (await session.execute(statement)).scalar_one_or_none()


async def latest_decided_hearing(session: AsyncSession, violation_id: uuid.UUID) -> Hearing | None:
    statement = (
        select(Hearing)
        .where(Hearing.violation_id == violation_id, Hearing.status == "DECIDED")
        .order_by(Hearing.decided_at.desc())
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def fines(session: AsyncSession, violation_id: uuid.UUID) -> list[Fine]:
    return await _children(session, Fine, violation_id, Fine.created_at)


async def fined_total(session: AsyncSession, violation_id: uuid.UUID) -> Decimal:
    """What the violation has been fined and not waived (for the caps)."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Fine.amount), 0)).where(
            Fine.violation_id == violation_id, Fine.status == "ASSESSED"
        )
    )
    return Decimal(total or 0)


async def fine(
    session: AsyncSession, violation_id: uuid.UUID, fine_id: uuid.UUID, *, lock: bool = False
) -> Fine | None:
    statement = select(Fine).where(Fine.violation_id == violation_id, Fine.id == fine_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


# --- reporting (issue 20) --------------------------------------------------------------------------------------


async def report_rows(
    session: AsyncSession, association_id: uuid.UUID, visible: ColumnElement[bool], *, observed_before: datetime
) -> list[Row[Any]]:
    """The association's violations observed before `observed_before` that `visible` admits, with their type's
    name and the fines assessed on them (not waived), oldest first."""
    fined = (
        select(func.coalesce(func.sum(Fine.amount), 0))
        .where(Fine.organization_id == Violation.organization_id, Fine.violation_id == Violation.id)
        .where(Fine.status == "ASSESSED")
        .correlate(Violation)
        .scalar_subquery()
    )
    statement = (
        select(
            Violation.status,
            ViolationType.name.label("type_name"),
            Violation.observed_at,
            Violation.cure_due_at,
            Violation.closed_at,
            fined.label("fined"),
        )
        .join(
            ViolationType,
            and_(
                ViolationType.organization_id == Violation.organization_id,
                ViolationType.id == Violation.violation_type_id,
            ),
        )
        .where(Violation.association_id == association_id, Violation.observed_at < observed_before, visible)
        .order_by(Violation.observed_at, Violation.id)
    )
    return list((await session.execute(statement)).all())

"""The field backend's SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.field.models import (
    ChecklistStep,
    MaterialEntry,
    Media,
    Signature,
    SyncAction,
    TimeEntry,
    Transcription,
)


async def open_entry(session: AsyncSession, technician_id: uuid.UUID) -> TimeEntry | None:
    """The technician's running entry (one at most: a partial unique index), locked."""
    statement = (
        select(TimeEntry)
        .where(TimeEntry.technician_id == technician_id, TimeEntry.ended_at.is_(None))
        .with_for_update(key_share=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def entries(session: AsyncSession, job_id: uuid.UUID, visit_id: uuid.UUID | None = None) -> list[TimeEntry]:
    """The job's (or one visit's) time entries, by start."""
    statement = select(TimeEntry).where(TimeEntry.job_id == job_id)
    if visit_id is not None:
        statement = statement.where(TimeEntry.visit_id == visit_id)
    return list((await session.execute(statement.order_by(TimeEntry.started_at, TimeEntry.id))).scalars())


async def steps(session: AsyncSession, visit_id: uuid.UUID, *, lock: bool = False) -> list[ChecklistStep]:
    statement = select(ChecklistStep).where(ChecklistStep.visit_id == visit_id).order_by(ChecklistStep.position)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return list((await session.execute(statement)).scalars())


async def media(session: AsyncSession, job_id: uuid.UUID, visit_id: uuid.UUID | None = None) -> list[Media]:
    statement = select(Media).where(Media.job_id == job_id)
    if visit_id is not None:
        statement = statement.where(Media.visit_id == visit_id)
    return list((await session.execute(statement.order_by(Media.created_at, Media.id))).scalars())


async def transcriptions(session: AsyncSession, media_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Transcription]:
    if not media_ids:
        return {}
    statement = select(Transcription).where(Transcription.media_id.in_(set(media_ids)))
    return {t.media_id: t for t in (await session.execute(statement)).scalars()}


async def signature(session: AsyncSession, visit_id: uuid.UUID, purpose: str) -> Signature | None:
    statement = select(Signature).where(Signature.visit_id == visit_id, Signature.purpose == purpose)
    return (await session.execute(statement)).scalar_one_or_none()


async def signatures(session: AsyncSession, job_id: uuid.UUID, visit_id: uuid.UUID | None = None) -> list[Signature]:
    statement = select(Signature).where(Signature.job_id == job_id)
    if visit_id is not None:
        statement = statement.where(Signature.visit_id == visit_id)
    return list((await session.execute(statement.order_by(Signature.signed_at, Signature.id))).scalars())


async def media_by_id(session: AsyncSession, media_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Media]:
    if not media_ids:
        return {}
    statement = select(Media).where(Media.id.in_(set(media_ids)))
    return {m.id: m for m in (await session.execute(statement)).scalars()}


async def materials(session: AsyncSession, job_id: uuid.UUID, visit_id: uuid.UUID | None = None) -> list[MaterialEntry]:
    statement = select(MaterialEntry).where(MaterialEntry.job_id == job_id)
    if visit_id is not None:
        statement = statement.where(MaterialEntry.visit_id == visit_id)
    return list((await session.execute(statement.order_by(MaterialEntry.created_at, MaterialEntry.id))).scalars())


async def sync_action(session: AsyncSession, client_action_id: uuid.UUID) -> SyncAction | None:
    statement = select(SyncAction).where(SyncAction.client_action_id == client_action_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def claim(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Records an offline action unless its (organization, client_action_id) is recorded already (then None): the
    unique key decides, so two batches carrying one action never both apply it (the second waits for the first's
    transaction, then finds it)."""
    statement = (
        insert(SyncAction)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["organization_id", "client_action_id"])
        .returning(SyncAction.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def settle(session: AsyncSession, client_action_id: uuid.UUID, result: dict[str, Any]) -> None:
    """The applied action's answer, for its replays."""
    statement = (
        update(SyncAction)
        .where(SyncAction.client_action_id == client_action_id)
        .values(result=result, updated_at=func.now())
        .execution_options(synchronize_session=False)
    )
    await session.execute(statement)


async def any_entry(session: AsyncSession) -> bool:
    """Whether the organization has recorded any time (the demo loads once)."""
    return (await session.execute(select(TimeEntry.id).limit(1))).first() is not None


async def open_required_steps(session: AsyncSession, visit_ids: Sequence[uuid.UUID]) -> list[ChecklistStep]:
    """Required steps not done of these visits, by visit and position."""
    if not visit_ids:
        return []
    statement = (
        select(ChecklistStep)
        .where(ChecklistStep.visit_id.in_(set(visit_ids)), ChecklistStep.required, ChecklistStep.done_at.is_(None))
        .order_by(ChecklistStep.visit_id, ChecklistStep.position)
    )
    return list((await session.execute(statement)).scalars())

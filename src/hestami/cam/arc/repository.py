"""Domain 5's SQL beyond the common record steps: numbering, settings, committee members, the rows that hang off
a request (history, documents, reviews)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.arc.models import (
    ArcRequest,
    ArcSettings,
    Committee,
    CommitteeMember,
    RequestDocument,
    Review,
    StatusChange,
)
from hestami.core.repository import hold_lock


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    await hold_lock(session, f"arc_request_number:{organization_id}")
    last = await session.scalar(
        select(func.max(ArcRequest.number)).where(ArcRequest.organization_id == organization_id)
    )
    return int(last or 0) + 1


async def request(session: AsyncSession, request_id: uuid.UUID, *, lock: bool = False) -> ArcRequest | None:
    """A request in scope, for the lifecycle (which acts as the system: no policy check)."""
    statement = select(ArcRequest).where(ArcRequest.id == request_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def settings_of(session: AsyncSession, association_id: uuid.UUID, *, lock: bool = False) -> ArcSettings | None:
    statement = select(ArcSettings).where(ArcSettings.association_id == association_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def lock_settings(session: AsyncSession, association_id: uuid.UUID) -> None:
    await hold_lock(session, f"arc_settings:{association_id}")


async def lock_committee_names(session: AsyncSession, association_id: uuid.UUID) -> None:
    await hold_lock(session, f"arc_committee_name:{association_id}")


async def committee_named(session: AsyncSession, association_id: uuid.UUID, name: str) -> uuid.UUID | None:
    statement = select(Committee.id).where(Committee.association_id == association_id, Committee.name == name)
    return (await session.execute(statement)).scalar_one_or_none()


async def committee_members(session: AsyncSession, committee_id: uuid.UUID) -> list[CommitteeMember]:
    statement = (
        select(CommitteeMember)
        .where(CommitteeMember.committee_id == committee_id)
        .order_by(CommitteeMember.created_at, CommitteeMember.id)
    )
    return list((await session.execute(statement)).scalars())


async def members_of(session: AsyncSession, committee_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[CommitteeMember]]:
    found: dict[uuid.UUID, list[CommitteeMember]] = {c: [] for c in committee_ids}
    if committee_ids:
        statement = (
            select(CommitteeMember)
            .where(CommitteeMember.committee_id.in_(committee_ids))
            .order_by(CommitteeMember.created_at, CommitteeMember.id)
        )
        for member in (await session.execute(statement)).scalars():
            found[member.committee_id].append(member)
    return found


async def committee_member(
    session: AsyncSession, committee_id: uuid.UUID, user_id: uuid.UUID
) -> CommitteeMember | None:
    statement = select(CommitteeMember).where(
        CommitteeMember.committee_id == committee_id, CommitteeMember.user_id == user_id
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def committee_user_ids(session: AsyncSession, committee_id: uuid.UUID | None) -> list[str]:
    if committee_id is None:
        return []
    statement = select(cast(CommitteeMember.user_id, Text)).where(CommitteeMember.committee_id == committee_id)
    return sorted((await session.execute(statement)).scalars())


async def history(session: AsyncSession, request_id: uuid.UUID) -> list[StatusChange]:
    statement = (
        select(StatusChange)
        .where(StatusChange.request_id == request_id)
        .order_by(StatusChange.created_at, StatusChange.id)
    )
    return list((await session.execute(statement)).scalars())


async def documents(session: AsyncSession, request_id: uuid.UUID) -> list[RequestDocument]:
    statement = (
        select(RequestDocument)
        .where(RequestDocument.request_id == request_id)
        .order_by(RequestDocument.created_at, RequestDocument.id)
    )
    return list((await session.execute(statement)).scalars())


async def reviews(session: AsyncSession, request_id: uuid.UUID, round_: int) -> list[Review]:
    statement = (
        select(Review)
        .where(Review.request_id == request_id, Review.round == round_)
        .order_by(Review.created_at, Review.id)
    )
    return list((await session.execute(statement)).scalars())


async def review_by(session: AsyncSession, request_id: uuid.UUID, round_: int, user_id: uuid.UUID) -> Review | None:
    statement = (
        select(Review)
        .where(Review.request_id == request_id, Review.round == round_, Review.reviewer_user_id == user_id)
        .with_for_update(key_share=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


# --- reporting (issue 20) --------------------------------------------------------------------------------------


async def report_rows(
    session: AsyncSession, association_id: uuid.UUID, visible: ColumnElement[bool], *, created_before: datetime
) -> list[Row[Any]]:
    """The association's architectural requests created before `created_before` that `visible` admits, oldest
    first: status, when submitted and decided, whether deemed, the review (deemed-approval) deadline, number and
    title."""
    statement = (
        select(
            ArcRequest.status,
            ArcRequest.category,
            ArcRequest.created_at,
            ArcRequest.submitted_at,
            ArcRequest.decided_at,
            ArcRequest.deemed,
            ArcRequest.review_due_at,
            ArcRequest.number,
            ArcRequest.title,
        )
        .where(ArcRequest.association_id == association_id, ArcRequest.created_at < created_before, visible)
        .order_by(ArcRequest.created_at, ArcRequest.id)
    )
    return list((await session.execute(statement)).all())

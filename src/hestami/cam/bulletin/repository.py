"""Domain 7's bulletin SQL beyond the common record steps: the bulletin's order (pinned first, newest first), who
read what, and the events that may have occurrences in a window."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.bulletin.models import Announcement, AnnouncementRead, CalendarEvent
from hestami.core.pagination import PageRequest, SortKey, fetch_page

BULLETIN_ORDER = SortKey(
    (Announcement.pinned, func.coalesce(Announcement.publish_at, Announcement.created_at), Announcement.id),
    descending=True,
)
"""Pinned first, then the newest (by publish time; a draft without one by its creation)."""
CALENDAR_ORDER = SortKey((CalendarEvent.starts_at, CalendarEvent.id))
READERS_ORDER = SortKey((AnnouncementRead.read_at, AnnouncementRead.id))


def _locked(statement: Any, lock: bool) -> Any:
    return statement.with_for_update(key_share=True) if lock else statement


# --- announcements -----------------------------------------------------------------------------------------------


async def announcement(session: AsyncSession, announcement_id: uuid.UUID, *, lock: bool = False) -> Announcement | None:
    """An announcement in scope, for the notification workflow (which acts as the system: no policy check)."""
    statement = select(Announcement).where(Announcement.id == announcement_id)
    return (await session.execute(_locked(statement, lock))).scalar_one_or_none()


async def bulletin_page(
    session: AsyncSession,
    visible: ColumnElement[bool],
    readers_visible: ColumnElement[bool],
    filters: Sequence[ColumnElement[bool]],
    request: PageRequest,
) -> tuple[list[tuple[Announcement, bool]], str | None]:
    """A page of the announcements `visible` selects, in the bulletin's order, each with whether the caller may see
    its readers."""
    statement = select(Announcement, readers_visible).where(visible, *filters)
    rows, cursor = await fetch_page(session, statement, BULLETIN_ORDER, request)
    return [(row[0], bool(row[1])) for row in rows], cursor


async def reads_of(
    session: AsyncSession, announcement_ids: Sequence[uuid.UUID], user_id: uuid.UUID | None
) -> dict[uuid.UUID, datetime]:
    """When `user_id` read each of the announcements (those they read)."""
    if not announcement_ids or user_id is None:
        return {}
    rows = await session.execute(
        select(AnnouncementRead.announcement_id, AnnouncementRead.read_at).where(
            AnnouncementRead.announcement_id.in_(announcement_ids), AnnouncementRead.user_id == user_id
        )
    )
    return {announcement_id: read_at for announcement_id, read_at in rows.all()}


async def read_counts(session: AsyncSession, announcement_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not announcement_ids:
        return {}
    rows = await session.execute(
        select(AnnouncementRead.announcement_id, func.count())
        .where(AnnouncementRead.announcement_id.in_(announcement_ids))
        .group_by(AnnouncementRead.announcement_id)
    )
    return {announcement_id: int(count) for announcement_id, count in rows.all()}


async def mark_read(
    session: AsyncSession, organization_id: uuid.UUID, announcement_id: uuid.UUID, user_id: uuid.UUID, email: str
) -> datetime:
    """Records the read unless the user read it before (the unique row decides, also between concurrent requests);
    when they first read it."""
    inserted = await session.execute(
        pg_insert(AnnouncementRead)
        .values(
            id=uuid.uuid4(),
            organization_id=organization_id,
            announcement_id=announcement_id,
            user_id=user_id,
            email=email,
            read_at=func.now(),
        )
        .on_conflict_do_nothing(constraint="uq_announcement_reads_once")
        .returning(AnnouncementRead.read_at)
    )
    first = inserted.scalar_one_or_none()
    if first is not None:
        return first
    earlier = await session.scalar(
        select(AnnouncementRead.read_at).where(
            AnnouncementRead.announcement_id == announcement_id, AnnouncementRead.user_id == user_id
        )
    )
    if earlier is None:  # cannot happen: the conflicting row was committed, and reads are never deleted
        raise RuntimeError(f"the read of {announcement_id} by {user_id} conflicted but is not there")
    return earlier


async def readers_page(
    session: AsyncSession, announcement_id: uuid.UUID, request: PageRequest
) -> tuple[list[AnnouncementRead], str | None]:
    statement = select(AnnouncementRead).where(AnnouncementRead.announcement_id == announcement_id)
    return await fetch_page(session, statement, READERS_ORDER, request)


# --- calendar events ---------------------------------------------------------------------------------------------


async def event(session: AsyncSession, event_id: uuid.UUID, *, lock: bool = False) -> CalendarEvent | None:
    statement = select(CalendarEvent).where(CalendarEvent.id == event_id)
    return (await session.execute(_locked(statement, lock))).scalar_one_or_none()


async def calendar_page(
    session: AsyncSession, visible: ColumnElement[bool], filters: Sequence[ColumnElement[bool]], request: PageRequest
) -> tuple[list[CalendarEvent], str | None]:
    """A page of the events `visible` selects, by start."""
    statement = select(CalendarEvent).where(visible, *filters)
    return await fetch_page(session, statement, CALENDAR_ORDER, request)


async def events_around(
    session: AsyncSession,
    visible: ColumnElement[bool],
    association_id: uuid.UUID,
    window_from: datetime,
    window_to: datetime,
    event_type: str | None = None,
) -> list[CalendarEvent]:
    """The association's scheduled events `visible` selects that may have occurrences in [from, to): those starting
    before its end that are recurring or end after its start."""
    statement = select(CalendarEvent).where(
        visible,
        CalendarEvent.association_id == association_id,
        CalendarEvent.status == "SCHEDULED",
        CalendarEvent.starts_at < window_to,
        or_(CalendarEvent.rrule.is_not(None), CalendarEvent.ends_at > window_from),
    )
    if event_type is not None:
        statement = statement.where(CalendarEvent.event_type == event_type)
    return list((await session.execute(statement.order_by(CalendarEvent.starts_at, CalendarEvent.id))).scalars())

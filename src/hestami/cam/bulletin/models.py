"""Domain 7's bulletin tables (migration 0022_add_bulletin): announcements with who read them, calendar events."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, Text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class Announcement(TenantRecord, Base):
    """A notice on the association's bulletin: a draft until published, shown from `publish_at` until
    `expires_at` (if any) to its audience, withdrawn when taken down."""

    __tablename__ = "announcements"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    publish_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class AnnouncementRead(TenantRecord, Base):
    """A member who read an announcement, once (the first time)."""

    __tablename__ = "announcement_reads"

    announcement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    email: Mapped[str] = mapped_column(Text)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarEvent(TenantRecord, Base):
    """An event on the association's calendar, once or recurring (an RFC 5545 RRULE from `starts_at`, expanded in
    UTC), with single occurrences cancelled (`exdates`) and a revision counted up by every change owners are told
    of; `reminders_version` counts the changes that restart its reminders (time, reminder, cancellation)."""

    __tablename__ = "calendar_events"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    event_type: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    location: Mapped[str | None] = mapped_column(Text)
    common_area_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    rrule: Mapped[str | None] = mapped_column(Text)
    exdates: Mapped[list[datetime]] = mapped_column(ARRAY(DateTime(timezone=True)), default=list)
    visibility: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    remind_hours_before: Mapped[int | None] = mapped_column(Integer)
    reminders_version: Mapped[int] = mapped_column(Integer, default=1)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

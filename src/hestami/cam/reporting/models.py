"""Reporting's tables (migration 0032_add_reporting): report runs and schedules."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Integer, SmallInteger, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class _Subject:
    """What is reported on, and how: the definition (`report`), its category and scope as they were when the run or
    schedule was made, the association or unit it is about, the validated parameters and the output format."""

    association_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    report: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB)
    format: Mapped[str] = mapped_column(Text)


class ReportSchedule(_Subject, TenantRecord, Base):
    __tablename__ = "report_schedules"

    frequency: Mapped[str] = mapped_column(Text)
    day_of_month: Mapped[int | None] = mapped_column(SmallInteger)
    weekday: Mapped[str | None] = mapped_column(Text)
    recipients: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    status: Mapped[str] = mapped_column(Text, default="ACTIVE")
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    cancelled_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReportRun(_Subject, TenantRecord, Base):
    __tablename__ = "report_runs"

    status: Mapped[str] = mapped_column(Text, default="QUEUED")
    requested_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    schedule_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    due_on: Mapped[date | None] = mapped_column(Date)
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    row_count: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    file_name: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(Text)
    error_message: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

"""Domain 4 tables (migration 0014_add_violations)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)


class ViolationSettings(TenantRecord, Base):
    __tablename__ = "violation_settings"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    courtesy_cure_days: Mapped[int] = mapped_column(Integer)
    first_notice_cure_days: Mapped[int] = mapped_column(Integer)
    second_notice_cure_days: Mapped[int] = mapped_column(Integer)
    hearing_notice_days: Mapped[int] = mapped_column(Integer)
    appeal_days: Mapped[int] = mapped_column(Integer)
    repeat_window_days: Mapped[int] = mapped_column(Integer)
    fine_cap_per_violation: Mapped[Decimal | None] = mapped_column(MONEY)
    hearing_body: Mapped[str] = mapped_column(Text)
    delivery_methods: Mapped[list[str]] = mapped_column(ARRAY(Text))


class ViolationType(TenantRecord, Base):
    __tablename__ = "violation_types"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    rule_reference: Mapped[str | None] = mapped_column(Text)
    default_cure_days: Mapped[int | None] = mapped_column(Integer)
    fine_first: Mapped[Decimal | None] = mapped_column(MONEY)
    fine_repeat: Mapped[Decimal | None] = mapped_column(MONEY)
    fine_daily: Mapped[Decimal | None] = mapped_column(MONEY)
    fine_cap: Mapped[Decimal | None] = mapped_column(MONEY)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Violation(TenantRecord, Base):
    __tablename__ = "violations"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    violation_type_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    number: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reported_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text)
    cure_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat_of_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB)
    resolution: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StatusChange(TenantRecord, Base):
    __tablename__ = "violation_status_history"

    violation_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class Evidence(TenantRecord, Base):
    """A file about the violation, kept as a document of it; never changed or removed, only added."""

    __tablename__ = "violation_evidence"

    violation_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    document_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(Text)
    captured_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class Notice(TenantRecord, Base):
    """One letter of the sequence; one per violation and step (unique), so it goes out once."""

    __tablename__ = "violation_notices"

    violation_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    step: Mapped[str] = mapped_column(Text)
    delivery_methods: Mapped[list[str]] = mapped_column(ARRAY(Text))
    cure_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hearing_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    recipients: Mapped[list[str]] = mapped_column(ARRAY(Text))
    sent_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Hearing(TenantRecord, Base):
    __tablename__ = "violation_hearings"

    violation_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    location: Mapped[str | None] = mapped_column(Text)
    hearing_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    fine_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    decision_notes: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    appeal_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    appeal_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hearing_requested: Mapped[bool] = mapped_column(Boolean, default=False)


class Fine(TenantRecord, Base):
    __tablename__ = "violation_fines"

    violation_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    charge_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    assessed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    waived_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    waived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

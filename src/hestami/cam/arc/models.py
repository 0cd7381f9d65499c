"""Domain 5 tables (migration 0016_add_arc)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class ArcSettings(TenantRecord, Base):
    __tablename__ = "arc_settings"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    deemed_approval_days: Mapped[int | None] = mapped_column(Integer)
    approval_valid_days: Mapped[int] = mapped_column(Integer)


class Committee(TenantRecord, Base):
    __tablename__ = "arc_committees"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    quorum: Mapped[int] = mapped_column(Integer)
    approval_threshold: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CommitteeMember(TenantRecord, Base):
    __tablename__ = "arc_committee_members"

    committee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(Text)


class ArcRequest(TenantRecord, Base):
    __tablename__ = "arc_requests"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    requested_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    number: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    estimated_cost: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    contractor: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    committee_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    round: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision: Mapped[str | None] = mapped_column(Text)
    deemed: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    approval_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    work_started_on: Mapped[date | None] = mapped_column(Date)


class StatusChange(TenantRecord, Base):
    __tablename__ = "arc_request_status_history"

    request_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class RequestDocument(TenantRecord, Base):
    """A version of a document filed with the request, and the review round it was filed in."""

    __tablename__ = "arc_request_documents"

    request_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    document_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    version_number: Mapped[int] = mapped_column(Integer)
    round: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Review(TenantRecord, Base):
    __tablename__ = "arc_reviews"

    request_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    round: Mapped[int] = mapped_column(Integer)
    reviewer_user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(Text)
    comments: Mapped[str | None] = mapped_column(Text)

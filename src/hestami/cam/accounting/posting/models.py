"""The posting tables (migration 0028_add_assessment_posting). Money is Decimal / NUMERIC(18,2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, Integer, Numeric, SmallInteger, Text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)


class PostingRun(TenantRecord, Base):
    """One period of one assessment type billed to an association's units (unique per type and due date)."""

    __tablename__ = "assessment_posting_runs"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    assessment_type_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(Text)
    trigger: Mapped[str] = mapped_column(Text)
    allocation: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    description: Mapped[str] = mapped_column(Text)
    unit_ids: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(UUID(as_uuid=True)), deferred=True)
    """The units to bill, fixed when the run starts, with what billing reads of each in the parallel arrays below;
    never loaded with the run (a batch reads its slice)."""
    unit_properties: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(UUID(as_uuid=True)), deferred=True)
    unit_numbers: Mapped[list[str] | None] = mapped_column(ARRAY(Text), deferred=True)
    unit_weights: Mapped[list[Decimal] | None] = mapped_column(ARRAY(Numeric(9, 4)), deferred=True)
    unit_shares: Mapped[list[Decimal | None] | None] = mapped_column(ARRAY(Numeric(9, 6)), deferred=True)
    units_total: Mapped[int | None] = mapped_column(Integer)
    units_done: Mapped[int] = mapped_column(Integer, default=0)
    charged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    batches: Mapped[int] = mapped_column(Integer, default=0)
    amount_charged: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    started_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    """Which workflow carries the run (migration 0030): 1 for the first, one more each time a FAILED run is
    started again (`workflows.workflow_id`)."""
    error_code: Mapped[str | None] = mapped_column(Text)
    """Why the run FAILED (the error's reason, else its code), while it is FAILED."""
    error_message: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CollectionStep(TenantRecord, Base):
    """A dated collection step of a delinquent unit for one charge cycle (unique per charge and step)."""

    __tablename__ = "collection_steps"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    charge_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    step: Mapped[str] = mapped_column(Text)
    noticed_on: Mapped[date] = mapped_column(Date)
    days_past_due: Mapped[int] = mapped_column(Integer)
    balance: Mapped[Decimal] = mapped_column(MONEY)
    recipients: Mapped[int] = mapped_column(Integer)


class PostingSettings(TenantRecord, Base):
    """An association's assessment calendar and collection days (defaults when it has no row)."""

    __tablename__ = "assessment_posting_settings"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    due_day: Mapped[int] = mapped_column(SmallInteger, default=1)
    reminder_days: Mapped[int] = mapped_column(SmallInteger, default=15)
    late_notice_days: Mapped[int] = mapped_column(SmallInteger, default=30)
    intent_to_lien_days: Mapped[int] = mapped_column(SmallInteger, default=90)
    allocation: Mapped[str] = mapped_column(Text, default="EQUAL")

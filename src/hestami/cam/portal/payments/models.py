"""The owner portal's payment tables (migration 0025_add_payment_preferences)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class PaymentMethod(TenantRecord, Base):
    """A party's card or bank account, as the provider's token and what identifies it to its owner (brand or bank,
    last four digits, expiry): the number itself never reaches us."""

    __tablename__ = "payment_methods"

    party_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(Text)
    provider_token: Mapped[str] = mapped_column(Text)
    last4: Mapped[str] = mapped_column(Text)
    brand: Mapped[str | None] = mapped_column(Text)
    exp_month: Mapped[int | None] = mapped_column(Integer)
    exp_year: Mapped[int | None] = mapped_column(Integer)
    bank_name: Mapped[str | None] = mapped_column(Text)
    account_type: Mapped[str | None] = mapped_column(Text)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AutopayEnrolment(TenantRecord, Base):
    """A unit paid automatically from a stored method on a day of the month, up to an optional maximum."""

    __tablename__ = "autopay_enrolments"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    party_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    payment_method_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    day_of_month: Mapped[int] = mapped_column(Integer)
    max_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    start_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(Text)
    provider_reference: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class GatewayRecord(TenantRecord, Base):
    """One call to the payment provider: what was asked (tokens masked), for whom, by whom, and its answer."""

    __tablename__ = "payment_gateway_records"

    operation: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(Text)
    association_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    party_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    payment_method_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    enrolment_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    requested_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    request: Mapped[dict[str, Any]] = mapped_column(JSONB)
    outcome: Mapped[str] = mapped_column(Text)
    provider_reference: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    idempotency_key: Mapped[str | None] = mapped_column(Text)

"""Estimates, their good/better/best options and priced lines, proposals (each sending) and status history
(migration 0041_add_estimates)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)
RATE = Numeric(7, 3)
QUANTITY = Numeric(14, 4)
PERCENT = Numeric(5, 2)


class Estimate(TenantRecord, Base):
    """A contractor's estimate (EST-000001 per organization) for a job, a customer, or an HOA work order's bid
    request (the bid, the work order, the HOA's organization and association: ids only, the HOA's records)."""

    __tablename__ = "estimates"

    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    bid_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    work_order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    hoa_organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    association_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    pricebook_version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    planned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    member: Mapped[bool] = mapped_column(Boolean, default=False)
    tax_rate: Mapped[Decimal] = mapped_column(RATE)
    valid_until: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    send_request: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_option_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_name: Mapped[str | None] = mapped_column(Text)
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_by_organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

    @property
    def display_number(self) -> str:
        return f"EST-{self.number:06d}"


class EstimateOption(TenantRecord, Base):
    """One option of an estimate (GOOD, BETTER, BEST or a free one), with its totals: subtotal = the sum of its
    lines (after its discount), tax on its taxable lines at the estimate's rate, total = subtotal + tax."""

    __tablename__ = "estimate_options"

    estimate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    tier: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    template_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal("0"))
    discount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    subtotal: Mapped[Decimal] = mapped_column(MONEY)
    taxable_subtotal: Mapped[Decimal] = mapped_column(MONEY)
    tax: Mapped[Decimal] = mapped_column(MONEY)
    total: Mapped[Decimal] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(Text, default="OPEN")


class EstimateLine(TenantRecord, Base):
    """A priced line of an option, from the pricebook's ACTIVE version through its price rules."""

    __tablename__ = "estimate_lines"

    estimate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    option_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    base_price: Mapped[Decimal] = mapped_column(MONEY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    applied_rules: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    line_total: Mapped[Decimal] = mapped_column(MONEY)
    taxable: Mapped[bool] = mapped_column(Boolean)


class Proposal(TenantRecord, Base):
    """One sending of an estimate: to whom (a customer, or an HOA's organization), when, the message, and the frozen
    content (options and lines as sent) with its SHA-256 and the estimate's version. The addressee organization
    reads the proposals addressed to it."""

    __tablename__ = "estimate_proposals"

    estimate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    estimate_version: Mapped[int] = mapped_column(Integer)
    addressee_kind: Mapped[str] = mapped_column(Text)
    addressee_name: Mapped[str] = mapped_column(Text)
    addressee_email: Mapped[str | None] = mapped_column(Text)
    addressee_organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    message: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    content_hash: Mapped[str] = mapped_column(Text)


class EstimateStatusChange(TenantRecord, Base):
    __tablename__ = "estimate_status_history"

    estimate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_name: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

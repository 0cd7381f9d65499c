"""The contractor's invoices, their lines, payment intents, payments and receipts (migration
0042_add_contractor_invoices). Money columns are NUMERIC(18, 2), quantities NUMERIC(18, 4)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class ContractorInvoice(TenantRecord, Base):
    """An invoice of the contractor for one job: to its customer, or to the HOA whose work order the job came from
    (its organization, association and work order as plain ids: another tenant's records); or, kind AGREEMENT, for
    one billing period of a maintenance agreement (no job): to the agreement's customer or HOA."""

    __tablename__ = "contractor_invoices"

    number: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    agreement_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    agreement_number: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="DRAFT")
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    hoa_organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    association_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    work_order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    bill_to: Mapped[str] = mapped_column(Text)
    percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    estimate_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    estimate_number: Mapped[str | None] = mapped_column(Text)
    option_name: Mapped[str | None] = mapped_column(Text)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(7, 4), default=Decimal("0"))
    issue_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    subtotal: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0.00"))
    tax: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0.00"))
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0.00"))
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0.00"))
    balance: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0.00"))
    memo: Mapped[str | None] = mapped_column(Text)
    ap_invoice_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    void_reason: Mapped[str | None] = mapped_column(Text)
    ap_status: Mapped[str | None] = mapped_column(Text)
    ap_voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ap_refusal_code: Mapped[str | None] = mapped_column(Text)
    ap_refusal_reason: Mapped[str | None] = mapped_column(Text)
    ap_refusal_message: Mapped[str | None] = mapped_column(Text)
    ap_refused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def display_number(self) -> str:
        return f"INV-{self.number:06d}"


class InvoiceLine(TenantRecord, Base):
    __tablename__ = "contractor_invoice_lines"

    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    taxable: Mapped[bool] = mapped_column(Boolean, default=False)


class PaymentIntent(TenantRecord, Base):
    """One request to the payment port, with its outcome (what the recording adapter stores)."""

    __tablename__ = "contractor_payment_intents"

    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    method: Mapped[str] = mapped_column(Text)
    token_hint: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    provider_reference: Mapped[str | None] = mapped_column(Text)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Payment(TenantRecord, Base):
    __tablename__ = "contractor_payments"

    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    method: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    intent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Receipt(TenantRecord, Base):
    """The receipt of one payment, numbered per organization (RCT-000001)."""

    __tablename__ = "contractor_receipts"

    payment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    number: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    balance_after: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    received_on: Mapped[date] = mapped_column(Date)

    @property
    def display_number(self) -> str:
        return f"RCT-{self.number:06d}"

"""Domain 2 tables (migration 0005_add_accounting). Money is Decimal / NUMERIC(18,2) throughout."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, SmallInteger, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)


class GLAccount(TenantRecord, Base):
    __tablename__ = "gl_accounts"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    account_number: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    account_type: Mapped[str] = mapped_column(Text)
    normal_balance: Mapped[str] = mapped_column(Text)
    fund: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class JournalEntry(TenantRecord, Base):
    __tablename__ = "journal_entries"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    entry_number: Mapped[int] = mapped_column(Integer)
    entry_date: Mapped[date] = mapped_column(Date)
    memo: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    source_type: Mapped[str] = mapped_column(Text)
    source_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reverses_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reversed_by_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    posted_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JournalLine(TenantRecord, Base):
    __tablename__ = "journal_entry_lines"

    journal_entry_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    gl_account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    fund: Mapped[str] = mapped_column(Text)
    line_number: Mapped[int] = mapped_column(SmallInteger)
    debit: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    credit: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    memo: Mapped[str | None] = mapped_column(Text)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class AssessmentType(TenantRecord, Base):
    __tablename__ = "assessment_types"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    frequency: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    revenue_account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    late_fee_type: Mapped[str] = mapped_column(Text, default="NONE")
    late_fee_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    late_fee_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    late_fee_grace_days: Mapped[int] = mapped_column(SmallInteger, default=15)
    prorate_on_transfer: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class AssessmentCharge(TenantRecord, Base):
    __tablename__ = "assessment_charges"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    assessment_type_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    amount_paid: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    description: Mapped[str] = mapped_column(Text)
    journal_entry_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    late_fee_for_charge_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    period_assessment: Mapped[bool] = mapped_column(Boolean, default=False)
    """The unit's REGULAR or SPECIAL assessment of this type for this due date: at most one charge is (unique
    index `uq_assessment_charges_period`). Fines and late fees are not, and may repeat; nor are duplicates billed
    before migration 0008, which keeps them for the books and lists them."""
    covers_from: Mapped[date | None] = mapped_column(Date)
    """A part of a period assessment prorated on an ownership transfer covers these days (`covers_from` ..
    `covers_to`, inclusive; `accounting.proration`); NULL for a whole period. Migration 0031."""
    covers_to: Mapped[date | None] = mapped_column(Date)
    voided_on: Mapped[date | None] = mapped_column(Date)
    """A voided charge (nothing was paid on it) counts from its due date until this date, the date of its void
    entry (`void_journal_entry_id`, Dr income / Cr receivable); migration 0015."""
    void_journal_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    void_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def balance(self) -> Decimal:
        return Decimal(0) if self.voided_on is not None else self.amount - self.amount_paid


class Payment(TenantRecord, Base):
    __tablename__ = "payments"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    unapplied_amount: Mapped[Decimal] = mapped_column(MONEY)
    payment_date: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    journal_entry_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    void_journal_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    void_reason: Mapped[str | None] = mapped_column(Text)


class PaymentApplication(TenantRecord, Base):
    """Part of a payment paying part of a charge. It counts in the receivable from `applied_on` (the date of the
    entry that credited the receivable) until `reversed_on` (the date of the void that debited it back)."""

    __tablename__ = "payment_applications"

    payment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    charge_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    applied_on: Mapped[date] = mapped_column(Date)
    reversed_on: Mapped[date | None] = mapped_column(Date)


class Vendor(TenantRecord, Base):
    __tablename__ = "vendors"

    name: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    tax_id_last4: Mapped[str | None] = mapped_column(Text)
    tax_id_hash: Mapped[str | None] = mapped_column(Text)
    w9_on_file: Mapped[bool] = mapped_column(Boolean, default=False)
    is_1099_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    service_provider_org_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class APInvoice(TenantRecord, Base):
    __tablename__ = "ap_invoices"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    vendor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    invoice_number: Mapped[str] = mapped_column(Text)
    invoice_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    memo: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    journal_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    payment_journal_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    approved_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    source_type: Mapped[str | None] = mapped_column(Text)


class APInvoiceLine(TenantRecord, Base):
    __tablename__ = "ap_invoice_lines"

    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    gl_account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(MONEY)


class BankAccount(TenantRecord, Base):
    __tablename__ = "bank_accounts"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    gl_account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    bank_name: Mapped[str] = mapped_column(Text)
    account_last4: Mapped[str] = mapped_column(Text)
    fund: Mapped[str] = mapped_column(Text)
    bank_balance: Mapped[Decimal | None] = mapped_column(MONEY)
    bank_balance_date: Mapped[date | None] = mapped_column(Date)
    last_reconciled_date: Mapped[date | None] = mapped_column(Date)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

"""The disbursements' tables (migration 0029_add_ap_payments). Money is Decimal / NUMERIC(18,2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)


class ApprovalSettings(TenantRecord, Base):
    """An association's approval chain: a manager approves up to `manager_limit`; above it a seated board member
    must, and above `dual_approval_threshold` (when set) two distinct board members."""

    __tablename__ = "ap_approval_settings"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    manager_limit: Mapped[Decimal] = mapped_column(MONEY)
    dual_approval_threshold: Mapped[Decimal | None] = mapped_column(MONEY)


class InvoiceApproval(TenantRecord, Base):
    """One approval of an invoice: who, in what role, and the status it left the invoice in."""

    __tablename__ = "ap_invoice_approvals"

    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    approver_user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    resulting_status: Mapped[str] = mapped_column(Text)


class VendorBankAccount(TenantRecord, Base):
    """A vendor's account for ACH payments."""

    __tablename__ = "vendor_bank_accounts"

    vendor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    routing_number: Mapped[str] = mapped_column(Text)
    account_number: Mapped[str] = mapped_column(Text)
    account_type: Mapped[str] = mapped_column(Text)


class BankPaymentProfile(TenantRecord, Base):
    """What a bank account needs to pay from it: its bank's routing number (the ODFI), the company name and
    identification on NACHA files, and the next check number."""

    __tablename__ = "bank_payment_profiles"

    bank_account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    routing_number: Mapped[str] = mapped_column(Text)
    company_name: Mapped[str] = mapped_column(Text)
    company_identification: Mapped[str] = mapped_column(Text)
    next_check_number: Mapped[int] = mapped_column(Integer)


class PaymentBatch(TenantRecord, Base):
    __tablename__ = "ap_payment_batches"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    bank_account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    fund: Mapped[str] = mapped_column(Text)
    batch_number: Mapped[int] = mapped_column(Integer)
    payment_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(Text)
    memo: Mapped[str | None] = mapped_column(Text)
    total: Mapped[Decimal] = mapped_column(MONEY)
    invoice_count: Mapped[int] = mapped_column(Integer)
    journal_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    nacha_file_key: Mapped[str | None] = mapped_column(Text)
    positive_pay_file_key: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    processed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    processing_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    entry_posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    nacha_written_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    positive_pay_written_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PaymentBatchItem(TenantRecord, Base):
    """One invoice of a batch: by ACH (the vendor's bank details as of the batch) or by check."""

    __tablename__ = "ap_payment_batch_items"

    batch_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    vendor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    bank_account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    method: Mapped[str] = mapped_column(Text)
    check_number: Mapped[int | None] = mapped_column(Integer)
    trace_number: Mapped[str | None] = mapped_column(Text)
    routing_number: Mapped[str | None] = mapped_column(Text)
    account_number: Mapped[str | None] = mapped_column(Text)
    account_type: Mapped[str | None] = mapped_column(Text)

"""add_ap_payments: issue 19:
apPaymentProcessing_v1: approval thresholds, payment batches and their bank files, 1099 totals.

- `ap_invoices.status` gains PENDING_BOARD: an invoice above the association's manager limit that a manager
  approved waits there for a seated board member (two distinct ones above the dual-approval threshold).
- `ap_approval_settings`: one row per association (the manager's limit, the optional dual-approval threshold);
  without one the defaults apply.
- `ap_invoice_approvals`: the approval history of an invoice (who, in what role, when, and what it moved the
  invoice to); one approval per person and invoice (unique).
- `vendor_bank_accounts`: a vendor's ACH details (routing number, account number, checking or savings), one per
  vendor; outputs mask the account number.
- `bank_payment_profiles`: what a bank account needs to originate payments (ODFI routing number, company name
  and identification for NACHA, the next check number); one per bank account.
- `ap_payment_batches`: approved invoices of one association, bank account and fund paid together (OPEN →
  PROCESSING → COMPLETED, or CANCELLED while OPEN); batch numbers per association are unique; the journal entry,
  the bank files' storage keys and each step's time.
- `ap_payment_batch_items`: one invoice of a batch, paid by ACH (with the vendor's bank details as of the batch)
  or by check (a check number unique per bank account). An invoice is in at most one batch (unique).

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0029"
down_revision: str | Sequence[str] | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INVOICE_STATUSES = ("DRAFT", "PENDING_APPROVAL", "APPROVED", "PAID", "VOIDED")
WITH_BOARD = ("DRAFT", "PENDING_APPROVAL", "PENDING_BOARD", "APPROVED", "PAID", "VOIDED")
ROLES = ("MANAGER", "ADMIN", "BOARD_MEMBER")
BATCH_STATUSES = ("OPEN", "PROCESSING", "COMPLETED", "CANCELLED")
METHODS = ("ACH", "CHECK")
FUNDS = ("OPERATING", "RESERVE")
MONEY = sa.Numeric(18, 2)


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _invoice_statuses(values: tuple[str, ...]) -> None:
    listed = ", ".join(repr(v) for v in values)
    op.execute("ALTER TABLE ap_invoices DROP CONSTRAINT ck_ap_invoices_status")
    op.execute(f"ALTER TABLE ap_invoices ADD CONSTRAINT ck_ap_invoices_status CHECK (status IN ({listed}))")


def upgrade() -> None:
    _invoice_statuses(WITH_BOARD)
    create_tenant_table(
        "ap_approval_settings",
        _uuid("association_id"),
        sa.Column("manager_limit", MONEY, nullable=False),
        sa.Column("dual_approval_threshold", MONEY),
        sa.CheckConstraint("manager_limit >= 0", name="manager_limit"),
        sa.CheckConstraint(
            "dual_approval_threshold IS NULL OR dual_approval_threshold >= manager_limit", name="dual_threshold"
        ),
        tenant_ref("association_id", "associations"),
        sa.UniqueConstraint("organization_id", "association_id", name="uq_ap_approval_settings_association"),
    )
    create_tenant_table(
        "ap_invoice_approvals",
        _uuid("invoice_id"),
        _uuid("association_id"),
        _uuid("approver_user_id"),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("resulting_status", sa.Text(), nullable=False),
        one_of("role", ROLES),
        one_of("resulting_status", ("PENDING_BOARD", "APPROVED")),
        tenant_ref("invoice_id", "ap_invoices"),
        tenant_ref("association_id", "associations"),
        sa.UniqueConstraint(
            "organization_id", "invoice_id", "approver_user_id", name="uq_ap_invoice_approvals_approver"
        ),
    )
    create_tenant_table(
        "vendor_bank_accounts",
        _uuid("vendor_id"),
        sa.Column("routing_number", sa.Text(), nullable=False),
        sa.Column("account_number", sa.Text(), nullable=False),
        sa.Column("account_type", sa.Text(), nullable=False),
        one_of("account_type", ("CHECKING", "SAVINGS")),
        sa.CheckConstraint("routing_number ~ '^[0-9]{9}$'", name="routing_number"),
        sa.CheckConstraint("account_number ~ '^[0-9]{4,17}$'", name="account_number"),
        tenant_ref("vendor_id", "vendors"),
        sa.UniqueConstraint("organization_id", "vendor_id", name="uq_vendor_bank_accounts_vendor"),
    )
    create_tenant_table(
        "bank_payment_profiles",
        _uuid("bank_account_id"),
        _uuid("association_id"),
        sa.Column("routing_number", sa.Text(), nullable=False),
        sa.Column("company_name", sa.Text(), nullable=False),
        sa.Column("company_identification", sa.Text(), nullable=False),
        sa.Column("next_check_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("routing_number ~ '^[0-9]{9}$'", name="routing_number"),
        sa.CheckConstraint("next_check_number > 0", name="next_check_number"),
        tenant_ref("bank_account_id", "bank_accounts"),
        tenant_ref("association_id", "associations"),
        sa.UniqueConstraint("organization_id", "bank_account_id", name="uq_bank_payment_profiles_bank"),
    )
    create_tenant_table(
        "ap_payment_batches",
        _uuid("association_id"),
        _uuid("bank_account_id"),
        sa.Column("fund", sa.Text(), nullable=False),
        sa.Column("batch_number", sa.Integer(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("memo", sa.Text()),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("invoice_count", sa.Integer(), nullable=False),
        _uuid("journal_entry_id", nullable=True),
        sa.Column("nacha_file_key", sa.Text()),
        sa.Column("positive_pay_file_key", sa.Text()),
        _uuid("created_by", nullable=True),
        _uuid("processed_by", nullable=True),
        sa.Column("processing_started_at", sa.DateTime(timezone=True)),
        sa.Column("entry_posted_at", sa.DateTime(timezone=True)),
        sa.Column("nacha_written_at", sa.DateTime(timezone=True)),
        sa.Column("positive_pay_written_at", sa.DateTime(timezone=True)),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        one_of("status", BATCH_STATUSES),
        one_of("fund", FUNDS),
        sa.CheckConstraint("total >= 0", name="total"),
        sa.CheckConstraint("status <> 'COMPLETED' OR journal_entry_id IS NOT NULL", name="completed_entry"),
        tenant_ref("association_id", "associations"),
        tenant_ref("bank_account_id", "bank_accounts"),
        tenant_ref("journal_entry_id", "journal_entries"),
        sa.UniqueConstraint("organization_id", "association_id", "batch_number", name="uq_ap_payment_batches_number"),
    )
    op.create_index(
        "ix_ap_payment_batches_association", "ap_payment_batches", ["organization_id", "association_id", "status"]
    )
    create_tenant_table(
        "ap_payment_batch_items",
        _uuid("batch_id"),
        _uuid("invoice_id"),
        _uuid("vendor_id"),
        _uuid("bank_account_id"),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("check_number", sa.Integer()),
        sa.Column("trace_number", sa.Text()),
        sa.Column("routing_number", sa.Text()),
        sa.Column("account_number", sa.Text()),
        sa.Column("account_type", sa.Text()),
        one_of("method", METHODS),
        sa.CheckConstraint("amount > 0", name="amount"),
        sa.CheckConstraint(
            "(method = 'CHECK' AND check_number IS NOT NULL) OR "
            "(method = 'ACH' AND routing_number IS NOT NULL AND account_number IS NOT NULL)",
            name="method_details",
        ),
        tenant_ref("batch_id", "ap_payment_batches"),
        tenant_ref("invoice_id", "ap_invoices"),
        tenant_ref("vendor_id", "vendors"),
        tenant_ref("bank_account_id", "bank_accounts"),
        sa.UniqueConstraint("organization_id", "invoice_id", name="uq_ap_payment_batch_items_invoice"),
    )
    op.create_index("ix_ap_payment_batch_items_batch", "ap_payment_batch_items", ["organization_id", "batch_id"])
    op.create_index(
        "uq_ap_payment_batch_items_check", "ap_payment_batch_items",
        ["organization_id", "bank_account_id", "check_number"], unique=True,
        postgresql_where=sa.text("check_number IS NOT NULL"),
    )  # fmt: skip


def downgrade() -> None:
    for table in (
        "ap_payment_batch_items", "ap_payment_batches", "bank_payment_profiles", "vendor_bank_accounts",
        "ap_invoice_approvals", "ap_approval_settings",
    ):  # fmt: skip
        op.drop_table(table)
    op.execute("UPDATE ap_invoices SET status = 'PENDING_APPROVAL' WHERE status = 'PENDING_BOARD'")
    _invoice_statuses(INVOICE_STATUSES)

"""add_accounting: fund accounting for associations (CDM domain 2).

Chart of accounts, journal entries and lines (posted entries are immutable: corrections are reversals),
assessment types and charges, payments and their applications, vendors, AP invoices and bank accounts. Every
table is a tenant table (`create_tenant_table`: RLS, grants, UNIQUE (organization_id, id)) and references
between them are composite `(organization_id, x_id)` keys.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(18, 2)


def uuid_column(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def upgrade() -> None:
    create_tenant_table(
        "gl_accounts",
        uuid_column("association_id"),
        sa.Column("account_number", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("account_type", sa.Text(), nullable=False),
        sa.Column("normal_balance", sa.Text(), nullable=False),
        sa.Column("fund", sa.Text(), nullable=False),
        uuid_column("parent_id", nullable=True),
        sa.Column("role", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default="true"),
        tenant_ref("association_id", "associations"),
        tenant_ref("parent_id", "gl_accounts"),
        one_of("account_type", ("ASSET", "LIABILITY", "EQUITY", "REVENUE", "EXPENSE")),
        one_of("normal_balance", ("DEBIT", "CREDIT")),
        sa.CheckConstraint("fund ~ '^[A-Z][A-Z0-9_]{1,29}$'", name="fund"),
    )
    op.create_index(
        "uq_gl_accounts_number", "gl_accounts", ["organization_id", "association_id", "account_number"], unique=True
    )
    op.create_index(
        "uq_gl_accounts_role", "gl_accounts", ["organization_id", "association_id", "role"], unique=True,
        postgresql_where=sa.text("role IS NOT NULL"),
    )  # fmt: skip

    create_tenant_table(
        "journal_entries",
        uuid_column("association_id"),
        sa.Column("entry_number", sa.Integer(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("source_type", sa.Text(), nullable=False),
        uuid_column("source_id", nullable=True),
        uuid_column("reverses_entry_id", nullable=True),
        uuid_column("reversed_by_entry_id", nullable=True),
        uuid_column("created_by", nullable=True),
        uuid_column("posted_by", nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True)),
        tenant_ref("association_id", "associations"),
        tenant_ref("reverses_entry_id", "journal_entries"),
        one_of("status", ("DRAFT", "PENDING_APPROVAL", "POSTED", "REVERSED")),
        one_of(
            "source_type",
            (
                "MANUAL",
                "ASSESSMENT_CHARGE",
                "PAYMENT",
                "PAYMENT_VOID",
                "AP_INVOICE",
                "AP_PAYMENT",
                "AP_VOID",
                "REVERSAL",
            ),
        ),
    )
    op.create_index(
        "uq_journal_entries_number",
        "journal_entries",
        ["organization_id", "association_id", "entry_number"],
        unique=True,
    )
    op.create_index("ix_journal_entries_date", "journal_entries", ["organization_id", "association_id", "entry_date"])

    create_tenant_table(
        "journal_entry_lines",
        uuid_column("journal_entry_id"),
        uuid_column("association_id"),
        uuid_column("gl_account_id"),
        sa.Column("fund", sa.Text(), nullable=False),
        sa.Column("line_number", sa.SmallInteger(), nullable=False),
        sa.Column("debit", MONEY, nullable=False, server_default="0"),
        sa.Column("credit", MONEY, nullable=False, server_default="0"),
        sa.Column("memo", sa.Text()),
        uuid_column("unit_id", nullable=True),
        tenant_ref("journal_entry_id", "journal_entries"),
        tenant_ref("gl_account_id", "gl_accounts"),
        tenant_ref("unit_id", "units"),
        sa.CheckConstraint("debit >= 0 AND credit >= 0 AND (debit = 0) <> (credit = 0)", name="one_side"),
    )
    op.create_index("ix_journal_entry_lines_entry", "journal_entry_lines", ["organization_id", "journal_entry_id"])
    op.create_index("ix_journal_entry_lines_account", "journal_entry_lines", ["organization_id", "gl_account_id"])

    create_tenant_table(
        "assessment_types",
        uuid_column("association_id"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("frequency", sa.Text(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        uuid_column("revenue_account_id"),
        sa.Column("late_fee_type", sa.Text(), nullable=False, server_default="NONE"),
        sa.Column("late_fee_amount", MONEY),
        sa.Column("late_fee_percent", sa.Numeric(7, 4)),
        sa.Column("late_fee_grace_days", sa.SmallInteger(), nullable=False, server_default="15"),
        sa.Column("prorate_on_transfer", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default="true"),
        tenant_ref("association_id", "associations"),
        tenant_ref("revenue_account_id", "gl_accounts"),
        one_of("kind", ("REGULAR", "SPECIAL", "LATE_FEE", "FINE")),
        one_of("frequency", ("MONTHLY", "QUARTERLY", "SEMI_ANNUAL", "ANNUAL", "ONE_TIME")),
        one_of("late_fee_type", ("NONE", "FIXED", "PERCENT")),
        sa.CheckConstraint("amount >= 0", name="amount"),
    )

    create_tenant_table(
        "assessment_charges",
        uuid_column("association_id"),
        uuid_column("assessment_type_id"),
        uuid_column("unit_id"),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("amount_paid", MONEY, nullable=False, server_default="0"),
        sa.Column("description", sa.Text(), nullable=False),
        uuid_column("journal_entry_id"),
        uuid_column("late_fee_for_charge_id", nullable=True),
        tenant_ref("association_id", "associations"),
        tenant_ref("assessment_type_id", "assessment_types"),
        tenant_ref("unit_id", "units"),
        tenant_ref("journal_entry_id", "journal_entries"),
        tenant_ref("late_fee_for_charge_id", "assessment_charges"),
        sa.CheckConstraint("amount > 0 AND amount_paid >= 0 AND amount_paid <= amount", name="amounts"),
    )
    op.create_index("ix_assessment_charges_unit", "assessment_charges", ["organization_id", "unit_id", "due_date"])
    op.create_index(
        "uq_assessment_charges_late_fee", "assessment_charges", ["organization_id", "late_fee_for_charge_id"],
        unique=True, postgresql_where=sa.text("late_fee_for_charge_id IS NOT NULL"),
    )  # fmt: skip

    create_tenant_table(
        "payments",
        uuid_column("association_id"),
        uuid_column("unit_id"),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("unapplied_amount", MONEY, nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        uuid_column("journal_entry_id"),
        uuid_column("void_journal_entry_id", nullable=True),
        sa.Column("void_reason", sa.Text()),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("journal_entry_id", "journal_entries"),
        tenant_ref("void_journal_entry_id", "journal_entries"),
        one_of("method", ("CHECK", "ACH", "CARD", "CASH", "LOCKBOX", "OTHER")),
        one_of("status", ("POSTED", "VOIDED")),
        sa.CheckConstraint("amount > 0 AND unapplied_amount >= 0 AND unapplied_amount <= amount", name="amounts"),
    )
    op.create_index("ix_payments_unit", "payments", ["organization_id", "unit_id", "payment_date"])

    create_tenant_table(
        "payment_applications",
        uuid_column("payment_id"),
        uuid_column("charge_id"),
        sa.Column("amount", MONEY, nullable=False),
        tenant_ref("payment_id", "payments"),
        tenant_ref("charge_id", "assessment_charges"),
        sa.CheckConstraint("amount > 0", name="amount"),
    )
    op.create_index("ix_payment_applications_payment", "payment_applications", ["organization_id", "payment_id"])

    create_tenant_table(
        "vendors",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.Text()),
        sa.Column("email", sa.Text()),
        sa.Column("phone", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("tax_id_last4", sa.Text()),
        sa.Column("tax_id_hash", sa.Text()),
        sa.Column("w9_on_file", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("is_1099_eligible", sa.Boolean(), nullable=False, server_default="false"),
        uuid_column("service_provider_org_id", nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default="true"),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("tax_id_last4 IS NULL OR tax_id_last4 ~ '^[0-9]{4}$'", name="tax_id_last4"),
    )

    create_tenant_table(
        "ap_invoices",
        uuid_column("association_id"),
        uuid_column("vendor_id"),
        sa.Column("invoice_number", sa.Text(), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date()),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("memo", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        uuid_column("journal_entry_id", nullable=True),
        uuid_column("payment_journal_entry_id", nullable=True),
        uuid_column("approved_by", nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("paid_on", sa.Date()),
        sa.Column("payment_reference", sa.Text()),
        uuid_column("source_id", nullable=True),
        sa.Column("source_type", sa.Text()),
        tenant_ref("association_id", "associations"),
        tenant_ref("vendor_id", "vendors"),
        tenant_ref("journal_entry_id", "journal_entries"),
        tenant_ref("payment_journal_entry_id", "journal_entries"),
        one_of("status", ("DRAFT", "PENDING_APPROVAL", "APPROVED", "PAID", "VOIDED")),
        sa.CheckConstraint("amount > 0", name="amount"),
    )
    op.create_index(
        "uq_ap_invoices_number", "ap_invoices", ["organization_id", "vendor_id", "invoice_number"], unique=True,
        postgresql_where=sa.text("status <> 'VOIDED'"),
    )  # fmt: skip

    create_tenant_table(
        "ap_invoice_lines",
        uuid_column("invoice_id"),
        uuid_column("gl_account_id"),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        tenant_ref("invoice_id", "ap_invoices"),
        tenant_ref("gl_account_id", "gl_accounts"),
        sa.CheckConstraint("amount > 0", name="amount"),
    )
    op.create_index("ix_ap_invoice_lines_invoice", "ap_invoice_lines", ["organization_id", "invoice_id"])

    create_tenant_table(
        "bank_accounts",
        uuid_column("association_id"),
        uuid_column("gl_account_id"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("bank_name", sa.Text(), nullable=False),
        sa.Column("account_last4", sa.Text(), nullable=False),
        sa.Column("fund", sa.Text(), nullable=False),
        sa.Column("bank_balance", MONEY),
        sa.Column("bank_balance_date", sa.Date()),
        sa.Column("last_reconciled_date", sa.Date()),
        sa.Column("is_primary", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default="true"),
        tenant_ref("association_id", "associations"),
        tenant_ref("gl_account_id", "gl_accounts"),
        sa.CheckConstraint("account_last4 ~ '^[0-9]{4}$'", name="account_last4"),
    )
    op.create_index(
        "uq_bank_accounts_primary", "bank_accounts", ["organization_id", "association_id", "fund"], unique=True,
        postgresql_where=sa.text("is_primary AND is_active"),
    )  # fmt: skip


def downgrade() -> None:
    for table in (
        "bank_accounts", "ap_invoice_lines", "ap_invoices", "vendors", "payment_applications", "payments",
        "assessment_charges", "assessment_types", "journal_entry_lines", "journal_entries", "gl_accounts",
    ):  # fmt: skip
        op.drop_table(table)

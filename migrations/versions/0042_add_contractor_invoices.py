"""add_contractor_invoices: issue 23 (P2.7, P2.10, P2.12): the contractor's invoices, payments and receipts.

- `contractor_invoices`: numbered per organization (INV-000001), for one job: its customer, or the HOA's
  organization, association and work order (plain ids: another tenant's records). Kind DEPOSIT | PROGRESS | FINAL |
  STANDARD; status DRAFT → ISSUED → PARTIALLY_PAID → PAID, or VOID. One FINAL per job that is not void (a partial
  unique index: asking twice answers ALREADY_INVOICED). `ap_invoice_id`: the association's payable it became,
  `ap_status` that payable's status as last read (`ap_voided_at`: when the invoice learned it was VOIDED);
  `ap_refusal_*`: why the association's books last refused to take it (cleared once they do).
- `contractor_invoice_lines`: TIME | MATERIAL | OPTION | DEPOSIT_CREDIT | MANUAL lines; frozen once issued.
- `contractor_payment_intents`: every request to the payment port with its outcome (the recording adapter).
- `contractor_payments` and `contractor_receipts` (one numbered receipt per payment, RCT-000001 per organization).

Revision ID: 0042
Revises: 0041
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0042"
down_revision: str | Sequence[str] | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("DEPOSIT", "PROGRESS", "FINAL", "STANDARD")
STATUSES = ("DRAFT", "ISSUED", "PARTIALLY_PAID", "PAID", "VOID")
SOURCES = ("TIME", "MATERIAL", "OPTION", "DEPOSIT_CREDIT", "MANUAL")
METHODS = ("CARD", "ACH", "CHECK", "CASH", "HOA_AP")
OUTCOMES = ("SUCCEEDED", "DECLINED")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _money(name: str) -> sa.Column[sa.Numeric]:
    return sa.Column(name, sa.Numeric(18, 2), nullable=False, server_default="0")


def upgrade() -> None:
    create_tenant_table(
        "contractor_invoices",
        sa.Column("number", sa.Integer(), nullable=False),
        _uuid("job_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="DRAFT"),
        _uuid("customer_id", nullable=True),
        _uuid("hoa_organization_id", nullable=True),
        _uuid("association_id", nullable=True),
        _uuid("work_order_id", nullable=True),
        sa.Column("bill_to", sa.Text(), nullable=False),
        sa.Column("percent", sa.Numeric(7, 4)),
        _uuid("estimate_id", nullable=True),
        sa.Column("estimate_number", sa.Text()),
        sa.Column("option_name", sa.Text()),
        sa.Column("tax_rate", sa.Numeric(7, 4), nullable=False, server_default="0"),
        sa.Column("issue_date", sa.Date()),
        sa.Column("due_date", sa.Date()),
        _money("subtotal"),
        _money("tax"),
        _money("total"),
        _money("amount_paid"),
        _money("balance"),
        sa.Column("memo", sa.Text()),
        _uuid("ap_invoice_id", nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True)),
        sa.Column("paid_at", sa.DateTime(timezone=True)),
        sa.Column("voided_at", sa.DateTime(timezone=True)),
        sa.Column("void_reason", sa.Text()),
        sa.Column("ap_status", sa.Text()),
        sa.Column("ap_voided_at", sa.DateTime(timezone=True)),
        sa.Column("ap_refusal_code", sa.Text()),
        sa.Column("ap_refusal_reason", sa.Text()),
        sa.Column("ap_refusal_message", sa.Text()),
        sa.Column("ap_refused_at", sa.DateTime(timezone=True)),
        one_of("kind", KINDS),
        one_of("status", STATUSES),
        tenant_ref("job_id", "jobs"),
        sa.CheckConstraint("amount_paid >= 0 AND amount_paid <= total", name="paid_within_total"),
        sa.CheckConstraint("status = 'VOID' OR balance = total - amount_paid", name="balance_ties_out"),
        sa.CheckConstraint("status IN ('DRAFT', 'VOID') OR issue_date IS NOT NULL", name="issued_dated"),
        sa.UniqueConstraint("organization_id", "number", name="uq_contractor_invoices_number"),
    )
    op.create_index(
        "uq_contractor_invoices_final", "contractor_invoices", ["organization_id", "job_id"], unique=True,
        postgresql_where=sa.text("kind = 'FINAL' AND status <> 'VOID'"),
    )  # fmt: skip
    op.create_index("ix_contractor_invoices_job", "contractor_invoices", ["organization_id", "job_id"])
    op.create_index("ix_contractor_invoices_status", "contractor_invoices", ["organization_id", "status"])
    create_tenant_table(
        "contractor_invoice_lines",
        _uuid("invoice_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("code", sa.Text()),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text()),
        sa.Column("quantity", sa.Numeric(18, 4), nullable=False),
        sa.Column("unit_price", sa.Numeric(18, 2), nullable=False),
        sa.Column("total", sa.Numeric(18, 2), nullable=False),
        sa.Column("taxable", sa.Boolean(), nullable=False, server_default="false"),
        one_of("source", SOURCES),
        tenant_ref("invoice_id", "contractor_invoices"),
    )
    op.create_index(
        "ix_contractor_invoice_lines_invoice", "contractor_invoice_lines", ["organization_id", "invoice_id"]
    )
    create_tenant_table(
        "contractor_payment_intents",
        _uuid("invoice_id"),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("token_hint", sa.Text(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("provider_reference", sa.Text()),
        sa.Column("failure_reason", sa.Text()),
        _uuid("requested_by", nullable=True),
        one_of("outcome", OUTCOMES),
        tenant_ref("invoice_id", "contractor_invoices"),
    )
    create_tenant_table(
        "contractor_payments",
        _uuid("invoice_id"),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text()),
        sa.Column("received_on", sa.Date(), nullable=False),
        _uuid("intent_id", nullable=True),
        _uuid("recorded_by", nullable=True),
        one_of("method", METHODS),
        sa.CheckConstraint("amount > 0", name="positive"),
        tenant_ref("invoice_id", "contractor_invoices"),
        tenant_ref("intent_id", "contractor_payment_intents"),
    )
    op.create_index("ix_contractor_payments_invoice", "contractor_payments", ["organization_id", "invoice_id"])
    op.create_index(
        "uq_contractor_payments_hoa", "contractor_payments", ["organization_id", "invoice_id"], unique=True,
        postgresql_where=sa.text("method = 'HOA_AP'"),
    )  # fmt: skip
    create_tenant_table(
        "contractor_receipts",
        _uuid("payment_id"),
        _uuid("invoice_id"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("balance_after", sa.Numeric(18, 2), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        tenant_ref("payment_id", "contractor_payments"),
        tenant_ref("invoice_id", "contractor_invoices"),
        sa.UniqueConstraint("organization_id", "number", name="uq_contractor_receipts_number"),
        sa.UniqueConstraint("organization_id", "payment_id", name="uq_contractor_receipts_payment"),
    )


def downgrade() -> None:
    for table in (
        "contractor_receipts", "contractor_payments", "contractor_payment_intents", "contractor_invoice_lines",
        "contractor_invoices",
    ):  # fmt: skip
        op.drop_table(table)

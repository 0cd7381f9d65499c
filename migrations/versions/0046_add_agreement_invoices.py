"""add_agreement_invoices: issue 24 (P2.9): a maintenance agreement billed through the contractor's invoices.

- `contractor_invoices.job_id` becomes nullable: an invoice of kind AGREEMENT bills one billing period of an
  agreement (`agreement_id`, its display number `agreement_number`, `period_start`..`period_end`) and has no job;
  every other kind has its job (a check).
- A line of source AGREEMENT: the agreement's charge for the period.
- Once per agreement and period: a unique index on (organization_id, agreement_id, period_start) where the invoice
  bills an agreement (a void one included: the period was billed).

Revision ID: 0046
Revises: 0045
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0046"
down_revision: str | Sequence[str] | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "contractor_invoices"
JOB_KINDS = ("DEPOSIT", "PROGRESS", "FINAL", "STANDARD")
KINDS = (*JOB_KINDS, "AGREEMENT")
JOB_SOURCES = ("TIME", "MATERIAL", "OPTION", "DEPOSIT_CREDIT", "MANUAL")
SOURCES = (*JOB_SOURCES, "AGREEMENT")
LINES = "contractor_invoice_lines"
AGREEMENT_INVOICES = f"SELECT id FROM {TABLE} WHERE kind = 'AGREEMENT'"
BILLS_A_PERIOD = (
    "(kind = 'AGREEMENT' AND job_id IS NULL AND agreement_id IS NOT NULL AND agreement_number IS NOT NULL "
    "AND period_start IS NOT NULL AND period_end IS NOT NULL AND period_end >= period_start) "
    "OR (kind <> 'AGREEMENT' AND job_id IS NOT NULL AND agreement_id IS NULL)"
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("agreement_id", UUID(as_uuid=True), nullable=True))
    op.add_column(TABLE, sa.Column("agreement_number", sa.Text(), nullable=True))
    op.add_column(TABLE, sa.Column("period_start", sa.Date(), nullable=True))
    op.add_column(TABLE, sa.Column("period_end", sa.Date(), nullable=True))
    op.alter_column(TABLE, "job_id", nullable=True)
    op.drop_constraint("kind", TABLE, type_="check")
    op.create_check_constraint("kind", TABLE, _one_of("kind", KINDS))
    op.drop_constraint("source", LINES, type_="check")
    op.create_check_constraint("source", LINES, _one_of("source", SOURCES))
    op.create_check_constraint("job_or_agreement", TABLE, BILLS_A_PERIOD)
    op.create_foreign_key(
        "fk_agreement_id_maintenance_agreements", TABLE, "maintenance_agreements",
        ["organization_id", "agreement_id"], ["organization_id", "id"],
    )  # fmt: skip
    op.create_index(
        "uq_contractor_invoices_agreement_period", TABLE, ["organization_id", "agreement_id", "period_start"],
        unique=True, postgresql_where=sa.text("agreement_id IS NOT NULL"),
    )  # fmt: skip


def downgrade() -> None:
    for child in (LINES, "contractor_receipts", "contractor_payments", "contractor_payment_intents"):
        op.execute(
            sa.text(f"DELETE FROM {child} WHERE invoice_id IN (SELECT id FROM {TABLE} WHERE kind = 'AGREEMENT')")
        )
    op.execute(sa.text(f"DELETE FROM {TABLE} WHERE kind = 'AGREEMENT'"))
    op.drop_index("uq_contractor_invoices_agreement_period", table_name=TABLE)
    op.drop_constraint("fk_agreement_id_maintenance_agreements", TABLE, type_="foreignkey")
    op.drop_constraint("job_or_agreement", TABLE, type_="check")
    op.drop_constraint("kind", TABLE, type_="check")
    op.create_check_constraint("kind", TABLE, _one_of("kind", JOB_KINDS))
    op.drop_constraint("source", LINES, type_="check")
    op.create_check_constraint("source", LINES, _one_of("source", JOB_SOURCES))
    op.alter_column(TABLE, "job_id", nullable=False)
    for column in ("period_end", "period_start", "agreement_number", "agreement_id"):
        op.drop_column(TABLE, column)

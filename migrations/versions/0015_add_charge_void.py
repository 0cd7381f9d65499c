"""add_charge_void: a charge can be voided (a waived fine, a charge made in error) when nothing was paid on it.

The charge keeps its row and its entry; the void posts the mirror entry (source CHARGE_VOID) dated `voided_on`,
and the receivable subledger counts the charge from its due date until then, exactly as the ledger does (so the
aging and unit balances tie out to the control account on every date). `voided_on`, `void_journal_entry_id` and
`void_reason` are set together, once.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = (
    "MANUAL", "ASSESSMENT_CHARGE", "PAYMENT", "PAYMENT_VOID", "AP_INVOICE", "AP_PAYMENT", "AP_VOID", "REVERSAL",
)  # fmt: skip


def _sources(values: tuple[str, ...]) -> None:
    op.execute("ALTER TABLE journal_entries DROP CONSTRAINT ck_journal_entries_source_type")
    listed = ", ".join(f"'{value}'" for value in values)
    op.execute(
        f"ALTER TABLE journal_entries ADD CONSTRAINT ck_journal_entries_source_type CHECK (source_type IN ({listed}))"
    )


def upgrade() -> None:
    op.add_column("assessment_charges", sa.Column("voided_on", sa.Date()))
    op.add_column("assessment_charges", sa.Column("void_journal_entry_id", UUID(as_uuid=True)))
    op.add_column("assessment_charges", sa.Column("void_reason", sa.Text()))
    op.create_check_constraint(
        "void_complete",
        "assessment_charges",
        "(voided_on IS NULL) = (void_journal_entry_id IS NULL) AND (voided_on IS NULL) = (void_reason IS NULL)",
    )
    op.create_check_constraint("void_unpaid", "assessment_charges", "voided_on IS NULL OR amount_paid = 0")
    op.create_foreign_key(
        "fk_assessment_charges_void_entry",
        "assessment_charges",
        "journal_entries",
        ["organization_id", "void_journal_entry_id"],
        ["organization_id", "id"],
    )
    _sources((*SOURCES, "CHARGE_VOID"))


def downgrade() -> None:
    # the void entries stay in the books (entries are never deleted), as reversals
    op.execute("ALTER TABLE journal_entries NO FORCE ROW LEVEL SECURITY")
    op.execute("UPDATE journal_entries SET source_type = 'REVERSAL' WHERE source_type = 'CHARGE_VOID'")
    op.execute("ALTER TABLE journal_entries FORCE ROW LEVEL SECURITY")
    _sources(SOURCES)
    op.drop_constraint("fk_assessment_charges_void_entry", "assessment_charges", type_="foreignkey")
    op.drop_constraint("void_unpaid", "assessment_charges", type_="check")
    op.drop_constraint("void_complete", "assessment_charges", type_="check")
    op.drop_column("assessment_charges", "void_reason")
    op.drop_column("assessment_charges", "void_journal_entry_id")
    op.drop_column("assessment_charges", "voided_on")

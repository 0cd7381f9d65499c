"""add_receivable_dating: every payment application has the date it took effect in the ledger, and a voided
payment's applications are kept with the date they stopped counting, so the receivable subledger can be read
as of any date and equals the receivable control account on that date (issue 11, defect 4).

`applied_on` is the date of the journal entry that credited the receivable for the application;
`reversed_on` the date of the one that debited it back (a void). Rows written before this migration are dated
the way the code of the time posted them: in the payment's own entry (written in the same transaction as the
payment, so the same `created_at`) on the payment date; by a charge that used the unit's credit on that
charge's due date; otherwise (credit used after a void) on the day it was written. Applications of payments
voided before this migration were deleted then, so there is nothing to date for them.

No new table, so no new row-level security. The backfill runs as the owner with FORCE lifted from the three
tables it reads for the length of one statement (the owner has no tenant scope; RLS would hide every row).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_READS = ("payment_applications", "payments", "assessment_charges")
BACKFILL = """
UPDATE payment_applications pa
SET applied_on = CASE
        WHEN pa.created_at = p.created_at THEN p.payment_date
        WHEN pa.created_at = c.created_at THEN c.due_date
        ELSE greatest(p.payment_date, c.due_date, (pa.created_at AT TIME ZONE 'UTC')::date)
    END
FROM payments p, assessment_charges c
WHERE p.id = pa.payment_id AND c.id = pa.charge_id
"""


def upgrade() -> None:
    op.add_column("payment_applications", sa.Column("applied_on", sa.Date()))
    op.add_column("payment_applications", sa.Column("reversed_on", sa.Date()))
    for table in BACKFILL_READS:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL)
    for table in BACKFILL_READS:
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.alter_column("payment_applications", "applied_on", nullable=False)
    op.create_check_constraint(
        "reversed_after_applied", "payment_applications", "reversed_on IS NULL OR reversed_on >= applied_on"
    )
    op.create_index("ix_payment_applications_charge", "payment_applications", ["organization_id", "charge_id"])


def downgrade() -> None:
    op.drop_index("ix_payment_applications_charge", table_name="payment_applications")
    op.drop_constraint("reversed_after_applied", "payment_applications", type_="check")
    op.execute("ALTER TABLE payment_applications NO FORCE ROW LEVEL SECURITY")
    op.execute("DELETE FROM payment_applications WHERE reversed_on IS NOT NULL")  # the old code deleted them
    op.execute("ALTER TABLE payment_applications FORCE ROW LEVEL SECURITY")
    op.drop_column("payment_applications", "reversed_on")
    op.drop_column("payment_applications", "applied_on")

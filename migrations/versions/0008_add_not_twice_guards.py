"""add_not_twice_guards: constraints that hold "not twice" rules under concurrency (issue 11, defect 3).

The services check these rules by reading first, after taking a lock on what they guard (an advisory lock of
`core.repository.hold_lock`, or the row), so a concurrent caller waits and then reads what the first committed.
The indexes here hold the same rules in the database, whatever path writes:

- `assessment_charges.period_assessment` marks a REGULAR or SPECIAL assessment charge: the unit's assessment of
  that type for that due date. `uq_assessment_charges_period` allows one per organization, type, unit and due
  date. Fines and late fees are not period assessments and may repeat (two violations fined on one day); a late
  fee is one per overdue charge by `uq_assessment_charges_late_fee` (0005).
- `uq_bids_accepted`: one ACCEPTED bid per work order.

Held by earlier migrations, and checked for this one: journal entry numbers per association (0005), work order
numbers per organization (0006), one active primary bank account per association and fund (0005), invoice
numbers per vendor (0005), one late fee per charge (0005), a provider's one bid per work order, one link per
association and provider, one profile per provider (0006), no overlapping confirmed reservations (0004).

Rows written before: the backfill marks as the period assessment the first charge (by `created_at`, `id`) of
each type, unit and due date. A later one (a double billing by the race this migration closes) stays in the
books, where only a reversal or a credit may correct it, unmarked, and is listed in a warning of this
migration. Two accepted bids on one work order could not be written (the work order's lock and its ASSIGNED
transition refused the second); were there any, the one whose provider the work order is assigned to stays
ACCEPTED and the others become REJECTED, also listed. The backfill runs as the owner with FORCE lifted from the
tables it reads for the length of its statements (the owner has no tenant scope; RLS would hide every row).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("hestami.migrate")  # not "alembic": its NullHandler would swallow the warnings

PERIOD_KINDS = "('REGULAR', 'SPECIAL')"
RANKED_PERIOD_CHARGES = f"""
SELECT c.id, c.organization_id, c.unit_id, c.assessment_type_id, c.due_date,
       row_number() OVER (
           PARTITION BY c.organization_id, c.assessment_type_id, c.unit_id, c.due_date ORDER BY c.created_at, c.id
       ) AS place
FROM assessment_charges c
JOIN assessment_types t ON t.organization_id = c.organization_id AND t.id = c.assessment_type_id
WHERE t.kind IN {PERIOD_KINDS} AND c.late_fee_for_charge_id IS NULL
"""
MARK_PERIOD_CHARGES = f"""
WITH ranked AS ({RANKED_PERIOD_CHARGES})
UPDATE assessment_charges c SET period_assessment = true FROM ranked r WHERE r.id = c.id AND r.place = 1
"""
LATER_PERIOD_CHARGES = f"""
WITH ranked AS ({RANKED_PERIOD_CHARGES})
SELECT id, organization_id, unit_id, assessment_type_id, due_date FROM ranked WHERE place > 1 ORDER BY id
"""
REJECT_SECOND_ACCEPTED_BIDS = """
WITH ranked AS (
    SELECT b.id, row_number() OVER (
               PARTITION BY b.organization_id, b.work_order_id
               ORDER BY b.provider_organization_id IS DISTINCT FROM w.assigned_provider_org_id, b.decided_at, b.id
           ) AS place
    FROM bids b JOIN work_orders w ON w.organization_id = b.organization_id AND w.id = b.work_order_id
    WHERE b.status = 'ACCEPTED'
)
UPDATE bids b SET status = 'REJECTED', updated_at = now() FROM ranked r WHERE r.id = b.id AND r.place > 1
RETURNING b.id, b.organization_id, b.work_order_id
"""


def _without_forced_rls(tables: Sequence[str], statements: Sequence[str]) -> list[list[sa.Row[tuple[object, ...]]]]:
    """Runs the statements as the table owner, with FORCE lifted from `tables` meanwhile; the rows of each."""
    connection = op.get_bind()
    for table in tables:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    results = []
    for statement in statements:
        result = connection.execute(sa.text(statement))
        results.append(list(result.all()) if result.returns_rows else [])
    for table in tables:
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    return results


def _one_period_assessment() -> None:
    op.add_column(
        "assessment_charges",
        sa.Column("period_assessment", sa.Boolean(), nullable=False, server_default="false"),
    )
    later, _ = _without_forced_rls(
        ("assessment_charges", "assessment_types"), (LATER_PERIOD_CHARGES, MARK_PERIOD_CHARGES)
    )
    for charge_id, organization_id, unit_id, type_id, due_date in later:
        log.warning(
            "assessment charge %s (organization %s, unit %s, type %s, due %s) repeats that unit's assessment for "
            "the date; it stays in the books, not as the period's assessment: reverse or credit it if it was billed "
            "twice by mistake",
            charge_id, organization_id, unit_id, type_id, due_date,
        )  # fmt: skip
    op.create_check_constraint(
        "period_not_late_fee", "assessment_charges", "NOT period_assessment OR late_fee_for_charge_id IS NULL"
    )
    op.create_index(
        "uq_assessment_charges_period", "assessment_charges",
        ["organization_id", "assessment_type_id", "unit_id", "due_date"],
        unique=True, postgresql_where=sa.text("period_assessment"),
    )  # fmt: skip


def _one_accepted_bid() -> None:
    (rejected,) = _without_forced_rls(("bids", "work_orders"), (REJECT_SECOND_ACCEPTED_BIDS,))
    for bid_id, organization_id, work_order_id in rejected:
        log.warning(
            "bid %s (organization %s) was a second ACCEPTED bid on work order %s; it is now REJECTED",
            bid_id, organization_id, work_order_id,
        )  # fmt: skip
    op.create_index(
        "uq_bids_accepted", "bids", ["organization_id", "work_order_id"], unique=True,
        postgresql_where=sa.text("status = 'ACCEPTED'"),
    )  # fmt: skip


def upgrade() -> None:
    _one_period_assessment()
    _one_accepted_bid()


def downgrade() -> None:
    op.drop_index("uq_bids_accepted", table_name="bids")
    op.drop_index("uq_assessment_charges_period", table_name="assessment_charges")
    op.drop_constraint("ck_assessment_charges_period_not_late_fee", "assessment_charges", type_="check")
    op.drop_column("assessment_charges", "period_assessment")

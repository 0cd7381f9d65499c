"""add_assessment_posting: issue 19: assessmentPosting_v1 runs (per association, assessment type and period)
with their progress, and the collection steps of delinquent units.

- `assessment_posting_runs`: one run per assessment type and due date (unique: the workflow id comes from it),
  QUEUED → RUNNING → COMPLETED. The units to bill are fixed when it starts (`unit_ids` and what billing reads of
  each, `unit_properties|numbers|weights|shares`, parallel arrays in unit-number order: a batch reads its slice);
  `units_done` is how many of them the committed batches covered, with `charged`/`skipped` (already billed) and
  the amount charged. The charges themselves stay unique per unit, type and due date (`uq_assessment_charges_period`).
- `collection_steps`: a dated collection step (REMINDER, LATE_NOTICE, INTENT_TO_LIEN) of a delinquent unit for one
  charge cycle (its oldest open assessment charge): unique per charge and step, so each notice goes out once.
- `assessment_posting_settings`: per association, the due day of its periodic assessments and the days past due
  of each collection step (defaults when there is no row: day 1; 15, 30, 90 days).
- `app_posting_organizations()`: the organizations that have an active periodic assessment type, for the daily
  schedule (which then works inside each organization's own scope). Assessment types are a tenant table with
  forced RLS, so this one cross-tenant read is a SECURITY DEFINER function owned by the owner role, admitted by a
  SELECT policy of the owner role alone while `app.posting_calendar` is set (the app role may only EXECUTE it).

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from hestami.core.tenancy import app_role, create_tenant_table, one_of, quote, tenant_ref

revision: str = "0028"
down_revision: str | Sequence[str] | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUN_STATUSES = ("QUEUED", "RUNNING", "COMPLETED")
TRIGGERS = ("MANUAL", "SCHEDULE")
ALLOCATIONS = ("EQUAL", "ASSESSMENT_SHARE")
STEPS = ("REMINDER", "LATE_NOTICE", "INTENT_TO_LIEN")
CALENDAR = "NULLIF(current_setting('app.posting_calendar', true), '')"

POSTING_ORGANIZATIONS = """
CREATE FUNCTION app_posting_organizations()
RETURNS TABLE (organization_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    previous text := coalesce(current_setting('app.posting_calendar', true), '');
BEGIN
    PERFORM set_config('app.posting_calendar', 'on', true);
    RETURN QUERY
        SELECT DISTINCT t.organization_id
        FROM assessment_types t
        WHERE t.is_active AND t.kind = 'REGULAR' AND t.frequency <> 'ONE_TIME'
        ORDER BY t.organization_id;
    PERFORM set_config('app.posting_calendar', previous, true);
END
$$
"""


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def upgrade() -> None:
    create_tenant_table(
        "assessment_posting_runs",
        _uuid("association_id"),
        _uuid("assessment_type_id"),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("allocation", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit_ids", ARRAY(UUID(as_uuid=True))),
        sa.Column("unit_properties", ARRAY(UUID(as_uuid=True))),
        sa.Column("unit_numbers", ARRAY(sa.Text())),
        sa.Column("unit_weights", ARRAY(sa.Numeric(9, 4))),
        sa.Column("unit_shares", ARRAY(sa.Numeric(9, 6))),
        sa.Column("units_total", sa.Integer()),
        _count("units_done"),
        _count("charged"),
        _count("skipped"),
        _count("batches"),
        sa.Column("amount_charged", sa.Numeric(18, 2), nullable=False, server_default="0"),
        _uuid("started_by", nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        one_of("status", RUN_STATUSES),
        one_of("trigger", TRIGGERS),
        one_of("allocation", ALLOCATIONS),
        sa.CheckConstraint("amount > 0", name="amount"),
        sa.CheckConstraint(
            "units_done >= 0 AND charged + skipped <= units_done "
            "AND (units_total IS NULL OR units_done <= units_total)",
            name="progress",
        ),
        sa.UniqueConstraint(
            "organization_id", "assessment_type_id", "due_date", name="uq_assessment_posting_runs_period"
        ),
        tenant_ref("association_id", "associations"),
        tenant_ref("assessment_type_id", "assessment_types"),
    )
    op.create_index(
        "ix_assessment_posting_runs_association", "assessment_posting_runs",
        ["organization_id", "association_id", "due_date"],
    )  # fmt: skip
    create_tenant_table(
        "collection_steps",
        _uuid("association_id"),
        _uuid("unit_id"),
        _uuid("charge_id"),
        sa.Column("step", sa.Text(), nullable=False),
        sa.Column("noticed_on", sa.Date(), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("balance", sa.Numeric(18, 2), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        one_of("step", STEPS),
        sa.CheckConstraint("days_past_due >= 0", name="days_past_due"),
        sa.UniqueConstraint("organization_id", "charge_id", "step", name="uq_collection_steps_cycle_step"),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("charge_id", "assessment_charges"),
    )
    op.create_index("ix_collection_steps_unit", "collection_steps", ["organization_id", "unit_id", "noticed_on"])
    op.create_index(
        "ix_collection_steps_association", "collection_steps", ["organization_id", "association_id", "noticed_on"]
    )
    create_tenant_table(
        "assessment_posting_settings",
        _uuid("association_id"),
        sa.Column("due_day", sa.SmallInteger(), nullable=False, server_default="1"),
        sa.Column("reminder_days", sa.SmallInteger(), nullable=False, server_default="15"),
        sa.Column("late_notice_days", sa.SmallInteger(), nullable=False, server_default="30"),
        sa.Column("intent_to_lien_days", sa.SmallInteger(), nullable=False, server_default="90"),
        sa.Column("allocation", sa.Text(), nullable=False, server_default="EQUAL"),
        one_of("allocation", ALLOCATIONS),
        sa.CheckConstraint("due_day BETWEEN 1 AND 28", name="due_day"),
        sa.CheckConstraint(
            "0 < reminder_days AND reminder_days < late_notice_days AND late_notice_days < intent_to_lien_days "
            "AND intent_to_lien_days <= 365",
            name="step_days",
        ),
        sa.UniqueConstraint("organization_id", "association_id", name="uq_assessment_posting_settings_association"),
        tenant_ref("association_id", "associations"),
    )
    op.execute(
        "CREATE POLICY assessment_types_posting_calendar ON assessment_types FOR SELECT TO CURRENT_USER "
        f"USING ({CALENDAR} = 'on')"
    )
    op.execute(POSTING_ORGANIZATIONS)
    op.execute("REVOKE ALL ON FUNCTION app_posting_organizations() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_posting_organizations() TO {quote(app_role())}")


def downgrade() -> None:
    op.execute("DROP FUNCTION app_posting_organizations()")
    op.execute("DROP POLICY assessment_types_posting_calendar ON assessment_types")
    for table in ("assessment_posting_settings", "collection_steps", "assessment_posting_runs"):
        op.drop_table(table)

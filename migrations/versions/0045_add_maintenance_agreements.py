"""add_maintenance_agreements: issue 24 (P2.9): the contractor's maintenance agreements (memberships).

- `maintenance_agreements`: numbered per organization (AGR-000001), for a customer or an HOA (its organization and
  association as plain ids: another tenant's records), optionally with the HOA's standing work order whose link the
  visits' jobs carry. Status DRAFT → ACTIVE → LAPSED | CANCELLED (the table is `maintenance/lifecycle.py`); the
  current term (`term_number`, `term_start`, `term_end`, `price` per term), billing frequency, renewal terms, the
  visit schedule (an RFC 5545 RRULE), the preferred window (local times) and visit length, the SLA's days late
  allowed. `clock_started_at` / `clock_day_seconds`: when `maintenance_contract_v1` started counting the agreement's
  days and how long its "day" is (tests shorten it).
- `maintenance_agreement_services`: the included services per visit (pricebook item codes with quantities).
- `maintenance_agreement_terms`: every term (one per `(agreement, term_number)`: a renewal happens once).
- `maintenance_contract_renewals`: who renewed which term and when (one per renewed term: ALREADY_RENEWED).
- `maintenance_agreement_history`: every move (and renewal) of an agreement.
- `maintenance_scheduled_visits`: one job (with one visit) per schedule occurrence (unique per date), and
  `maintenance_sla_records`: each visit's outcome once (ON_TIME | LATE | MISSED).
- `maintenance_billing_periods`: one invoice per billing period (unique per period start).
- `maintenance_notices`: renewal notices and the like, once per kind and term.
- `jobs.source` takes AGREEMENT; an AGREEMENT job may carry its HOA's standing work order or not, and many do (the
  one-job-per-work-order index leaves them out).

Revision ID: 0045
Revises: 0044
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0045"
down_revision: str | Sequence[str] | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("DRAFT", "ACTIVE", "LAPSED", "CANCELLED")
FREQUENCIES = ("MONTHLY", "QUARTERLY", "SEMI_ANNUAL", "ANNUAL", "UPFRONT")
RENEWAL_KINDS = ("AUTO", "MANUAL")
OUTCOMES = ("ON_TIME", "LATE", "MISSED")
NOTICES = ("RENEWAL_DUE", "RENEWED", "LAPSED", "CANCELLED")
JOB_SOURCES = ("DIRECT", "WORK_ORDER", "VIOLATION", "ARC_REQUEST", "UNIT")
HANDED_OFF = "source IN ('WORK_ORDER', 'VIOLATION', 'ARC_REQUEST')"


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _agreement() -> list[object]:
    return [_uuid("agreement_id"), tenant_ref("agreement_id", "maintenance_agreements")]


def upgrade() -> None:
    create_tenant_table(
        "maintenance_agreements",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text()),
        sa.Column("trade", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="DRAFT"),
        _uuid("customer_id", nullable=True),
        _uuid("hoa_organization_id", nullable=True),
        _uuid("association_id", nullable=True),
        _uuid("work_order_id", nullable=True),
        sa.Column("address", sa.Text()),
        sa.Column("zip_code", sa.Text()),
        _uuid("branch_id", nullable=True),
        sa.Column("term_number", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("price", sa.Numeric(18, 2), nullable=False),
        sa.Column("billing_frequency", sa.Text(), nullable=False),
        sa.Column("auto_renew", sa.Boolean(), nullable=False, server_default="true"),
        sa.Column("renewal_price_change_percent", sa.Numeric(7, 4), nullable=False, server_default="0"),
        _uuid("job_template_id", nullable=True),
        sa.Column("schedule_rrule", sa.Text(), nullable=False),
        sa.Column("window_start", sa.Time(), nullable=False),
        sa.Column("window_end", sa.Time(), nullable=False),
        sa.Column("visit_duration_minutes", sa.Integer(), nullable=False, server_default="60"),
        sa.Column("sla_days_late_allowed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("notes", sa.Text()),
        sa.Column("clock_started_at", sa.DateTime(timezone=True)),
        sa.Column("clock_day_seconds", sa.Float()),
        sa.Column("activated_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("cancel_reason", sa.Text()),
        sa.Column("lapsed_at", sa.DateTime(timezone=True)),
        _uuid("created_by", nullable=True),
        one_of("status", STATUSES),
        one_of("billing_frequency", FREQUENCIES),
        tenant_ref("customer_id", "customers"),
        tenant_ref("branch_id", "contractor_branches"),
        tenant_ref("job_template_id", "pricebook_job_templates"),
        sa.CheckConstraint("(customer_id IS NULL) <> (association_id IS NULL)", name="customer_or_hoa"),
        sa.CheckConstraint("(association_id IS NULL) = (hoa_organization_id IS NULL)", name="hoa_complete"),
        sa.CheckConstraint("work_order_id IS NULL OR association_id IS NOT NULL", name="work_order_of_hoa"),
        sa.CheckConstraint("term_end >= term_start", name="term_ordered"),
        sa.CheckConstraint("term_months BETWEEN 1 AND 60", name="term_months_range"),
        sa.CheckConstraint("term_number >= 1", name="term_number_positive"),
        sa.CheckConstraint("price >= 0", name="price_not_negative"),
        sa.CheckConstraint("window_end > window_start", name="window_ordered"),
        sa.CheckConstraint("visit_duration_minutes BETWEEN 5 AND 1440", name="duration_range"),
        sa.CheckConstraint("sla_days_late_allowed BETWEEN 0 AND 60", name="days_late_range"),
        sa.CheckConstraint("renewal_price_change_percent BETWEEN -100 AND 100", name="renewal_change_range"),
        sa.CheckConstraint("status = 'DRAFT' OR clock_started_at IS NOT NULL", name="clock_started"),
        sa.UniqueConstraint("organization_id", "number", name="uq_maintenance_agreements_number"),
    )
    op.create_index("ix_maintenance_agreements_status", "maintenance_agreements", ["organization_id", "status"])
    create_tenant_table(
        "maintenance_agreement_services",
        *_agreement(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Numeric(18, 4), nullable=False),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.UniqueConstraint("organization_id", "agreement_id", "position", name="uq_maintenance_services_position"),
    )
    create_tenant_table(
        "maintenance_agreement_terms",
        *_agreement(),
        sa.Column("term_number", sa.Integer(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("price", sa.Numeric(18, 2), nullable=False),
        sa.CheckConstraint("term_end >= term_start", name="term_ordered"),
        sa.UniqueConstraint("organization_id", "agreement_id", "term_number", name="uq_maintenance_terms_number"),
    )
    create_tenant_table(
        "maintenance_contract_renewals",
        *_agreement(),
        sa.Column("renewed_term_number", sa.Integer(), nullable=False),
        sa.Column("new_term_number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("price_before", sa.Numeric(18, 2), nullable=False),
        sa.Column("price_after", sa.Numeric(18, 2), nullable=False),
        _uuid("renewed_by", nullable=True),
        one_of("kind", RENEWAL_KINDS),
        sa.CheckConstraint("new_term_number = renewed_term_number + 1", name="next_term"),
        sa.UniqueConstraint(
            "organization_id", "agreement_id", "renewed_term_number", name="uq_maintenance_renewals_term"
        ),
    )
    create_tenant_table(
        "maintenance_agreement_history",
        *_agreement(),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        sa.Column("term_number", sa.Integer(), nullable=False),
        _uuid("actor_user_id", nullable=True),
        sa.Column("note", sa.Text()),
    )
    op.create_index(
        "ix_maintenance_history_agreement", "maintenance_agreement_history",
        ["organization_id", "agreement_id", "created_at"],
    )  # fmt: skip
    create_tenant_table(
        "maintenance_scheduled_visits",
        *_agreement(),
        sa.Column("term_number", sa.Integer(), nullable=False),
        sa.Column("occurs_on", sa.Date(), nullable=False),
        _uuid("job_id"),
        _uuid("visit_id"),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        tenant_ref("job_id", "jobs"),
        tenant_ref("visit_id", "job_visits"),
        sa.UniqueConstraint("organization_id", "agreement_id", "occurs_on", name="uq_maintenance_visits_occurrence"),
    )
    create_tenant_table(
        "maintenance_sla_records",
        *_agreement(),
        _uuid("scheduled_visit_id"),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("due_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("days_late", sa.Integer(), nullable=False, server_default="0"),
        one_of("outcome", OUTCOMES),
        tenant_ref("scheduled_visit_id", "maintenance_scheduled_visits"),
        sa.UniqueConstraint("organization_id", "scheduled_visit_id", name="uq_maintenance_sla_visit"),
    )
    create_tenant_table(
        "maintenance_billing_periods",
        *_agreement(),
        sa.Column("term_number", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        _uuid("invoice_id", nullable=True),
        sa.Column("invoice_number", sa.Text()),
        sa.UniqueConstraint("organization_id", "agreement_id", "period_start", name="uq_maintenance_billing_period"),
    )
    create_tenant_table(
        "maintenance_notices",
        *_agreement(),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("term_number", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.Text()),
        one_of("kind", NOTICES),
        sa.UniqueConstraint("organization_id", "agreement_id", "kind", "term_number", name="uq_maintenance_notices"),
    )
    _jobs_sources((*JOB_SOURCES, "AGREEMENT"))
    op.drop_constraint("work_order_source", "jobs", type_="check")
    op.create_check_constraint(
        "work_order_source", "jobs", f"source = 'AGREEMENT' OR ({HANDED_OFF}) = (work_order_id IS NOT NULL)"
    )
    op.drop_index("uq_jobs_work_order", table_name="jobs")
    op.create_index(
        "uq_jobs_work_order", "jobs", ["organization_id", "work_order_id"], unique=True,
        postgresql_where=sa.text("work_order_id IS NOT NULL AND source <> 'AGREEMENT'"),
    )  # fmt: skip


def _jobs_sources(sources: tuple[str, ...]) -> None:
    op.drop_constraint("source", "jobs", type_="check")
    op.create_check_constraint("source", "jobs", f"source IN ({', '.join(repr(s) for s in sources)})")


def downgrade() -> None:
    for table in (
        "maintenance_notices", "maintenance_billing_periods", "maintenance_sla_records", "maintenance_scheduled_visits",
        "maintenance_agreement_history", "maintenance_contract_renewals", "maintenance_agreement_terms",
        "maintenance_agreement_services", "maintenance_agreements",
    ):  # fmt: skip
        op.drop_table(table)
    # An agreement's jobs stay as the customer's own (DIRECT) jobs, without the HOA's standing work order.
    op.execute("UPDATE jobs SET source = 'DIRECT', work_order_id = NULL WHERE source = 'AGREEMENT'")
    op.drop_index("uq_jobs_work_order", table_name="jobs")
    op.create_index(
        "uq_jobs_work_order", "jobs", ["organization_id", "work_order_id"], unique=True,
        postgresql_where=sa.text("work_order_id IS NOT NULL"),
    )  # fmt: skip
    op.drop_constraint("work_order_source", "jobs", type_="check")
    op.create_check_constraint("work_order_source", "jobs", f"({HANDED_OFF}) = (work_order_id IS NOT NULL)")
    _jobs_sources(JOB_SOURCES)

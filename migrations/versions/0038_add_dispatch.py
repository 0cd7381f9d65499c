"""add_dispatch: issue 22 (P2.5): technicians assigned to job visits, SLA windows per priority, route plans.

- `dispatch_assignments`: a technician (`technicians`) assigned to a job visit (`job_visits`, of `jobs`) for a slot
  (`starts_at` .. `ends_at`), with the arrival window the customer was promised (the visit's; the slot when the
  visit had none: `window_from_slot`), the technician's account (the
  policy's `user_id`), status ASSIGNED → EN_ROUTE → ON_SITE → COMPLETED | CANCELLED, who assigned it and why. No
  double booking: one technician's slots that are not CANCELLED never overlap (exclusion constraint on `tstzrange`,
  half-open, btree_gist), so two dispatchers racing cannot both win (DEFERRABLE INITIALLY IMMEDIATE: applying a
  route plan defers it to the end of its writes, which may swap two slots); one assignment per visit that is not
  CANCELLED (partial unique index).
- `dispatch_sla_windows`: minutes to respond per job priority, one row per organization and priority (the defaults
  live in the code: EMERGENCY 120, HIGH 480, MEDIUM 1440, LOW 4320).
- `route_plans`: a day's optimization for review (PROPOSED → APPLIED | DISCARDED), the routes and the visits left
  out as JSON.

Revision ID: 0038
Revises: 0037
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0038"
down_revision: str | Sequence[str] | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ASSIGNMENT_STATUSES = ("ASSIGNED", "EN_ROUTE", "ON_SITE", "COMPLETED", "CANCELLED")
PRIORITIES = ("EMERGENCY", "HIGH", "MEDIUM", "LOW")
PLAN_STATUSES = ("PROPOSED", "APPLIED", "DISCARDED")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _moment(name: str, *, nullable: bool = False) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _route_plans() -> None:
    create_tenant_table(
        "route_plans",
        sa.Column("plan_date", sa.Date(), nullable=False),
        sa.Column("time_zone", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="PROPOSED"),
        sa.Column("technician_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
        sa.Column("routes", JSONB(), nullable=False, server_default="[]"),
        sa.Column("unassigned", JSONB(), nullable=False, server_default="[]"),
        sa.Column("travel_minutes", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("objective", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("solve_seconds", sa.Float(), nullable=False, server_default="0"),
        _uuid("created_by", nullable=True),
        _uuid("decided_by", nullable=True),
        _moment("decided_at", nullable=True),
        one_of("status", PLAN_STATUSES),
    )
    op.create_index("ix_route_plans_date", "route_plans", ["organization_id", "plan_date"])


def _assignments() -> None:
    create_tenant_table(
        "dispatch_assignments",
        _uuid("job_id"),
        _uuid("visit_id"),
        _uuid("technician_id"),
        _uuid("technician_user_id"),
        _moment("starts_at"),
        _moment("ends_at"),
        _moment("window_start"),
        _moment("window_end"),
        sa.Column("window_from_slot", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("status", sa.Text(), nullable=False, server_default="ASSIGNED"),
        sa.Column("pinned", sa.Boolean(), nullable=False, server_default="false"),
        _uuid("assigned_by", nullable=True),
        sa.Column("reason", sa.Text()),
        _uuid("route_plan_id", nullable=True),
        _moment("en_route_at", nullable=True),
        _moment("on_site_at", nullable=True),
        _moment("finished_at", nullable=True),
        one_of("status", ASSIGNMENT_STATUSES),
        sa.CheckConstraint("ends_at > starts_at", name="slot"),
        sa.CheckConstraint("window_end >= window_start", name="window"),
        tenant_ref("job_id", "jobs"),
        tenant_ref("visit_id", "job_visits"),
        tenant_ref("technician_id", "technicians"),
        tenant_ref("route_plan_id", "route_plans"),
    )
    op.execute(
        "ALTER TABLE dispatch_assignments ADD CONSTRAINT dispatch_assignments_no_double_booking EXCLUDE USING gist "
        "(organization_id WITH =, technician_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        "WHERE (status <> 'CANCELLED') DEFERRABLE INITIALLY IMMEDIATE"
    )
    op.create_index(
        "uq_dispatch_assignments_visit", "dispatch_assignments", ["organization_id", "visit_id"], unique=True,
        postgresql_where=sa.text("status <> 'CANCELLED'"),
    )  # fmt: skip
    op.create_index("ix_dispatch_assignments_starts", "dispatch_assignments", ["organization_id", "starts_at"])
    op.create_index("ix_dispatch_assignments_job", "dispatch_assignments", ["organization_id", "job_id"])


def _sla_windows() -> None:
    create_tenant_table(
        "dispatch_sla_windows",
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("respond_within_minutes", sa.Integer(), nullable=False),
        one_of("priority", PRIORITIES),
        sa.CheckConstraint("respond_within_minutes BETWEEN 1 AND 525600", name="respond_within"),
        sa.UniqueConstraint("organization_id", "priority", name="uq_dispatch_sla_windows_priority"),
    )


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    _route_plans()
    _assignments()
    _sla_windows()


def downgrade() -> None:
    for table in ("dispatch_sla_windows", "dispatch_assignments", "route_plans"):
        op.drop_table(table)

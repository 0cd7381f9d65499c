"""add_technicians: issue 21 (P2.2): the contractor's workforce.

- `technicians`: members of the contractor organization (one record per member: `user_id` unique in the
  organization) with display name, employee number (unique in the organization when given), phone, email, branch
  (`contractor_branches`), home zip code, status (ACTIVE, INACTIVE), hire date, the time zone their shifts are
  written in, and their territory: zip codes, and polygons kept as data (GeoJSON-like rings of [lon, lat]).
- `technician_skills`: a trade and a level (APPRENTICE, JOURNEYMAN, MASTER), one per technician and trade.
- `technician_certifications`: name, issuer, number, the trade it is for (if any), issued and expiry dates.
- `technician_shifts`: the weekly availability, a weekday (MONDAY .. SUNDAY) with wall-clock start and end times
  (end after start); one technician's shifts of one weekday never overlap (exclusion constraint).
- `technician_time_off`: periods off (start, end, reason), SCHEDULED or CANCELLED; one technician's scheduled
  periods never overlap (exclusion constraint on `tstzrange`, btree_gist).

Every table is a tenant table (forced RLS: the contractor's own organization only); the children reference their
technician through the composite tenant key.

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0035"
down_revision: str | Sequence[str] | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("ACTIVE", "INACTIVE")
LEVELS = ("APPRENTICE", "JOURNEYMAN", "MASTER")
TIME_OFF_STATUSES = ("SCHEDULED", "CANCELLED")
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _technicians() -> None:
    create_tenant_table(
        "technicians",
        _uuid("user_id"),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("employee_number", sa.Text()),
        sa.Column("phone", sa.Text()),
        sa.Column("email", sa.Text()),
        _uuid("branch_id", nullable=True),
        sa.Column("home_zip_code", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False, server_default="ACTIVE"),
        sa.Column("hired_on", sa.Date()),
        sa.Column("time_zone", sa.Text(), nullable=False, server_default="America/Chicago"),
        sa.Column("territory_zip_codes", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("territory_polygons", JSONB(), nullable=False, server_default="[]"),
        one_of("status", STATUSES),
        sa.UniqueConstraint("organization_id", "user_id", name="uq_technicians_member"),
        tenant_ref("branch_id", "contractor_branches"),
    )
    op.create_index(
        "uq_technicians_employee_number",
        "technicians",
        ["organization_id", "employee_number"],
        unique=True,
        postgresql_where=sa.text("employee_number IS NOT NULL"),
    )
    op.create_index("ix_technicians_branch", "technicians", ["organization_id", "branch_id"])


def _qualifications() -> None:
    create_tenant_table(
        "technician_skills",
        _uuid("technician_id"),
        sa.Column("trade", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        one_of("level", LEVELS),
        sa.UniqueConstraint("organization_id", "technician_id", "trade", name="uq_technician_skills_trade"),
        tenant_ref("technician_id", "technicians"),
    )
    create_tenant_table(
        "technician_certifications",
        _uuid("technician_id"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("issuer", sa.Text()),
        sa.Column("number", sa.Text()),
        sa.Column("trade", sa.Text()),
        sa.Column("issued_on", sa.Date()),
        sa.Column("expires_on", sa.Date()),
        sa.CheckConstraint("expires_on IS NULL OR issued_on IS NULL OR expires_on >= issued_on", name="validity"),
        tenant_ref("technician_id", "technicians"),
    )
    op.create_index(
        "ix_technician_certifications_technician", "technician_certifications", ["organization_id", "technician_id"]
    )


def _availability() -> None:
    create_tenant_table(
        "technician_shifts",
        _uuid("technician_id"),
        sa.Column("weekday", sa.Text(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        one_of("weekday", WEEKDAYS),
        sa.CheckConstraint("end_time > start_time", name="period"),
        tenant_ref("technician_id", "technicians"),
    )
    op.execute(
        "ALTER TABLE technician_shifts ADD CONSTRAINT technician_shifts_no_overlap EXCLUDE USING gist "
        "(organization_id WITH =, technician_id WITH =, weekday WITH =, "
        "tsrange(DATE '2000-01-01' + start_time, DATE '2000-01-01' + end_time) WITH &&)"
    )
    create_tenant_table(
        "technician_time_off",
        _uuid("technician_id"),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False, server_default="SCHEDULED"),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        one_of("status", TIME_OFF_STATUSES),
        sa.CheckConstraint("ends_at > starts_at", name="period"),
        tenant_ref("technician_id", "technicians"),
    )
    op.execute(
        "ALTER TABLE technician_time_off ADD CONSTRAINT technician_time_off_no_overlap EXCLUDE USING gist "
        "(organization_id WITH =, technician_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        "WHERE (status = 'SCHEDULED')"
    )


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    _technicians()
    _qualifications()
    _availability()


def downgrade() -> None:
    for table in (
        "technician_time_off", "technician_shifts", "technician_certifications", "technician_skills", "technicians",
    ):  # fmt: skip
        op.drop_table(table)

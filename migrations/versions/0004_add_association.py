"""add_association: associations, properties, units, common areas and reservations, parties, ownerships,
tenancies, management contracts and manager assignments (CDM domain 1).

Every table is a tenant table made with `create_tenant_table` (RLS policies, grants, UNIQUE (organization_id,
id)); references between them are composite `(organization_id, x_id)` foreign keys, so no row can point at
another tenant's record.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def address() -> list[sa.Column[str]]:
    return [
        sa.Column("address_line1", sa.Text()),
        sa.Column("address_line2", sa.Text()),
        sa.Column("city", sa.Text()),
        sa.Column("state", sa.Text()),
        sa.Column("postal_code", sa.Text()),
        sa.Column("country", sa.Text(), nullable=False, server_default="US"),
    ]


def deleted_at() -> sa.Column[sa.DateTime]:
    return sa.Column("deleted_at", sa.DateTime(timezone=True))


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    create_tenant_table(
        "associations",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("legal_name", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("fiscal_year_start_month", sa.SmallInteger(), nullable=False, server_default="1"),
        sa.Column("timezone", sa.Text(), nullable=False, server_default="America/New_York"),
        sa.Column("late_fee_type", sa.Text(), nullable=False, server_default="NONE"),
        sa.Column("late_fee_amount", sa.Numeric(18, 2)),
        sa.Column("late_fee_percent", sa.Numeric(7, 4)),
        sa.Column("late_fee_grace_days", sa.SmallInteger(), nullable=False, server_default="15"),
        sa.Column("governing_documents", JSONB(), nullable=False, server_default="[]"),
        deleted_at(),
        one_of("status", ("ONBOARDING", "ACTIVE", "SUSPENDED", "TERMINATED")),
        one_of("late_fee_type", ("NONE", "FIXED", "PERCENT")),
        sa.CheckConstraint("fiscal_year_start_month BETWEEN 1 AND 12", name="fiscal_month"),
    )
    op.create_index(
        "uq_associations_name", "associations", ["organization_id", sa.text("lower(name)")], unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )  # fmt: skip
    create_tenant_table(
        "association_status_history",
        sa.Column("association_id", UUID(as_uuid=True), nullable=False),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        sa.Column("actor_user_id", UUID(as_uuid=True)),
        sa.Column("note", sa.Text()),
        tenant_ref("association_id", "associations"),
    )
    op.create_index(
        "ix_association_status_history", "association_status_history", ["organization_id", "association_id"]
    )

    create_tenant_table(
        "properties",
        sa.Column("association_id", UUID(as_uuid=True), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("property_type", sa.Text(), nullable=False),
        *address(),
        sa.Column("latitude", sa.Numeric(9, 6)),
        sa.Column("longitude", sa.Numeric(9, 6)),
        sa.Column("year_built", sa.SmallInteger()),
        sa.Column("total_units", sa.Integer()),
        deleted_at(),
        tenant_ref("association_id", "associations"),
        one_of("property_type", ("SINGLE_FAMILY", "CONDOMINIUM", "TOWNHOME", "MIXED_USE", "COMMERCIAL", "OTHER")),
    )
    op.create_index("ix_properties_association", "properties", ["organization_id", "association_id"])

    create_tenant_table(
        "units",
        sa.Column("association_id", UUID(as_uuid=True), nullable=False),
        sa.Column("property_id", UUID(as_uuid=True), nullable=False),
        sa.Column("unit_number", sa.Text(), nullable=False),
        sa.Column("unit_type", sa.Text(), nullable=False),
        *address(),
        sa.Column("square_feet", sa.Integer()),
        sa.Column("bedrooms", sa.SmallInteger()),
        sa.Column("bathrooms", sa.Numeric(4, 1)),
        sa.Column("voting_weight", sa.Numeric(9, 4), nullable=False, server_default="1"),
        sa.Column("assessment_share", sa.Numeric(9, 6)),
        deleted_at(),
        tenant_ref("association_id", "associations"),
        tenant_ref("property_id", "properties"),
        one_of("unit_type", ("SINGLE_FAMILY", "CONDO", "TOWNHOUSE", "LOT", "COMMERCIAL", "OTHER")),
        sa.CheckConstraint("voting_weight >= 0", name="voting_weight"),
    )
    op.create_index(
        "uq_units_number", "units", ["organization_id", "property_id", "unit_number"], unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )  # fmt: skip
    op.create_index("ix_units_association", "units", ["organization_id", "association_id"])

    create_tenant_table(
        "common_areas",
        sa.Column("association_id", UUID(as_uuid=True), nullable=False),
        sa.Column("property_id", UUID(as_uuid=True)),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("area_type", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer()),
        sa.Column("reservable", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("rules", sa.Text()),
        deleted_at(),
        tenant_ref("association_id", "associations"),
        tenant_ref("property_id", "properties"),
        one_of(
            "area_type",
            ("POOL", "CLUBHOUSE", "PARK", "GATE", "FITNESS_CENTER", "TENNIS_COURT", "PLAYGROUND", "PARKING", "OTHER"),
        ),
    )
    op.create_index("ix_common_areas_association", "common_areas", ["organization_id", "association_id"])

    create_tenant_table(
        "reservations",
        sa.Column("common_area_id", UUID(as_uuid=True), nullable=False),
        sa.Column("reserved_by_user_id", UUID(as_uuid=True), nullable=False),
        sa.Column("unit_id", UUID(as_uuid=True)),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text()),
        sa.Column("guest_count", sa.Integer()),
        tenant_ref("common_area_id", "common_areas"),
        tenant_ref("unit_id", "units"),
        one_of("status", ("CONFIRMED", "CANCELLED")),
        sa.CheckConstraint("ends_at > starts_at", name="period"),
    )
    op.execute(
        "ALTER TABLE reservations ADD CONSTRAINT reservations_no_overlap EXCLUDE USING gist "
        "(organization_id WITH =, common_area_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        "WHERE (status = 'CONFIRMED')"
    )

    create_tenant_table(
        "parties",
        sa.Column("party_type", sa.Text(), nullable=False),
        sa.Column("first_name", sa.Text()),
        sa.Column("last_name", sa.Text()),
        sa.Column("organization_name", sa.Text()),
        sa.Column("email", sa.Text()),
        sa.Column("phone", sa.Text()),
        *address(),
        sa.Column("user_id", UUID(as_uuid=True)),
        sa.Column("notes", sa.Text()),
        deleted_at(),
        one_of("party_type", ("INDIVIDUAL", "ORGANIZATION")),
        sa.CheckConstraint(
            "(party_type = 'INDIVIDUAL' AND last_name IS NOT NULL) "
            "OR (party_type = 'ORGANIZATION' AND organization_name IS NOT NULL)",
            name="named",
        ),
    )
    op.create_index("ix_parties_email", "parties", ["organization_id", "email"])
    op.create_index("ix_parties_user", "parties", ["organization_id", "user_id"])

    create_tenant_table(
        "ownerships",
        sa.Column("unit_id", UUID(as_uuid=True), nullable=False),
        sa.Column("party_id", UUID(as_uuid=True), nullable=False),
        sa.Column("ownership_type", sa.Text(), nullable=False),
        sa.Column("percentage", sa.Numeric(7, 4), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date()),
        sa.Column("is_primary_contact", sa.Boolean(), nullable=False, server_default="false"),
        tenant_ref("unit_id", "units"),
        tenant_ref("party_id", "parties"),
        one_of("ownership_type", ("FEE_SIMPLE", "JOINT_TENANCY", "TENANCY_IN_COMMON", "TRUST", "LLC", "OTHER")),
        sa.CheckConstraint("percentage > 0 AND percentage <= 100", name="percentage"),
        sa.CheckConstraint("end_date IS NULL OR end_date > start_date", name="period"),
    )
    op.create_index("ix_ownerships_unit", "ownerships", ["organization_id", "unit_id", "start_date"])
    op.create_index("ix_ownerships_party", "ownerships", ["organization_id", "party_id"])

    create_tenant_table(
        "tenancies",
        sa.Column("unit_id", UUID(as_uuid=True), nullable=False),
        sa.Column("party_id", UUID(as_uuid=True), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date()),
        sa.Column("monthly_rent", sa.Numeric(18, 2)),
        sa.Column("notes", sa.Text()),
        tenant_ref("unit_id", "units"),
        tenant_ref("party_id", "parties"),
        sa.CheckConstraint("end_date IS NULL OR end_date > start_date", name="period"),
    )
    op.create_index("ix_tenancies_unit", "tenancies", ["organization_id", "unit_id", "start_date"])

    create_tenant_table(
        "management_contracts",
        sa.Column("association_id", UUID(as_uuid=True), nullable=False),
        sa.Column("management_company_name", sa.Text(), nullable=False),
        sa.Column("management_organization_id", UUID(as_uuid=True)),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date()),
        sa.Column("fee_basis", sa.Text(), nullable=False),
        sa.Column("fee_amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("service_levels", JSONB(), nullable=False, server_default="[]"),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("terminated_on", sa.Date()),
        sa.Column("notes", sa.Text()),
        tenant_ref("association_id", "associations"),
        one_of("fee_basis", ("FLAT_MONTHLY", "PER_UNIT_MONTHLY")),
        one_of("status", ("ACTIVE", "TERMINATED")),
        sa.CheckConstraint("fee_amount >= 0", name="fee_amount"),
    )
    op.create_index(
        "ix_management_contracts_association", "management_contracts", ["organization_id", "association_id"]
    )

    create_tenant_table(
        "manager_assignments",
        sa.Column("association_id", UUID(as_uuid=True), nullable=False),
        sa.Column("user_id", UUID(as_uuid=True), nullable=False),
        sa.Column("assignment_type", sa.Text(), nullable=False),
        sa.Column("max_units", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date()),
        tenant_ref("association_id", "associations"),
        one_of("assignment_type", ("COMMUNITY", "PORTFOLIO", "ASSISTANT")),
        sa.CheckConstraint("max_units > 0", name="max_units"),
    )
    op.create_index("ix_manager_assignments_user", "manager_assignments", ["organization_id", "user_id"])


def downgrade() -> None:
    for table in (
        "manager_assignments", "management_contracts", "tenancies", "ownerships", "parties", "reservations",
        "common_areas", "units", "properties", "association_status_history", "associations",
    ):  # fmt: skip
        op.drop_table(table)

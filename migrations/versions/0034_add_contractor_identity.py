"""add_contractor_identity: issue 21 (P2.1): the contractor pillar's identity, and the provider profile moved onto it.

- `contractor_profiles`: one per contractor organization (SERVICE_PROVIDER, or an EXTERNAL_SERVICE_PROVIDER: an
  off-platform provider kept as contact fields): legal name, DBA, trades, service area (zip codes, radius),
  operating hours, contact fields, and the compliance status `compliance_workflow_v1` last recorded (with its
  reasons and since when).
- `contractor_branches`, `contractor_licenses` (per trade and jurisdiction), `contractor_insurances` (general
  liability, workers' compensation, auto, umbrella, professional: carrier, policy, limits, expiry, the certificate
  as a document).
- `provider_requirements`: what an association requires of the providers it assigns work to (minimum coverage
  limits, workers' compensation, a licence), the association's tenant table.
- `service_provider_profiles` (work orders' provider profile since 0006) is copied onto the new tables (categories →
  trades, the licence, the three insurance expiries) and dropped. The copy runs with the tables' RLS not forced
  (the owner running the migration would otherwise see no tenant's rows), then forced again.

Row-level security: the contractor's own organization reads and writes its rows; an organization linked to it
(`association_service_providers`) reads its profile, licences and insurance (the HOA checks them before it
assigns work); a lookup (`app.lookup_org_id`, `core.lookup`) reads the looked-up organization's profile alone.
The organizations lookup admits EXTERNAL_SERVICE_PROVIDER organizations too (an association links them).
`app_contractor_organizations()`: the organizations with a contractor profile, for the daily compliance schedule
(which then works in each organization's own scope): a SECURITY DEFINER function owned by the owner role, admitted
by a SELECT policy of the owner role alone while `app.contractor_compliance` is set.

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from hestami.core.tenancy import (
    CURRENT_ORG,
    TENANT_PREDICATE,
    app_role,
    create_tenant_table,
    enable_rls,
    one_of,
    quote,
    tenant_columns,
    tenant_ref,
)

revision: str = "0034"
down_revision: str | Sequence[str] | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(18, 2)
COMPLIANCE = ("COMPLIANT", "NON_COMPLIANT")
BRANCH_STATUSES = ("ACTIVE", "CLOSED")
INSURANCE_KINDS = ("GENERAL_LIABILITY", "WORKERS_COMPENSATION", "AUTO", "UMBRELLA", "PROFESSIONAL")
LOOKUP_ORG = "NULLIF(current_setting('app.lookup_org_id', true), '')::uuid"
OLD_LOOKUP_TYPES = "('SERVICE_PROVIDER', 'MANAGEMENT_COMPANY')"
LOOKUP_TYPES = "('SERVICE_PROVIDER', 'EXTERNAL_SERVICE_PROVIDER', 'MANAGEMENT_COMPANY')"
DAILY = "NULLIF(current_setting('app.contractor_compliance', true), '')"

CONTRACTOR_ORGANIZATIONS = """
CREATE FUNCTION app_contractor_organizations()
RETURNS TABLE (organization_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    previous text := coalesce(current_setting('app.contractor_compliance', true), '');
BEGIN
    PERFORM set_config('app.contractor_compliance', 'on', true);
    RETURN QUERY SELECT p.organization_id FROM contractor_profiles p ORDER BY p.organization_id;
    PERFORM set_config('app.contractor_compliance', previous, true);
END
$$
"""


def _linked(table: str) -> str:
    """Rows of a contractor that the caller's organization is linked to as an association."""
    return (
        "EXISTS (SELECT 1 FROM association_service_providers l WHERE l.provider_organization_id = "
        f"{table}.organization_id AND l.organization_id = {CURRENT_ORG})"
    )


def _readable_by_linked(table: str, *, lookup: bool = False) -> None:
    select = f"{TENANT_PREDICATE} OR {_linked(table)}"
    if lookup:
        select += f" OR organization_id = {LOOKUP_ORG}"
    enable_rls(table, select=select, insert=TENANT_PREDICATE, update=TENANT_PREDICATE, delete=TENANT_PREDICATE)


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _profiles() -> None:
    op.create_table(
        "contractor_profiles",
        *tenant_columns(),
        sa.Column("legal_name", sa.Text(), nullable=False),
        sa.Column("dba", sa.Text()),
        sa.Column("external", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("trades", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("service_zip_codes", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("service_radius_miles", sa.Integer()),
        sa.Column("operating_hours", JSONB(), nullable=False, server_default="{}"),
        sa.Column("description", sa.Text()),
        sa.Column("contact_name", sa.Text()),
        sa.Column("contact_email", sa.Text()),
        sa.Column("contact_phone", sa.Text()),
        sa.Column("website", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("compliance_status", sa.Text(), nullable=False, server_default="NON_COMPLIANT"),
        sa.Column("compliance_reasons", JSONB(), nullable=False, server_default="[]"),
        sa.Column("compliance_since", sa.Date()),
        sa.Column("compliance_checked_on", sa.Date()),
        one_of("compliance_status", COMPLIANCE),
        sa.UniqueConstraint("organization_id", "id", name="uq_contractor_profiles_organization_id_id"),
        sa.UniqueConstraint("organization_id", name="uq_contractor_profiles_org"),
    )
    _readable_by_linked("contractor_profiles", lookup=True)


def _branches_and_credentials() -> None:
    create_tenant_table(
        "contractor_branches",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("code", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("city", sa.Text()),
        sa.Column("state", sa.Text()),
        sa.Column("zip_code", sa.Text()),
        sa.Column("phone", sa.Text()),
        sa.Column("primary_branch", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("service_zip_codes", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("operating_hours", JSONB(), nullable=False, server_default="{}"),
        sa.Column("status", sa.Text(), nullable=False, server_default="ACTIVE"),
        one_of("status", BRANCH_STATUSES),
        sa.UniqueConstraint("organization_id", "name", name="uq_contractor_branches_name"),
    )
    op.create_index(
        "uq_contractor_branches_primary",
        "contractor_branches",
        ["organization_id"],
        unique=True,
        postgresql_where=sa.text("primary_branch AND status = 'ACTIVE'"),
    )
    op.create_table(
        "contractor_licenses",
        *tenant_columns(),
        sa.Column("trade", sa.Text(), nullable=False),
        sa.Column("jurisdiction", sa.Text(), nullable=False),
        sa.Column("license_number", sa.Text(), nullable=False),
        sa.Column("classification", sa.Text()),
        sa.Column("issued_on", sa.Date()),
        sa.Column("expires_on", sa.Date(), nullable=False),
        _uuid("document_id", nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        tenant_ref("document_id", "documents"),
        sa.UniqueConstraint("organization_id", "id", name="uq_contractor_licenses_organization_id_id"),
    )
    op.create_index(
        "uq_contractor_licenses_number",
        "contractor_licenses",
        ["organization_id", "jurisdiction", "license_number"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    _readable_by_linked("contractor_licenses")
    op.create_table(
        "contractor_insurances",
        *tenant_columns(),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("carrier", sa.Text(), nullable=False),
        sa.Column("policy_number", sa.Text(), nullable=False),
        sa.Column("per_occurrence_limit", MONEY),
        sa.Column("aggregate_limit", MONEY),
        sa.Column("effective_on", sa.Date()),
        sa.Column("expires_on", sa.Date(), nullable=False),
        _uuid("certificate_document_id", nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        one_of("kind", INSURANCE_KINDS),
        tenant_ref("certificate_document_id", "documents"),
        sa.CheckConstraint("per_occurrence_limit IS NULL OR per_occurrence_limit > 0", name="occurrence_positive"),
        sa.CheckConstraint("aggregate_limit IS NULL OR aggregate_limit > 0", name="aggregate_positive"),
        sa.CheckConstraint("effective_on IS NULL OR effective_on <= expires_on", name="effective_before_expiry"),
        sa.UniqueConstraint("organization_id", "id", name="uq_contractor_insurances_organization_id_id"),
    )
    op.create_index(
        "uq_contractor_insurances_policy",
        "contractor_insurances",
        ["organization_id", "kind", "policy_number"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    _readable_by_linked("contractor_insurances")


def _requirements() -> None:
    create_tenant_table(
        "provider_requirements",
        _uuid("association_id"),
        sa.Column("min_general_liability_per_occurrence", MONEY),
        sa.Column("min_general_liability_aggregate", MONEY),
        sa.Column("min_auto_per_occurrence", MONEY),
        sa.Column("require_workers_compensation", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("require_license", sa.Boolean(), nullable=False, server_default="false"),
        tenant_ref("association_id", "associations"),
        sa.UniqueConstraint("organization_id", "association_id", name="uq_provider_requirements_association"),
    )


COPY = """
INSERT INTO contractor_profiles (id, organization_id, created_at, updated_at, legal_name, trades, service_zip_codes,
    service_radius_miles, description, compliance_status)
SELECT p.id, p.organization_id, p.created_at, p.updated_at, o.name, p.categories, p.service_zip_codes,
    p.service_radius_miles, p.description, 'NON_COMPLIANT'
FROM service_provider_profiles p JOIN organizations o ON o.id = p.organization_id;
INSERT INTO contractor_licenses (id, organization_id, trade, jurisdiction, license_number, expires_on)
SELECT gen_random_uuid(), p.organization_id, coalesce(p.categories[1], 'GENERAL'), 'UNSPECIFIED', p.license_number,
    p.license_expires_on
FROM service_provider_profiles p WHERE p.license_number IS NOT NULL AND p.license_expires_on IS NOT NULL;
INSERT INTO contractor_insurances (id, organization_id, kind, carrier, policy_number, expires_on)
SELECT gen_random_uuid(), p.organization_id, 'GENERAL_LIABILITY', coalesce(p.insurance_carrier, 'UNSPECIFIED'),
    'UNSPECIFIED', p.insurance_expires_on
FROM service_provider_profiles p WHERE p.insurance_expires_on IS NOT NULL;
INSERT INTO contractor_insurances (id, organization_id, kind, carrier, policy_number, expires_on)
SELECT gen_random_uuid(), p.organization_id, 'WORKERS_COMPENSATION', 'UNSPECIFIED', 'UNSPECIFIED',
    p.workers_comp_expires_on
FROM service_provider_profiles p WHERE p.workers_comp_expires_on IS NOT NULL;
"""
COPIED = ("service_provider_profiles", "organizations", "contractor_profiles", "contractor_licenses",
          "contractor_insurances")  # fmt: skip


def _copy_old_profiles() -> None:
    for table in COPIED:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(COPY)
    for table in COPIED:
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def upgrade() -> None:
    _profiles()
    _branches_and_credentials()
    _requirements()
    _copy_old_profiles()
    op.drop_table("service_provider_profiles")
    op.execute("DROP POLICY organizations_lookup ON organizations")
    op.execute(
        "CREATE POLICY organizations_lookup ON organizations FOR SELECT "
        f"USING (id = {LOOKUP_ORG} AND type IN {LOOKUP_TYPES} AND deleted_at IS NULL)"
    )
    op.execute(
        "CREATE POLICY contractor_profiles_daily ON contractor_profiles FOR SELECT TO CURRENT_USER "
        f"USING ({DAILY} = 'on')"
    )
    op.execute(CONTRACTOR_ORGANIZATIONS)
    op.execute("REVOKE ALL ON FUNCTION app_contractor_organizations() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_contractor_organizations() TO {quote(app_role())}")


def downgrade() -> None:
    op.execute("DROP FUNCTION app_contractor_organizations()")
    op.execute("DROP POLICY organizations_lookup ON organizations")
    op.execute(
        "CREATE POLICY organizations_lookup ON organizations FOR SELECT "
        f"USING (id = {LOOKUP_ORG} AND type IN {OLD_LOOKUP_TYPES} AND deleted_at IS NULL)"
    )
    op.create_table(
        "service_provider_profiles",
        *tenant_columns(),
        sa.Column("categories", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("service_zip_codes", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("service_radius_miles", sa.Integer()),
        sa.Column("license_number", sa.Text()),
        sa.Column("license_expires_on", sa.Date()),
        sa.Column("insurance_carrier", sa.Text()),
        sa.Column("insurance_expires_on", sa.Date()),
        sa.Column("workers_comp_expires_on", sa.Date()),
        sa.Column("description", sa.Text()),
        sa.UniqueConstraint("organization_id", "id", name="uq_service_provider_profiles_organization_id_id"),
    )
    op.create_index("uq_service_provider_profiles_org", "service_provider_profiles", ["organization_id"], unique=True)
    linked = _linked("service_provider_profiles")
    enable_rls(
        "service_provider_profiles",
        select=f"{TENANT_PREDICATE} OR {linked} OR organization_id = {LOOKUP_ORG}",
        insert=TENANT_PREDICATE,
        update=TENANT_PREDICATE,
        delete=TENANT_PREDICATE,
    )
    for table in ("provider_requirements", "contractor_insurances", "contractor_licenses", "contractor_branches",
                  "contractor_profiles"):  # fmt: skip
        op.drop_table(table)

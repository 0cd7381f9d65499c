"""add_reference_checks: a reference to another organization can be checked, and a maintenance log's work order
is the same tenant's (issue 11, defect 1).

An association links a service provider by its organization id, a management contract names the management
company's organization, a vendor record the provider it pays. Row-level security shows a caller only its own
organization, so until now such ids were stored unchecked (any organization, or none at all). A check names
the one organization it looks up in the transaction-local `app.lookup_org_id` (see `hestami.core.lookup`);
two extra permissive SELECT policies then admit exactly what the check reads:

- organizations: the looked-up organization's row, if it offers services to others (SERVICE_PROVIDER or
  MANAGEMENT_COMPANY); any other organization stays invisible, exactly like a random id.
- service_provider_profiles: the looked-up organization's profile (a provider without one cannot be linked).

Permissive policies are OR-ed with the existing ones, which stay as they are; nothing is writable through them.

`asset_maintenance_logs.work_order_id` was the one tenant column without its composite reference
(`tenant_ref`): it gets it now, `NOT VALID` so that rows an older version accepted do not stop the upgrade
(new and changed rows are checked; the service refuses such ids before they reach the database anyway).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOOKUP_ORG = "NULLIF(current_setting('app.lookup_org_id', true), '')::uuid"
LOOKUP_TYPES = "('SERVICE_PROVIDER', 'MANAGEMENT_COMPANY')"


def upgrade() -> None:
    op.execute(
        "ALTER TABLE asset_maintenance_logs ADD CONSTRAINT fk_work_order_id_work_orders "
        "FOREIGN KEY (organization_id, work_order_id) REFERENCES work_orders (organization_id, id) NOT VALID"
    )
    op.execute(
        "CREATE POLICY organizations_lookup ON organizations FOR SELECT "
        f"USING (id = {LOOKUP_ORG} AND type IN {LOOKUP_TYPES} AND deleted_at IS NULL)"
    )
    op.execute(
        "CREATE POLICY service_provider_profiles_lookup ON service_provider_profiles FOR SELECT "
        f"USING (organization_id = {LOOKUP_ORG})"
    )


def downgrade() -> None:
    op.execute("DROP POLICY service_provider_profiles_lookup ON service_provider_profiles")
    op.execute("DROP POLICY organizations_lookup ON organizations")
    op.execute("ALTER TABLE asset_maintenance_logs DROP CONSTRAINT fk_work_order_id_work_orders")

"""add_work_order: assets and maintenance, service-provider profiles and their links to associations,
work orders with status history, comments and attachments, bids, and the outbox's entity reference.

Row-level security: assets, work orders, history, comments and attachments are the association's tenant
tables (`create_tenant_table`). Three tables cross tenants through explicit columns, each with its own
policy: `association_service_providers` and `bids` are visible to the association's organization and to the
provider organization named on the row; `work_orders` are also visible to a provider organization assigned to
them or invited to bid. A provider never writes the association's rows except its own bids.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from hestami.core.tenancy import (
    CURRENT_ORG,
    TENANT_PREDICATE,
    create_tenant_table,
    enable_rls,
    one_of,
    tenant_columns,
    tenant_ref,
)

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(18, 2)
STATUSES = (
    "DRAFT", "SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED", "IN_PROGRESS", "ON_HOLD", "COMPLETED", "INVOICED",
    "CLOSED", "CANCELLED",
)  # fmt: skip
PROVIDER_SIDE = f"provider_organization_id = {CURRENT_ORG}"


def uuid_column(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("outbound_messages", sa.Column("entity_type", sa.Text()))
    op.add_column("outbound_messages", sa.Column("entity_id", UUID(as_uuid=True)))
    op.add_column("outbound_messages", sa.Column("dedupe_key", sa.Text()))
    op.create_index("uq_outbound_messages_dedupe", "outbound_messages", ["dedupe_key"], unique=True)
    op.create_index("ix_outbound_messages_entity", "outbound_messages", ["organization_id", "entity_id"])

    create_tenant_table(
        "assets",
        uuid_column("association_id"),
        uuid_column("unit_id", nullable=True),
        uuid_column("common_area_id", nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("manufacturer", sa.Text()),
        sa.Column("model", sa.Text()),
        sa.Column("serial_number", sa.Text()),
        sa.Column("installed_on", sa.Date()),
        sa.Column("warranty_expires_on", sa.Date()),
        sa.Column("warranty_terms", sa.Text()),
        sa.Column("maintenance_frequency_days", sa.Integer()),
        sa.Column("next_maintenance_on", sa.Date()),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("common_area_id", "common_areas"),
        sa.CheckConstraint("maintenance_frequency_days IS NULL OR maintenance_frequency_days > 0", name="frequency"),
    )
    op.create_index("ix_assets_association", "assets", ["organization_id", "association_id"])
    create_tenant_table(
        "asset_maintenance_logs",
        uuid_column("asset_id"),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cost", MONEY),
        sa.Column("performed_by", sa.Text()),
        uuid_column("work_order_id", nullable=True),
        tenant_ref("asset_id", "assets"),
    )
    op.create_index("ix_asset_maintenance_logs_asset", "asset_maintenance_logs", ["organization_id", "asset_id"])

    op.add_column(
        "associations",
        sa.Column("work_order_sla_hours", JSONB(), nullable=False, server_default="{}"),
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

    op.create_table(
        "association_service_providers",
        *tenant_columns(),
        uuid_column("association_id"),
        uuid_column("provider_organization_id"),
        sa.Column("provider_name", sa.Text(), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("approval_status", sa.Text(), nullable=False),
        sa.Column("rating", sa.Numeric(3, 2)),
        sa.Column("review_count", sa.Integer(), nullable=False, server_default="0"),
        uuid_column("vendor_id", nullable=True),
        sa.UniqueConstraint("organization_id", "id", name="uq_association_service_providers_organization_id_id"),
        sa.UniqueConstraint("organization_id", "association_id", "provider_organization_id", name="uq_asp_link"),
        tenant_ref("association_id", "associations"),
        tenant_ref("vendor_id", "vendors"),
        one_of("approval_status", ("PENDING", "APPROVED", "SUSPENDED")),
    )
    op.create_index("ix_asp_provider", "association_service_providers", ["provider_organization_id"])
    # A provider's profile (licence, insurance) is readable by the organizations linked to it.
    linked = (
        "EXISTS (SELECT 1 FROM association_service_providers l WHERE l.provider_organization_id = "
        f"service_provider_profiles.organization_id AND l.organization_id = {CURRENT_ORG})"
    )
    enable_rls(
        "service_provider_profiles",
        select=f"{TENANT_PREDICATE} OR {linked}",
        insert=TENANT_PREDICATE,
        update=TENANT_PREDICATE,
        delete=TENANT_PREDICATE,
    )
    enable_rls(
        "association_service_providers",
        select=f"{TENANT_PREDICATE} OR {PROVIDER_SIDE}",
        insert=TENANT_PREDICATE,
        update=TENANT_PREDICATE,
        delete=TENANT_PREDICATE,
    )

    op.create_table(
        "work_orders",
        *tenant_columns(),
        uuid_column("association_id"),
        sa.Column("number", sa.Integer(), nullable=False),
        uuid_column("requestor_user_id", nullable=True),
        uuid_column("unit_id", nullable=True),
        uuid_column("common_area_id", nullable=True),
        uuid_column("asset_id", nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        uuid_column("assigned_provider_org_id", nullable=True),
        uuid_column("assigned_vendor_id", nullable=True),
        sa.Column("scheduled_start", sa.DateTime(timezone=True)),
        sa.Column("scheduled_end", sa.DateTime(timezone=True)),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("sla_due_at", sa.DateTime(timezone=True)),
        sa.Column("sla_breached", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("completion_notes", sa.Text()),
        sa.Column("estimated_cost", MONEY),
        sa.Column("actual_cost", MONEY),
        uuid_column("ap_invoice_id", nullable=True),
        sa.UniqueConstraint("organization_id", "id", name="uq_work_orders_organization_id_id"),
        sa.UniqueConstraint("organization_id", "number", name="uq_work_orders_number"),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("common_area_id", "common_areas"),
        tenant_ref("asset_id", "assets"),
        tenant_ref("assigned_vendor_id", "vendors"),
        tenant_ref("ap_invoice_id", "ap_invoices"),
        one_of("status", STATUSES),
        one_of("priority", ("LOW", "MEDIUM", "HIGH", "EMERGENCY")),
    )
    op.create_index("ix_work_orders_association", "work_orders", ["organization_id", "association_id", "status"])
    op.create_index("ix_work_orders_provider", "work_orders", ["assigned_provider_org_id"])

    create_tenant_table(
        "bids",
        uuid_column("work_order_id"),
        uuid_column("provider_organization_id"),
        sa.Column("provider_name", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("amount", MONEY),
        sa.Column("scope", sa.Text()),
        sa.Column("valid_until", sa.Date()),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        uuid_column("submitted_by", nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        tenant_ref("work_order_id", "work_orders"),
        one_of("status", ("REQUESTED", "SUBMITTED", "ACCEPTED", "REJECTED", "WITHDRAWN")),
        sa.UniqueConstraint("organization_id", "work_order_id", "provider_organization_id", name="uq_bids_provider"),
    )
    op.create_index("ix_bids_provider", "bids", ["provider_organization_id", "status"])
    # bids cross tenants: replace the tenant policies with ones that admit the provider named on the row,
    # which may read its invitations and update (submit, withdraw) them, but never create or delete bids.
    for command in ("select", "update"):
        op.execute(f"DROP POLICY bids_{command} ON bids")
    op.execute(f"CREATE POLICY bids_select ON bids FOR SELECT USING ({TENANT_PREDICATE} OR {PROVIDER_SIDE})")
    op.execute(
        f"CREATE POLICY bids_update ON bids FOR UPDATE USING ({TENANT_PREDICATE} OR {PROVIDER_SIDE}) "
        f"WITH CHECK ({TENANT_PREDICATE} OR {PROVIDER_SIDE})"
    )

    provider_sees = (
        f"assigned_provider_org_id = {CURRENT_ORG} OR EXISTS (SELECT 1 FROM bids b WHERE b.work_order_id = "
        f"work_orders.id AND b.organization_id = work_orders.organization_id AND b.{PROVIDER_SIDE} "
        "AND b.status IN ('REQUESTED', 'SUBMITTED'))"
    )
    assigned = f"assigned_provider_org_id = {CURRENT_ORG}"
    enable_rls(
        "work_orders",
        select=f"{TENANT_PREDICATE} OR {provider_sees}",
        insert=TENANT_PREDICATE,
        # the assigned provider records progress (start, hold, complete) on its own jobs, from its own scope
        update=f"{TENANT_PREDICATE} OR {assigned}",
        delete=TENANT_PREDICATE,
    )

    on_assigned_job = (
        "EXISTS (SELECT 1 FROM work_orders w WHERE w.id = {t}.work_order_id AND w.organization_id = "
        f"{{t}}.organization_id AND w.assigned_provider_org_id = {CURRENT_ORG})"
    )
    for table, columns in (
        ("work_order_status_history", [
            sa.Column("from_status", sa.Text()), sa.Column("to_status", sa.Text(), nullable=False),
            uuid_column("actor_user_id", nullable=True), sa.Column("note", sa.Text()),
        ]),
        ("work_order_comments", [
            uuid_column("author_user_id", nullable=True), sa.Column("body", sa.Text(), nullable=False),
            sa.Column("internal", sa.Boolean(), nullable=False, server_default="false"),
        ]),
        ("work_order_attachments", [
            sa.Column("file_name", sa.Text(), nullable=False), sa.Column("content_type", sa.Text(), nullable=False),
            sa.Column("size_bytes", sa.Integer(), nullable=False), sa.Column("sha256", sa.Text(), nullable=False),
            sa.Column("storage_key", sa.Text(), nullable=False), uuid_column("uploaded_by", nullable=True),
        ]),
    ):  # fmt: skip
        op.create_table(
            table,
            *tenant_columns(),
            uuid_column("work_order_id"),
            *columns,
            sa.UniqueConstraint("organization_id", "id", name=f"uq_{table}_organization_id_id"),
            tenant_ref("work_order_id", "work_orders"),
        )
        op.create_index(f"ix_{table}_work_order", table, ["organization_id", "work_order_id"])
        # the assigned provider reads and adds to the history, comments and photos of its own jobs
        provider = on_assigned_job.format(t=table)
        if table == "work_order_comments":
            provider = f"({provider} AND NOT internal)"
        enable_rls(
            table,
            select=f"{TENANT_PREDICATE} OR {provider}",
            insert=f"{TENANT_PREDICATE} OR {provider}",
            update=TENANT_PREDICATE,
            delete=TENANT_PREDICATE,
        )


def downgrade() -> None:
    for table in (
        "work_order_attachments", "work_order_comments", "work_order_status_history", "bids", "work_orders",
        "association_service_providers", "service_provider_profiles", "asset_maintenance_logs", "assets",
    ):  # fmt: skip
        op.drop_table(table)
    op.drop_column("associations", "work_order_sla_hours")
    op.drop_index("ix_outbound_messages_entity", "outbound_messages")
    op.drop_index("uq_outbound_messages_dedupe", "outbound_messages")
    for column in ("dedupe_key", "entity_id", "entity_type"):
        op.drop_column("outbound_messages", column)

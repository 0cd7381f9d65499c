"""add_portal: domain 9, the owner portal: owner requests with their history, linked both ways to the work order a
request becomes.

- `owner_requests`: what an owner (or a manager for one) asks of the association: a category, a subject and a
  description, the owner's unit and/or a common area, numbered per association without gaps (`REQ-000001`), moving
  SUBMITTED → IN_REVIEW → CONVERTED / RESOLVED / CLOSED / CANCELLED. A converted request names its work order
  (`work_order_id`, one request per work order: a unique index).
- `owner_request_history`: one row per move, comment and attachment (who, when, what).
- `documents.scope_type` takes OWNER_REQUEST: a request's files are documents filed under it (domain 10).
- `work_orders.owner_request_id`: the other direction of the link (one work order per request: a unique index,
  the database's guard for "converted once").

Payment methods and auto-pay are migration 0025's (the portal's payments). Document downloads need no table: the
documents domain already records every signed link it issues in the audit trail (`document.downloaded`), which the
portal reads back for managers (a partial index on the audit trail serves that list).

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("GENERAL_INQUIRY", "MAINTENANCE", "BILLING", "NOISE_OR_NUISANCE", "COMMON_AREA", "OTHER")
STATUSES = ("SUBMITTED", "IN_REVIEW", "CONVERTED", "RESOLVED", "CLOSED", "CANCELLED")
HISTORY_KINDS = ("SUBMITTED", "STATUS", "COMMENT", "ATTACHMENT")
DOWNLOAD_ACTIONS = ("document.downloaded", "document.download_refused")
DOCUMENT_SCOPES = (
    "ORGANIZATION",
    "ASSOCIATION",
    "PROPERTY",
    "UNIT",
    "WORK_ORDER",
    "VIOLATION",
    "ARC_REQUEST",
    "MEETING",
)
"""Migration 0013's: a request's files are documents filed under it (scope OWNER_REQUEST)."""


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _at(name: str) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True))


def _document_scopes(values: tuple[str, ...], *, valid: bool = True) -> None:
    op.execute("ALTER TABLE documents DROP CONSTRAINT ck_documents_scope_type")
    listed = ", ".join(f"'{value}'" for value in values)
    check = f"ALTER TABLE documents ADD CONSTRAINT ck_documents_scope_type CHECK (scope_type IN ({listed}))"
    op.execute(check if valid else f"{check} NOT VALID")


def upgrade() -> None:
    create_tenant_table(
        "owner_requests",
        _uuid("association_id"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        _uuid("unit_id", nullable=True),
        _uuid("common_area_id", nullable=True),
        _uuid("party_id", nullable=True),
        _uuid("submitted_by", nullable=True),
        _uuid("owner_user_id", nullable=True),
        _uuid("work_order_id", nullable=True),
        _at("converted_at"),
        _uuid("converted_by", nullable=True),
        sa.Column("resolution", sa.Text()),
        _at("resolved_at"),
        _at("closed_at"),
        _at("cancelled_at"),
        one_of("category", CATEGORIES),
        one_of("status", STATUSES),
        sa.CheckConstraint("unit_id IS NOT NULL OR common_area_id IS NOT NULL", name="located"),
        sa.CheckConstraint("status <> 'CONVERTED' OR work_order_id IS NOT NULL", name="converted_to_work_order"),
        sa.CheckConstraint("number > 0", name="number"),
        sa.UniqueConstraint("organization_id", "association_id", "number", name="uq_owner_requests_number"),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("common_area_id", "common_areas"),
        tenant_ref("party_id", "parties"),
        tenant_ref("work_order_id", "work_orders"),
    )
    op.create_index(
        "uq_owner_requests_work_order", "owner_requests", ["organization_id", "work_order_id"], unique=True,
        postgresql_where=sa.text("work_order_id IS NOT NULL"),
    )  # fmt: skip
    op.create_index("ix_owner_requests_association", "owner_requests", ["organization_id", "association_id", "status"])
    op.create_index("ix_owner_requests_owner", "owner_requests", ["organization_id", "owner_user_id"])
    create_tenant_table(
        "owner_request_history",
        _uuid("request_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text()),
        _uuid("actor_user_id", nullable=True),
        sa.Column("body", sa.Text()),
        sa.Column("internal", sa.Boolean(), nullable=False, server_default="false"),
        one_of("kind", HISTORY_KINDS),
        sa.CheckConstraint("kind <> 'STATUS' OR to_status IS NOT NULL", name="status_move"),
        tenant_ref("request_id", "owner_requests"),
    )
    op.create_index(
        "ix_owner_request_history_request", "owner_request_history", ["organization_id", "request_id", "created_at"]
    )
    _document_scopes((*DOCUMENT_SCOPES, "OWNER_REQUEST"))
    # The portal's download log reads the documents' download trail across an organization, newest first.
    op.create_index(
        "ix_audit_events_document_downloads", "audit_events", ["organization_id", "created_at", "id"],
        postgresql_where=sa.text(f"entity_type = 'document' AND action IN {DOWNLOAD_ACTIONS}"),
    )  # fmt: skip
    op.add_column("work_orders", _uuid("owner_request_id", nullable=True))
    op.create_foreign_key(
        "fk_owner_request_id_owner_requests", "work_orders", "owner_requests",
        ["organization_id", "owner_request_id"], ["organization_id", "id"],
    )  # fmt: skip
    op.create_index(
        "uq_work_orders_owner_request", "work_orders", ["organization_id", "owner_request_id"], unique=True,
        postgresql_where=sa.text("owner_request_id IS NOT NULL"),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_audit_events_document_downloads", table_name="audit_events")
    op.drop_index("uq_work_orders_owner_request", table_name="work_orders")
    op.drop_constraint("fk_owner_request_id_owner_requests", "work_orders", type_="foreignkey")
    op.drop_column("work_orders", "owner_request_id")
    op.drop_table("owner_request_history")
    op.drop_table("owner_requests")
    # documents filed under requests stay (documents are never deleted), unchecked by the older list
    _document_scopes(DOCUMENT_SCOPES, valid=False)

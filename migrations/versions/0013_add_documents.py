"""add_documents: domain 10, documents and their versions; work-order attachments become documents.

`documents` holds what a document is (category, scope, visibility, metadata) and its search vector (title and
metadata weighted above the current version's extracted text, `english` configuration, GIN index);
`document_versions` holds each upload's bytes by reference (storage backend and key, SHA-256, size, the type
sniffed from the bytes), the virus-scan verdict, and what extraction found (text, pages, preview). Both are plain
tenant tables (`create_tenant_table`): a service provider attaching to its job writes in the work order's
organization through the work-order domain's scope switch, as its status notices do.

Work-order attachments (0006) are copied into documents scoped to their work order (same ids, category PHOTO for
images and OTHER otherwise, visible to managers, version 1 with the same storage key: no file moves), and the
old table is dropped. The downgrade copies them back from the current versions of work-order documents.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, UUID

from hestami.core.tenancy import create_tenant_table, enable_rls, one_of, tenant_columns, tenant_ref

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = (
    "CC_AND_RS", "BYLAWS", "ARTICLES", "RULES", "POLICY", "FINANCIAL_REPORT", "BUDGET", "CONTRACT", "INSURANCE",
    "RESERVE_STUDY", "ARC_PLAN", "INSPECTION_REPORT", "NOTICE", "MINUTES", "PHOTO", "CORRESPONDENCE", "OTHER",
)  # fmt: skip
SCOPES = ("ORGANIZATION", "ASSOCIATION", "PROPERTY", "UNIT", "WORK_ORDER", "VIOLATION", "ARC_REQUEST", "MEETING")
VISIBILITIES = ("OWNERS", "BOARD", "MANAGERS")
SCAN_STATUSES = ("CLEAN", "NOT_SCANNED")
EXTRACTION_STATUSES = ("PENDING", "DONE", "FAILED", "NOT_APPLICABLE", "SKIPPED")

COPY_ATTACHMENTS = """
WITH copied AS (
    SELECT a.*, w.association_id, gen_random_uuid() AS version_id FROM work_order_attachments a
    JOIN work_orders w ON w.organization_id = a.organization_id AND w.id = a.work_order_id
), documents_in AS (
    INSERT INTO documents (id, organization_id, created_at, updated_at, association_id, scope_type, scope_id,
                           category, title, tags, visibility, status, current_version_id, current_version_number,
                           created_by, search_vector)
    SELECT id, organization_id, created_at, updated_at, association_id, 'WORK_ORDER', work_order_id,
           CASE WHEN content_type LIKE 'image/%' THEN 'PHOTO' ELSE 'OTHER' END, file_name, '{}', 'MANAGERS',
           'ACTIVE', version_id, 1, uploaded_by, to_tsvector('english', file_name)
    FROM copied
)
INSERT INTO document_versions (id, organization_id, created_at, updated_at, document_id, version_number, file_name,
                               content_type, size_bytes, sha256, storage_backend, storage_key, uploaded_by,
                               scan_status, scan_engine, extraction_status)
SELECT version_id, organization_id, created_at, updated_at, id, 1, file_name, content_type, size_bytes, sha256,
       'local', storage_key, uploaded_by, 'NOT_SCANNED', 'none', 'SKIPPED'
FROM copied
"""

COPY_BACK = """
INSERT INTO work_order_attachments (id, organization_id, created_at, updated_at, work_order_id, file_name,
                                    content_type, size_bytes, sha256, storage_key, uploaded_by)
SELECT d.id, d.organization_id, d.created_at, d.updated_at, d.scope_id, v.file_name, v.content_type,
       v.size_bytes, v.sha256, v.storage_key, v.uploaded_by
FROM documents d JOIN document_versions v ON v.organization_id = d.organization_id AND v.id = d.current_version_id
WHERE d.scope_type = 'WORK_ORDER' AND d.deleted_at IS NULL
"""


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _without_forced_rls(tables: Sequence[str], statement: str) -> None:
    """Runs the statement as the tables' owner with FORCE lifted from `tables` meanwhile (the owner has no tenant
    scope: RLS would hide every row)."""
    for table in tables:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.get_bind().execute(sa.text(statement))
    for table in tables:
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def _create_tables() -> None:
    create_tenant_table(
        "documents",
        _uuid("association_id", nullable=True),
        sa.Column("scope_type", sa.Text(), nullable=False),
        _uuid("scope_id", nullable=True),
        _uuid("unit_id", nullable=True),
        _uuid("property_id", nullable=True),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("tags", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("document_date", sa.Date()),
        sa.Column("visibility", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="ACTIVE"),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        _uuid("current_version_id", nullable=True),
        sa.Column("current_version_number", sa.Integer(), nullable=False, server_default="0"),
        _uuid("created_by", nullable=True),
        sa.Column("search_vector", TSVECTOR(), nullable=False, server_default=sa.text("''::tsvector")),
        one_of("scope_type", SCOPES),
        one_of("category", CATEGORIES),
        one_of("visibility", VISIBILITIES),
        one_of("status", ("ACTIVE", "ARCHIVED")),
        sa.CheckConstraint(
            "(scope_type = 'ORGANIZATION') = (association_id IS NULL) "
            "AND (scope_type IN ('ORGANIZATION', 'ASSOCIATION')) = (scope_id IS NULL)",
            name="scope_complete",
        ),
        sa.CheckConstraint("(scope_type = 'UNIT') = (unit_id IS NOT NULL)", name="unit_scope"),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("property_id", "properties"),
    )
    op.create_index("ix_documents_search", "documents", ["search_vector"], postgresql_using="gin")
    op.create_index("ix_documents_association", "documents", ["organization_id", "association_id", "category"])
    op.create_index("ix_documents_scope", "documents", ["organization_id", "scope_type", "scope_id"])
    create_tenant_table(
        "document_versions",
        _uuid("document_id"),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("storage_backend", sa.Text(), nullable=False),
        sa.Column("storage_key", sa.Text(), nullable=False),
        _uuid("uploaded_by", nullable=True),
        sa.Column("change_note", sa.Text()),
        sa.Column("reverted_from_version", sa.Integer()),
        sa.Column("scan_status", sa.Text(), nullable=False),
        sa.Column("scan_engine", sa.Text(), nullable=False),
        sa.Column("scan_signature", sa.Text()),
        sa.Column("scanned_at", sa.DateTime(timezone=True)),
        sa.Column("extraction_status", sa.Text(), nullable=False, server_default="PENDING"),
        sa.Column("extracted_text", sa.Text()),
        sa.Column("page_count", sa.Integer()),
        sa.Column("preview_key", sa.Text()),
        sa.Column("extraction_error", sa.Text()),
        sa.Column("extracted_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("version_number >= 1", name="version_number_positive"),
        sa.CheckConstraint("size_bytes >= 0", name="size_known"),  # uploads refuse empty files; old attachments may be
        one_of("scan_status", SCAN_STATUSES),
        one_of("extraction_status", EXTRACTION_STATUSES),
        sa.UniqueConstraint("organization_id", "document_id", "version_number", name="uq_document_versions_number"),
        tenant_ref("document_id", "documents"),
    )


def upgrade() -> None:
    _create_tables()
    # a document's access trail (downloads, refusals) is read back from the audit events by entity
    op.create_index(
        "ix_audit_events_entity", "audit_events", ["organization_id", "entity_type", "entity_id", "created_at"]
    )
    _without_forced_rls(("work_order_attachments", "work_orders", "documents", "document_versions"), COPY_ATTACHMENTS)
    op.drop_table("work_order_attachments")


def downgrade() -> None:
    op.drop_index("ix_audit_events_entity", table_name="audit_events")
    on_assigned_job = (
        "EXISTS (SELECT 1 FROM work_orders w WHERE w.id = work_order_attachments.work_order_id AND "
        "w.organization_id = work_order_attachments.organization_id AND w.assigned_provider_org_id = "
        "NULLIF(current_setting('app.current_org_id', true), '')::uuid)"
    )
    tenant = "organization_id = NULLIF(current_setting('app.current_org_id', true), '')::uuid"
    op.create_table(
        "work_order_attachments",
        *tenant_columns(),
        _uuid("work_order_id"),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("storage_key", sa.Text(), nullable=False),
        _uuid("uploaded_by", nullable=True),
        sa.UniqueConstraint("organization_id", "id", name="uq_work_order_attachments_organization_id_id"),
        tenant_ref("work_order_id", "work_orders"),
    )
    op.create_index(
        "ix_work_order_attachments_work_order", "work_order_attachments", ["organization_id", "work_order_id"]
    )
    op.get_bind().execute(sa.text("ALTER TABLE documents NO FORCE ROW LEVEL SECURITY"))
    op.get_bind().execute(sa.text("ALTER TABLE document_versions NO FORCE ROW LEVEL SECURITY"))
    op.get_bind().execute(sa.text(COPY_BACK))
    enable_rls(
        "work_order_attachments",
        select=f"{tenant} OR {on_assigned_job}",
        insert=f"{tenant} OR {on_assigned_job}",
        update=tenant,
        delete=tenant,
    )
    op.drop_table("document_versions")
    op.drop_table("documents")

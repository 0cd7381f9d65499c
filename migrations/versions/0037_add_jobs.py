"""add_jobs: issue 22 (P2.4): the contractor's customers and jobs.

- `customers`: the contractor's off-platform clients.
- `jobs`: numbered per organization (JOB-000001), from a customer (`source` DIRECT), an HOA work order (WORK_ORDER:
  `work_order_id`, the HOA's organization, association and unit as plain ids: the work order is another tenant's),
  or a violation / ARC request (`origin_reference`). One job per work order per contractor (a partial unique
  index: the hand-off makes it once). Status in `one_of`; the lifecycle table is `contractor/job/lifecycle.py`.
- `job_status_history`, `job_notes` (internal by default), `job_visits` (a job's trips: arrival window, duration,
  pinned for route optimization), `job_checkpoints` (QA / WARRANTY).
- `documents.scope_type` takes JOB: a job's attachments are the contractor's documents filed under the job (no
  association).

Revision ID: 0037
Revises: 0036
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0037"
down_revision: str | Sequence[str] | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "LEAD", "TICKET", "ESTIMATE_REQUIRED", "JOB_CREATED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "ON_HOLD",
    "COMPLETED", "INVOICED", "PAID", "WARRANTY", "CLOSED", "CANCELLED",
)  # fmt: skip
SOURCES = ("DIRECT", "WORK_ORDER", "VIOLATION", "ARC_REQUEST", "UNIT")
PRIORITIES = ("EMERGENCY", "HIGH", "MEDIUM", "LOW")
VISIT_STATUSES = ("UNSCHEDULED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED", "CANCELLED")
CHECKPOINT_KINDS = ("QA", "WARRANTY")
CHECKPOINT_STATUSES = ("PENDING", "PASSED", "FAILED")
DOCUMENT_SCOPES = (
    "ORGANIZATION", "ASSOCIATION", "PROPERTY", "UNIT", "WORK_ORDER", "VIOLATION", "ARC_REQUEST", "MEETING",
    "OWNER_REQUEST", "REPORT_RUN",
)  # fmt: skip
WITH_RUNS = (
    "(scope_type = 'REPORT_RUN' AND scope_id IS NOT NULL) OR (scope_type <> 'REPORT_RUN' AND "
    "(scope_type = 'ORGANIZATION') = (association_id IS NULL) "
    "AND (scope_type IN ('ORGANIZATION', 'ASSOCIATION')) = (scope_id IS NULL))"
)
WITH_JOBS = (
    "(scope_type IN ('REPORT_RUN', 'JOB') AND scope_id IS NOT NULL) OR (scope_type NOT IN ('REPORT_RUN', 'JOB') AND "
    "(scope_type = 'ORGANIZATION') = (association_id IS NULL) "
    "AND (scope_type IN ('ORGANIZATION', 'ASSOCIATION')) = (scope_id IS NULL))"
)


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _documents(scopes: tuple[str, ...], complete: str, *, valid: bool = True) -> None:
    listed = ", ".join(f"'{value}'" for value in scopes)
    suffix = "" if valid else " NOT VALID"
    op.execute("ALTER TABLE documents DROP CONSTRAINT ck_documents_scope_type")
    op.execute(f"ALTER TABLE documents ADD CONSTRAINT ck_documents_scope_type CHECK (scope_type IN ({listed})){suffix}")
    op.execute("ALTER TABLE documents DROP CONSTRAINT ck_documents_scope_complete")
    op.execute(f"ALTER TABLE documents ADD CONSTRAINT ck_documents_scope_complete CHECK ({complete}){suffix}")


def upgrade() -> None:
    _documents((*DOCUMENT_SCOPES, "JOB"), WITH_JOBS)
    create_tenant_table(
        "customers",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text()),
        sa.Column("phone", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("zip_code", sa.Text()),
        sa.Column("notes", sa.Text()),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
    )
    create_tenant_table(
        "jobs",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        _uuid("customer_id", nullable=True),
        _uuid("work_order_id", nullable=True),
        _uuid("hoa_organization_id", nullable=True),
        _uuid("association_id", nullable=True),
        _uuid("unit_id", nullable=True),
        sa.Column("origin_reference", sa.Text()),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("trade", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("address", sa.Text()),
        sa.Column("zip_code", sa.Text()),
        _uuid("branch_id", nullable=True),
        sa.Column("sla_due_at", sa.DateTime(timezone=True)),
        sa.Column("sla_breached", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        one_of("status", STATUSES),
        one_of("source", SOURCES),
        one_of("priority", PRIORITIES),
        tenant_ref("customer_id", "customers"),
        tenant_ref("branch_id", "contractor_branches"),
        sa.CheckConstraint("(source = 'WORK_ORDER') = (work_order_id IS NOT NULL)", name="work_order_source"),
        sa.CheckConstraint(
            "work_order_id IS NULL OR (hoa_organization_id IS NOT NULL AND association_id IS NOT NULL)",
            name="work_order_scope",
        ),
        sa.UniqueConstraint("organization_id", "number", name="uq_jobs_number"),
    )
    op.create_index(
        "uq_jobs_work_order", "jobs", ["organization_id", "work_order_id"], unique=True,
        postgresql_where=sa.text("work_order_id IS NOT NULL"),
    )  # fmt: skip
    op.create_index("ix_jobs_status", "jobs", ["organization_id", "status"])
    create_tenant_table(
        "job_status_history",
        _uuid("job_id"),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        _uuid("actor_user_id", nullable=True),
        sa.Column("note", sa.Text()),
        tenant_ref("job_id", "jobs"),
    )
    op.create_index("ix_job_status_history_job", "job_status_history", ["organization_id", "job_id", "created_at"])
    create_tenant_table(
        "job_notes",
        _uuid("job_id"),
        _uuid("author_user_id", nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False, server_default="true"),
        tenant_ref("job_id", "jobs"),
    )
    create_tenant_table(
        "job_visits",
        _uuid("job_id"),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="UNSCHEDULED"),
        sa.Column("window_start", sa.DateTime(timezone=True)),
        sa.Column("window_end", sa.DateTime(timezone=True)),
        sa.Column("duration_minutes", sa.Integer(), nullable=False, server_default="60"),
        sa.Column("pinned", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("notes", sa.Text()),
        one_of("status", VISIT_STATUSES),
        tenant_ref("job_id", "jobs"),
        sa.CheckConstraint("(window_start IS NULL) = (window_end IS NULL)", name="window_complete"),
        sa.CheckConstraint("window_end IS NULL OR window_end > window_start", name="window_ordered"),
        sa.CheckConstraint("duration_minutes BETWEEN 5 AND 1440", name="duration_range"),
        sa.UniqueConstraint("organization_id", "job_id", "sequence", name="uq_job_visits_sequence"),
    )
    op.create_index("ix_job_visits_window", "job_visits", ["organization_id", "window_start"])
    create_tenant_table(
        "job_checkpoints",
        _uuid("job_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date()),
        sa.Column("status", sa.Text(), nullable=False, server_default="PENDING"),
        sa.Column("result_notes", sa.Text()),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        one_of("kind", CHECKPOINT_KINDS),
        one_of("status", CHECKPOINT_STATUSES),
        tenant_ref("job_id", "jobs"),
    )


def downgrade() -> None:
    for table in ("job_checkpoints", "job_visits", "job_notes", "job_status_history", "jobs", "customers"):
        op.drop_table(table)
    op.execute("DELETE FROM documents WHERE scope_type = 'JOB'")
    _documents(DOCUMENT_SCOPES, WITH_RUNS, valid=False)

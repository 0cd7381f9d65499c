"""add_arc: domain 5, architectural review.

`arc_settings` (per association: deemed approval after N days of a complete submission — off when null —, how
long an approval stays valid before work must start), `arc_committees` with their members (quorum and approval
threshold), `arc_requests` (numbered `ARC-000001` per organization; the round of review; the deemed-approval
deadline; decision, reasons, conditions and expiry), their status history, the documents filed with them (a
document of the documents domain per plan, specification, photo or permit, a new version per resubmission), and
reviews (one per member, request and round).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "DRAFT", "SUBMITTED", "UNDER_REVIEW", "CHANGES_REQUESTED", "APPROVED", "APPROVED_WITH_CONDITIONS", "DENIED",
    "WITHDRAWN", "EXPIRED",
)  # fmt: skip
CATEGORIES = ("FENCE", "ROOF", "PAINT", "ADDITION", "SOLAR", "LANDSCAPING", "OTHER")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def upgrade() -> None:
    create_tenant_table(
        "arc_settings",
        _uuid("association_id"),
        sa.Column("deemed_approval_days", sa.Integer()),
        sa.Column("approval_valid_days", sa.Integer(), nullable=False),
        sa.UniqueConstraint("organization_id", "association_id", name="uq_arc_settings_association"),
        tenant_ref("association_id", "associations"),
    )
    create_tenant_table(
        "arc_committees",
        _uuid("association_id"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("approval_threshold", sa.Numeric(5, 2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        sa.CheckConstraint("quorum >= 1", name="quorum_positive"),
        sa.CheckConstraint("approval_threshold > 0 AND approval_threshold <= 100", name="threshold_percent"),
        sa.UniqueConstraint("organization_id", "association_id", "name", name="uq_arc_committees_name"),
        tenant_ref("association_id", "associations"),
    )
    create_tenant_table(
        "arc_committee_members",
        _uuid("committee_id"),
        _uuid("user_id"),
        sa.Column("role", sa.Text(), nullable=False),
        one_of("role", ("CHAIR", "MEMBER")),
        sa.UniqueConstraint("organization_id", "committee_id", "user_id", name="uq_arc_committee_members_user"),
        tenant_ref("committee_id", "arc_committees"),
    )
    create_tenant_table(
        "arc_requests",
        _uuid("association_id"),
        _uuid("unit_id"),
        _uuid("requested_by", nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("estimated_cost", sa.Numeric(18, 2)),
        sa.Column("planned_start", sa.Date()),
        sa.Column("planned_end", sa.Date()),
        sa.Column("contractor", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        _uuid("committee_id", nullable=True),
        sa.Column("round", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("review_due_at", sa.DateTime(timezone=True)),
        sa.Column("decision", sa.Text()),
        sa.Column("deemed", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("decision_reasons", sa.Text()),
        sa.Column("conditions", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        _uuid("decided_by", nullable=True),
        sa.Column("approval_expires_at", sa.DateTime(timezone=True)),
        sa.Column("work_started_on", sa.Date()),
        one_of("status", STATUSES),
        one_of("category", CATEGORIES),
        sa.CheckConstraint("planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start", name="plan"),
        sa.UniqueConstraint("organization_id", "number", name="uq_arc_requests_number"),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("committee_id", "arc_committees"),
    )
    op.create_index(
        "ix_arc_requests_association_status", "arc_requests", ["organization_id", "association_id", "status"]
    )
    create_tenant_table(
        "arc_request_status_history",
        _uuid("request_id"),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        _uuid("actor_user_id", nullable=True),
        sa.Column("note", sa.Text()),
        tenant_ref("request_id", "arc_requests"),
    )
    op.create_index("ix_arc_request_status_history", "arc_request_status_history", ["organization_id", "request_id"])
    create_tenant_table(
        "arc_request_documents",
        _uuid("request_id"),
        _uuid("document_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        _uuid("added_by", nullable=True),
        one_of("kind", ("PLAN", "SPECIFICATION", "PHOTO", "PERMIT", "OTHER")),
        sa.UniqueConstraint(
            "organization_id", "document_id", "version_number", name="uq_arc_request_documents_version"
        ),
        tenant_ref("request_id", "arc_requests"),
        tenant_ref("document_id", "documents"),
    )
    op.create_index("ix_arc_request_documents", "arc_request_documents", ["organization_id", "request_id"])
    create_tenant_table(
        "arc_reviews",
        _uuid("request_id"),
        sa.Column("round", sa.Integer(), nullable=False),
        _uuid("reviewer_user_id"),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("comments", sa.Text()),
        one_of("action", ("APPROVE", "DENY", "REQUEST_CHANGES", "ABSTAIN")),
        sa.UniqueConstraint("organization_id", "request_id", "round", "reviewer_user_id", name="uq_arc_reviews_vote"),
        tenant_ref("request_id", "arc_requests"),
    )


def downgrade() -> None:
    for table in (
        "arc_reviews", "arc_request_documents", "arc_request_status_history", "arc_requests", "arc_committee_members",
        "arc_committees", "arc_settings",
    ):  # fmt: skip
        op.drop_table(table)

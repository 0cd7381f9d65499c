"""add_compliance: domain 12, compliance deadlines and checklists.

`compliance_requirements` (an association's obligations: adopted from the platform's library for its jurisdiction
or written by hand; each a recurrence rule (RFC 5545 RRULE) from an anchor date, a reminder lead time and the role
responsible), `compliance_deadlines` (the dates those rules give, one per requirement and date: the unique index
makes generating them again harmless; status, reminder and completion with evidence documents), and checklists
with items (due dates, assignees, completion evidence).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "STATUTORY_DEADLINE", "NOTICE", "VOTING", "FINANCIAL_AUDIT", "RESALE", "INSURANCE", "RESERVE_STUDY", "OTHER",
)  # fmt: skip
ROLES = ("MANAGER", "BOARD_MEMBER", "ADMIN")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def upgrade() -> None:
    create_tenant_table(
        "compliance_requirements",
        _uuid("association_id"),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("jurisdiction", sa.Text()),
        sa.Column("reference", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("rrule", sa.Text(), nullable=False),
        sa.Column("anchor_date", sa.Date(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("responsible_role", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        one_of("kind", KINDS),
        one_of("responsible_role", ROLES),
        sa.CheckConstraint("lead_days BETWEEN 0 AND 730", name="lead_days"),
        sa.UniqueConstraint("organization_id", "association_id", "code", name="uq_compliance_requirements_code"),
        tenant_ref("association_id", "associations"),
    )
    create_tenant_table(
        "compliance_deadlines",
        _uuid("association_id"),
        _uuid("requirement_id"),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True)),
        sa.Column("overdue_at", sa.DateTime(timezone=True)),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        _uuid("completed_by", nullable=True),
        sa.Column("evidence_document_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
        sa.Column("notes", sa.Text()),
        one_of("status", ("UPCOMING", "DUE_SOON", "OVERDUE", "COMPLETED", "WAIVED")),
        sa.UniqueConstraint("organization_id", "requirement_id", "due_on", name="uq_compliance_deadlines_due"),
        tenant_ref("association_id", "associations"),
        tenant_ref("requirement_id", "compliance_requirements"),
    )
    op.create_index(
        "ix_compliance_deadlines_association", "compliance_deadlines", ["organization_id", "association_id", "due_on"]
    )
    create_tenant_table(
        "compliance_checklists",
        _uuid("association_id"),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("due_on", sa.Date()),
        _uuid("deadline_id", nullable=True),
        sa.Column("status", sa.Text(), nullable=False, server_default="OPEN"),
        one_of("status", ("OPEN", "COMPLETED")),
        tenant_ref("association_id", "associations"),
        tenant_ref("deadline_id", "compliance_deadlines"),
    )
    create_tenant_table(
        "compliance_checklist_items",
        _uuid("checklist_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date()),
        _uuid("assignee_user_id", nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        _uuid("completed_by", nullable=True),
        _uuid("evidence_document_id", nullable=True),
        sa.Column("notes", sa.Text()),
        sa.UniqueConstraint(
            "organization_id", "checklist_id", "position", name="uq_compliance_checklist_items_position"
        ),
        tenant_ref("checklist_id", "compliance_checklists"),
        tenant_ref("evidence_document_id", "documents"),
    )


def downgrade() -> None:
    for table in (
        "compliance_checklist_items", "compliance_checklists", "compliance_deadlines", "compliance_requirements",
    ):  # fmt: skip
        op.drop_table(table)

"""add_violations: domain 4, covenant violations from first sighting to fine.

`violation_settings` (one row per association: cure days per notice step, hearing notice days, appeal days, the
fine cap, the repeat window, who hears), `violation_types` (per association: the rule broken, its default cure
days and fine schedule), `violations` (numbered `VIO-000001` per organization; the settings that applied are
copied onto it), their status history, evidence (files kept as documents of the violation, with where and when
they were captured and their SHA-256), notices (one per violation and step: the unique index makes a letter go
out once whatever retries), hearings (one open at a time) and fines (each one a charge on the unit's ledger).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "OPEN", "NOTICED", "CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED", "FINED", "CURED", "DISMISSED", "CLOSED",
)  # fmt: skip
STEPS = ("COURTESY", "FIRST", "SECOND", "HEARING", "FINE")
DELIVERY = ("MAIL", "EMAIL", "POSTED", "PORTAL")
MONEY = sa.Numeric(18, 2)


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _money(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, MONEY, nullable=nullable)


def upgrade() -> None:
    # notices go out by mail, posted on the unit or in the portal as well as by email (recorded like email)
    op.execute("ALTER TABLE outbound_messages DROP CONSTRAINT ck_outbound_messages_channel")
    op.execute(
        "ALTER TABLE outbound_messages ADD CONSTRAINT ck_outbound_messages_channel "
        "CHECK (channel IN ('EMAIL', 'SMS', 'MAIL', 'POSTED', 'PORTAL'))"
    )
    create_tenant_table(
        "violation_settings",
        _uuid("association_id"),
        sa.Column("courtesy_cure_days", sa.Integer(), nullable=False),
        sa.Column("first_notice_cure_days", sa.Integer(), nullable=False),
        sa.Column("second_notice_cure_days", sa.Integer(), nullable=False),
        sa.Column("hearing_notice_days", sa.Integer(), nullable=False),
        sa.Column("appeal_days", sa.Integer(), nullable=False),
        sa.Column("repeat_window_days", sa.Integer(), nullable=False),
        _money("fine_cap_per_violation"),
        sa.Column("hearing_body", sa.Text(), nullable=False),
        sa.Column("delivery_methods", sa.ARRAY(sa.Text()), nullable=False),
        one_of("hearing_body", ("BOARD", "COMMITTEE")),
        sa.UniqueConstraint("organization_id", "association_id", name="uq_violation_settings_association"),
        tenant_ref("association_id", "associations"),
    )
    create_tenant_table(
        "violation_types",
        _uuid("association_id"),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("rule_reference", sa.Text()),
        sa.Column("default_cure_days", sa.Integer()),
        _money("fine_first"),
        _money("fine_repeat"),
        _money("fine_daily"),
        _money("fine_cap"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        sa.UniqueConstraint("organization_id", "association_id", "code", name="uq_violation_types_code"),
        tenant_ref("association_id", "associations"),
    )
    create_tenant_table(
        "violations",
        _uuid("association_id"),
        _uuid("unit_id"),
        _uuid("violation_type_id"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("location", sa.Text()),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        _uuid("reported_by", nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("cure_due_at", sa.DateTime(timezone=True)),
        sa.Column("is_repeat", sa.Boolean(), nullable=False, server_default="false"),
        _uuid("repeat_of_id", nullable=True),
        sa.Column("settings", JSONB(), nullable=False),
        sa.Column("resolution", sa.Text()),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        one_of("status", STATUSES),
        sa.UniqueConstraint("organization_id", "number", name="uq_violations_number"),
        tenant_ref("association_id", "associations"),
        tenant_ref("unit_id", "units"),
        tenant_ref("violation_type_id", "violation_types"),
    )
    op.create_index("ix_violations_unit_type", "violations", ["organization_id", "unit_id", "violation_type_id"])
    op.create_index("ix_violations_association_status", "violations", ["organization_id", "association_id", "status"])
    create_tenant_table(
        "violation_status_history",
        _uuid("violation_id"),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        _uuid("actor_user_id", nullable=True),
        sa.Column("note", sa.Text()),
        tenant_ref("violation_id", "violations"),
    )
    op.create_index("ix_violation_status_history", "violation_status_history", ["organization_id", "violation_id"])
    create_tenant_table(
        "violation_evidence",
        _uuid("violation_id"),
        _uuid("document_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True)),
        sa.Column("latitude", sa.Numeric(9, 6)),
        sa.Column("longitude", sa.Numeric(9, 6)),
        _uuid("uploaded_by", nullable=True),
        sa.Column("note", sa.Text()),
        one_of("kind", ("PHOTO", "VIDEO", "DOCUMENT")),
        one_of("purpose", ("EVIDENCE", "CURE")),
        sa.UniqueConstraint("organization_id", "document_id", name="uq_violation_evidence_document"),
        tenant_ref("violation_id", "violations"),
        tenant_ref("document_id", "documents"),
    )
    op.create_index("ix_violation_evidence", "violation_evidence", ["organization_id", "violation_id"])
    create_tenant_table(
        "violation_notices",
        _uuid("violation_id"),
        sa.Column("step", sa.Text(), nullable=False),
        sa.Column("delivery_methods", sa.ARRAY(sa.Text()), nullable=False),
        sa.Column("cure_due_at", sa.DateTime(timezone=True)),
        sa.Column("hearing_at", sa.DateTime(timezone=True)),
        _money("amount"),
        _uuid("document_id", nullable=True),
        sa.Column("recipients", sa.ARRAY(sa.Text()), nullable=False),
        _uuid("sent_by", nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        one_of("step", STEPS),
        sa.UniqueConstraint("organization_id", "violation_id", "step", name="uq_violation_notices_step"),
        tenant_ref("violation_id", "violations"),
        tenant_ref("document_id", "documents"),
    )
    create_tenant_table(
        "violation_hearings",
        _uuid("violation_id"),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.Text()),
        sa.Column("hearing_body", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text()),
        _money("fine_amount"),
        sa.Column("decision_notes", sa.Text()),
        _uuid("decided_by", nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("appeal_deadline", sa.DateTime(timezone=True)),
        sa.Column("appeal_requested_at", sa.DateTime(timezone=True)),
        sa.Column("hearing_requested", sa.Boolean(), nullable=False, server_default="false"),
        one_of("status", ("SCHEDULED", "DECIDED", "CANCELLED")),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('FINED', 'WAIVED', 'DISMISSED', 'CURED')", name="outcome"),
        tenant_ref("violation_id", "violations"),
    )
    op.create_index(
        "uq_violation_hearings_open", "violation_hearings", ["organization_id", "violation_id"], unique=True,
        postgresql_where=sa.text("status = 'SCHEDULED'"),
    )  # fmt: skip
    create_tenant_table(
        "violation_fines",
        _uuid("violation_id"),
        _money("amount", nullable=False),
        _uuid("charge_id"),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text()),
        _uuid("assessed_by", nullable=True),
        _uuid("waived_by", nullable=True),
        sa.Column("waived_at", sa.DateTime(timezone=True)),
        one_of("status", ("ASSESSED", "WAIVED")),
        sa.CheckConstraint("amount > 0", name="positive"),
        tenant_ref("violation_id", "violations"),
        tenant_ref("charge_id", "assessment_charges"),
    )
    op.create_index("ix_violation_fines", "violation_fines", ["organization_id", "violation_id"])


def downgrade() -> None:
    op.execute("DELETE FROM outbound_messages WHERE channel IN ('MAIL', 'POSTED', 'PORTAL')")
    op.execute("ALTER TABLE outbound_messages DROP CONSTRAINT ck_outbound_messages_channel")
    op.execute(
        "ALTER TABLE outbound_messages ADD CONSTRAINT ck_outbound_messages_channel CHECK (channel IN ('EMAIL', 'SMS'))"
    )
    for table in (
        "violation_fines", "violation_hearings", "violation_notices", "violation_evidence", "violation_status_history",
        "violations", "violation_types", "violation_settings",
    ):  # fmt: skip
        op.drop_table(table)

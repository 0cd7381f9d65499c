"""add_audit_and_outbox: the append-only audit trail and the recorded outbound messages.

Row-level security: an organization's events and messages are visible inside its scope; events without an
organization (logins) to the user who acted. The app role may insert and select audit events, never update
or delete them (no grant, a `false` policy, and a trigger that refuses it even to the owner).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from hestami.core.tenancy import CURRENT_ORG, CURRENT_USER, enable_rls

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORG_OR_OWN = "organization_id = {org} OR (organization_id IS NULL AND {who} = {user})"
INSERT_CHECK = f"organization_id IS NULL OR organization_id = {CURRENT_ORG}"


def _append_only(table: str, *, visible: str) -> None:
    enable_rls(table, select=visible, insert=INSERT_CHECK, update="false", delete="false", grant="SELECT, INSERT")
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION hestami_refuse_change()"
    )


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION hestami_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$
        """
    )
    op.create_table(
        "audit_events",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("organization_id", UUID(as_uuid=True), nullable=True),
        sa.Column("actor_user_id", UUID(as_uuid=True), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("entity_type", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=True),
        sa.Column("before", JSONB(), nullable=True),
        sa.Column("after", JSONB(), nullable=True),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("trace_id", sa.Text(), nullable=True),
        sa.Column("client_ip", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_audit_events_org_created", "audit_events", ["organization_id", "created_at", "id"])
    op.create_index("ix_audit_events_actor_created", "audit_events", ["actor_user_id", "created_at"])
    _append_only("audit_events", visible=ORG_OR_OWN.format(org=CURRENT_ORG, who="actor_user_id", user=CURRENT_USER))

    op.create_table(
        "outbound_messages",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("organization_id", UUID(as_uuid=True), nullable=True),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("recipient_user_id", UUID(as_uuid=True), nullable=True),
        sa.Column("template", sa.Text(), nullable=False),
        sa.Column("payload", JSONB(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("channel IN ('EMAIL', 'SMS')", name="channel"),
    )
    op.create_index("ix_outbound_messages_org_created", "outbound_messages", ["organization_id", "created_at"])
    op.create_index("ix_outbound_messages_recipient", "outbound_messages", ["recipient"])
    _append_only(
        "outbound_messages", visible=ORG_OR_OWN.format(org=CURRENT_ORG, who="recipient_user_id", user=CURRENT_USER)
    )


def downgrade() -> None:
    op.drop_table("outbound_messages")
    op.drop_table("audit_events")
    op.execute("DROP FUNCTION hestami_refuse_change()")

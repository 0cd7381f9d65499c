"""add_platform_core: schema grants for the app role and the idempotency keys table.

`idempotency_keys` is not a plain tenant table (a key may have no organization), so its row-level
security is written out here: a caller sees and writes only its own keys in its current scope, and the
only rows anyone may delete are expired ones (the scheduled cleanup).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from hestami.core.tenancy import CURRENT_ORG, CURRENT_USER, app_role, enable_rls, quote

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWN_KEYS = f"user_id = {CURRENT_USER} AND organization_id IS NOT DISTINCT FROM {CURRENT_ORG}"


def upgrade() -> None:
    role = quote(app_role())
    op.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    op.create_table(
        "idempotency_keys",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("organization_id", UUID(as_uuid=True), nullable=True),
        sa.Column("user_id", UUID(as_uuid=True), nullable=False),
        sa.Column("procedure", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("claim_token", UUID(as_uuid=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_ok", sa.Boolean(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('in_progress', 'completed')", name="state"),
        sa.CheckConstraint("char_length(key) BETWEEN 1 AND 255", name="key_length"),
        sa.CheckConstraint(
            "state <> 'completed' OR (response_status IS NOT NULL AND response_body IS NOT NULL)",
            name="completed_has_answer",
        ),
    )
    op.execute(
        "ALTER TABLE idempotency_keys ADD CONSTRAINT uq_idempotency_keys_scope "
        "UNIQUE NULLS NOT DISTINCT (organization_id, user_id, procedure, key)"
    )
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])
    enable_rls(
        "idempotency_keys",
        select=OWN_KEYS,
        insert=OWN_KEYS,
        update=OWN_KEYS,
        # The scheduled cleanup deletes expired keys without any scope; see IdempotencyStore.PURGE.
        delete=f"({OWN_KEYS}) OR expires_at < now()",
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")

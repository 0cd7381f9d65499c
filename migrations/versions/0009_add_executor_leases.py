"""add_executor_leases: one heartbeat row per DBOS executor, so survivors recover a dead instance's workflows.

Platform bookkeeping, not tenant data: no `organization_id`, no row-level security. The app role renews its own
row, claims an expired one (a conditional UPDATE, so exactly one survivor wins) and deletes it once the dead
executor's workflows are recovered; see `hestami.core.instances`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hestami.core.tenancy import app_role, quote

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "executor_leases",
        sa.Column("executor_id", sa.Text(), primary_key=True),
        sa.Column("application_version", sa.Text(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        # The owner's own EXECUTOR_LEASE_SECONDS: how long after its last heartbeat it counts as gone.
        sa.Column("lease_seconds", sa.Float(), nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("(claimed_by IS NULL) = (claimed_at IS NULL)", name="claim_complete"),
        sa.CheckConstraint("lease_seconds > 0", name="lease_positive"),
    )
    op.create_index("ix_executor_leases_heartbeat_at", "executor_leases", ["application_version", "heartbeat_at"])
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON executor_leases TO {quote(app_role())}")


def downgrade() -> None:
    op.drop_table("executor_leases")

"""add_list_indexes: keyset pages of the big tenant tables walk an index in their sort order.

Lists are `WHERE organization_id = <scope> [AND filters] ORDER BY created_at, id LIMIT n` (see
`core.records.page`); with `(organization_id, created_at, id)` Postgres reads just one page's rows instead of
sorting the organization's whole set (measured by `make bench`, lists section). No new table, so no new
row-level security: these tables' policies come from their own migrations.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("work_orders", "assessment_charges", "payments", "journal_entries", "units", "parties", "ownerships")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_page", table, ["organization_id", "created_at", "id"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_page", table_name=table)

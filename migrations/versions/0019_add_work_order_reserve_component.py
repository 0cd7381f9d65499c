"""add_work_order_reserve_component: a work order may replace a reserve component.

Completing it resets the component's remaining life (it starts a new useful life) and its invoice is coded to the
component's reserve expense account (the reserve fund's Reserve Expenditures by default), so the cost is paid from
reserves with the ledger's due-to/due-from legs between the funds.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("work_orders", sa.Column("reserve_component_id", UUID(as_uuid=True)))
    op.create_foreign_key(
        "fk_reserve_component_id_reserve_components", "work_orders", "reserve_components",
        ["organization_id", "reserve_component_id"], ["organization_id", "id"],
    )  # fmt: skip
    op.create_index("ix_work_orders_reserve_component", "work_orders", ["organization_id", "reserve_component_id"])
    op.add_column("reserve_components", sa.Column("last_replaced_on", sa.Date()))


def downgrade() -> None:
    op.drop_column("reserve_components", "last_replaced_on")
    op.drop_index("ix_work_orders_reserve_component", table_name="work_orders")
    op.drop_constraint("fk_reserve_component_id_reserve_components", "work_orders", type_="foreignkey")
    op.drop_column("work_orders", "reserve_component_id")

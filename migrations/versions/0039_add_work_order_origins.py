"""add_work_order_origins: issue 22: violations and ARC requests originate work (and so the contractor's jobs).

- `work_orders.violation_id`: the violation a work order remediates (the association's self-help: `origin_kind`
  REMEDIATION); `work_orders.arc_request_id`: the approved ARC request it inspects or carries out (`origin_kind`
  INSPECTION or INSTALLATION); `origin_reference` keeps the originating record's number (VIO-000003, ARC-000002) so
  that the contractor's job can name it without reading another domain. At most one origin; a work order with an
  origin has its kind. One work order per origin and kind that is not CANCELLED (partial unique indexes: the
  database's guard for "ordered once").
- `jobs.source`: a job handed off from a work order is VIOLATION or ARC_REQUEST when the work order came from one
  (so `work_order_id` is set for those three sources).

Revision ID: 0039
Revises: 0038
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0039"
down_revision: str | Sequence[str] | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORIGIN_KINDS = ("REMEDIATION", "INSPECTION", "INSTALLATION")
NOT_CANCELLED = "status <> 'CANCELLED'"


def upgrade() -> None:
    op.add_column("work_orders", sa.Column("violation_id", UUID(as_uuid=True)))
    op.add_column("work_orders", sa.Column("arc_request_id", UUID(as_uuid=True)))
    op.add_column("work_orders", sa.Column("origin_kind", sa.Text()))
    op.add_column("work_orders", sa.Column("origin_reference", sa.Text()))
    for column, table in (("violation_id", "violations"), ("arc_request_id", "arc_requests")):
        op.create_foreign_key(
            f"fk_{column}_{table}", "work_orders", table,
            ["organization_id", column], ["organization_id", "id"],
        )  # fmt: skip
    kinds = ", ".join(repr(k) for k in ORIGIN_KINDS)
    op.create_check_constraint("origin_kind", "work_orders", f"origin_kind IS NULL OR origin_kind IN ({kinds})")
    op.create_check_constraint(
        "origin", "work_orders",
        "(violation_id IS NULL AND arc_request_id IS NULL AND origin_kind IS NULL)"
        " OR (violation_id IS NOT NULL AND arc_request_id IS NULL AND origin_kind = 'REMEDIATION')"
        " OR (arc_request_id IS NOT NULL AND violation_id IS NULL AND origin_kind IN ('INSPECTION', 'INSTALLATION'))",
    )  # fmt: skip
    op.create_index(
        "uq_work_orders_violation", "work_orders", ["organization_id", "violation_id"], unique=True,
        postgresql_where=sa.text(f"violation_id IS NOT NULL AND {NOT_CANCELLED}"),
    )  # fmt: skip
    op.create_index(
        "uq_work_orders_arc_request", "work_orders", ["organization_id", "arc_request_id", "origin_kind"], unique=True,
        postgresql_where=sa.text(f"arc_request_id IS NOT NULL AND {NOT_CANCELLED}"),
    )  # fmt: skip
    op.drop_constraint("work_order_source", "jobs", type_="check")
    op.create_check_constraint(
        "work_order_source", "jobs",
        "(source IN ('WORK_ORDER', 'VIOLATION', 'ARC_REQUEST')) = (work_order_id IS NOT NULL)",
    )  # fmt: skip


def downgrade() -> None:
    op.drop_constraint("work_order_source", "jobs", type_="check")
    op.execute("UPDATE jobs SET source = 'WORK_ORDER' WHERE source IN ('VIOLATION', 'ARC_REQUEST')")
    op.create_check_constraint("work_order_source", "jobs", "(source = 'WORK_ORDER') = (work_order_id IS NOT NULL)")
    op.drop_index("uq_work_orders_arc_request", table_name="work_orders")
    op.drop_index("uq_work_orders_violation", table_name="work_orders")
    op.drop_constraint("origin", "work_orders", type_="check")
    op.drop_constraint("origin_kind", "work_orders", type_="check")
    for column, table in (("violation_id", "violations"), ("arc_request_id", "arc_requests")):
        op.drop_constraint(f"fk_{column}_{table}", "work_orders", type_="foreignkey")
    for column in ("origin_reference", "origin_kind", "arc_request_id", "violation_id"):
        op.drop_column("work_orders", column)

"""add_procurement: issue 24 (P2.8, P2.10): suppliers, purchase orders, receipts and reorders.

- `procurement_suppliers`: a name unique per organization (case-insensitive), terms (net days), lead time, an
  optional vendor mapping (`vendor_reference`; `vendor_organization_id`, a SERVICE_PROVIDER organization: a plain
  id, another tenant's record), active flag.
- `procurement_supplier_items`: supplier and inventory item (one row each) with the supplier's part number and cost;
  one preferred supplier per item (a partial unique index).
- `procurement_purchase_orders`: numbered per organization (PO-000001), to one supplier, shipped to one inventory
  location; status DRAFT → SENT → PARTIALLY_RECEIVED → RECEIVED → CLOSED, CANCELLED from DRAFT or SENT. One open
  replenishment draft per supplier and location (a partial unique index: two reorders racing share it).
- `procurement_purchase_order_lines`: ordered and received quantities (received never above ordered); at most one
  line per reorder-point crossing (`crossing_id`, a unique index), so a replayed reorder cannot add a second.
- `procurement_purchase_order_status_history`: who moved a purchase order, from what to what.
- `procurement_receipts` and `procurement_receipt_lines`: what was received, into which location, with the
  inventory movement each line made.
- `procurement_reorders`: one per crossing (unique), PENDING → DRAFTED | NO_SUPPLIER | NOTHING_TO_ORDER (a level
  already at its maximum); `line_id` a plain id (the drafted line may be removed from the draft later).

Items and locations are the inventory's (`inventory_items`, `inventory_locations`): composite references, so no row
names another tenant's.

Revision ID: 0044
Revises: 0043
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from hestami.core.tenancy import create_tenant_table, one_of, tenant_ref

revision: str = "0044"
down_revision: str | Sequence[str] | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("DRAFT", "SENT", "PARTIALLY_RECEIVED", "RECEIVED", "CLOSED", "CANCELLED")
REORDER_STATUSES = ("PENDING", "DRAFTED", "NO_SUPPLIER", "NOTHING_TO_ORDER")
TABLES = (
    "procurement_reorders", "procurement_receipt_lines", "procurement_receipts",
    "procurement_purchase_order_status_history", "procurement_purchase_order_lines", "procurement_purchase_orders",
    "procurement_supplier_items", "procurement_suppliers",
)  # fmt: skip


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _quantity(name: str, *, default: str | None = None) -> sa.Column[sa.Numeric]:
    return sa.Column(name, sa.Numeric(18, 3), nullable=False, server_default=default)


def _money(name: str) -> sa.Column[sa.Numeric]:
    return sa.Column(name, sa.Numeric(18, 2), nullable=False, server_default="0")


def _suppliers() -> None:
    create_tenant_table(
        "procurement_suppliers",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.Text()),
        sa.Column("email", sa.Text()),
        sa.Column("phone", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("terms_days", sa.Integer(), nullable=False, server_default="30"),
        sa.Column("lead_time_days", sa.Integer()),
        sa.Column("vendor_reference", sa.Text()),
        _uuid("vendor_organization_id", nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        sa.CheckConstraint("terms_days >= 0", name="terms_days"),
        sa.CheckConstraint("lead_time_days IS NULL OR lead_time_days >= 0", name="lead_time_days"),
    )
    op.create_index(
        "uq_procurement_suppliers_name", "procurement_suppliers", ["organization_id", sa.text("lower(name)")],
        unique=True,
    )  # fmt: skip
    create_tenant_table(
        "procurement_supplier_items",
        _uuid("supplier_id"),
        _uuid("item_id"),
        sa.Column("item_code", sa.Text(), nullable=False),
        sa.Column("supplier_part_number", sa.Text()),
        _money("cost"),
        sa.Column("preferred", sa.Boolean(), nullable=False, server_default="false"),
        sa.CheckConstraint("cost >= 0", name="cost"),
        tenant_ref("supplier_id", "procurement_suppliers"),
        tenant_ref("item_id", "inventory_items"),
        sa.UniqueConstraint("organization_id", "supplier_id", "item_id", name="uq_procurement_supplier_items_item"),
    )
    op.create_index(
        "uq_procurement_supplier_items_preferred", "procurement_supplier_items", ["organization_id", "item_id"],
        unique=True, postgresql_where=sa.text("preferred"),
    )  # fmt: skip
    op.create_index("ix_procurement_supplier_items_item", "procurement_supplier_items", ["organization_id", "item_id"])


def _orders() -> None:
    create_tenant_table(
        "procurement_purchase_orders",
        sa.Column("number", sa.Integer(), nullable=False),
        _uuid("supplier_id"),
        _uuid("location_id"),
        sa.Column("status", sa.Text(), nullable=False, server_default="DRAFT"),
        sa.Column("replenishment", sa.Boolean(), nullable=False, server_default="false"),
        _money("total"),
        sa.Column("memo", sa.Text()),
        sa.Column("ordered_on", sa.Date()),
        sa.Column("expected_on", sa.Date()),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("sent_to", sa.Text()),
        _uuid("sent_by", nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("cancel_reason", sa.Text()),
        one_of("status", STATUSES),
        tenant_ref("supplier_id", "procurement_suppliers"),
        tenant_ref("location_id", "inventory_locations"),
        sa.UniqueConstraint("organization_id", "number", name="uq_procurement_purchase_orders_number"),
    )
    op.create_index(
        "uq_procurement_purchase_orders_open_draft", "procurement_purchase_orders",
        ["organization_id", "supplier_id", "location_id"], unique=True,
        postgresql_where=sa.text("replenishment AND status = 'DRAFT'"),
    )  # fmt: skip
    op.create_index(
        "ix_procurement_purchase_orders_status", "procurement_purchase_orders", ["organization_id", "status"]
    )
    create_tenant_table(
        "procurement_purchase_order_lines",
        _uuid("purchase_order_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        _uuid("item_id"),
        sa.Column("item_code", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("supplier_part_number", sa.Text()),
        _quantity("quantity"),
        sa.Column("unit_cost", sa.Numeric(18, 2), nullable=False),
        sa.Column("total", sa.Numeric(18, 2), nullable=False),
        _quantity("quantity_received", default="0"),
        _uuid("crossing_id", nullable=True),
        sa.CheckConstraint("quantity > 0", name="quantity"),
        sa.CheckConstraint("unit_cost >= 0", name="unit_cost"),
        sa.CheckConstraint("quantity_received >= 0 AND quantity_received <= quantity", name="received_within"),
        tenant_ref("purchase_order_id", "procurement_purchase_orders"),
        tenant_ref("item_id", "inventory_items"),
    )
    op.create_index(
        "ix_procurement_purchase_order_lines_order", "procurement_purchase_order_lines",
        ["organization_id", "purchase_order_id"],
    )  # fmt: skip
    op.create_index(
        "uq_procurement_purchase_order_lines_crossing", "procurement_purchase_order_lines",
        ["organization_id", "crossing_id"], unique=True, postgresql_where=sa.text("crossing_id IS NOT NULL"),
    )  # fmt: skip
    create_tenant_table(
        "procurement_purchase_order_status_history",
        _uuid("purchase_order_id"),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text(), nullable=False),
        _uuid("actor_user_id", nullable=True),
        sa.Column("note", sa.Text()),
        tenant_ref("purchase_order_id", "procurement_purchase_orders"),
    )
    op.create_index(
        "ix_procurement_po_status_history_order", "procurement_purchase_order_status_history",
        ["organization_id", "purchase_order_id"],
    )  # fmt: skip


def _receipts() -> None:
    create_tenant_table(
        "procurement_receipts",
        _uuid("purchase_order_id"),
        _uuid("location_id"),
        sa.Column("received_on", sa.Date(), nullable=False),
        _uuid("received_by", nullable=True),
        sa.Column("reference", sa.Text()),
        _money("total"),
        tenant_ref("purchase_order_id", "procurement_purchase_orders"),
        tenant_ref("location_id", "inventory_locations"),
    )
    op.create_index("ix_procurement_receipts_order", "procurement_receipts", ["organization_id", "purchase_order_id"])
    create_tenant_table(
        "procurement_receipt_lines",
        _uuid("receipt_id"),
        _uuid("line_id"),
        _uuid("item_id"),
        _quantity("quantity"),
        sa.Column("unit_cost", sa.Numeric(18, 2), nullable=False),
        _uuid("movement_id"),
        sa.Column("lot_number", sa.Text()),
        sa.Column("serial_numbers", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.CheckConstraint("quantity > 0", name="quantity"),
        tenant_ref("receipt_id", "procurement_receipts"),
        tenant_ref("line_id", "procurement_purchase_order_lines"),
        tenant_ref("item_id", "inventory_items"),
    )
    op.create_index(
        "ix_procurement_receipt_lines_receipt", "procurement_receipt_lines", ["organization_id", "receipt_id"]
    )


def _reorders() -> None:
    create_tenant_table(
        "procurement_reorders",
        _uuid("crossing_id"),
        _uuid("item_id"),
        sa.Column("item_code", sa.Text(), nullable=False),
        _uuid("location_id"),
        _quantity("on_hand"),
        _quantity("reorder_point"),
        _quantity("reorder_quantity"),
        sa.Column("status", sa.Text(), nullable=False, server_default="PENDING"),
        _uuid("supplier_id", nullable=True),
        _uuid("purchase_order_id", nullable=True),
        _uuid("line_id", nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True)),
        one_of("status", REORDER_STATUSES),
        tenant_ref("item_id", "inventory_items"),
        tenant_ref("location_id", "inventory_locations"),
        tenant_ref("supplier_id", "procurement_suppliers"),
        tenant_ref("purchase_order_id", "procurement_purchase_orders"),
        sa.UniqueConstraint("organization_id", "crossing_id", name="uq_procurement_reorders_crossing"),
        sa.CheckConstraint("status <> 'DRAFTED' OR purchase_order_id IS NOT NULL", name="drafted_has_order"),
    )


def upgrade() -> None:
    _suppliers()
    _orders()
    _receipts()
    _reorders()


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)

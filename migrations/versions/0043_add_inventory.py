"""add_inventory: issue 24 (P2.8): stocked items, locations, stock levels, the movement ledger, transfers, reorder
points and the job costs of usage.

- `inventory_items`: a pricebook MATERIAL or EQUIPMENT item stocked by the organization (unique per code), its
  tracking NONE | LOT | SERIAL and its moving average cost.
- `inventory_locations`: WAREHOUSE | TRUCK | SHELF, names unique per organization (any case); a TRUCK may be
  assigned to one technician, and a technician has at most one active truck (a partial unique index).
- `inventory_levels`: the balance on hand per (item, location, lot); CHECK on_hand >= 0, changed only by a
  conditional UPDATE together with the movement that explains it.
- `inventory_movements`: the ledger, insert-only (the app role may not UPDATE or DELETE it: RLS policies of
  `false` and no grant): RECEIPT, USAGE, TRANSFER_OUT, TRANSFER_IN, ADJUSTMENT (with its reason), a signed quantity.
  A transfer line comes in once (a partial unique index on its TRANSFER_IN).
- `inventory_serials`: where each serial number of a SERIAL item is (IN_STOCK at a location, IN_TRANSIT, USED).
- `inventory_transfers` and their lines: IN_TRANSIT → RECEIVED | CANCELLED.
- `inventory_reorder_points` (per item and location; armed while the stock is above the point) and
  `inventory_reorder_crossings` (one per crossing: unique per point and sequence).
- `inventory_job_costs`: a usage's cost on its job (one per usage movement).
- `field_materials` gains the usage it took from stock: movement_id, unit_cost, lot_number, serial_numbers.

Revision ID: 0043
Revises: 0042
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from hestami.core.tenancy import TENANT_PREDICATE, create_tenant_table, enable_rls, one_of, tenant_columns, tenant_ref

revision: str = "0043"
down_revision: str | Sequence[str] | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEM_KINDS = ("MATERIAL", "EQUIPMENT")
TRACKING = ("NONE", "LOT", "SERIAL")
LOCATION_KINDS = ("WAREHOUSE", "TRUCK", "SHELF")
MOVEMENT_KINDS = ("RECEIPT", "USAGE", "TRANSFER_OUT", "TRANSFER_IN", "ADJUSTMENT")
REASONS = ("DAMAGED", "LOST", "FOUND", "COUNT", "RETURN", "OTHER")
TRANSFER_STATUSES = ("IN_TRANSIT", "RECEIVED", "CANCELLED")
SERIAL_STATUSES = ("IN_STOCK", "IN_TRANSIT", "USED")
TABLES = (
    "inventory_job_costs", "inventory_reorder_crossings", "inventory_reorder_points", "inventory_serials",
    "inventory_movements", "inventory_transfer_lines", "inventory_transfers", "inventory_levels",
    "inventory_locations", "inventory_items",
)  # fmt: skip
FIELD_COLUMNS = ("movement_id", "unit_cost", "lot_number", "serial_numbers")


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[UUID]:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _quantity(name: str, *, nullable: bool = False) -> sa.Column[sa.Numeric]:
    return sa.Column(name, sa.Numeric(18, 3), nullable=nullable)


def _serials() -> sa.Column[ARRAY[str]]:
    return sa.Column("serial_numbers", ARRAY(sa.Text()), nullable=False, server_default="{}")


def _items_and_locations() -> None:
    create_tenant_table(
        "inventory_items",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("tracking", sa.Text(), nullable=False, server_default="NONE"),
        sa.Column("average_cost", sa.Numeric(18, 2), nullable=False),
        _uuid("pricebook_item_id"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        one_of("kind", ITEM_KINDS),
        one_of("tracking", TRACKING),
        sa.CheckConstraint("average_cost >= 0", name="average_cost_not_negative"),
        sa.UniqueConstraint("organization_id", "code", name="uq_inventory_items_code"),
    )
    create_tenant_table(
        "inventory_locations",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        _uuid("branch_id", nullable=True),
        _uuid("technician_id", nullable=True),
        _uuid("technician_user_id", nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="true"),
        one_of("kind", LOCATION_KINDS),
        sa.CheckConstraint("technician_id IS NULL OR kind = 'TRUCK'", name="only_trucks_have_technicians"),
        sa.CheckConstraint("(technician_id IS NULL) = (technician_user_id IS NULL)", name="technician_and_user"),
        tenant_ref("branch_id", "contractor_branches"),
        tenant_ref("technician_id", "technicians"),
    )
    op.execute("CREATE UNIQUE INDEX uq_inventory_locations_name ON inventory_locations (organization_id, lower(name))")
    op.create_index(
        "uq_inventory_locations_truck", "inventory_locations", ["organization_id", "technician_id"], unique=True,
        postgresql_where=sa.text("technician_id IS NOT NULL AND active"),
    )  # fmt: skip


def _levels_and_transfers() -> None:
    create_tenant_table(
        "inventory_levels",
        _uuid("item_id"),
        _uuid("location_id"),
        sa.Column("lot_number", sa.Text()),
        _quantity("on_hand"),
        sa.CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        tenant_ref("item_id", "inventory_items"),
        tenant_ref("location_id", "inventory_locations"),
    )
    op.create_index(
        "uq_inventory_levels_slot", "inventory_levels", ["organization_id", "item_id", "location_id", "lot_number"],
        unique=True, postgresql_nulls_not_distinct=True,
    )  # fmt: skip
    op.create_index("ix_inventory_levels_location", "inventory_levels", ["organization_id", "location_id"])
    create_tenant_table(
        "inventory_transfers",
        _uuid("from_location_id"),
        _uuid("to_location_id"),
        sa.Column("status", sa.Text(), nullable=False, server_default="IN_TRANSIT"),
        sa.Column("note", sa.Text()),
        _uuid("sent_by", nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        _uuid("closed_by", nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        one_of("status", TRANSFER_STATUSES),
        sa.CheckConstraint("from_location_id <> to_location_id", name="two_places"),
        sa.CheckConstraint("(status = 'IN_TRANSIT') = (closed_at IS NULL)", name="closed_when_done"),
        tenant_ref("from_location_id", "inventory_locations"),
        tenant_ref("to_location_id", "inventory_locations"),
    )
    op.create_index("ix_inventory_transfers_status", "inventory_transfers", ["organization_id", "status"])
    create_tenant_table(
        "inventory_transfer_lines",
        _uuid("transfer_id"),
        _uuid("item_id"),
        _quantity("quantity"),
        sa.Column("lot_number", sa.Text()),
        _serials(),
        sa.Column("unit_cost", sa.Numeric(18, 2), nullable=False),
        sa.CheckConstraint("quantity > 0", name="positive"),
        tenant_ref("transfer_id", "inventory_transfers"),
        tenant_ref("item_id", "inventory_items"),
    )
    op.create_index("ix_inventory_transfer_lines_transfer", "inventory_transfer_lines", ["organization_id",
                                                                                         "transfer_id"])  # fmt: skip


def _ledger() -> None:
    """The movements: the app role inserts and reads them, never changes or removes one."""
    op.create_table(
        "inventory_movements",
        *tenant_columns(),
        _uuid("item_id"),
        _uuid("location_id"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text()),
        _quantity("quantity"),
        sa.Column("unit_cost", sa.Numeric(18, 2), nullable=False),
        sa.Column("lot_number", sa.Text()),
        _serials(),
        _quantity("on_hand_after"),
        _uuid("moved_by", nullable=True),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("reference", sa.Text()),
        _uuid("source_id", nullable=True),
        _uuid("source_line_id", nullable=True),
        _uuid("job_id", nullable=True),
        _uuid("visit_id", nullable=True),
        _uuid("material_entry_id", nullable=True),
        one_of("kind", MOVEMENT_KINDS),
        sa.CheckConstraint(f"reason IS NULL OR reason IN ({', '.join(repr(r) for r in REASONS)})", name="reason"),
        sa.CheckConstraint("(kind = 'ADJUSTMENT') = (reason IS NOT NULL)", name="adjustments_have_reasons"),
        sa.CheckConstraint("quantity <> 0", name="moves_something"),
        sa.CheckConstraint(
            "(kind IN ('RECEIPT', 'TRANSFER_IN') AND quantity > 0) OR (kind IN ('USAGE', 'TRANSFER_OUT') AND "
            "quantity < 0) OR kind = 'ADJUSTMENT'",
            name="signed_by_kind",
        ),
        sa.CheckConstraint("on_hand_after >= 0", name="on_hand_after_not_negative"),
        sa.UniqueConstraint("organization_id", "id", name="uq_inventory_movements_organization_id_id"),
        tenant_ref("item_id", "inventory_items"),
        tenant_ref("location_id", "inventory_locations"),
    )
    enable_rls(
        "inventory_movements", select=TENANT_PREDICATE, insert=TENANT_PREDICATE, update="false", delete="false",
        grant="SELECT, INSERT",
    )  # fmt: skip
    op.create_index("ix_inventory_movements_slot", "inventory_movements", ["organization_id", "item_id",
                                                                           "location_id", "moved_at"])  # fmt: skip
    op.create_index("ix_inventory_movements_location", "inventory_movements", ["organization_id", "location_id",
                                                                               "moved_at"])  # fmt: skip
    op.create_index(
        "uq_inventory_movements_transfer_in", "inventory_movements", ["organization_id", "source_line_id"],
        unique=True, postgresql_where=sa.text("kind = 'TRANSFER_IN'"),
    )  # fmt: skip
    create_tenant_table(
        "inventory_serials",
        _uuid("item_id"),
        sa.Column("serial_number", sa.Text(), nullable=False),
        _uuid("location_id", nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        one_of("status", SERIAL_STATUSES),
        sa.CheckConstraint("(status = 'IN_STOCK') = (location_id IS NOT NULL)", name="in_stock_somewhere"),
        sa.UniqueConstraint("organization_id", "item_id", "serial_number", name="uq_inventory_serials_number"),
        tenant_ref("item_id", "inventory_items"),
        tenant_ref("location_id", "inventory_locations"),
    )


def _reorder_and_costs() -> None:
    create_tenant_table(
        "inventory_reorder_points",
        _uuid("item_id"),
        _uuid("location_id"),
        _quantity("reorder_point"),
        _quantity("reorder_quantity", nullable=True),
        _quantity("max_level", nullable=True),
        sa.Column("armed", sa.Boolean(), nullable=False, server_default="true"),
        sa.Column("crossings", sa.Integer(), nullable=False, server_default="0"),
        sa.CheckConstraint("reorder_point >= 0", name="point_not_negative"),
        sa.CheckConstraint("(reorder_quantity IS NULL) <> (max_level IS NULL)", name="quantity_or_max"),
        sa.CheckConstraint("reorder_quantity IS NULL OR reorder_quantity > 0", name="positive_quantity"),
        sa.CheckConstraint("max_level IS NULL OR max_level > reorder_point", name="max_above_point"),
        sa.UniqueConstraint("organization_id", "item_id", "location_id", name="uq_inventory_reorder_points_slot"),
        tenant_ref("item_id", "inventory_items"),
        tenant_ref("location_id", "inventory_locations"),
    )
    create_tenant_table(
        "inventory_reorder_crossings",
        _uuid("reorder_point_id"),
        sa.Column("sequence", sa.Integer(), nullable=False),
        _uuid("item_id"),
        _uuid("location_id"),
        _uuid("movement_id"),
        _quantity("on_hand"),
        _quantity("reorder_point"),
        _quantity("reorder_quantity"),
        sa.UniqueConstraint("organization_id", "reorder_point_id", "sequence", name="uq_inventory_crossings_once"),
        tenant_ref("reorder_point_id", "inventory_reorder_points"),
        tenant_ref("movement_id", "inventory_movements"),
    )
    create_tenant_table(
        "inventory_job_costs",
        _uuid("job_id"),
        _uuid("visit_id"),
        _uuid("movement_id"),
        _uuid("item_id"),
        sa.Column("code", sa.Text(), nullable=False),
        _quantity("quantity"),
        sa.Column("unit_cost", sa.Numeric(18, 2), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        _uuid("material_entry_id", nullable=True),
        sa.UniqueConstraint("organization_id", "movement_id", name="uq_inventory_job_costs_movement"),
        tenant_ref("job_id", "jobs"),
        tenant_ref("visit_id", "job_visits"),
        tenant_ref("movement_id", "inventory_movements"),
        tenant_ref("item_id", "inventory_items"),
    )
    op.create_index("ix_inventory_job_costs_job", "inventory_job_costs", ["organization_id", "job_id"])


def upgrade() -> None:
    _items_and_locations()
    _levels_and_transfers()
    _ledger()
    _reorder_and_costs()
    op.add_column("field_materials", _uuid("movement_id", nullable=True))
    op.add_column("field_materials", sa.Column("unit_cost", sa.Numeric(18, 2)))
    op.add_column("field_materials", sa.Column("lot_number", sa.Text()))
    op.add_column("field_materials", _serials())


def downgrade() -> None:
    for column in FIELD_COLUMNS:
        op.drop_column("field_materials", column)
    for table in TABLES:
        op.drop_table(table)

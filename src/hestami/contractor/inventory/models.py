"""The inventory's tables (migration 0043_add_inventory). Quantities are NUMERIC(18, 3) like the field's materials,
money NUMERIC(18, 2)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, Integer, Numeric, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class StockItem(TenantRecord, Base):
    """A pricebook MATERIAL or EQUIPMENT item the organization keeps in stock, with its moving average cost."""

    __tablename__ = "inventory_items"

    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    tracking: Mapped[str] = mapped_column(Text, default="NONE")
    average_cost: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    pricebook_item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StockLocation(TenantRecord, Base):
    """A warehouse, a truck (of at most one technician: `technician_id` is the technician record, and
    `technician_user_id` their account, which the policy reads) or a branch shelf."""

    __tablename__ = "inventory_locations"

    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    branch_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    technician_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    technician_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StockLevel(TenantRecord, Base):
    """The balance on hand of an item at a location (per lot for a LOT item): always the sum of its movements."""

    __tablename__ = "inventory_levels"

    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    lot_number: Mapped[str | None] = mapped_column(Text)
    on_hand: Mapped[Decimal] = mapped_column(Numeric(18, 3))


class Movement(TenantRecord, Base):
    """One line of the stock ledger (never changed): a signed quantity of an item in or out of a location."""

    __tablename__ = "inventory_movements"

    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    lot_number: Mapped[str | None] = mapped_column(Text)
    serial_numbers: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    on_hand_after: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    moved_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    moved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    reference: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    source_line_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    material_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class SerialUnit(TenantRecord, Base):
    """Where one serial number of a SERIAL item is."""

    __tablename__ = "inventory_serials"

    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    serial_number: Mapped[str] = mapped_column(Text)
    location_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text)


class Transfer(TenantRecord, Base):
    __tablename__ = "inventory_transfers"

    from_location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    to_location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text, default="IN_TRANSIT")
    note: Mapped[str | None] = mapped_column(Text)
    sent_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    closed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TransferLine(TenantRecord, Base):
    __tablename__ = "inventory_transfer_lines"

    transfer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    lot_number: Mapped[str | None] = mapped_column(Text)
    serial_numbers: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(18, 2))


class ReorderPoint(TenantRecord, Base):
    """When the item's stock at the location (all lots) falls to `reorder_point` or below, reorder
    `reorder_quantity`, or up to `max_level`. `armed` while the stock is above the point; `crossings` counts them."""

    __tablename__ = "inventory_reorder_points"

    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    reorder_point: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    reorder_quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    max_level: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    armed: Mapped[bool] = mapped_column(Boolean, default=True)
    crossings: Mapped[int] = mapped_column(Integer, default=0)


class Crossing(TenantRecord, Base):
    """A movement took the stock from above a reorder point to at or below it (the `sequence`-th time)."""

    __tablename__ = "inventory_reorder_crossings"

    reorder_point_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    sequence: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    movement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    on_hand: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    reorder_point: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    reorder_quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))


class JobCost(TenantRecord, Base):
    """The material cost of one usage on its job: quantity times the item's average cost when used."""

    __tablename__ = "inventory_job_costs"

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    movement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    material_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

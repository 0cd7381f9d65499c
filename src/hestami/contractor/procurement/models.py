"""Procurement's tables (migration 0044_add_procurement): suppliers and what they sell, purchase orders with their
lines and status history, receipts with their lines, and the reorders `inventory_workflow_v1` drafts. Money columns
are NUMERIC(18, 2), quantities NUMERIC(18, 3)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class Supplier(TenantRecord, Base):
    """A supply house the contractor buys stock from; `vendor_reference` is the contractor's own reference for it
    (an account number, a vendor code), `vendor_organization_id` the supplier's organization when it is on the
    platform (a SERVICE_PROVIDER, as the associations' vendor records name their providers)."""

    __tablename__ = "procurement_suppliers"

    name: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    terms_days: Mapped[int] = mapped_column(Integer, default=30)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    vendor_reference: Mapped[str | None] = mapped_column(Text)
    vendor_organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SupplierItem(TenantRecord, Base):
    """What a supplier sells of one stock item, at what cost; one preferred supplier per item."""

    __tablename__ = "procurement_supplier_items"

    supplier_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_code: Mapped[str] = mapped_column(Text)
    supplier_part_number: Mapped[str | None] = mapped_column(Text)
    cost: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)


class PurchaseOrder(TenantRecord, Base):
    """A purchase order to one supplier, shipped to one inventory location, numbered PO-000001 per organization."""

    __tablename__ = "procurement_purchase_orders"

    number: Mapped[int] = mapped_column(Integer)
    supplier_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text, default="DRAFT")
    replenishment: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0.00"))
    memo: Mapped[str | None] = mapped_column(Text)
    ordered_on: Mapped[date | None] = mapped_column(Date)
    expected_on: Mapped[date | None] = mapped_column(Date)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_to: Mapped[str | None] = mapped_column(Text)
    sent_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def display_number(self) -> str:
        return f"PO-{self.number:06d}"


class PurchaseOrderLine(TenantRecord, Base):
    """One stock item ordered; `crossing_id` the reorder-point crossing that drafted it (at most one line each)."""

    __tablename__ = "procurement_purchase_order_lines"

    purchase_order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_code: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    supplier_part_number: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    quantity_received: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal("0"))
    crossing_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class PurchaseOrderStatusChange(TenantRecord, Base):
    __tablename__ = "procurement_purchase_order_status_history"

    purchase_order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class Receipt(TenantRecord, Base):
    """One delivery received against a purchase order, into one location."""

    __tablename__ = "procurement_receipts"

    purchase_order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    received_on: Mapped[date] = mapped_column(Date)
    received_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reference: Mapped[str | None] = mapped_column(Text)
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2))


class ReceiptLine(TenantRecord, Base):
    __tablename__ = "procurement_receipt_lines"

    receipt_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    line_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    movement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    lot_number: Mapped[str | None] = mapped_column(Text)
    serial_numbers: Mapped[list[str]] = mapped_column(JSONB, default=list)


class Reorder(TenantRecord, Base):
    """One reorder-point crossing as procurement handled it: PENDING (written in the crossing's transaction), then
    DRAFTED (a line on the supplier's open replenishment draft), NO_SUPPLIER (the item has no preferred active
    supplier) or NOTHING_TO_ORDER (a zero reorder quantity: the level is at its maximum)."""

    __tablename__ = "procurement_reorders"

    crossing_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_code: Mapped[str] = mapped_column(Text)
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    on_hand: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    reorder_point: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    reorder_quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    status: Mapped[str] = mapped_column(Text, default="PENDING")
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    purchase_order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    line_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

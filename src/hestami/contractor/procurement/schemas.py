"""Inputs and outputs of procurement's procedures (`procurement/v1/*`). Money and quantities travel as decimal
strings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, Record, Text, Trimmed
from hestami.identity.schemas import Email

Status = Literal["DRAFT", "SENT", "PARTIALLY_RECEIVED", "RECEIVED", "CLOSED", "CANCELLED"]
ReorderStatus = Literal["PENDING", "DRAFTED", "NO_SUPPLIER", "NOTHING_TO_ORDER"]
Quantity = Annotated[Decimal, Field(gt=0, le=1_000_000, max_digits=18, decimal_places=3)]
Days = Annotated[int, Field(ge=0, le=365)]
Short = Annotated[Trimmed, Field(min_length=1, max_length=200)]
Phone = Annotated[Trimmed, Field(min_length=1, max_length=40)]
Reference = Annotated[Trimmed, Field(min_length=1, max_length=120)]
LotNumber = Annotated[Trimmed, Field(min_length=1, max_length=120)]
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]


class CreateSupplier(Input):
    name: Name
    contact_name: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    address: Annotated[Trimmed, Field(min_length=1, max_length=500)] | None = None
    terms_days: Days = Field(default=30, description="Payment terms: net days.")
    lead_time_days: Days | None = Field(
        default=None, description="Days from order to delivery; PROCUREMENT_DEFAULT_LEAD_DAYS when null."
    )
    vendor_reference: Reference | None = Field(
        default=None, description="Your own reference for the supplier (an account number, a vendor code)."
    )
    vendor_organization_id: uuid.UUID | None = Field(
        default=None, description="The supplier's organization on the platform (a SERVICE_PROVIDER organization)."
    )


class UpdateSupplier(Input):
    id: uuid.UUID
    name: Name | None = None
    contact_name: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    address: Annotated[Trimmed, Field(min_length=1, max_length=500)] | None = None
    terms_days: Days | None = None
    lead_time_days: Days | None = None
    vendor_reference: Reference | None = None
    vendor_organization_id: uuid.UUID | None = None
    active: bool | None = None


class ListSuppliers(PageRequest):
    active: bool | None = None


class SetSupplierItem(Input):
    supplier_id: uuid.UUID
    item_id: uuid.UUID = Field(description="An inventory item.")
    cost: Money = Field(description="What the supplier charges for one unit of the item.")
    supplier_part_number: Reference | None = None
    preferred: bool = Field(default=False, description="The item's preferred supplier (one per item).")


class ListSupplierItems(Input):
    supplier_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _one_filter(self) -> ListSupplierItems:
        if self.supplier_id is None and self.item_id is None:
            raise ValueError("Give supplier_id or item_id.")
        return self


class LineIn(Input):
    item_id: uuid.UUID
    quantity: Quantity
    unit_cost: Money | None = Field(default=None, description="Default: the supplier's cost for the item.")


class CreatePurchaseOrder(Input):
    supplier_id: uuid.UUID
    location_id: uuid.UUID = Field(description="The inventory location the order ships to.")
    memo: Text | None = None
    lines: list[LineIn] = Field(default_factory=list, max_length=200)


class AddLine(LineIn):
    purchase_order_id: uuid.UUID


class UpdateLine(Input):
    id: uuid.UUID
    quantity: Quantity | None = None
    unit_cost: Money | None = None


class SendPurchaseOrder(Input):
    id: uuid.UUID
    ordered_on: Day | None = Field(default=None, description="Default: today.")


class CancelPurchaseOrder(Input):
    id: uuid.UUID
    reason: Annotated[Trimmed, Field(min_length=1, max_length=500)]


class ClosePurchaseOrder(Input):
    id: uuid.UUID
    note: Annotated[Trimmed, Field(min_length=1, max_length=500)] | None = None


class ListPurchaseOrders(PageRequest):
    status: Status | None = None
    supplier_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    replenishment: bool | None = None


class ReceiveLineIn(Input):
    line_id: uuid.UUID
    quantity: Quantity
    lot_number: LotNumber | None = None
    serial_numbers: list[LotNumber] = Field(default_factory=list, max_length=500)


class Receive(Input):
    purchase_order_id: uuid.UUID
    location_id: uuid.UUID | None = Field(default=None, description="Default: the order's ship-to location.")
    received_on: Day | None = Field(default=None, description="Default: today.")
    reference: Reference | None = Field(default=None, description="The supplier's packing slip or delivery note.")
    lines: list[ReceiveLineIn] = Field(min_length=1, max_length=200)


class ByPurchaseOrder(Input):
    purchase_order_id: uuid.UUID


class ListReorders(PageRequest):
    status: ReorderStatus | None = None
    item_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None


class SupplierOut(Record):
    name: str
    contact_name: str | None
    email: str | None
    phone: str | None
    address: str | None
    terms_days: int
    lead_time_days: int | None
    vendor_reference: str | None
    vendor_organization_id: uuid.UUID | None
    active: bool


class SupplierItemOut(Record):
    supplier_id: uuid.UUID
    item_id: uuid.UUID
    item_code: str
    supplier_part_number: str | None
    cost: Decimal
    preferred: bool


class SupplierItemsOut(BaseModel):
    items: list[SupplierItemOut]


class LineOut(Record):
    purchase_order_id: uuid.UUID
    position: int
    item_id: uuid.UUID
    item_code: str
    description: str
    unit: str
    supplier_part_number: str | None
    quantity: Decimal
    unit_cost: Decimal
    total: Decimal
    quantity_received: Decimal
    crossing_id: uuid.UUID | None = Field(description="The reorder-point crossing that drafted the line, if any.")


class StatusChangeOut(BaseModel):
    from_status: Status | None
    to_status: Status
    actor_user_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class PurchaseOrderOut(Record):
    number: str
    supplier_id: uuid.UUID
    supplier_name: str | None = Field(default=None, description="The supplier's name as it is now.")
    location_id: uuid.UUID
    location_name: str | None = Field(default=None, description="The ship-to location's name as it is now.")
    status: Status
    replenishment: bool = Field(description="Drafted by `inventory_workflow_v1` from reorder points.")
    total: Decimal
    memo: str | None
    ordered_on: date | None
    expected_on: date | None
    sent_at: datetime | None
    sent_to: str | None = Field(description="Where the order went (the supplier's email, or its name for the mail).")
    sent_by: uuid.UUID | None
    received_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None


class PurchaseOrderDetailOut(PurchaseOrderOut):
    lines: list[LineOut]
    history: list[StatusChangeOut]


class ReceiptLineOut(BaseModel):
    id: uuid.UUID
    line_id: uuid.UUID
    item_id: uuid.UUID
    quantity: Decimal
    unit_cost: Decimal
    movement_id: uuid.UUID = Field(description="The inventory movement the line made.")
    lot_number: str | None
    serial_numbers: list[str]


class ReceiptOut(Record):
    purchase_order_id: uuid.UUID
    location_id: uuid.UUID
    received_on: date
    received_by: uuid.UUID | None
    reference: str | None
    total: Decimal
    lines: list[ReceiptLineOut]


class ReceiveOut(BaseModel):
    purchase_order: PurchaseOrderDetailOut
    receipt: ReceiptOut


class ReceiptsOut(BaseModel):
    items: list[ReceiptOut]


class ReorderOut(Record):
    crossing_id: uuid.UUID
    item_id: uuid.UUID
    item_code: str
    location_id: uuid.UUID
    on_hand: Decimal
    reorder_point: Decimal
    reorder_quantity: Decimal
    status: ReorderStatus
    supplier_id: uuid.UUID | None
    purchase_order_id: uuid.UUID | None
    line_id: uuid.UUID | None
    handled_at: datetime | None

"""Inputs and outputs of the inventory's procedures (`inventory/v1/*`). Quantities and money travel as decimal
strings; quantities have three decimals (like the field's materials), money two."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Record, Trimmed

Tracking = Literal["NONE", "LOT", "SERIAL"]
LocationKind = Literal["WAREHOUSE", "TRUCK", "SHELF"]
MovementKind = Literal["RECEIPT", "USAGE", "TRANSFER_OUT", "TRANSFER_IN", "ADJUSTMENT"]
Reason = Literal["DAMAGED", "LOST", "FOUND", "COUNT", "RETURN", "OTHER"]
TransferStatus = Literal["IN_TRANSIT", "RECEIVED", "CANCELLED"]
Quantity = Annotated[Decimal, Field(gt=0, le=1_000_000, max_digits=18, decimal_places=3)]
Level = Annotated[Decimal, Field(ge=0, le=1_000_000, max_digits=18, decimal_places=3)]
SignedQuantity = Annotated[Decimal, Field(ge=-1_000_000, le=1_000_000, max_digits=18, decimal_places=3)]
Code = Annotated[Trimmed, Field(min_length=1, max_length=60)]
LocationName = Annotated[Trimmed, Field(min_length=1, max_length=120)]
Lot = Annotated[Trimmed, Field(min_length=1, max_length=60)]
Serial = Annotated[Trimmed, Field(min_length=1, max_length=60)]
Serials = Annotated[list[Serial], Field(max_length=500)]
Note = Annotated[Trimmed, Field(min_length=1, max_length=500)]


class CreateItem(Input):
    code: Code = Field(description="A MATERIAL or EQUIPMENT item of the ACTIVE pricebook version.")
    tracking: Tracking = "NONE"


class UpdateItem(Input):
    id: uuid.UUID
    tracking: Tracking | None = Field(default=None, description="Only while none of the item is held.")
    active: bool | None = None


class ListItems(PageRequest):
    active: bool | None = None
    tracking: Tracking | None = None


class CreateLocation(Input):
    name: LocationName
    kind: LocationKind
    branch_id: uuid.UUID | None = None
    technician_id: uuid.UUID | None = Field(default=None, description="A TRUCK's technician (technician record).")


class UpdateLocation(Input):
    id: uuid.UUID
    name: LocationName | None = None
    branch_id: uuid.UUID | None = None
    active: bool | None = Field(default=None, description="Deactivate only an empty location.")


class AssignTruck(Input):
    id: uuid.UUID
    technician_id: uuid.UUID | None = Field(description="The technician record; null takes the truck off its driver.")


class ListLocations(PageRequest):
    kind: LocationKind | None = None
    active: bool | None = None
    branch_id: uuid.UUID | None = None


class ListLevels(Input):
    location_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if self.location_id is None and self.item_id is None:
            raise ValueError("give location_id, item_id or both")
        return self


class OnHand(Input):
    as_of: AwareDatetime | None = Field(default=None, description="Default: now.")
    location_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None


class Receive(Input):
    location_id: uuid.UUID
    item_id: uuid.UUID
    quantity: Quantity
    unit_cost: Money
    reference: Note = Field(description="What the stock came with: a packing slip, an opening count.")
    lot_number: Lot | None = None
    serial_numbers: Serials = Field(default_factory=list)


class Adjust(Input):
    location_id: uuid.UUID
    item_id: uuid.UUID
    quantity: SignedQuantity = Field(description="Signed: negative takes stock out, positive puts it in.")
    reason: Reason
    lot_number: Lot | None = None
    serial_numbers: Serials = Field(default_factory=list)
    note: Note | None = None

    @model_validator(mode="after")
    def _moves(self) -> Self:
        if self.quantity == 0:
            raise ValueError("quantity must not be zero")
        return self


class TransferLineIn(Input):
    item_id: uuid.UUID
    quantity: Quantity
    lot_number: Lot | None = None
    serial_numbers: Serials = Field(default_factory=list)


class CreateTransfer(Input):
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    lines: Annotated[list[TransferLineIn], Field(min_length=1, max_length=100)]
    note: Note | None = None


class ListTransfers(PageRequest):
    status: TransferStatus | None = None
    location_id: uuid.UUID | None = Field(default=None, description="From or to this location.")


class ListMovements(PageRequest):
    location_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None
    kind: MovementKind | None = None
    job_id: uuid.UUID | None = None


class SetReorderPoint(Input):
    item_id: uuid.UUID
    location_id: uuid.UUID
    reorder_point: Level
    reorder_quantity: Quantity | None = None
    max_level: Quantity | None = None

    @model_validator(mode="after")
    def _quantity_or_max(self) -> Self:
        if (self.reorder_quantity is None) == (self.max_level is None):
            raise ValueError("give reorder_quantity or max_level (one of them)")
        if self.max_level is not None and self.max_level <= self.reorder_point:
            raise ValueError("max_level must be above reorder_point")
        return self


class ListReorderPoints(Input):
    location_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None


class ByJob(Input):
    job_id: uuid.UUID


class RecordUsage(Input):
    visit_id: uuid.UUID
    technician_id: uuid.UUID = Field(description="Whose truck the stock comes from.")
    code: Code
    quantity: Quantity
    lot_number: Lot | None = None
    serial_numbers: Serials = Field(default_factory=list)


# --- outputs -------------------------------------------------------------------------------------------------------


class ItemOut(Record):
    code: str
    name: str
    kind: str
    unit: str
    tracking: Tracking
    average_cost: Decimal
    pricebook_item_id: uuid.UUID
    active: bool


class LocationOut(Record):
    name: str
    kind: LocationKind
    branch_id: uuid.UUID | None
    technician_id: uuid.UUID | None
    technician_user_id: uuid.UUID | None
    active: bool


class LevelOut(BaseModel):
    item_id: uuid.UUID
    code: str
    item_name: str
    unit: str
    location_id: uuid.UUID
    location_name: str
    location_kind: LocationKind
    lot_number: str | None
    on_hand: Decimal
    serial_numbers: list[str]
    updated_at: datetime


class LevelsOut(BaseModel):
    items: list[LevelOut]


class OnHandRowOut(BaseModel):
    item_id: uuid.UUID
    location_id: uuid.UUID
    lot_number: str | None
    on_hand: Decimal


class OnHandOut(BaseModel):
    as_of: datetime
    items: list[OnHandRowOut]


class MovementOut(Record):
    item_id: uuid.UUID
    location_id: uuid.UUID
    kind: MovementKind
    reason: Reason | None
    quantity: Decimal
    unit_cost: Decimal
    lot_number: str | None
    serial_numbers: list[str]
    on_hand_after: Decimal
    moved_by: uuid.UUID | None
    moved_at: datetime
    reference: str | None
    source_id: uuid.UUID | None
    job_id: uuid.UUID | None
    visit_id: uuid.UUID | None
    material_entry_id: uuid.UUID | None


class TransferLineOut(BaseModel):
    id: uuid.UUID
    item_id: uuid.UUID
    code: str
    quantity: Decimal
    lot_number: str | None
    serial_numbers: list[str]
    unit_cost: Decimal


class TransferOut(Record):
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    status: TransferStatus
    note: str | None
    sent_by: uuid.UUID | None
    sent_at: datetime
    closed_by: uuid.UUID | None
    closed_at: datetime | None
    lines: list[TransferLineOut]


class ReorderPointOut(Record):
    item_id: uuid.UUID
    code: str
    location_id: uuid.UUID
    location_name: str
    reorder_point: Decimal
    reorder_quantity: Decimal | None
    max_level: Decimal | None
    armed: bool
    crossings: int
    on_hand: Decimal


class ReorderPointsOut(BaseModel):
    items: list[ReorderPointOut]


class JobCostOut(Record):
    job_id: uuid.UUID
    visit_id: uuid.UUID
    movement_id: uuid.UUID
    item_id: uuid.UUID
    code: str
    quantity: Decimal
    unit_cost: Decimal
    amount: Decimal
    material_entry_id: uuid.UUID | None


class JobCostsOut(BaseModel):
    job_id: uuid.UUID
    items: list[JobCostOut]
    total: Decimal

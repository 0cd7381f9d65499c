"""What the inventory answers other domains (re-exported by `inventory.api`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class LocationRef:
    id: uuid.UUID
    name: str
    kind: str
    branch_id: uuid.UUID | None
    technician_id: uuid.UUID | None
    active: bool


@dataclass(frozen=True, slots=True)
class StockItemRef:
    id: uuid.UUID
    code: str
    name: str
    unit: str
    tracking: str
    average_cost: Decimal


@dataclass(frozen=True, slots=True)
class StockUse:
    movement_id: uuid.UUID
    item_id: uuid.UUID
    code: str
    location_id: uuid.UUID
    quantity: Decimal
    unit_cost: Decimal
    on_hand_after: Decimal


@dataclass(frozen=True, slots=True)
class ReorderCrossing:
    """Usage (or an adjustment/transfer out) took a level from above its reorder point to at/below it: one row per
    crossing (id), kept in the same transaction as the movement that crossed."""

    id: uuid.UUID
    item_id: uuid.UUID
    code: str
    location_id: uuid.UUID
    on_hand: Decimal
    reorder_point: Decimal
    reorder_quantity: Decimal

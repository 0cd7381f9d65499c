"""The inventory's pure rules: the moving average cost, what a reorder asks for, lots and serial numbers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from hestami.contractor.inventory.errors import InventoryReason, rule
from hestami.contractor.pricebook.pricing import cents

STOCKABLE = frozenset({"MATERIAL", "EQUIPMENT"})
INCREASING_REASONS = frozenset({"FOUND", "COUNT", "RETURN", "OTHER"})
ZERO = Decimal("0")


def average_cost(owned: Decimal, average: Decimal, quantity: Decimal, unit_cost: Decimal) -> Decimal:
    """The moving weighted average after a receipt of `quantity` at `unit_cost`:

        new average = (owned * average + quantity * unit_cost) / (owned + quantity), in cents (half up)

    where `owned` is what the organization holds of the item before the receipt (on hand at every location plus
    what is in transit). With nothing owned (or less than nothing: never, stock is never negative) the receipt's
    cost is the average."""
    if owned <= ZERO:
        return cents(unit_cost)
    return cents((owned * average + quantity * unit_cost) / (owned + quantity))


def reorder_quantity(on_hand: Decimal, reorder_quantity: Decimal | None, max_level: Decimal | None) -> Decimal:
    """How much a crossing asks for: the fixed reorder quantity, or what brings the stock up to the max level."""
    if reorder_quantity is not None:
        return reorder_quantity
    assert max_level is not None
    return max(max_level - on_hand, ZERO)


def check_tracking(tracking: str, code: str, quantity: Decimal, lot: str | None, serials: Sequence[str]) -> None:
    """A LOT item names its lot; a SERIAL item names one distinct serial number per unit (whole quantities); an
    untracked item names neither (NOT_LOT_TRACKED, NOT_SERIAL_TRACKED)."""
    if tracking == "LOT" and lot is None:
        raise rule(InventoryReason.LOT_REQUIRED, f"{code} is lot-tracked: name the lot.", item_code=code)
    if tracking != "LOT" and lot is not None:
        raise rule(InventoryReason.NOT_LOT_TRACKED, f"{code} is not lot-tracked.", item_code=code)
    if tracking != "SERIAL" and serials:
        raise rule(InventoryReason.NOT_SERIAL_TRACKED, f"{code} is not serial-tracked.", item_code=code)
    if tracking == "SERIAL" and (len(set(serials)) != len(serials) or Decimal(len(serials)) != abs(quantity)):
        raise rule(
            InventoryReason.SERIALS_REQUIRED,
            f"{code} is serial-tracked: name one distinct serial number per unit ({abs(quantity)}).",
            item_code=code, quantity=str(abs(quantity)), serial_numbers=len(serials),
        )  # fmt: skip

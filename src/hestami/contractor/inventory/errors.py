"""The inventory's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class InventoryReason(StrEnum):
    NOT_IN_PRICEBOOK = "NOT_IN_PRICEBOOK"
    NOT_STOCKABLE = "NOT_STOCKABLE"
    ALREADY_STOCKED = "ALREADY_STOCKED"
    NAME_TAKEN = "NAME_TAKEN"
    NOT_A_TRUCK = "NOT_A_TRUCK"
    TRUCK_TAKEN = "TRUCK_TAKEN"
    TECHNICIAN_INACTIVE = "TECHNICIAN_INACTIVE"
    LOCATION_NOT_EMPTY = "LOCATION_NOT_EMPTY"
    LOCATION_INACTIVE = "LOCATION_INACTIVE"
    ITEM_INACTIVE = "ITEM_INACTIVE"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    NO_TRUCK = "NO_TRUCK"
    LOT_REQUIRED = "LOT_REQUIRED"
    NOT_LOT_TRACKED = "NOT_LOT_TRACKED"
    SERIALS_REQUIRED = "SERIALS_REQUIRED"
    NOT_SERIAL_TRACKED = "NOT_SERIAL_TRACKED"
    SERIAL_NOT_HERE = "SERIAL_NOT_HERE"
    SERIAL_IN_STOCK = "SERIAL_IN_STOCK"
    SAME_LOCATION = "SAME_LOCATION"
    DUPLICATE_LINE = "DUPLICATE_LINE"
    HAS_STOCK = "HAS_STOCK"


class InventoryError(DomainError):
    """The inventory's errors; `reason` is an InventoryReason."""


def rule(reason: InventoryReason, message: str, **details: object) -> InventoryError:
    return InventoryError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: InventoryReason, message: str, **details: object) -> InventoryError:
    return InventoryError(ErrorCode.CONFLICT, reason, message, **details)

"""Procurement's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class ProcurementReason(StrEnum):
    SUPPLIER_NAME_TAKEN = "SUPPLIER_NAME_TAKEN"
    SUPPLIER_INACTIVE = "SUPPLIER_INACTIVE"
    LOCATION_INACTIVE = "LOCATION_INACTIVE"
    UNIT_COST_REQUIRED = "UNIT_COST_REQUIRED"
    NOT_EDITABLE = "NOT_EDITABLE"
    EMPTY_ORDER = "EMPTY_ORDER"
    NOT_RECEIVABLE = "NOT_RECEIVABLE"
    OVER_RECEIPT = "OVER_RECEIPT"
    LINE_NOT_ON_ORDER = "LINE_NOT_ON_ORDER"
    DUPLICATE_LINE = "DUPLICATE_LINE"
    NOTHING_RECEIVED = "NOTHING_RECEIVED"
    HAS_RECEIPTS = "HAS_RECEIPTS"


class ProcurementError(DomainError):
    """Procurement's errors; `reason` is a ProcurementReason."""


def rule(reason: ProcurementReason, message: str, **details: object) -> ProcurementError:
    return ProcurementError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: ProcurementReason, message: str, **details: object) -> ProcurementError:
    return ProcurementError(ErrorCode.CONFLICT, reason, message, **details)

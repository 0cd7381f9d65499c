"""The maintenance agreements' error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class MaintenanceReason(StrEnum):
    NOT_EDITABLE = "NOT_EDITABLE"
    NOT_COMPLIANT = "NOT_COMPLIANT"
    NO_VISITS = "NO_VISITS"
    ALREADY_RENEWED = "ALREADY_RENEWED"
    TERM_OVER = "TERM_OVER"
    WORK_ORDER_MISMATCH = "WORK_ORDER_MISMATCH"
    UNKNOWN_ITEM = "UNKNOWN_ITEM"


class MaintenanceError(DomainError):
    """The maintenance agreements' errors; `reason` is a MaintenanceReason."""


def rule(reason: MaintenanceReason, message: str, **details: object) -> MaintenanceError:
    return MaintenanceError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: MaintenanceReason, message: str, **details: object) -> MaintenanceError:
    return MaintenanceError(ErrorCode.CONFLICT, reason, message, **details)

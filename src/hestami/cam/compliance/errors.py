"""Domain 12's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class ComplianceReason(StrEnum):
    INVALID_RULE = "INVALID_RULE"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    UNKNOWN_JURISDICTION = "UNKNOWN_JURISDICTION"
    REQUIREMENT_INACTIVE = "REQUIREMENT_INACTIVE"
    ALREADY_CLOSED = "ALREADY_CLOSED"
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    WINDOW_TOO_LONG = "WINDOW_TOO_LONG"
    CHECKLIST_COMPLETED = "CHECKLIST_COMPLETED"
    ITEM_COMPLETED = "ITEM_COMPLETED"


class ComplianceError(DomainError):
    """Domain 12's errors; `reason` is a ComplianceReason."""


def rule(reason: ComplianceReason, message: str, **details: object) -> ComplianceError:
    return ComplianceError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

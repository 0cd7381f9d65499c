"""Domain 4's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class ViolationReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    TYPE_INACTIVE = "TYPE_INACTIVE"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    NOT_OPEN = "NOT_OPEN"
    NO_NEXT_NOTICE = "NO_NEXT_NOTICE"
    NOTICE_ALREADY_SENT = "NOTICE_ALREADY_SENT"
    HEARING_TOO_SOON = "HEARING_TOO_SOON"
    HEARING_ALREADY_SCHEDULED = "HEARING_ALREADY_SCHEDULED"
    NO_HEARING = "NO_HEARING"
    FINE_REQUIRES_HEARING = "FINE_REQUIRES_HEARING"
    FINE_AMOUNT_REQUIRED = "FINE_AMOUNT_REQUIRED"
    FINE_CAP_REACHED = "FINE_CAP_REACHED"
    FINE_NOT_WAIVABLE = "FINE_NOT_WAIVABLE"
    NO_FINE_TYPE = "NO_FINE_TYPE"
    APPEAL_CLOSED = "APPEAL_CLOSED"
    EVIDENCE_TAMPERED = "EVIDENCE_TAMPERED"
    NOT_RESOLVED = "NOT_RESOLVED"
    FINES_UNPAID = "FINES_UNPAID"


class ViolationError(DomainError):
    """Domain 4's errors; `reason` is a ViolationReason."""


def rule(reason: ViolationReason, message: str, **details: object) -> ViolationError:
    return ViolationError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

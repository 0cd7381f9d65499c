"""Domain 9's error type (the owner portal): platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class PortalReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    NOT_YOUR_UNIT = "NOT_YOUR_UNIT"
    NOT_A_RESIDENT = "NOT_A_RESIDENT"
    NOT_EDITABLE = "NOT_EDITABLE"
    ALREADY_CONVERTED = "ALREADY_CONVERTED"
    TOO_MANY_ATTACHMENTS = "TOO_MANY_ATTACHMENTS"
    FILE_UNAVAILABLE = "FILE_UNAVAILABLE"


class PortalError(DomainError):
    """Domain 9's errors; `reason` is a PortalReason."""


def rule(reason: PortalReason, message: str, **details: object) -> PortalError:
    return PortalError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

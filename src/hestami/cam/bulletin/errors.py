"""Domain 7's (the bulletin's) error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class BulletinReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    NOT_EDITABLE = "NOT_EDITABLE"
    ALREADY_EXPIRED = "ALREADY_EXPIRED"
    EXPIRES_BEFORE_PUBLISH = "EXPIRES_BEFORE_PUBLISH"
    NOT_PUBLISHED = "NOT_PUBLISHED"
    INVALID_RRULE = "INVALID_RRULE"
    ENDS_BEFORE_START = "ENDS_BEFORE_START"
    TOO_LONG = "TOO_LONG"
    NOT_RECURRING = "NOT_RECURRING"
    NOT_AN_OCCURRENCE = "NOT_AN_OCCURRENCE"
    OCCURRENCE_CANCELLED = "OCCURRENCE_CANCELLED"
    EVENT_CANCELLED = "EVENT_CANCELLED"


class BulletinError(DomainError):
    """Domain 7's bulletin errors; `reason` is a BulletinReason."""


def rule(reason: BulletinReason, message: str, **details: object) -> BulletinError:
    return BulletinError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

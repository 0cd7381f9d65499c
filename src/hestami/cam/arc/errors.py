"""Domain 5's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class ArcReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    NOT_AN_OWNER = "NOT_AN_OWNER"
    NOT_EDITABLE = "NOT_EDITABLE"
    INCOMPLETE_SUBMISSION = "INCOMPLETE_SUBMISSION"
    COMMITTEE_INACTIVE = "COMMITTEE_INACTIVE"
    NOT_A_MEMBER = "NOT_A_MEMBER"
    NO_COMMITTEE = "NO_COMMITTEE"
    NOT_UNDER_REVIEW = "NOT_UNDER_REVIEW"
    NO_QUORUM = "NO_QUORUM"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    ALREADY_MEMBER = "ALREADY_MEMBER"
    NOT_APPROVED = "NOT_APPROVED"


class ArcError(DomainError):
    """Domain 5's errors; `reason` is an ArcReason."""


def rule(reason: ArcReason, message: str, **details: object) -> ArcError:
    return ArcError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

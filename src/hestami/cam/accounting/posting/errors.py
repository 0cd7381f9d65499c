"""Posting's error type: platform codes with posting's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class PostingReason(StrEnum):
    NOT_A_PERIODIC_ASSESSMENT = "NOT_A_PERIODIC_ASSESSMENT"
    INACTIVE_TYPE = "INACTIVE_TYPE"
    NO_AMOUNT = "NO_AMOUNT"
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    STEP_DAYS_OUT_OF_ORDER = "STEP_DAYS_OUT_OF_ORDER"


class PostingError(DomainError):
    """Posting's errors; `reason` is a PostingReason."""


def rule(reason: PostingReason, message: str, **details: object) -> PostingError:
    return PostingError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

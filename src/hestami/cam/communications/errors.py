"""Domain 7's error type (communications): platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class CommunicationReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    TEMPLATE_SYNTAX = "TEMPLATE_SYNTAX"
    UNKNOWN_VARIABLE = "UNKNOWN_VARIABLE"
    MISSING_VARIABLE = "MISSING_VARIABLE"
    VARIABLE_NOT_AVAILABLE = "VARIABLE_NOT_AVAILABLE"
    SUBJECT_REQUIRED = "SUBJECT_REQUIRED"
    TOO_LONG = "TOO_LONG"
    TEMPLATE_ARCHIVED = "TEMPLATE_ARCHIVED"
    UNKNOWN_VERSION = "UNKNOWN_VERSION"
    AUDIENCE_PARAMS = "AUDIENCE_PARAMS"
    REQUIRED_CATEGORY = "REQUIRED_CATEGORY"
    INVALID_MOVE = "INVALID_MOVE"
    NOT_EDITABLE = "NOT_EDITABLE"
    NOT_IN_FUTURE = "NOT_IN_FUTURE"
    RENDER_FAILED = "RENDER_FAILED"


class CommunicationError(DomainError):
    """Domain 7's errors (communications); `reason` is a CommunicationReason."""


def rule(reason: CommunicationReason, message: str, **details: object) -> CommunicationError:
    return CommunicationError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def invalid(reason: CommunicationReason, message: str, **details: object) -> CommunicationError:
    return CommunicationError(ErrorCode.VALIDATION_FAILED, reason, message, **details)

"""Domain 11's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode, FieldError, HestamiError


class ReserveReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    NO_COMPONENTS = "NO_COMPONENTS"


class ReserveError(DomainError):
    """Domain 11's errors; `reason` is a ReserveReason."""


def rule(reason: ReserveReason, message: str, **details: object) -> ReserveError:
    return ReserveError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def invalid(pointer: str, message: str, kind: str) -> HestamiError:
    """VALIDATION_FAILED naming one field (a rule between fields the input schema cannot state alone)."""
    return HestamiError(ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError(pointer, message, kind)])

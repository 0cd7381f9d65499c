"""The owner portal's payment errors: platform codes with these reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class PaymentsReason(StrEnum):
    CARD_EXPIRED = "CARD_EXPIRED"
    DUPLICATE_METHOD = "DUPLICATE_METHOD"
    METHOD_IN_USE = "METHOD_IN_USE"
    UNIT_ENROLLED = "UNIT_ENROLLED"
    ENROLMENT_CANCELLED = "ENROLMENT_CANCELLED"
    START_IN_PAST = "START_IN_PAST"


class PaymentsError(DomainError):
    """The owner portal's payment errors; `reason` is a PaymentsReason."""


def rule(reason: PaymentsReason, message: str, **details: object) -> PaymentsError:
    return PaymentsError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: PaymentsReason, message: str, **details: object) -> PaymentsError:
    return PaymentsError(ErrorCode.CONFLICT, reason, message, **details)

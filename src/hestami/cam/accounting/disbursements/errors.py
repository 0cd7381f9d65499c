"""The disbursements' error type: platform codes with their reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class DisbursementReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    WRONG_FUND = "WRONG_FUND"
    WRONG_BANK_ACCOUNT = "WRONG_BANK_ACCOUNT"
    INVOICE_NOT_APPROVED = "INVOICE_NOT_APPROVED"
    ALREADY_IN_BATCH = "ALREADY_IN_BATCH"
    W9_MISSING = "W9_MISSING"
    INACTIVE_BANK_ACCOUNT = "INACTIVE_BANK_ACCOUNT"
    NO_PAYMENT_PROFILE = "NO_PAYMENT_PROFILE"
    BOARD_APPROVAL_REQUIRED = "BOARD_APPROVAL_REQUIRED"
    ALREADY_APPROVED = "ALREADY_APPROVED"
    BATCH_NOT_OPEN = "BATCH_NOT_OPEN"
    NO_FILE = "NO_FILE"
    INVALID_ROUTING_NUMBER = "INVALID_ROUTING_NUMBER"
    DUPLICATE_INVOICE = "DUPLICATE_INVOICE"


class DisbursementError(DomainError):
    """The disbursements' errors; `reason` is a DisbursementReason."""


def rule(reason: DisbursementReason, message: str, **details: object) -> DisbursementError:
    return DisbursementError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: DisbursementReason, message: str, **details: object) -> DisbursementError:
    return DisbursementError(ErrorCode.CONFLICT, reason, message, **details)

"""The invoices' error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class InvoiceReason(StrEnum):
    ALREADY_INVOICED = "ALREADY_INVOICED"
    JOB_NOT_COMPLETED = "JOB_NOT_COMPLETED"
    JOB_CANCELLED = "JOB_CANCELLED"
    NO_ACCEPTED_OPTION = "NO_ACCEPTED_OPTION"
    PERCENT_REQUIRED = "PERCENT_REQUIRED"
    OVER_BILLED = "OVER_BILLED"
    NOTHING_TO_INVOICE = "NOTHING_TO_INVOICE"
    NO_LABOUR_ITEM = "NO_LABOUR_ITEM"
    NOT_IN_PRICEBOOK = "NOT_IN_PRICEBOOK"
    HOA_BILLS_ON_COMPLETION = "HOA_BILLS_ON_COMPLETION"
    NOT_EDITABLE = "NOT_EDITABLE"
    EMPTY_INVOICE = "EMPTY_INVOICE"
    NEGATIVE_TOTAL = "NEGATIVE_TOTAL"
    NOT_PAYABLE = "NOT_PAYABLE"
    OVERPAYMENT = "OVERPAYMENT"
    PAYMENT_DECLINED = "PAYMENT_DECLINED"
    PAID_THROUGH_AP = "PAID_THROUGH_AP"
    HAS_PAYMENTS = "HAS_PAYMENTS"
    IN_PAYABLES = "IN_PAYABLES"
    DUE_BEFORE_ISSUE = "DUE_BEFORE_ISSUE"
    UNISSUED_SHARE = "UNISSUED_SHARE"
    FINAL_EXISTS = "FINAL_EXISTS"
    CREDITED_BY_FINAL = "CREDITED_BY_FINAL"


class InvoiceError(DomainError):
    """The invoices' errors; `reason` is an InvoiceReason."""


def rule(reason: InvoiceReason, message: str, **details: object) -> InvoiceError:
    return InvoiceError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: InvoiceReason, message: str, **details: object) -> InvoiceError:
    return InvoiceError(ErrorCode.CONFLICT, reason, message, **details)

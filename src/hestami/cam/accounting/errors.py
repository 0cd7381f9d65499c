"""Domain 2's error type: platform codes with accounting's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class AccountingReason(StrEnum):
    UNBALANCED = "UNBALANCED"
    FUND_UNBALANCED = "FUND_UNBALANCED"
    EMPTY_ENTRY = "EMPTY_ENTRY"
    ALREADY_REVERSED = "ALREADY_REVERSED"
    INACTIVE_ACCOUNT = "INACTIVE_ACCOUNT"
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    MISSING_SYSTEM_ACCOUNT = "MISSING_SYSTEM_ACCOUNT"
    ACCOUNT_IN_USE = "ACCOUNT_IN_USE"
    DUPLICATE_ACCOUNT_NUMBER = "DUPLICATE_ACCOUNT_NUMBER"
    DUPLICATE_INVOICE = "DUPLICATE_INVOICE"
    DUPLICATE_CHARGE = "DUPLICATE_CHARGE"
    W9_MISSING = "W9_MISSING"
    LINES_DO_NOT_MATCH_TOTAL = "LINES_DO_NOT_MATCH_TOTAL"
    NOT_AN_EXPENSE_ACCOUNT = "NOT_AN_EXPENSE_ACCOUNT"
    NOT_A_CASH_ACCOUNT = "NOT_A_CASH_ACCOUNT"
    SOURCE_DOCUMENT_ENTRY = "SOURCE_DOCUMENT_ENTRY"
    SUBLEDGER_CONTROL_ACCOUNT = "SUBLEDGER_CONTROL_ACCOUNT"
    CHARGE_PAID = "CHARGE_PAID"
    CHARGE_VOIDED = "CHARGE_VOIDED"


class AccountingError(DomainError):
    """Domain 2's errors; `reason` is an AccountingReason."""


def rule(reason: AccountingReason, message: str, **details: object) -> AccountingError:
    return AccountingError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

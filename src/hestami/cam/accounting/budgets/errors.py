"""The budgets' error type: platform codes with the budgets' reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class BudgetReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    WRONG_FUND = "WRONG_FUND"
    NOT_AN_INCOME_OR_EXPENSE_ACCOUNT = "NOT_AN_INCOME_OR_EXPENSE_ACCOUNT"
    INACTIVE_ACCOUNT = "INACTIVE_ACCOUNT"
    NOT_EDITABLE = "NOT_EDITABLE"
    NOT_ADOPTED = "NOT_ADOPTED"
    EMPTY_BUDGET = "EMPTY_BUDGET"
    NOT_A_REGULAR_ASSESSMENT = "NOT_A_REGULAR_ASSESSMENT"
    NOT_PERIODIC = "NOT_PERIODIC"
    NO_UNITS = "NO_UNITS"
    NOTHING_TO_ASSESS = "NOTHING_TO_ASSESS"
    FISCAL_YEAR_OVER = "FISCAL_YEAR_OVER"


class BudgetError(DomainError):
    """The budgets' errors; `reason` is a BudgetReason."""


def rule(reason: BudgetReason, message: str, **details: object) -> BudgetError:
    return BudgetError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

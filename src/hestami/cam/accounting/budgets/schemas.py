"""Inputs and outputs of `accounting/budget/v1/*`. Money is a decimal string on the wire ("1250.00")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, Record, Text, Trimmed

Fund = Literal["OPERATING", "RESERVE"]
BudgetStatus = Literal["DRAFT", "PROPOSED", "ADOPTED", "SUPERSEDED"]
LineKind = Literal["INCOME", "EXPENSE"]
FiscalYear = Annotated[int, Field(ge=2000, le=2200, description="The calendar year the fiscal year starts in.")]
Note = Annotated[Trimmed, Field(max_length=2000)]


class BudgetLineIn(Input):
    """One GL account's amounts: twelve `monthly` amounts (the fiscal year's months, in order) or an `annual`
    amount spread evenly (each month the annual amount divided by 12 rounded down to the cent, the last month the
    rest)."""

    gl_account_id: uuid.UUID = Field(description="A REVENUE or EXPENSE account of the budget's association and fund.")
    monthly: list[Money] | None = Field(default=None, min_length=12, max_length=12)
    annual: Money | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _one_way(self) -> BudgetLineIn:
        if (self.monthly is None) == (self.annual is None):
            raise ValueError("give either `monthly` (twelve amounts) or `annual`")
        return self


def _distinct_accounts(lines: list[BudgetLineIn]) -> None:
    accounts = [line.gl_account_id for line in lines]
    if len(set(accounts)) != len(accounts):
        raise ValueError("one line per GL account")


class CreateBudget(Input):
    association_id: uuid.UUID
    fiscal_year: FiscalYear
    fund: Fund = "OPERATING"
    name: Name | None = Field(default=None, description='Defaults to e.g. "2027 Operating Budget".')
    notes: Text | None = None
    copy_from_id: uuid.UUID | None = Field(
        default=None, description="Start from the lines of another budget of the same association and fund."
    )
    increase_percent: Decimal | None = Field(
        default=None, ge=-100, le=1000, max_digits=7, decimal_places=4,
        description="With `copy_from_id`: every copied month changed by this percent, rounded half up to the cent.",
    )  # fmt: skip
    lines: list[BudgetLineIn] = Field(
        default_factory=list, max_length=500, description="Lines to set (over copied ones of the same account)."
    )

    @model_validator(mode="after")
    def _checked(self) -> CreateBudget:
        _distinct_accounts(self.lines)
        if self.increase_percent is not None and self.copy_from_id is None:
            raise ValueError("`increase_percent` applies to the lines of `copy_from_id`")
        return self


class UpdateBudget(Input):
    id: uuid.UUID
    name: Name | None = None
    notes: Text | None = None


class SetLines(Input):
    id: uuid.UUID
    lines: list[BudgetLineIn] = Field(min_length=1, max_length=500)
    replace: bool = Field(default=False, description="Remove the budget's lines of accounts `lines` does not name.")

    @model_validator(mode="after")
    def _checked(self) -> SetLines:
        _distinct_accounts(self.lines)
        return self


class MoveBudget(Input):
    id: uuid.UUID
    note: Note | None = None


class ReviseBudget(Input):
    id: uuid.UUID
    name: Name | None = Field(default=None, description='Defaults to the adopted budget\'s name with " (revised)".')


class ListBudgets(PageRequest):
    association_id: uuid.UUID | None = None
    fiscal_year: FiscalYear | None = None
    fund: Fund | None = None
    status: BudgetStatus | None = None


class VsActualIn(Input):
    id: uuid.UUID
    through: date | None = Field(
        default=None, description="Actuals up to this day (default: today, or the fiscal year's end if earlier)."
    )


class DeriveAssessment(Input):
    budget_id: uuid.UUID
    assessment_type_id: uuid.UUID | None = Field(
        default=None,
        description="A REGULAR periodic type of the association crediting the budget's fund. Defaults to the "
        "association's first active REGULAR type crediting the fund's assessment income account (Regular "
        "Assessments, or Reserve Contributions for a reserve budget), else a monthly assessment.",
    )


class ApplyAssessment(Input):
    budget_id: uuid.UUID
    assessment_type_id: uuid.UUID


# --- outputs -----------------------------------------------------------------------------------------------------


class BudgetLineOut(BaseModel):
    gl_account_id: uuid.UUID
    account_number: str
    account_name: str
    kind: LineKind
    amounts: list[Decimal]
    total: Decimal
    note: str | None


class MonthTotal(BaseModel):
    month: str
    income: Decimal
    expense: Decimal
    net: Decimal


class BudgetTotals(BaseModel):
    income: Decimal
    expense: Decimal
    net: Decimal = Field(description="Income less expense: a surplus when positive, a deficit when negative.")
    result: Literal["SURPLUS", "DEFICIT", "BALANCED"]
    months: list[MonthTotal]


class BudgetSummary(Record):
    association_id: uuid.UUID
    fiscal_year: int
    fund: Fund
    name: str
    status: BudgetStatus
    starts_on: date
    ends_on: date
    revises_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None
    adopted_at: datetime | None
    income: Decimal
    expense: Decimal
    net: Decimal


class BudgetOut(Record):
    association_id: uuid.UUID
    fiscal_year: int
    fund: Fund
    name: str
    status: BudgetStatus
    starts_on: date
    ends_on: date
    months: list[str] = Field(description="The fiscal year's twelve months, YYYY-MM, the order of every amounts list.")
    notes: str | None
    revises_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None
    created_by: uuid.UUID | None
    proposed_at: datetime | None
    proposed_by: uuid.UUID | None
    adopted_at: datetime | None
    adopted_by: uuid.UUID | None
    adoption_note: str | None
    superseded_at: datetime | None
    applied_assessment_type_id: uuid.UUID | None
    applied_amount: Decimal | None
    applied_at: datetime | None
    lines: list[BudgetLineOut]
    totals: BudgetTotals


class BudgetsOut(BaseModel):
    items: list[BudgetSummary]
    next_cursor: str | None


class StatusChangeOut(BaseModel):
    model_config = {"from_attributes": True}

    from_status: str | None
    to_status: str
    actor_user_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class HistoryOut(BaseModel):
    items: list[StatusChangeOut]


class MonthVariance(BaseModel):
    month: str
    begun: bool = Field(description="Whether the month had begun by `through` (it counts in the to-date figures).")
    budgeted: Decimal
    actual: Decimal
    variance: Decimal = Field(description="Actual less budgeted.")


class VarianceRow(BaseModel):
    gl_account_id: uuid.UUID | None = Field(description="None on the totals rows.")
    account_number: str
    account_name: str
    kind: Literal["INCOME", "EXPENSE", "NET"]
    budgeted_line: bool = Field(description="False for an account with actuals but no line in the budget.")
    months: list[MonthVariance]
    budgeted: Decimal = Field(description="The whole year's budget.")
    budgeted_to_date: Decimal
    actual_to_date: Decimal
    variance_to_date: Decimal = Field(description="Actual less budgeted, to date.")
    favorable: bool = Field(description="Income at or above budget; expense at or below budget; net at or above.")


class VsActualOut(BaseModel):
    budget_id: uuid.UUID
    association_id: uuid.UUID
    fiscal_year: int
    fund: Fund
    status: BudgetStatus
    through: date
    months: list[str]
    rows: list[VarianceRow]
    income: VarianceRow
    expense: VarianceRow
    net: VarianceRow


class UnitAssessmentOut(BaseModel):
    unit_id: uuid.UUID
    unit_number: str
    share: Decimal | None
    periodic_amount: Decimal
    annual_amount: Decimal


class DerivedAssessmentOut(BaseModel):
    budget_id: uuid.UUID
    fund: Fund
    fiscal_year: int
    assessment_type_id: uuid.UUID | None
    assessment_type_name: str | None
    frequency: str
    periods_per_year: int
    assessment_account_id: uuid.UUID = Field(description="The income account the assessment is credited to.")
    expense: Decimal
    income: Decimal
    budgeted_assessment_income: Decimal = Field(description="The budget's own line on the assessment account.")
    other_income: Decimal = Field(description="Income that is not the assessment's (late fees, interest, ...).")
    annual_amount_needed: Decimal = Field(description="Expense less other income (never below zero).")
    allocation: Literal["EQUAL", "ASSESSMENT_SHARE"]
    allocation_note: str
    unit_count: int
    current_amount: Decimal | None = Field(description="The assessment type's amount today.")
    amount: Decimal = Field(
        description="The assessment type's amount that funds the budget: each unit's periodic charge (EQUAL) or "
        "the periodic total split by share (ASSESSMENT_SHARE)."
    )
    periodic_total: Decimal
    annual_total: Decimal
    rounding_difference: Decimal = Field(description="What the year's charges raise beyond the amount needed.")
    rounding: str
    units: list[UnitAssessmentOut]


class AppliedAssessmentOut(BaseModel):
    budget_id: uuid.UUID
    assessment_type_id: uuid.UUID
    previous_amount: Decimal
    amount: Decimal
    allocation: Literal["EQUAL", "ASSESSMENT_SHARE"]
    derivation: DerivedAssessmentOut

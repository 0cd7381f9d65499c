"""The budgets' rules as pure functions: the fiscal year's months, an annual amount spread over them to the cent,
a budget's totals, and the periodic assessment that funds it.

A fiscal year is named by the calendar year it starts in: with a July start, fiscal year 2027 runs from
2027-07-01 to 2028-06-30 (with a January start, it is the calendar year).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONTHS = 12
INCOME, EXPENSE = "INCOME", "EXPENSE"
KIND_OF_ACCOUNT = {"REVENUE": INCOME, "EXPENSE": EXPENSE}
"""A budget line's kind by its account's type: only REVENUE (income) and EXPENSE accounts are budgeted."""
PERIODS_PER_YEAR = {"MONTHLY": 12, "QUARTERLY": 4, "SEMI_ANNUAL": 2, "ANNUAL": 1}
"""Charges a year of an assessment type's frequency (ONE_TIME is not periodic)."""
ASSESSMENT_ROLE = {"OPERATING": "ASSESSMENT_INCOME", "RESERVE": "RESERVE_CONTRIBUTION_INCOME"}
"""The account that receives a fund's regular assessment (the chart's role), when no assessment type is named."""
SPREAD_RULE = (
    "An annual amount is spread evenly: each month gets the annual amount divided by 12, rounded down to the cent, "
    "and the last month the rest, so the months add up exactly to the annual amount."
)


# --- the fiscal year -------------------------------------------------------------------------------------------


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def fiscal_year_bounds(fiscal_year: int, start_month: int) -> tuple[date, date]:
    """The first and last day of the fiscal year that starts in `start_month` of `fiscal_year`."""
    starts = date(fiscal_year, start_month, 1)
    return starts, _add_months(starts, MONTHS) - timedelta(days=1)


def fiscal_year_of(day: date, start_month: int) -> int:
    """The fiscal year `day` falls in."""
    return day.year if day.month >= start_month else day.year - 1


def month_starts(starts_on: date) -> list[date]:
    """The first day of each of the twelve months from `starts_on`'s."""
    first = starts_on.replace(day=1)
    return [_add_months(first, index) for index in range(MONTHS)]


def month_labels(starts_on: date) -> list[str]:
    """The twelve months as `YYYY-MM`."""
    return [f"{month:%Y-%m}" for month in month_starts(starts_on)]


def fiscal_year_label(fiscal_year: int, start_month: int) -> str:
    """`2027`, or `2027-28` for a fiscal year that does not start in January."""
    return str(fiscal_year) if start_month == 1 else f"{fiscal_year}-{(fiscal_year + 1) % 100:02d}"


# --- amounts ---------------------------------------------------------------------------------------------------


def spread(annual: Decimal) -> list[Decimal]:
    """`annual` over twelve months to the cent, summing exactly to it (`SPREAD_RULE`)."""
    month = (annual / MONTHS).quantize(CENT, rounding=ROUND_DOWN)
    return [month] * (MONTHS - 1) + [(annual - month * (MONTHS - 1)).quantize(CENT)]


def scaled(amounts: Sequence[Decimal], percent: Decimal) -> list[Decimal]:
    """Each month changed by `percent` (3 for +3 %), rounded half up to the cent."""
    factor = 1 + percent / 100
    return [max(ZERO, (amount * factor).quantize(CENT, rounding=ROUND_HALF_UP)) for amount in amounts]


@dataclass(frozen=True, slots=True)
class Totals:
    """A budget's income, expense and net (income less expense: a surplus when positive) for the year and by
    month."""

    income: Decimal
    expense: Decimal
    net: Decimal
    monthly_income: list[Decimal]
    monthly_expense: list[Decimal]

    @property
    def monthly_net(self) -> list[Decimal]:
        return [i - e for i, e in zip(self.monthly_income, self.monthly_expense, strict=True)]

    @property
    def result(self) -> Literal["SURPLUS", "DEFICIT", "BALANCED"]:
        return "SURPLUS" if self.net > 0 else "DEFICIT" if self.net < 0 else "BALANCED"


def totals(lines: Sequence[tuple[str, Sequence[Decimal]]]) -> Totals:
    """The totals of (kind, twelve monthly amounts) lines."""
    income, expense = [ZERO] * MONTHS, [ZERO] * MONTHS
    for kind, amounts in lines:
        target = income if kind == INCOME else expense
        for index, amount in enumerate(amounts):
            target[index] += amount
    total_income, total_expense = sum(income, ZERO), sum(expense, ZERO)
    return Totals(total_income, total_expense, total_income - total_expense, income, expense)


# --- the assessment that funds a budget ------------------------------------------------------------------------


def amount_needed(expense: Decimal, income: Decimal, assessment_income: Decimal) -> Decimal:
    """What the assessment must raise in a year: the expenses less the income that is not the assessment's own
    (late fees, interest, amenity fees...); nothing when that income covers the expenses."""
    return max(ZERO, expense - (income - assessment_income))


def _up_to_cent(value: Fraction) -> Decimal:
    return (Decimal(math.ceil(value * 100)) / 100).quantize(CENT)


def _half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Derivation:
    """The periodic assessment that funds `needed` a year.

    `amount` is what the assessment type's amount becomes: each unit's periodic charge with EQUAL allocation, the
    periodic total that billing splits by assessment share with ASSESSMENT_SHARE (as
    `accounting/assessment/v1/billPeriod` does). `per_unit` is each unit's periodic charge, in the order given."""

    needed: Decimal
    periods: int
    allocation: str
    amount: Decimal
    per_unit: list[Decimal]
    periodic_total: Decimal
    annual_total: Decimal
    difference: Decimal
    rounding: str


def _explained(needed: Decimal, collected: Decimal, how: str) -> str:
    difference = collected - needed
    if difference == 0:
        return f"{how} Over the year the units are charged {collected}, exactly the amount needed."
    side = "more" if difference > 0 else "less"
    return f"{how} Over the year the units are charged {collected}, {abs(difference)} {side} than the {needed} needed."


def derive(needed: Decimal, periods: int, shares: Sequence[Decimal | None]) -> Derivation:
    """The periodic amount funding `needed` a year over `periods` charges, for units with `shares` (by assessment
    share when every unit has one greater than zero, else equally). Raises ValueError without units."""
    if not shares:
        raise ValueError("no units to assess")
    count = len(shares)
    by_share = all(share is not None and share > 0 for share in shares)
    if needed <= 0:
        zero = [ZERO] * count
        how = "The budget's other income covers its expenses: there is nothing to assess."
        allocation = "ASSESSMENT_SHARE" if by_share else "EQUAL"
        return Derivation(ZERO, periods, allocation, ZERO, zero, ZERO, ZERO, ZERO, how)
    if by_share:
        weights = [Decimal(share or 0) for share in shares]
        whole = sum(weights, Decimal(0))
        amount = _up_to_cent(Fraction(needed) / periods / Fraction(whole))
        per_unit = [_half_up(amount * weight) for weight in weights]
        divided = f"{periods} periods" + ("" if whole == 1 else f" and by the sum of the units' shares, {whole}")
        how = (
            f"The annual amount needed, {needed}, divided by {divided}, is rounded up to the cent: {amount}, the "
            "periodic total split by assessment share (billPeriod with allocation ASSESSMENT_SHARE); each unit is "
            "charged it times its share, rounded half up to the cent."
        )
        allocation = "ASSESSMENT_SHARE"
    else:
        amount = _up_to_cent(Fraction(needed) / periods / count)
        per_unit = [amount] * count
        how = (
            f"The annual amount needed, {needed}, divided by {periods} periods and {count} units, is rounded up to "
            f"the cent so that the budget is fully funded: each unit is charged {amount} a period (billPeriod with "
            "allocation EQUAL)."
        )
        allocation = "EQUAL"
    periodic = sum(per_unit, ZERO)
    collected = periodic * periods
    return Derivation(
        needed, periods, allocation, amount, per_unit, periodic, collected, collected - needed,
        _explained(needed, collected, how),
    )  # fmt: skip

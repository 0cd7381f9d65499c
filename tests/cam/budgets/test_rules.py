"""The budgets' pure rules, without a database: fiscal years, spreading to the cent, totals, the assessment needed
and its split."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestami.cam.accounting.budgets import rules

CENTS = st.integers(min_value=0, max_value=10**12).map(lambda c: Decimal(c) / 100)


@given(CENTS)
def test_a_spread_adds_up_exactly_and_differs_only_in_the_last_month(annual: Decimal) -> None:
    months = rules.spread(annual)
    assert len(months) == 12
    assert sum(months) == annual
    assert len(set(months[:11])) == 1
    assert all(m == m.quantize(rules.CENT) for m in months)
    assert Decimal(0) <= months[11] - months[0] < Decimal("0.12")


def test_a_spread_gives_the_rest_to_the_last_month() -> None:
    assert rules.spread(Decimal("1000.00")) == [Decimal("83.33")] * 11 + [Decimal("83.37")]
    assert rules.spread(Decimal("0.05")) == [Decimal("0.00")] * 11 + [Decimal("0.05")]


@pytest.mark.parametrize(
    ("year", "start", "bounds", "label"),
    [
        (2027, 1, (date(2027, 1, 1), date(2027, 12, 31)), "2027"),
        (2027, 7, (date(2027, 7, 1), date(2028, 6, 30)), "2027-28"),
        (2099, 10, (date(2099, 10, 1), date(2100, 9, 30)), "2099-00"),
        (2028, 3, (date(2028, 3, 1), date(2029, 2, 28)), "2028-29"),
    ],
)
def test_a_fiscal_year_starts_in_its_month_of_the_year_it_is_named_by(
    year: int, start: int, bounds: tuple[date, date], label: str
) -> None:
    assert rules.fiscal_year_bounds(year, start) == bounds
    assert rules.fiscal_year_label(year, start) == label
    assert rules.fiscal_year_of(bounds[0], start) == year
    assert rules.fiscal_year_of(bounds[1], start) == year
    assert len(rules.month_starts(bounds[0])) == 12


def test_months_run_across_the_calendar_year() -> None:
    assert rules.month_labels(date(2027, 11, 1))[:3] == ["2027-11", "2027-12", "2028-01"]


def test_totals_by_month_and_year() -> None:
    totals = rules.totals([
        (rules.INCOME, [Decimal("10.00")] * 12),
        (rules.EXPENSE, [Decimal("4.00")] * 11 + [Decimal("30.00")]),
    ])  # fmt: skip
    assert (totals.income, totals.expense, totals.net, totals.result) == (
        Decimal("120.00"), Decimal("74.00"), Decimal("46.00"), "SURPLUS",
    )  # fmt: skip
    assert totals.monthly_net[0] == Decimal("6.00")
    assert totals.monthly_net[11] == Decimal("-20.00")
    assert rules.totals([]).result == "BALANCED"


def test_scaling_rounds_half_up_and_never_below_zero() -> None:
    assert rules.scaled([Decimal("83.33"), Decimal("0.50")], Decimal("3")) == [Decimal("85.83"), Decimal("0.52")]
    assert rules.scaled([Decimal("10.00")], Decimal("-100")) == [Decimal("0.00")]


def test_the_amount_needed_is_expense_less_other_income() -> None:
    assert rules.amount_needed(Decimal("42000"), Decimal("30720"), Decimal("30000")) == Decimal("41280")
    assert rules.amount_needed(Decimal("1000"), Decimal("5000"), Decimal("0")) == Decimal("0.00")


def test_an_equal_split_rounds_up_so_the_budget_is_funded() -> None:
    found = rules.derive(Decimal("1000.00"), 12, [None, None, None])
    assert (found.allocation, found.amount) == ("EQUAL", Decimal("27.78"))
    assert (found.annual_total, found.difference) == (Decimal("1000.08"), Decimal("0.08"))


def test_a_split_by_share_divides_by_the_sum_of_the_shares() -> None:
    found = rules.derive(Decimal("1200.00"), 4, [Decimal("0.1"), Decimal("0.3")])
    assert (found.allocation, found.amount) == ("ASSESSMENT_SHARE", Decimal("750.00"))
    assert found.per_unit == [Decimal("75.00"), Decimal("225.00")]
    assert found.difference == Decimal("0.00")


@given(
    st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c) / 100),
    st.sampled_from([1, 2, 4, 12]),
    st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=40),
)
def test_an_equal_split_never_falls_short_by_share_within_a_cent_a_unit(
    needed: Decimal, periods: int, weights: list[int]
) -> None:
    equal = rules.derive(needed, periods, [None] * len(weights))
    assert Decimal(0) <= equal.difference < Decimal("0.01") * len(weights) * periods
    shares = [Decimal(w) / 10**6 for w in weights]
    split = rules.derive(needed, periods, shares)
    assert split.periodic_total == sum(split.per_unit)
    assert abs(split.difference) <= (Decimal("0.01") * (len(weights) + 1) * periods)


def test_no_units_cannot_be_assessed() -> None:
    with pytest.raises(ValueError, match="no units"):
        rules.derive(Decimal("10.00"), 12, [])

"""The reserve funding math (hestami.cam.reserve.funding), checked against worked examples computed by hand.

Source of the formulas: the national reserve study standards, as summarized in /work/shared/DOMAIN-NOTES.md
("Reserve studies"): effective age EA = UL - RUL; fully funded balance FFB = CRC x EA / UL per component;
percent funded = reserve balance / total FFB. The projection conventions (replacement years, inflation,
interest, half-up rounding to the cent as each amount is computed, FFB at a year end) are the ones stated in
the module docstring of funding.py. Every expected number below is written out by hand in the comments; none is
obtained by calling the code under test.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hestami.cam.reserve.funding import (
    Item,
    Year,
    fully_funded_balance,
    percent_funded,
    plans,
    project,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")


def money(text: str) -> Decimal:
    return Decimal(text)


# --- (a) fully funded balance and percent funded --------------------------------------------------------------

ROOF = Item("Roof", useful_life=25, remaining_life=10, replacement_cost=money("250000.00"))
PAINT = Item("Exterior paint", useful_life=8, remaining_life=3, replacement_cost=money("45000.00"))
PUMP = Item("Pool pump", useful_life=12, remaining_life=7, replacement_cost=money("10000.00"))


def test_fully_funded_balance_of_three_components() -> None:
    # Roof:  EA = 25 - 10 = 15;  FFB = 250,000.00 x 15 / 25 = 150,000.00
    # Paint: EA =  8 -  3 =  5;  FFB =  45,000.00 x  5 /  8 =  28,125.00
    # Pump:  EA = 12 -  7 =  5;  FFB =  10,000.00 x  5 / 12 =   4,166.666... -> 4,166.67 (half up)
    assert ROOF.effective_age == 15
    assert PAINT.effective_age == 5
    assert PUMP.effective_age == 5
    assert ROOF.fully_funded() == money("150000.00")
    assert PAINT.fully_funded() == money("28125.00")
    assert PUMP.fully_funded() == money("4166.67")
    # Total: 150,000.00 + 28,125.00 + 4,166.67 = 182,291.67
    assert fully_funded_balance([ROOF, PAINT, PUMP]) == money("182291.67")


def test_percent_funded_of_three_components() -> None:
    items = [ROOF, PAINT, PUMP]
    # 100,000.00 / 182,291.67 = 0.548571... -> 54.857...% -> 54.86
    assert percent_funded(money("100000.00"), items) == money("54.86")
    # 91,145.84 / 182,291.67 = 0.50000002... -> 50.00
    assert percent_funded(money("91145.84"), items) == money("50.00")
    # Fully funded exactly: 100.00; nothing to fund (every component new, EA = 0): None.
    assert percent_funded(money("182291.67"), items) == money("100.00")
    new = [Item("New roof", useful_life=25, remaining_life=25, replacement_cost=money("250000.00"))]
    assert percent_funded(money("1000.00"), new) is None


# --- (b) a five-year projection with inflation and interest -----------------------------------------------------

# Paint: UL 5, RUL 1 -> replaced in year RUL + 1 = 2 (then year 7, beyond the horizon).
# Roof:  UL 20, RUL 10 -> replaced in year 11, beyond the horizon.
# Opening balance 20,000.20; level contribution 5,000.00; inflation 3 %; interest 2.5 %.
# The cents are chosen so that half-up rounding matters (half-even would give 500.00 and 12,715.86).
P_PAINT = Item("Paint", useful_life=5, remaining_life=1, replacement_cost=money("12345.50"))
P_ROOF = Item("Roof", useful_life=20, remaining_life=10, replacement_cost=money("100000.00"))

# year, opening, interest, contribution, replacement cost (inflated), closing, fully funded balance at year end
#
# Year 1: opening 20,000.20; interest 20,000.20 x 0.025 = 500.005 -> 500.01 (half up)
#         closing 20,000.20 + 500.01 + 5,000.00 - 0 = 25,500.21
# Year 2: opening 25,500.21; interest 25,500.21 x 0.025 = 637.50525 -> 637.51
#         paint replaced at 12,345.50 x 1.03^(2-1) = 12,715.865 -> 12,715.87 (half up)
#         closing 25,500.21 + 637.51 + 5,000.00 - 12,715.87 = 18,421.85
# Year 3: opening 18,421.85; interest 18,421.85 x 0.025 = 460.54625 -> 460.55
#         closing 18,421.85 + 460.55 + 5,000.00 = 23,882.40
# Year 4: opening 23,882.40; interest 23,882.40 x 0.025 = 597.06 (exact)
#         closing 23,882.40 + 597.06 + 5,000.00 = 29,479.46
# Year 5: opening 29,479.46; interest 29,479.46 x 0.025 = 736.9865 -> 736.99
#         closing 29,479.46 + 736.99 + 5,000.00 = 35,216.45
#
# Fully funded balance at the end of year y: each component's age then (at most UL) x its cost inflated to year
# y + 1, i.e. CRC x 1.03^y (rounded to the cent), / UL, rounded to the cent.
#   1.03^1 = 1.03, ^2 = 1.0609, ^3 = 1.092727, ^4 = 1.12550881, ^5 = 1.1592740743
#   Paint cost inflated: y1 12,715.865 -> 12,715.87; y2 13,097.34095 -> 13,097.34; y3 13,490.2611785 -> 13,490.26;
#                        y4 13,894.969014... -> 13,894.97; y5 14,311.818084... -> 14,311.82
#   Roof cost inflated:  y1 103,000.00; y2 106,090.00; y3 109,272.70; y4 112,550.881 -> 112,550.88;
#                        y5 115,927.40743 -> 115,927.41
#   Paint age: y1 EA 4 + 1 = 5 (due next year); replaced in year 2 -> ages 1, 2, 3, 4 at the ends of years 2..5.
#   Roof age:  EA 10 + y = 11, 12, 13, 14, 15.
# Year 1: 12,715.87 x 5/5 = 12,715.87        + 103,000.00 x 11/20 = 56,650.00              -> 69,365.87
# Year 2: 13,097.34 x 1/5 = 2,619.468 -> 2,619.47 + 106,090.00 x 12/20 = 63,654.00         -> 66,273.47
# Year 3: 13,490.26 x 2/5 = 5,396.104 -> 5,396.10 + 109,272.70 x 13/20 = 71,027.255 -> 71,027.26 -> 76,423.36
# Year 4: 13,894.97 x 3/5 = 8,336.982 -> 8,336.98 + 112,550.88 x 14/20 = 78,785.616 -> 78,785.62 -> 87,122.60
# Year 5: 14,311.82 x 4/5 = 11,449.456 -> 11,449.46 + 115,927.41 x 15/20 = 86,945.5575 -> 86,945.56 -> 98,395.02
EXPECTED_ROWS = [
    (1, "20000.20", "500.01", "5000.00", "0", "25500.21", "69365.87"),
    (2, "25500.21", "637.51", "5000.00", "12715.87", "18421.85", "66273.47"),
    (3, "18421.85", "460.55", "5000.00", "0", "23882.40", "76423.36"),
    (4, "23882.40", "597.06", "5000.00", "0", "29479.46", "87122.60"),
    (5, "29479.46", "736.99", "5000.00", "0", "35216.45", "98395.02"),
]


def test_five_year_projection_matches_the_hand_computation() -> None:
    rows = project(
        [P_PAINT, P_ROOF],
        balance=money("20000.20"),
        contribution=money("5000.00"),
        inflation=Decimal("0.03"),
        interest=Decimal("0.025"),
        years=5,
    )
    assert len(rows) == 5
    for row, (year, opening, interest, contribution, cost, closing, fully_funded) in zip(
        rows, EXPECTED_ROWS, strict=True
    ):
        assert row.year == year
        assert row.opening == money(opening), year
        assert row.interest == money(interest), year
        assert row.contribution == money(contribution), year
        assert row.expenditures == money(cost), year
        assert row.closing == money(closing), year
        assert row.fully_funded == money(fully_funded), year
        assert row.replaced == (("Paint",) if year == 2 else ())
    # Percent funded at the end of year 1: 25,500.21 / 69,365.87 = 0.367618... -> 36.76
    assert rows[0].percent_funded == money("36.76")


# --- (c) the replacement schedule --------------------------------------------------------------------------------


def replacement_years(item: Item, horizon: int = 12) -> list[int]:
    return [year for year in range(1, horizon + 1) if item.replaced_in(year)]


def test_rul_zero_is_due_in_year_one_then_every_ul_years() -> None:
    # RUL 0: due now -> year 0 + 1 = 1, then 1 + 4 = 5, 5 + 4 = 9. EA = UL = 4, so FFB = CRC.
    item = Item("Gate operator", useful_life=4, remaining_life=0, replacement_cost=money("6000.00"))
    assert replacement_years(item) == [1, 5, 9]
    assert item.effective_age == 4
    assert item.fully_funded() == money("6000.00")
    # Year 1 is at today's cost (inflation^0), and the ages restart at 1 in the replacement year.
    rows = project(
        [item], balance=money("6000.00"), contribution=ZERO, inflation=Decimal("0.05"), interest=ZERO, years=5
    )
    assert [row.expenditures for row in rows] == [
        money("6000.00"),
        ZERO,
        ZERO,
        ZERO,
        money("7293.04"),  # 6,000.00 x 1.05^4 = 6,000 x 1.21550625 = 7,293.0375 -> 7,293.04
    ]
    assert [item.age_at_end_of(year) for year in range(1, 10)] == [1, 2, 3, 4, 1, 2, 3, 4, 1]


def test_overdue_component_is_due_in_year_one() -> None:
    # A negative RUL (past due) is treated as due now: year 1, EA = UL.
    item = Item("Overdue", useful_life=6, remaining_life=-2, replacement_cost=money("1200.00"))
    assert replacement_years(item) == [1, 7]
    assert item.effective_age == 6


def test_rul_equal_to_ul_is_a_new_component() -> None:
    # RUL = UL = 3: EA 0, nothing to fund yet; replaced in year 3 + 1 = 4, then 7, 10.
    item = Item("Seal coat", useful_life=3, remaining_life=3, replacement_cost=money("9000.00"))
    assert item.effective_age == 0
    assert item.fully_funded() == ZERO
    assert replacement_years(item) == [4, 7, 10]
    # Ages at year ends: 0 + 1, 0 + 2, 0 + 3 = UL, then 1 in the replacement year 4.
    assert [item.age_at_end_of(year) for year in range(1, 8)] == [1, 2, 3, 1, 2, 3, 1]


def test_useful_life_of_one_year() -> None:
    # UL 1, RUL 0: every year from year 1. UL 1, RUL 1: every year from year 2.
    yearly_now = Item("Annual A", useful_life=1, remaining_life=0, replacement_cost=money("100.00"))
    yearly_next = Item("Annual B", useful_life=1, remaining_life=1, replacement_cost=money("100.00"))
    assert replacement_years(yearly_now, 5) == [1, 2, 3, 4, 5]
    assert replacement_years(yearly_next, 5) == [2, 3, 4, 5]
    assert yearly_now.fully_funded() == money("100.00")  # EA 1 of UL 1
    assert yearly_next.fully_funded() == ZERO  # EA 0
    # At every year end the age is 1 of 1, so the FFB is the cost inflated to the next year:
    # end of year 2 with 10 % inflation: 100.00 x 1.1^2 = 121.00 for each of the two components.
    rows = project(
        [yearly_now, yearly_next],
        balance=ZERO,
        contribution=money("500.00"),
        inflation=Decimal("0.10"),
        interest=ZERO,
        years=3,
    )
    # Costs: year 1 only A at 100.00; year 2 both at 110.00; year 3 both at 121.00.
    assert [row.expenditures for row in rows] == [money("100.00"), money("220.00"), money("242.00")]
    assert rows[1].fully_funded == money("242.00")


# --- (d) the funding plans ---------------------------------------------------------------------------------------

# No interest, no inflation, six years, opening balance 5,000.00:
#   Gutters: UL 4, RUL 1, 8,000.00   -> replaced in years 2 and 6
#   Paving:  UL 10, RUL 3, 30,000.03 -> replaced in year 4
# Costs by year: y2 8,000.00; y4 30,000.03; y6 8,000.00.
# Cumulative cost C(k): k1 0; k2 8,000.00; k3 8,000.00; k4 38,000.03; k5 38,000.03; k6 46,000.03.
PLAN_ITEMS = [
    Item("Gutters", useful_life=4, remaining_life=1, replacement_cost=money("8000.00")),
    Item("Paving", useful_life=10, remaining_life=3, replacement_cost=money("30000.03")),
]
PLAN_BALANCE = money("5000.00")


def plan_rows(contribution: Decimal) -> list[Year]:
    return project(PLAN_ITEMS, balance=PLAN_BALANCE, contribution=contribution, inflation=ZERO, interest=ZERO, years=6)


def test_baseline_is_the_smallest_level_contribution_keeping_every_balance_non_negative() -> None:
    # Closing at year k = 5,000.00 + k x c - C(k) >= 0  <=>  c >= (C(k) - 5,000.00) / k for every k:
    #   k1 -5,000.00; k2 3,000.00/2 = 1,500.00; k3 3,000.00/3 = 1,000.00; k4 33,000.03/4 = 8,250.0075;
    #   k5 33,000.03/5 = 6,600.006; k6 41,000.03/6 = 6,833.338...
    # max = 8,250.0075 -> ceiling to the cent: 8,250.01.
    result = plans(PLAN_ITEMS, balance=PLAN_BALANCE, inflation=ZERO, interest=ZERO, years=6)
    assert result.baseline == money("8250.01")
    assert result.threshold is None
    # Year 4 at 8,250.01: 5,000.00 + 33,000.04 - 38,000.03 = 0.01; at 8,250.00: -0.03.
    assert plan_rows(money("8250.01"))[3].closing == money("0.01")
    assert plan_rows(money("8250.00"))[3].closing == money("-0.03")


def test_threshold_keeps_every_balance_above_the_floor() -> None:
    # Floor 2,000.00: c >= (C(k) - 5,000.00 + 2,000.00) / k:
    #   k2 5,000.00/2 = 2,500.00; k4 35,000.03/4 = 8,750.0075; k5 35,000.03/5 = 7,000.006;
    #   k6 43,000.03/6 = 7,166.67...  max = 8,750.0075 -> 8,750.01.
    result = plans(PLAN_ITEMS, balance=PLAN_BALANCE, inflation=ZERO, interest=ZERO, floor=money("2000.00"), years=6)
    assert result.threshold == money("8750.01")
    # Year 4 at 8,750.01: 5,000.00 + 35,000.04 - 38,000.03 = 2,000.01; one cent less: 1,999.97 < floor.
    assert plan_rows(money("8750.01"))[3].closing == money("2000.01")
    assert min(row.closing for row in plan_rows(money("8750.00"))) < money("2000.00")
    # A floor of zero is the baseline.
    assert plans(PLAN_ITEMS, balance=PLAN_BALANCE, inflation=ZERO, interest=ZERO, floor=ZERO, years=6).threshold == (
        money("8250.01")
    )


def test_full_funding_reaches_the_fully_funded_balance_at_the_horizon() -> None:
    # FFB at the end of year 6 (no inflation):
    #   Gutters replaced in year 6 -> age 1 of 4: 8,000.00 x 1/4 = 2,000.00
    #   Paving replaced in year 4 -> age 3 of 10: 30,000.03 x 3/10 = 9,000.009 -> 9,000.01
    #   total 11,000.01
    # Closing at year 6 = 5,000.00 + 6c - 46,000.03 >= 11,000.01  <=>  6c >= 52,000.04  <=>  c >= 8,666.6733...
    # -> 8,666.68, above the baseline 8,250.01, so every closing stays >= 0 too.
    result = plans(PLAN_ITEMS, balance=PLAN_BALANCE, inflation=ZERO, interest=ZERO, years=6)
    assert result.full == money("8666.68")
    last = plan_rows(money("8666.68"))[-1]
    assert last.fully_funded == money("11000.01")
    assert last.closing == money("11000.05")  # 5,000.00 + 52,000.08 - 46,000.03
    short = plan_rows(money("8666.67"))[-1]
    assert short.closing == money("10999.99")  # 5,000.00 + 52,000.02 - 46,000.03 < 11,000.01
    assert short.closing < short.fully_funded


def test_plans_with_inflation_and_interest_are_the_smallest_that_work() -> None:
    # The projection example of (b), over 30 years, with a floor: each plan's contribution satisfies its rule,
    # and one cent less does not.
    items = [P_PAINT, P_ROOF]

    def run(amount: Decimal) -> list[Year]:
        return project(
            items, balance=money("20000.20"), contribution=amount, inflation=Decimal("0.03"), interest=Decimal("0.025")
        )

    result = plans(
        items, balance=money("20000.20"), inflation=Decimal("0.03"), interest=Decimal("0.025"), floor=money("10000.00")
    )
    assert result.threshold is not None
    assert ZERO < result.baseline <= result.threshold
    assert result.baseline <= result.full

    assert all(row.closing >= ZERO for row in run(result.baseline))
    assert any(row.closing < ZERO for row in run(result.baseline - CENT))

    assert all(row.closing >= money("10000.00") for row in run(result.threshold))
    assert any(row.closing < money("10000.00") for row in run(result.threshold - CENT))

    rows = run(result.full)
    assert all(row.closing >= ZERO for row in rows)
    assert rows[-1].closing >= rows[-1].fully_funded
    short = run(result.full - CENT)
    assert not (all(row.closing >= ZERO for row in short) and short[-1].closing >= short[-1].fully_funded)


def test_a_balance_that_already_covers_everything_needs_no_contribution() -> None:
    # Costs total 46,000.03 over six years with no interest or inflation: a 50,000.00 balance never goes below zero.
    result = plans(PLAN_ITEMS, balance=money("50000.00"), inflation=ZERO, interest=ZERO, years=6)
    assert result.baseline == ZERO


# --- properties --------------------------------------------------------------------------------------------------

cents_amount = st.integers(min_value=0, max_value=50_000_000).map(lambda n: Decimal(n) / 100)
rate = st.integers(min_value=-200, max_value=800).map(lambda n: Decimal(n) / 10_000)
items_strategy = st.lists(
    st.builds(
        lambda ul, rul, cost, n: Item(f"c{n}", useful_life=ul, remaining_life=rul, replacement_cost=cost),
        st.integers(min_value=1, max_value=40),
        st.integers(min_value=-2, max_value=40),
        st.integers(min_value=0, max_value=100_000_000).map(lambda n: Decimal(n) / 100),
        st.integers(min_value=0, max_value=999),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(
    items=items_strategy,
    balance=cents_amount,
    low=cents_amount,
    extra=cents_amount,
    inflation=rate,
    interest=rate,
    years=st.integers(min_value=1, max_value=30),
)
def test_more_contribution_never_lowers_any_closing_balance(
    items: list[Item], balance: Decimal, low: Decimal, extra: Decimal, inflation: Decimal, interest: Decimal, years: int
) -> None:
    kwargs = {"balance": balance, "inflation": inflation, "interest": interest, "years": years}
    smaller = project(items, contribution=low, **kwargs)  # type: ignore[arg-type]
    larger = project(items, contribution=low + extra, **kwargs)  # type: ignore[arg-type]
    for a, b in zip(smaller, larger, strict=True):
        assert b.closing >= a.closing
        assert b.expenditures == a.expenditures
        assert b.fully_funded == a.fully_funded


@settings(max_examples=25, deadline=None)
@given(items=items_strategy, balance=cents_amount, inflation=rate, years=st.integers(min_value=1, max_value=30))
def test_baseline_is_minimal(items: list[Item], balance: Decimal, inflation: Decimal, years: int) -> None:
    interest = Decimal("0.015")
    baseline = plans(items, balance=balance, inflation=inflation, interest=interest, years=years).baseline

    def lowest(amount: Decimal) -> Decimal:
        rows = project(items, balance=balance, contribution=amount, inflation=inflation, interest=interest, years=years)
        return min(row.closing for row in rows)

    assert lowest(baseline) >= ZERO
    if baseline > ZERO:
        assert lowest(baseline - CENT) < ZERO

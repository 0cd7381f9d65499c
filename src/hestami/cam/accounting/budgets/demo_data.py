"""The demo budgets as data: per demo association its operating budget (income from its dues, the expenses of its
vendors and services, some seasonal) and its reserve budget (the reserve contribution and the projects planned).
`demo.py` writes them through the budget services.

Amounts are annual; a line is spread by a pattern of twelve calendar-month weights (landscaping peaks in summer, the
pool is open May to September) or falls in one month (the insurance renewal, the audit). The dues and reserve
contributions come from the demo books (`accounting.demo_data.BOOKS`): monthly per unit, or the building's total for
a condominium billed by share.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")
EVEN = (1,) * 12
LAWN = (5, 5, 8, 10, 11, 11, 11, 11, 10, 8, 5, 5)
POOL = (0, 0, 2, 8, 14, 18, 20, 18, 12, 6, 2, 0)
POWER = (7, 7, 7, 8, 9, 10, 11, 11, 9, 8, 7, 6)
NEXT_YEAR_INCREASE = Decimal("4")
"""Next year's draft starts from this year's operating budget, every month up 4 %."""


def once(month: int) -> tuple[int, ...]:
    """The whole amount in one calendar month (1-12)."""
    return tuple(1 if m == month else 0 for m in range(1, 13))


def by_calendar_month(annual: Decimal, weights: tuple[int, ...], start_month: int) -> list[Decimal]:
    """`annual` over the fiscal year's months (from `start_month`) by calendar-month weights, each rounded down to
    the cent and the rest in the last month with weight, so the months add up exactly to `annual`."""
    order = [(start_month - 1 + index) % 12 for index in range(12)]
    whole = sum(weights)
    amounts = [(annual * weights[month] / whole).quantize(CENT, rounding=ROUND_DOWN) for month in order]
    last = max(index for index, month in enumerate(order) if weights[month])
    amounts[last] += annual - sum(amounts)
    return amounts


@dataclass(frozen=True)
class Line:
    account: str
    annual: Decimal
    weights: tuple[int, ...] = EVEN
    note: str | None = None


@dataclass(frozen=True)
class Plan:
    short: str
    """The demo books' short name of the association (`accounting.demo_data.Books.short`)."""
    operating: tuple[Line, ...]
    """Operating lines besides the regular assessments (which come from the dues)."""
    reserve: tuple[Line, ...]
    """Reserve lines besides the reserve contributions (which come from the books)."""


def _d(value: str) -> Decimal:
    return Decimal(value)


PLANS = (
    Plan(
        short="Willow Creek HOA",
        operating=(
            Line("4300", _d("900.00"), note="Late fees at last year's pace"),
            Line("4500", _d("180.00")),
            Line("5000", _d("6960.00"), note="Summit Property Management: 40 units at $14.50 a month"),
            Line("5100", _d("7850.00"), once(11), "Common-area property and liability renewal"),
            Line("5210", _d("3000.00"), POWER),
            Line("5220", _d("4200.00"), POWER, "Irrigation in summer"),
            Line("5300", _d("16800.00"), LAWN, "Hill Country Landscape Services contract"),
            Line("5410", _d("4560.00"), POOL, "Crystal Clear Pool Care, season May to September"),
            Line("5400", _d("1500.00")),
            Line("6100", _d("1200.00"), once(3), "Annual audit"),
            Line("6200", _d("480.00")),
        ),
        reserve=(
            Line("4510", _d("1400.00"), note="Money market and CDs"),
            Line("7700", _d("2800.00"), once(2), "Reserve study update"),
            Line("7400", _d("6500.00"), once(6), "Clubhouse and entry monument painting"),
            Line("7500", _d("3200.00"), once(10), "Pool fence replacement, phase 1"),
        ),
    ),
    Plan(
        short="Harbor View COA",
        operating=(
            Line("4300", _d("1200.00")),
            Line("4500", _d("600.00")),
            Line("4600", _d("2400.00"), note="Sky Deck and clubroom rentals"),
            Line("5000", _d("7830.00"), note="Summit Property Management: 30 units at $21.75 a month"),
            Line("5100", _d("48000.00"), once(7), "Condominium master policy and windstorm renewal"),
            Line("5210", _d("18000.00"), POWER),
            Line("5220", _d("14400.00"), POWER),
            Line("5230", _d("4800.00")),
            Line("5300", _d("12000.00"), LAWN),
            Line("5410", _d("6480.00"), POOL),
            Line("5420", _d("2400.00"), note="Garage gate and fob system service"),
            Line("5500", _d("14400.00")),
            Line("5600", _d("9600.00"), note="Front desk, evenings and weekends"),
            Line("5400", _d("2000.00")),
            Line("6100", _d("1000.00"), once(3)),
        ),
        reserve=(
            Line("4510", _d("2600.00")),
            Line("7700", _d("3400.00"), once(1), "Structural integrity reserve study"),
            Line("7600", _d("9500.00"), once(4), "Elevator controller modernization, car 1"),
            Line("7300", _d("9850.00"), once(9), "Sky Deck pool resurfacing"),
        ),
    ),
    Plan(
        short="Sunset Ridge HOA",
        operating=(
            Line("4300", _d("480.00")),
            Line("4500", _d("120.00")),
            Line("4600", _d("360.00"), note="Pavilion rentals"),
            Line("5300", _d("9600.00"), LAWN, "Mission Oaks Landscaping"),
            Line("5410", _d("4200.00"), POOL, "Alamo City Pool Service"),
            Line("5100", _d("5400.00"), once(5)),
            Line("5210", _d("2400.00"), POWER),
            Line("5220", _d("3600.00"), POWER),
            Line("6100", _d("4200.00"), note="Audit and tax preparation, accrued monthly"),
            Line("6000", _d("1200.00")),
            Line("6200", _d("900.00")),
            Line("5400", _d("1000.00")),
        ),
        reserve=(
            Line("4510", _d("480.00")),
            Line("7200", _d("4800.00"), once(8), "Crack seal and restripe Canyon Mesa"),
            Line("7500", _d("2600.00"), once(11), "Entry gate operator replacement"),
        ),
    ),
)

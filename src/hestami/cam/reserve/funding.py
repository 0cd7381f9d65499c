"""Reserve funding analysis: the standard formulas of the national reserve study standards, as pure functions.

For each component: useful life UL, remaining useful life RUL, effective age EA = UL - RUL, current replacement
cost CRC. **Fully funded balance** FFB = CRC * EA / UL; **percent funded** = reserve balance / sum of FFB.

The projection (`project`) runs year by year from the study date, with these stated conventions:
- year 1 begins on the study date; a component with RUL r (0 <= r <= UL; outside, the nearest) is replaced in
  year r + 1 (r = 0: due now, year 1), then every UL years;
- a replacement in year y costs CRC * (1 + inflation)^(y - 1) (year 1 at today's cost);
- each year: closing = opening * (1 + interest) + contribution - replacements, each amount rounded to the cent
  (half up) as it is computed;
- the fully funded balance at the end of year y uses each component's age then (years since its last replacement,
  counting the year of the replacement; the effective age grown by y when not replaced yet), at most UL, and its
  cost inflated to year y + 1 (the cost of replacing it at the start of the next year).

Funding plans solve for the smallest level annual contribution (to the cent, by bisection) whose projection keeps:
**baseline**, every closing balance at or above zero; **threshold**, every closing balance at or above the
board's floor; **full funding**, every closing balance at or above zero and the last year's at or above that
year's fully funded balance (100 % funded at the horizon).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
YEARS = 30


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Item:
    """One component as the analysis needs it."""

    name: str
    useful_life: int
    remaining_life: int
    replacement_cost: Decimal

    @property
    def effective_age(self) -> int:
        return self.useful_life - min(max(self.remaining_life, 0), self.useful_life)

    def fully_funded(self) -> Decimal:
        return cents(self.replacement_cost * self.effective_age / self.useful_life)

    def replaced_in(self, year: int) -> bool:
        """Whether the component is replaced in projection year `year` (1-based)."""
        first = min(max(self.remaining_life, 0), self.useful_life) + 1
        return year >= first and (year - first) % self.useful_life == 0

    def age_at_end_of(self, year: int) -> int:
        first = min(max(self.remaining_life, 0), self.useful_life) + 1
        if year < first:
            return min(self.effective_age + year, self.useful_life)
        return min((year - first) % self.useful_life + 1, self.useful_life)


@dataclass(frozen=True, slots=True)
class Year:
    year: int
    opening: Decimal
    contribution: Decimal
    interest: Decimal
    expenditures: Decimal
    replaced: tuple[str, ...]
    closing: Decimal
    fully_funded: Decimal

    @property
    def percent_funded(self) -> Decimal | None:
        return None if self.fully_funded == ZERO else cents(self.closing * 100 / self.fully_funded)


def fully_funded_balance(items: Sequence[Item]) -> Decimal:
    return sum((item.fully_funded() for item in items), ZERO)


def percent_funded(balance: Decimal, items: Sequence[Item]) -> Decimal | None:
    """The reserve balance as a percent of the fully funded balance (None when nothing needs funding)."""
    total = fully_funded_balance(items)
    return None if total == ZERO else cents(balance * 100 / total)


def _inflated(cost: Decimal, inflation: Decimal, years: int) -> Decimal:
    return cents(cost * (1 + inflation) ** years)


def fully_funded_at_end_of(items: Sequence[Item], year: int, inflation: Decimal) -> Decimal:
    return sum(
        (
            cents(_inflated(item.replacement_cost, inflation, year) * item.age_at_end_of(year) / item.useful_life)
            for item in items
        ),
        ZERO,
    )


def project(
    items: Sequence[Item],
    *,
    balance: Decimal,
    contribution: Decimal,
    inflation: Decimal,
    interest: Decimal,
    years: int = YEARS,
) -> list[Year]:
    rows: list[Year] = []
    opening = cents(balance)
    contribution = cents(contribution)
    for year in range(1, years + 1):
        replaced = [item for item in items if item.replaced_in(year)]
        spent = sum((_inflated(item.replacement_cost, inflation, year - 1) for item in replaced), ZERO)
        earned = cents(opening * interest)
        closing = opening + earned + contribution - spent
        rows.append(
            Year(
                year=year, opening=opening, contribution=contribution, interest=earned, expenditures=spent,
                replaced=tuple(item.name for item in replaced), closing=closing,
                fully_funded=fully_funded_at_end_of(items, year, inflation),
            )
        )  # fmt: skip
        opening = closing
    return rows


def _smallest(ok: Callable[[Decimal], bool], upper: Decimal) -> Decimal:
    """The smallest amount in cents in [0, upper] for which `ok` holds (it is monotonic in the amount)."""
    if ok(ZERO):
        return cents(ZERO)
    low, high = 0, int(upper * 100)
    while not ok(Decimal(high) / 100):  # the upper guess was short (negative interest): widen it
        low, high = high, high * 2 + 100
    while high - low > 1:
        middle = (low + high) // 2
        if ok(Decimal(middle) / 100):
            high = middle
        else:
            low = middle
    return cents(Decimal(high) / 100)


@dataclass(frozen=True, slots=True)
class Plans:
    baseline: Decimal
    threshold: Decimal | None
    full: Decimal


def plans(
    items: Sequence[Item],
    *,
    balance: Decimal,
    inflation: Decimal,
    interest: Decimal,
    floor: Decimal | None = None,
    years: int = YEARS,
) -> Plans:
    """The level annual contribution of each funding plan."""

    def rows(amount: Decimal) -> list[Year]:
        return project(items, balance=balance, contribution=amount, inflation=inflation, interest=interest, years=years)

    upper = sum(
        (
            _inflated(i.replacement_cost, inflation, y - 1)
            for i in items
            for y in range(1, years + 1)
            if i.replaced_in(y)
        ),
        ZERO,
    ) + fully_funded_at_end_of(items, years, inflation)

    def never_below(limit: Decimal) -> Callable[[Decimal], bool]:
        return lambda amount: all(row.closing >= limit for row in rows(amount))

    def full(amount: Decimal) -> bool:
        projected = rows(amount)
        return all(row.closing >= ZERO for row in projected) and projected[-1].closing >= projected[-1].fully_funded

    return Plans(
        baseline=_smallest(never_below(ZERO), upper),
        threshold=None if floor is None else _smallest(never_below(floor), upper + floor),
        full=_smallest(full, upper),
    )

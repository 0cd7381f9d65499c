"""Proration on an ownership transfer, as pure rules: a period assessment of a type that prorates
(`prorate_on_transfer`) is split where the unit changed hands inside the period, one part per stretch of days
between transfers, each part the period's amount times its days over the period's days (to the cent, the last
part taking what rounding left, so the parts add up to the amount exactly). Each part is its own charge naming
the days it covers (`covers_from` .. `covers_to`, the owners of record then owe it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from hestami.cam.accounting.ledger import cents

MONTHS_PER_PERIOD = {"MONTHLY": 1, "QUARTERLY": 3, "SEMI_ANNUAL": 6, "ANNUAL": 12}
"""The periodic frequencies (ONE_TIME types have no period to prorate)."""


@dataclass(frozen=True, slots=True)
class Part:
    """A share of a period's assessment: the days `start` .. `end` (inclusive), or the whole period (None)."""

    amount: Decimal
    start: date | None = None
    end: date | None = None


def period_of(frequency: str, due_date: date) -> tuple[date, date] | None:
    """The days a period assessment due on `due_date` covers: from the due date to the day before the next one
    (None for a type without periods)."""
    months = MONTHS_PER_PERIOD.get(frequency)
    if months is None:
        return None
    return due_date, due_date + relativedelta(months=months) - relativedelta(days=1)


def parts(amount: Decimal, period: tuple[date, date] | None, transfers: Iterable[date]) -> list[Part]:
    """`amount` split at the transfer dates (a new owner's first day) that fall inside the period; one whole part
    when none does (or there is no period)."""
    if period is None:
        return [Part(amount)]
    first, last = period
    cuts = sorted({day for day in transfers if first < day <= last})
    if not cuts:
        return [Part(amount)]
    days = (last - first).days + 1
    starts = [first, *cuts]
    ends = [*(cut - relativedelta(days=1) for cut in cuts), last]
    split: list[Part] = []
    left = amount
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        share = left if number == len(starts) - 1 else cents(amount * ((end - start).days + 1) / days)
        split.append(Part(share, start, end))
        left -= share
    return split

"""Domain 1's pure rules, without a database: the peak share of a unit's ownerships over a period.

`peak_share` decides whether a new ownership fits under 100%: periods are [start, end), an open end runs forever."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestami.cam.association.models import Ownership
from hestami.cam.association.services.occupancy import peak_share

# In a session that also runs the embedded stack, DBOS's threads draw OpenTelemetry span ids from the global
# `random` while Hypothesis generates examples here, which it reports as these strategies using `random`.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies:hypothesis.errors.HypothesisDeprecationWarning"
)

UNIT = uuid.uuid4()
DAY0 = date(2026, 1, 1)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def owned(percentage: str | Decimal, start: date, end: date | None = None) -> Ownership:
    return Ownership(
        unit_id=UNIT,
        party_id=uuid.uuid4(),
        ownership_type="FEE_SIMPLE",
        percentage=Decimal(percentage),
        start_date=start,
        end_date=end,
    )


def test_nothing_held_is_zero() -> None:
    assert peak_share([], day(0), day(30)) == Decimal(0)
    assert peak_share([], day(0), None) == Decimal(0)


def test_an_ownership_over_the_whole_period_counts_in_full() -> None:
    assert peak_share([owned("62.5", day(-100))], day(0), day(30)) == Decimal("62.5")


def test_owners_one_after_the_other_never_add_up() -> None:
    seller = owned("100", day(0), day(10))
    buyer = owned("75", day(10))
    assert peak_share([seller, buyer], day(0), None) == Decimal(100)
    assert peak_share([seller, buyer], day(10), None) == Decimal(75)


def test_the_peak_can_fall_inside_the_period() -> None:
    base = owned("30", day(0), day(100))
    spring = owned("40", day(20), day(40))
    summer = owned("20", day(35), day(60))
    assert peak_share([base, spring, summer], day(0), day(100)) == Decimal(90)
    assert peak_share([base, spring, summer], day(40), day(100)) == Decimal(50)


def test_periods_are_half_open() -> None:
    ended_at_start = owned("50", day(-10), day(0))
    starts_at_end = owned("50", day(30))
    assert peak_share([ended_at_start, starts_at_end], day(0), day(30)) == Decimal(0)
    assert peak_share([ended_at_start, starts_at_end], day(0), day(31)) == Decimal(50)
    assert peak_share([ended_at_start, starts_at_end], day(-1), day(30)) == Decimal(50)


def test_an_open_period_meets_every_later_owner() -> None:
    far = owned("10", day(3650))
    assert peak_share([far], day(0), day(3650)) == Decimal(0)
    assert peak_share([far], day(0), None) == Decimal(10)


@dataclass(frozen=True)
class Period:
    start: int
    end: int | None


def periods(horizon: int = 40) -> st.SearchStrategy[Period]:
    return st.integers(0, horizon).flatmap(
        lambda start: st.builds(Period, st.just(start), st.none() | st.integers(start + 1, start + horizon))
    )


shares = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100), places=4)


def held_on(ownerships: list[Ownership], on: date) -> Decimal:
    return sum(
        (o.percentage for o in ownerships if o.start_date <= on and (o.end_date is None or on < o.end_date)),
        Decimal(0),
    )


def brute_force_peak(ownerships: list[Ownership], start: date, end: date | None) -> Decimal:
    """The largest share held on any single day of [start, end), day by day (past the last date nothing changes)."""
    last = max([start, *(o.start_date for o in ownerships), *(o.end_date for o in ownerships if o.end_date)])
    stop = end or last + timedelta(days=1)
    days = (start + timedelta(days=n) for n in range((stop - start).days))
    return max((held_on(ownerships, d) for d in days), default=Decimal(0))


@given(st.lists(st.tuples(shares, periods()), max_size=8), periods())
def test_peak_share_is_the_largest_share_held_on_any_day(
    existing: list[tuple[Decimal, Period]], window: Period
) -> None:
    ownerships = [owned(p, day(s.start), day(s.end) if s.end is not None else None) for p, s in existing]
    start, end = day(window.start), day(window.end) if window.end is not None else None
    assert peak_share(ownerships, start, end) == brute_force_peak(ownerships, start, end)

"""Governance's rules as pure functions: notice periods, quorum, tallies by weight, and a special assessment split
exactly by share.

"Days" are calendar days; `GOVERNANCE_DAY_SECONDS` shortens them for tests and demos (`day_seconds`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

CENT = Decimal("0.01")
MEMBER_MEETINGS = frozenset({"ANNUAL", "SPECIAL"})
"""Meetings of the owners (notice to every owner, a voter list on a record date, quorum by voting weight). BOARD
and COMMITTEE meetings are the directors' (quorum: a majority of the seats); owners are still told of board ones."""
OFFICERS = frozenset({"PRESIDENT", "VICE_PRESIDENT", "SECRETARY", "TREASURER", "CHAIR"})
"""Positions one person holds at a time on a board; DIRECTOR and MEMBER seats are as many as the board has."""
YES, NO, ABSTAIN = "YES", "NO", "ABSTAIN"
REMAINDER_RULE = (
    "Each unit's exact share of the total is rounded down to the cent; the cents left over go one each to the units "
    "with the largest fractions of a cent dropped, ties to the first in unit-number order."
)


def days(count: float, day_seconds: float) -> timedelta:
    return timedelta(seconds=count * day_seconds)


@dataclass(frozen=True, slots=True)
class NoticePlan:
    """When a meeting's notice, final agenda and reminder go out."""

    notice_at: datetime
    agenda_at: datetime
    reminder_at: datetime
    latest_notice_at: datetime


def notice_plan(
    now: datetime,
    starts_at: datetime,
    *,
    notice_days: int,
    agenda_days: int,
    reminder_hours: int,
    day_seconds: float,
    notice_at: datetime | None = None,
) -> NoticePlan:
    """The notice goes at `notice_at` (default: now) and no later than `notice_days` before the meeting; the final
    agenda `agenda_days` before it (not before the notice), the reminder `reminder_hours` before it."""
    latest = starts_at - days(notice_days, day_seconds)
    sent = max(now, notice_at) if notice_at is not None else now
    agenda = max(sent, starts_at - days(agenda_days, day_seconds))
    reminder = max(agenda, starts_at - days(reminder_hours / 24, day_seconds))
    return NoticePlan(notice_at=sent, agenda_at=agenda, reminder_at=reminder, latest_notice_at=latest)


def board_quorum(seat_count: int) -> int:
    """A majority of the board's seats."""
    return seat_count // 2 + 1


def member_quorum_met(present_weight: Decimal, total_weight: Decimal, percent: Decimal) -> bool:
    """The voting weight represented (in person, by proxy or electronically) is at least `percent` of all."""
    return total_weight > 0 and present_weight * 100 >= total_weight * percent


@dataclass(frozen=True, slots=True)
class Tally:
    """Votes counted by weight (each seat weighs 1 on a board motion; each unit its voting weight on a ballot)."""

    weights: dict[str, Decimal]
    counts: dict[str, int]
    threshold: str
    result: str | None = None
    leading: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "weights": {k: str(v) for k, v in self.weights.items()},
            "counts": self.counts,
            "threshold": self.threshold,
            "result": self.result,
            "leading": self.leading,
        }


def passes(yes: Decimal, no: Decimal, threshold: str) -> bool:
    """Abstentions do not count: a majority (or two thirds) of the weight voting yes or no."""
    if yes + no == 0:
        return False
    if threshold == "TWO_THIRDS":
        return yes * 3 >= (yes + no) * 2
    return yes * 2 > yes + no


def tally(options: Sequence[str], ballots: Sequence[tuple[str, Decimal]], threshold: str) -> Tally:
    """Weights and heads per option; PASSED/FAILED for a yes/no question, otherwise the leading option(s)."""
    weights = {option: Decimal(0) for option in options}
    counts = {option: 0 for option in options}
    for choice, weight in ballots:
        weights[choice] += weight
        counts[choice] += 1
    if YES in weights and NO in weights:
        result = "PASSED" if passes(weights[YES], weights[NO], threshold) else "FAILED"
        return Tally(weights, counts, threshold, result, [YES if result == "PASSED" else NO])
    top = max(weights.values(), default=Decimal(0))
    leading = [option for option in options if weights[option] == top and top > 0]
    return Tally(weights, counts, threshold, None, leading)


def split_by_share(total: Decimal, shares: Sequence[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """`total` split over (key, share) pairs, in unit-number order, in proportion to the shares, to the cent,
    summing exactly to `total` (`REMAINDER_RULE`)."""
    if total <= 0 or not shares:
        raise ValueError("a positive total over at least one share")
    whole = sum((share for _, share in shares), Decimal(0))
    if whole <= 0 or any(share < 0 for _, share in shares):
        raise ValueError("shares must be positive")
    # Exact fractions of a cent (a Decimal division rounds, and could break a tie the wrong way).
    exact = {key: Fraction(total) * Fraction(share) / Fraction(whole) / Fraction(CENT) for key, share in shares}
    cents = {key: math.floor(value) for key, value in exact.items()}
    left = int(Fraction(total) / Fraction(CENT)) - sum(cents.values())
    position = {key: index for index, (key, _) in enumerate(shares)}
    order = sorted(exact, key=lambda key: (-(exact[key] - cents[key]), position[key]))
    for key in order[:left]:
        cents[key] += 1
    return {key: (Decimal(count) * CENT).quantize(CENT, rounding=ROUND_DOWN) for key, count in cents.items()}

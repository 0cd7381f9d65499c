"""Governance's pure rules (`hestami.cam.governance.rules`): the exact split of a special assessment by share, the
count of a vote by weight, board and owner quorum, and when a meeting's notice, agenda and reminder go out."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from hestami.cam.governance import rules

CENT = Decimal("0.01")


@pytest.fixture(autouse=True)
def short_governance_days() -> None:
    """Pure functions: no stack, no settings (overrides the package's autouse fixture of the same name)."""


def reference_split(total: Decimal, shares: list[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The remainder rule computed exactly with fractions: each amount rounded down to the cent, the cents left go
    one each to the largest fractions of a cent dropped, ties to the first listed."""
    whole = sum((Fraction(share) for _, share in shares), Fraction(0))
    exact = {key: Fraction(total) * Fraction(share) / whole * 100 for key, share in shares}
    cents = {key: math.floor(value) for key, value in exact.items()}
    left = int(Fraction(total) * 100) - sum(cents.values())
    order = sorted(range(len(shares)), key=lambda i: (-(exact[shares[i][0]] - cents[shares[i][0]]), i))
    for index in order[:left]:
        cents[shares[index][0]] += 1
    return {key: Decimal(count).scaleb(-2) for key, count in cents.items()}


def check_split(total: Decimal, shares: list[tuple[str, Decimal]]) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = rules.split_by_share(total, shares)
    assert set(amounts) == {key for key, _ in shares}
    assert sum(amounts.values(), Decimal(0)) == total, (total, shares, amounts)
    whole = sum((Fraction(share) for _, share in shares), Fraction(0))
    for key, share in shares:
        amount = amounts[key]
        assert amount == amount.quantize(CENT), amount  # whole cents
        exact = Fraction(total) * Fraction(share) / whole
        # never more than a cent away from the exact share, and never below its rounded-down cent
        assert Fraction(amount) <= exact + Fraction(1, 100)
        assert Fraction(amount) >= Fraction(math.floor(exact * 100), 100)
    assert amounts == reference_split(total, shares), (total, shares)
    return amounts


# --- split_by_share ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_split_sums_exactly_for_random_shares(seed: int) -> None:
    rng = random.Random(seed)
    count = rng.choice([1, 2, 3, 7, 13, 50, 137])
    shares = [(f"u{i:03d}", Decimal(rng.randint(1, 999_999)).scaleb(-6)) for i in range(count)]
    total = Decimal(rng.randint(1, 10_000_000)).scaleb(-2)
    check_split(total, shares)


def test_split_one_unit_gets_the_whole_total() -> None:
    assert check_split(Decimal("10000.00"), [("101", Decimal("0.123457"))]) == {"101": Decimal("10000.00")}
    assert check_split(Decimal("0.01"), [("101", Decimal("1"))]) == {"101": Decimal("0.01")}


def test_split_equal_shares_gives_remainder_cents_to_the_first_listed() -> None:
    equal = [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))]
    assert check_split(Decimal("100.00"), equal) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }
    assert check_split(Decimal("0.02"), equal) == {"a": Decimal("0.01"), "b": Decimal("0.01"), "c": Decimal("0.00")}
    assert check_split(Decimal("0.01"), equal) == {"a": Decimal("0.01"), "b": Decimal("0.00"), "c": Decimal("0.00")}
    seven = [(str(i), Decimal("0.5")) for i in range(7)]
    amounts = check_split(Decimal("1.00"), seven)  # 14.2857... cents each: 2 cents left for the first two
    assert [amounts[str(i)] for i in range(7)] == [Decimal("0.15")] * 2 + [Decimal("0.14")] * 5


def test_split_remainder_goes_to_largest_fraction_not_largest_share() -> None:
    # 10.00 over 1:2:... -> exact 3.3333.. and 6.6666..: the larger fraction dropped (0.66 of a cent) gets the cent
    assert check_split(Decimal("10.00"), [("a", Decimal(1)), ("b", Decimal(2))]) == {
        "a": Decimal("3.33"),
        "b": Decimal("6.67"),
    }
    # 1.00 over 0.3/0.3/0.4 -> 0.30/0.30/0.40 exactly: no remainder at all
    assert check_split(Decimal("1.00"), [("a", Decimal("0.3")), ("b", Decimal("0.3")), ("c", Decimal("0.4"))]) == {
        "a": Decimal("0.30"),
        "b": Decimal("0.30"),
        "c": Decimal("0.40"),
    }


def test_split_ties_between_uneven_shares_go_to_the_first_listed() -> None:
    """1.00 over 7:1:4 is 58.333.., 8.333.. and 33.333.. cents: every fraction dropped is a third of a cent, so the
    one cent left goes to the first listed, whatever its share (exactly, not by rounding of the division)."""
    assert check_split(Decimal("1.00"), [("a", Decimal(7)), ("b", Decimal(1)), ("c", Decimal(4))]) == {
        "a": Decimal("0.59"),
        "b": Decimal("0.08"),
        "c": Decimal("0.33"),
    }
    assert check_split(Decimal("1.00"), [("b", Decimal(1)), ("a", Decimal(7)), ("c", Decimal(4))]) == {
        "b": Decimal("0.09"),
        "a": Decimal("0.58"),
        "c": Decimal("0.33"),
    }


def test_split_tiny_shares() -> None:
    shares = [
        ("big", Decimal("0.999997")),
        ("t1", Decimal("0.000001")),
        ("t2", Decimal("0.000001")),
        ("t3", Decimal("0.000001")),
    ]
    amounts = check_split(Decimal("100.00"), shares)
    assert amounts["big"] == Decimal("100.00")  # the tiny units' 0.01 cent each never adds up to a cent
    assert all(amounts[key] == Decimal("0.00") for key in ("t1", "t2", "t3"))
    rng = random.Random(7)
    for _ in range(20):
        tiny = [(f"t{i}", Decimal(rng.randint(1, 9)).scaleb(-6)) for i in range(rng.randint(2, 30))]
        check_split(Decimal(rng.randint(1, 500)).scaleb(-2), [("big", Decimal("0.9")), *tiny])


def test_split_uneven_community_shares_match_the_total() -> None:
    shares = [
        ("101", Decimal("0.123457")),
        ("102", Decimal("0.3")),
        ("103", Decimal("0.2")),
        ("104", Decimal("0.376543")),
    ]
    assert check_split(Decimal("10000.00"), shares) == {
        "101": Decimal("1234.57"),
        "102": Decimal("3000.00"),
        "103": Decimal("2000.00"),
        "104": Decimal("3765.43"),
    }
    for total in ("999.99", "0.05", "12345.67", "1.00"):
        check_split(Decimal(total), shares)


@pytest.mark.parametrize(
    ("total", "shares"),
    [
        (Decimal("0"), [("a", Decimal(1))]),
        (Decimal("-5.00"), [("a", Decimal(1))]),
        (Decimal("5.00"), []),
        (Decimal("5.00"), [("a", Decimal(0)), ("b", Decimal(0))]),
        (Decimal("5.00"), [("a", Decimal(2)), ("b", Decimal(-1))]),
    ],
)
def test_split_refuses_nonsense(total: Decimal, shares: list[tuple[str, Decimal]]) -> None:
    with pytest.raises(ValueError, match="positive"):
        rules.split_by_share(total, shares)


# --- tally -------------------------------------------------------------------------------------------------------

YNA = ["YES", "NO", "ABSTAIN"]


def test_tally_counts_weights_not_heads() -> None:
    result = rules.tally(YNA, [("YES", Decimal(3)), ("NO", Decimal(1)), ("NO", Decimal(1))], "MAJORITY")
    assert result.result == "PASSED"
    assert result.leading == ["YES"]
    assert result.weights == {"YES": Decimal(3), "NO": Decimal(2), "ABSTAIN": Decimal(0)}
    assert result.counts == {"YES": 1, "NO": 2, "ABSTAIN": 0}
    heads = rules.tally(YNA, [("YES", Decimal(1)), ("NO", Decimal(1)), ("NO", Decimal(1))], "MAJORITY")
    assert heads.result == "FAILED"
    assert heads.leading == ["NO"]


def test_tally_majority_needs_more_than_half() -> None:
    assert rules.tally(YNA, [("YES", Decimal(2)), ("NO", Decimal(2))], "MAJORITY").result == "FAILED"
    assert rules.tally(YNA, [("YES", Decimal("2.0001")), ("NO", Decimal(2))], "MAJORITY").result == "PASSED"
    assert rules.tally(YNA, [], "MAJORITY").result == "FAILED"
    assert rules.tally(YNA, [("ABSTAIN", Decimal(5))], "MAJORITY").result == "FAILED"


def test_tally_two_thirds() -> None:
    assert rules.tally(YNA, [("YES", Decimal(2)), ("NO", Decimal(1))], "TWO_THIRDS").result == "PASSED"  # exactly 2/3
    assert rules.tally(YNA, [("YES", Decimal("1.9999")), ("NO", Decimal(1))], "TWO_THIRDS").result == "FAILED"
    assert rules.tally(YNA, [("YES", Decimal(3)), ("NO", Decimal(2))], "TWO_THIRDS").result == "FAILED"  # 60%
    assert rules.tally(YNA, [("YES", Decimal(3)), ("NO", Decimal(2))], "MAJORITY").result == "PASSED"
    assert rules.tally(YNA, [("YES", Decimal(7))], "TWO_THIRDS").result == "PASSED"


def test_tally_ignores_abstentions() -> None:
    ballots = [("YES", Decimal(1)), ("NO", Decimal("0.5")), ("ABSTAIN", Decimal(100))]
    counted = rules.tally(YNA, ballots, "MAJORITY")
    assert counted.result == "PASSED"
    assert counted.weights["ABSTAIN"] == Decimal(100)
    assert counted.counts["ABSTAIN"] == 1
    assert (
        rules.tally(YNA, [("YES", Decimal(2)), ("NO", Decimal(1)), ("ABSTAIN", Decimal(9))], "TWO_THIRDS").result
        == "PASSED"
    )


def test_tally_other_options_give_the_leading_ones() -> None:
    options = ["ALICE", "BOB", "CAROL"]
    counted = rules.tally(
        options, [("ALICE", Decimal(1)), ("BOB", Decimal(3)), ("CAROL", Decimal(1)), ("ALICE", Decimal(1))], "MAJORITY"
    )
    assert counted.result is None
    assert counted.leading == ["BOB"]
    assert counted.counts == {"ALICE": 2, "BOB": 1, "CAROL": 1}
    tie = rules.tally(options, [("CAROL", Decimal(2)), ("ALICE", Decimal(2))], "MAJORITY")
    assert tie.result is None
    assert tie.leading == ["ALICE", "CAROL"]
    assert rules.tally(options, [], "MAJORITY").leading == []
    as_json = counted.as_json()
    assert as_json["weights"] == {"ALICE": "2", "BOB": "3", "CAROL": "1"}
    assert as_json["result"] is None
    assert as_json["leading"] == ["BOB"]
    assert as_json["threshold"] == "MAJORITY"


# --- quorum ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("seats", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (7, 4), (9, 5), (25, 13)])
def test_board_quorum_is_a_majority_of_seats(seats: int, needed: int) -> None:
    assert rules.board_quorum(seats) == needed


def test_member_quorum_by_weight() -> None:
    assert rules.member_quorum_met(Decimal("1.4"), Decimal(7), Decimal(20))  # exactly 20%
    assert not rules.member_quorum_met(Decimal("1.3999"), Decimal(7), Decimal(20))
    assert rules.member_quorum_met(Decimal(7), Decimal(7), Decimal(100))
    assert not rules.member_quorum_met(Decimal("6.99"), Decimal(7), Decimal(100))
    assert not rules.member_quorum_met(Decimal(0), Decimal(0), Decimal(20))  # no voter list: never a quorum
    assert not rules.member_quorum_met(Decimal(5), Decimal(0), Decimal(20))
    assert rules.member_quorum_met(Decimal("0.5"), Decimal(10), Decimal("5.00"))


# --- notice_plan -------------------------------------------------------------------------------------------------

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = 86400.0


def test_notice_plan_defaults_to_now() -> None:
    starts = NOW + timedelta(days=10)
    plan = rules.notice_plan(NOW, starts, notice_days=3, agenda_days=2, reminder_hours=24, day_seconds=DAY)
    assert plan.notice_at == NOW
    assert plan.latest_notice_at == starts - timedelta(days=3)
    assert plan.agenda_at == starts - timedelta(days=2)
    assert plan.reminder_at == starts - timedelta(hours=24)


def test_notice_plan_later_notice_and_never_in_the_past() -> None:
    starts = NOW + timedelta(days=30)
    later = NOW + timedelta(days=5)
    plan = rules.notice_plan(
        NOW, starts, notice_days=10, agenda_days=2, reminder_hours=48, day_seconds=DAY, notice_at=later
    )
    assert plan.notice_at == later
    assert plan.reminder_at == starts - timedelta(hours=48)
    past = rules.notice_plan(
        NOW,
        starts,
        notice_days=10,
        agenda_days=2,
        reminder_hours=24,
        day_seconds=DAY,
        notice_at=NOW - timedelta(days=1),
    )
    assert past.notice_at == NOW


def test_notice_plan_agenda_and_reminder_not_before_the_notice() -> None:
    starts = NOW + timedelta(days=1)
    plan = rules.notice_plan(NOW, starts, notice_days=0, agenda_days=5, reminder_hours=72, day_seconds=DAY)
    assert plan.agenda_at == NOW  # five days before is in the past: with the notice
    assert plan.reminder_at == NOW
    assert plan.notice_at <= plan.agenda_at <= plan.reminder_at <= starts
    short = rules.notice_plan(
        NOW, NOW + timedelta(days=3), notice_days=3, agenda_days=1, reminder_hours=48, day_seconds=DAY
    )
    assert short.agenda_at == NOW + timedelta(days=2)
    assert short.reminder_at == short.agenda_at  # 48 hours ahead is before the agenda: not before it


def test_notice_plan_inside_the_notice_period_shows_in_latest() -> None:
    starts = NOW + timedelta(days=2)
    plan = rules.notice_plan(NOW, starts, notice_days=3, agenda_days=2, reminder_hours=24, day_seconds=DAY)
    assert plan.notice_at > plan.latest_notice_at  # the caller refuses such a meeting


def test_notice_plan_shortened_days() -> None:
    starts = NOW + timedelta(seconds=2)
    plan = rules.notice_plan(NOW, starts, notice_days=3, agenda_days=2, reminder_hours=24, day_seconds=0.2)
    assert plan.latest_notice_at == starts - timedelta(seconds=0.6)
    assert plan.agenda_at == starts - timedelta(seconds=0.4)
    assert plan.reminder_at == starts - timedelta(seconds=0.2)
    assert rules.days(60, 0.2) == timedelta(seconds=12)

"""Domain 2's pure rules, without a database: the late fee on an overdue balance, and when a journal entry
balances (in total and within each fund)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestami.cam.accounting import ledger
from hestami.cam.accounting.models import AssessmentType, GLAccount
from hestami.cam.accounting.services.receivables import late_fee
from hestami.core.errors import ErrorCode, HestamiError

# In a session that also runs the embedded stack, DBOS's threads draw OpenTelemetry span ids from the global
# `random` while Hypothesis generates examples here, which it reports as these strategies using `random`.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies:hypothesis.errors.HypothesisDeprecationWarning"
)

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
balances = st.decimals(min_value=Decimal(0), max_value=Decimal(1_000_000), places=2)
percents = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100), places=4)


@dataclass(frozen=True)
class Policy:
    """The late-fee settings `late_fee` reads, as an association or an assessment type carries them."""

    late_fee_type: str
    late_fee_amount: Decimal | None = None
    late_fee_percent: Decimal | None = None


def is_cents(amount: Decimal) -> bool:
    return amount.as_tuple().exponent == -2


# --- late fee ------------------------------------------------------------------------------------------------


def test_a_fixed_fee_is_its_amount_whatever_the_balance() -> None:
    policy = Policy("FIXED", late_fee_amount=Decimal("25"))
    for balance in (Decimal("0.00"), Decimal("0.01"), Decimal("250.00"), Decimal("99999.99")):
        fee = late_fee(policy, balance)
        assert fee == Decimal("25.00")
        assert is_cents(fee)


def test_a_fixed_fee_is_rounded_half_up_to_the_cent() -> None:
    assert late_fee(Policy("FIXED", late_fee_amount=Decimal("10.005")), Decimal("100.00")) == Decimal("10.01")
    assert late_fee(Policy("FIXED", late_fee_amount=Decimal("10.0049")), Decimal("100.00")) == Decimal("10.00")


@pytest.mark.parametrize(
    ("percent", "balance", "fee"),
    [
        ("5", "250.00", "12.50"),
        ("10", "0.05", "0.01"),  # 0.005: half up, not to even
        ("1.5", "33.33", "0.50"),  # 0.49995
        ("1.5", "33.30", "0.50"),  # 0.4995
        ("1.5", "33.00", "0.50"),  # 0.495
        ("1.5", "32.99", "0.49"),  # 0.49485
        ("0.0001", "100.00", "0.00"),
        ("100", "123.45", "123.45"),
    ],
)
def test_a_percent_fee_is_a_share_of_the_balance_rounded_half_up(percent: str, balance: str, fee: str) -> None:
    result = late_fee(Policy("PERCENT", late_fee_percent=Decimal(percent)), Decimal(balance))
    assert result == Decimal(fee)
    assert is_cents(result)


@pytest.mark.parametrize(
    "policy",
    [
        Policy("NONE", late_fee_amount=Decimal("25.00"), late_fee_percent=Decimal("5")),
        Policy("FIXED"),
        Policy("FIXED", late_fee_amount=Decimal("0.00")),
        Policy("FIXED", late_fee_percent=Decimal("5")),
        Policy("PERCENT"),
        Policy("PERCENT", late_fee_percent=Decimal("0")),
        Policy("PERCENT", late_fee_amount=Decimal("25.00")),
    ],
)
def test_no_fee_without_a_rule_and_its_figure(policy: Policy) -> None:
    assert late_fee(policy, Decimal("500.00")) == Decimal("0.00")


def test_an_assessment_types_own_rule_applies() -> None:
    dues = AssessmentType(name="Dues", late_fee_type="PERCENT", late_fee_percent=Decimal("2.5"))
    assert late_fee(dues, Decimal("300.00")) == Decimal("7.50")
    flat = AssessmentType(name="Flat", late_fee_type="FIXED", late_fee_amount=Decimal("15.00"))
    assert late_fee(flat, Decimal("300.00")) == Decimal("15.00")


@given(percents, balances)
def test_a_percent_fee_is_the_nearest_cent_with_halves_rounded_up(percent: Decimal, balance: Decimal) -> None:
    fee = late_fee(Policy("PERCENT", late_fee_percent=percent), balance)
    exact = balance * percent / 100
    assert is_cents(fee)
    assert abs(fee - exact) <= HALF_CENT
    if abs(fee - exact) == HALF_CENT:
        assert fee > exact
    assert Decimal(0) <= fee <= balance


@given(st.decimals(min_value=CENT, max_value=Decimal(10_000), places=2), balances, balances)
def test_a_fixed_fee_does_not_depend_on_the_balance(amount: Decimal, one: Decimal, other: Decimal) -> None:
    policy = Policy("FIXED", late_fee_amount=amount)
    assert late_fee(policy, one) == late_fee(policy, other) == amount


# --- entry balance -------------------------------------------------------------------------------------------

ASSOCIATION = uuid.uuid4()


def account(number: str, account_type: str, fund: str) -> GLAccount:
    normal = "DEBIT" if account_type in ("ASSET", "EXPENSE") else "CREDIT"
    return GLAccount(
        association_id=ASSOCIATION,
        account_number=number,
        name=f"Account {number}",
        account_type=account_type,
        normal_balance=normal,
        fund=fund,
        is_active=True,
    )


CASH = account("1000", "ASSET", "OPERATING")
DUES = account("4000", "REVENUE", "OPERATING")
RESERVE_CASH = account("1100", "ASSET", "RESERVE")
RESERVE_DUES = account("4100", "REVENUE", "RESERVE")
DUE_TO_RESERVE = account("2500", "LIABILITY", "OPERATING")
DUE_FROM_OPERATING = account("1500", "ASSET", "RESERVE")
ACCOUNTS = (CASH, DUES, RESERVE_CASH, RESERVE_DUES, DUE_TO_RESERVE, DUE_FROM_OPERATING)


def refused(legs: list[ledger.Leg]) -> HestamiError:
    with pytest.raises(HestamiError) as raised:
        ledger.check_balanced(legs)
    assert raised.value.code is ErrorCode.BUSINESS_RULE_VIOLATION
    return raised.value


def test_an_entry_balanced_within_its_fund_passes() -> None:
    legs = [ledger.debit(CASH, Decimal("250.00")), ledger.credit(DUES, Decimal("250.00"))]
    ledger.check_balanced(legs)
    assert ledger.fund_nets(legs) == {"OPERATING": Decimal("0.00")}


def test_an_entry_needs_lines() -> None:
    assert refused([]).details["reason"] == "EMPTY_ENTRY"


def test_debits_must_equal_credits() -> None:
    error = refused([ledger.debit(CASH, Decimal("100.00")), ledger.credit(DUES, Decimal("99.99"))])
    assert error.details["reason"] == "UNBALANCED"
    assert (error.details["total_debit"], error.details["total_credit"]) == ("100.00", "99.99")


def test_each_fund_must_balance_on_its_own() -> None:
    legs = [ledger.debit(CASH, Decimal("100.00")), ledger.credit(RESERVE_DUES, Decimal("100.00"))]
    assert ledger.fund_nets(legs) == {"OPERATING": Decimal("100.00"), "RESERVE": Decimal("-100.00")}
    error = refused(legs)
    assert error.details["reason"] == "FUND_UNBALANCED"
    assert error.details["funds"] == {"OPERATING": "100.00", "RESERVE": "-100.00"}


def test_inter_fund_legs_balance_each_fund() -> None:
    legs = [
        ledger.debit(CASH, Decimal("100.00")),
        ledger.credit(RESERVE_DUES, Decimal("100.00")),
        ledger.credit(DUE_TO_RESERVE, Decimal("100.00")),
        ledger.debit(DUE_FROM_OPERATING, Decimal("100.00")),
    ]
    ledger.check_balanced(legs)
    assert ledger.fund_nets(legs) == {"OPERATING": Decimal("0.00"), "RESERVE": Decimal("0.00")}


amounts = st.decimals(min_value=CENT, max_value=Decimal(1_000_000), places=2)
Pair = tuple[GLAccount, GLAccount, Decimal]
# Debit one account and credit another of the same fund: every such pair keeps each fund balanced.
same_fund_pairs = st.tuples(st.sampled_from(ACCOUNTS), amounts).flatmap(
    lambda first: st.tuples(
        st.just(first[0]), st.sampled_from([a for a in ACCOUNTS if a.fund == first[0].fund]), st.just(first[1])
    )
)


def legs_of(pairs: list[Pair]) -> list[ledger.Leg]:
    return [leg for d, c, amount in pairs for leg in (ledger.debit(d, amount), ledger.credit(c, amount))]


@given(st.lists(same_fund_pairs, min_size=1, max_size=6), st.randoms())
def test_entries_made_of_same_fund_pairs_balance(pairs: list[Pair], rng: Random) -> None:
    legs = legs_of(pairs)
    rng.shuffle(legs)
    ledger.check_balanced(legs)
    assert all(net == 0 for net in ledger.fund_nets(legs).values())


@given(st.lists(same_fund_pairs, min_size=1, max_size=6), st.integers(0, 11), amounts)
def test_one_leg_off_by_any_amount_is_refused_as_unbalanced(pairs: list[Pair], which: int, off: Decimal) -> None:
    legs = legs_of(pairs)
    leg = legs[which % len(legs)]
    legs[which % len(legs)] = ledger.Leg(leg.account, debit=leg.debit + off, credit=leg.credit)
    assert refused(legs).details["reason"] == "UNBALANCED"


@given(st.lists(st.tuples(st.sampled_from(ACCOUNTS), amounts, st.booleans()), max_size=10))
def test_fund_nets_are_debits_less_credits_per_fund(moves: list[tuple[GLAccount, Decimal, bool]]) -> None:
    legs = [ledger.debit(a, amount) if is_debit else ledger.credit(a, amount) for a, amount, is_debit in moves]
    nets = ledger.fund_nets(legs)
    assert set(nets) == {a.fund for a, _, _ in moves}
    for fund, net in nets.items():
        assert net == sum((amount if d else -amount for a, amount, d in moves if a.fund == fund), Decimal(0))

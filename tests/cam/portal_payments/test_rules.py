"""The pure rules of stored methods and auto-pay, without a database."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from hestami.cam.portal.payments import rules
from hestami.cam.portal.payments.schemas import AddMethod

PARTY = "01900000-0000-7000-8000-000000000001"


@pytest.mark.parametrize(
    ("month", "year", "on", "expired"),
    [
        (11, 2026, date(2026, 11, 30), False),  # good through the last day of its month
        (11, 2026, date(2026, 12, 1), True),
        (12, 2026, date(2027, 1, 1), True),
        (1, 2027, date(2026, 12, 31), False),
        (2, 2028, date(2028, 2, 29), False),
    ],
)
def test_a_card_is_good_through_its_expiry_month(month: int, year: int, on: date, expired: bool) -> None:
    assert rules.card_expired(month, year, on) is expired


def test_the_last_day_a_card_can_be_charged() -> None:
    assert rules.expiry_day(2, 2028) == date(2028, 2, 29)
    assert rules.expiry_day(4, 2027) == date(2027, 4, 30)


@pytest.mark.parametrize(
    ("day", "start", "today", "expected"),
    [
        (5, date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 5)),
        (5, date(2026, 3, 5), date(2026, 3, 5), date(2026, 3, 5)),  # the day itself
        (5, date(2026, 3, 6), date(2026, 3, 1), date(2026, 4, 5)),  # starts after this month's day
        (28, date(2026, 12, 29), date(2026, 12, 1), date(2027, 1, 28)),  # over the year's end
        (1, date(2026, 1, 1), date(2026, 6, 15), date(2026, 7, 1)),  # started long ago: from today
        (28, date(2027, 2, 1), date(2026, 6, 15), date(2027, 2, 28)),
    ],
)
def test_the_next_auto_pay_day(day: int, start: date, today: date, expected: date) -> None:
    assert rules.next_charge_on(day, start, today) == expected


def test_a_token_is_shown_as_its_prefix_and_last_four() -> None:
    assert rules.token_hint("pm_rec_0123456789abcdef") == "pm_…cdef"
    assert rules.token_hint("tok_abcdefgh1234") == "tok_…1234"
    assert rules.token_hint("opaque") == "…aque"


def test_default_labels() -> None:
    assert rules.default_label("CARD", "4242", "VISA", None, None) == "Visa ending 4242"
    assert rules.default_label("CARD", "0001", "OTHER", None, None) == "Card ending 0001"
    assert rules.default_label("ACH", "6789", None, "First Bank", "SAVINGS") == "First Bank savings ending 6789"


@pytest.mark.parametrize(
    "token", ["4111111111111111", "tok_", "tok_abc", "pm_abcdefgh12", "tok_abcd efgh", "btok-abcdefgh12"]
)
def test_only_a_checkout_token_is_taken(token: str) -> None:
    assert re.fullmatch(rules.CHECKOUT_PATTERN, token) is None


def test_a_method_carries_exactly_its_kinds_details() -> None:
    card = {"party_id": PARTY, "kind": "CARD", "token": "tok_abcdefgh12", "last4": "4242", "brand": "VISA",
            "exp_month": 1, "exp_year": 2030}  # fmt: skip
    assert AddMethod.model_validate(card).brand == "VISA"
    for broken in (
        {**card, "exp_year": None},
        {**card, "bank_name": "First Bank"},
        {**card, "token": "btok_abcdefgh12"},
        {**card, "kind": "ACH", "bank_name": "First Bank", "account_type": "CHECKING"},
    ):
        with pytest.raises(ValidationError):
            AddMethod.model_validate({k: v for k, v in broken.items() if v is not None})
    bank = {"party_id": PARTY, "kind": "ACH", "token": "btok_abcdefgh12", "last4": "6789", "bank_name": "First Bank",
            "account_type": "SAVINGS"}  # fmt: skip
    assert AddMethod.model_validate(bank).account_type == "SAVINGS"

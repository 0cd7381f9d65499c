"""The pure rules of stored payment methods and auto-pay: when a card has expired, how a token is shown, which
day an enrolment charges next, what a method is called when its owner gives it no name."""

from __future__ import annotations

import calendar
from datetime import date

CARD_CHECKOUT_PREFIX = "tok_"
BANK_CHECKOUT_PREFIX = "btok_"
CHECKOUT_PATTERN = r"^b?tok_[A-Za-z0-9]{8,100}$"
"""What the provider's checkout hands the browser: `tok_…` for a card, `btok_…` for a bank account. Never a card
or account number: digits alone do not match."""

BRAND_NAMES = {"VISA": "Visa", "MASTERCARD": "Mastercard", "AMEX": "American Express", "DISCOVER": "Discover"}
ACCOUNT_NAMES = {"CHECKING": "checking", "SAVINGS": "savings"}
LAST_BILLING_DAY = 28
"""Auto-pay days run 1 to 28, so every month has the day."""


def token_prefix(kind: str) -> str:
    return CARD_CHECKOUT_PREFIX if kind == "CARD" else BANK_CHECKOUT_PREFIX


def card_expired(exp_month: int, exp_year: int, on: date) -> bool:
    """A card is good through the last day of its expiry month."""
    return (exp_year, exp_month) < (on.year, on.month)


def expiry_day(exp_month: int, exp_year: int) -> date:
    """The last day a card can be charged."""
    return date(exp_year, exp_month, calendar.monthrange(exp_year, exp_month)[1])


def token_hint(token: str) -> str:
    """A token as people and records may see it: its kind prefix and last four characters (`pm_…a1b2`)."""
    head = token.split("_", 1)[0] + "_" if "_" in token else ""
    return f"{head}…{token[-4:]}"


def default_label(kind: str, last4: str, brand: str | None, bank_name: str | None, account_type: str | None) -> str:
    """`Visa ending 4242`, `First Bank checking ending 6789`."""
    if kind == "CARD":
        return f"{BRAND_NAMES.get(brand or '', 'Card')} ending {last4}"
    account = ACCOUNT_NAMES.get(account_type or "", "account")
    return f"{bank_name or 'Bank'} {account} ending {last4}"


def charge_day(year: int, month: int, day_of_month: int) -> date:
    return date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


def next_charge_on(day_of_month: int, start_date: date, today: date) -> date:
    """The first day of the month's auto-pay day on or after both the start date and today."""
    earliest = max(start_date, today)
    candidate = charge_day(earliest.year, earliest.month, day_of_month)
    if candidate >= earliest:
        return candidate
    year, month = (earliest.year + 1, 1) if earliest.month == 12 else (earliest.year, earliest.month + 1)
    return charge_day(year, month, day_of_month)

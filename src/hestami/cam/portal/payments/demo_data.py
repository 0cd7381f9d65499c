"""The demo's payment settings as data: Olivia Owner (owner@) at Sunset Ridge keeps a Visa card (her default) and
her household checking account, and pays unit 14's assessments by auto-pay from the checking account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hestami.cam.portal.payments.schemas import AccountType, Brand, MethodKind

SLUG = "sunset-ridge-hoa"
ASSOCIATION = "Sunset Ridge Homeowners Association"
OWNER = "owner"
UNIT = "14"


@dataclass(frozen=True)
class Method:
    kind: MethodKind
    label: str
    checkout: str
    """What the provider's checkout would have handed her browser (the recording gateway's test tokens)."""
    last4: str
    default: bool
    brand: Brand | None = None
    exp_month: int | None = None
    years_to_expiry: int | None = None
    bank_name: str | None = None
    account_type: AccountType | None = None

    def exp_year(self, today: date) -> int | None:
        return today.year + self.years_to_expiry if self.years_to_expiry is not None else None


CARD = Method(
    kind="CARD", label="Visa for HOA dues", checkout="tok_demoOliviaVisa4242", last4="4242", default=True,
    brand="VISA", exp_month=9, years_to_expiry=3,
)  # fmt: skip
CHECKING = Method(
    kind="ACH", label="Household checking", checkout="btok_demoOliviaChecking6789", last4="6789", default=False,
    bank_name="Hill Country Credit Union", account_type="CHECKING",
)  # fmt: skip
METHODS = (CARD, CHECKING)


@dataclass(frozen=True)
class Autopay:
    method: Method
    day_of_month: int
    max_amount: Decimal


AUTOPAY = Autopay(method=CHECKING, day_of_month=1, max_amount=Decimal("500.00"))
"""Dues fall due on the first; she caps a month's draft at $500.00 (a special assessment above that she pays
herself)."""


def first_of_next_month(today: date) -> date:
    return date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)

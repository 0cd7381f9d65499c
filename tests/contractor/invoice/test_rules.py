"""The invoices' arithmetic and calendar (`invoice/rules.py`), pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hestami.contractor.invoice import rules
from hestami.contractor.invoice.gateway import token_hint

D = Decimal


def test_tax_is_on_the_taxable_lines_rounded_once_half_up() -> None:
    found = rules.totals([(D("100.00"), False), (D("0.10"), True), (D("0.10"), True)], D("8.25"))
    assert (found.subtotal, found.tax, found.total) == (D("100.20"), D("0.02"), D("100.22"))  # 0.0165 → 0.02
    assert rules.totals([(D("10.00"), False)], D("8.25")).tax == D("0.00")
    assert rules.totals([], D("8.25")).total == D("0.00")


@pytest.mark.parametrize(
    ("quantity", "price", "total"),
    [(D("0.3333"), D("125.00"), D("41.66")), (D("1.005"), D("1.00"), D("1.01")), (D("3"), D("-4.10"), D("-12.30"))],
)
def test_a_line_total_is_rounded_to_cents_half_up(quantity: Decimal, price: Decimal, total: Decimal) -> None:
    assert rules.line_total(quantity, price) == total


def test_hours_of_minutes() -> None:
    assert [rules.hours(m) for m in (20, 50, 90, 1)] == [D("0.33"), D("0.83"), D("1.50"), D("0.02")]


@pytest.mark.parametrize(
    ("late", "bucket"),
    [(-5, "current"), (0, "current"), (1, "days_1_30"), (30, "days_1_30"), (31, "days_31_60"), (60, "days_31_60"),
     (61, "days_61_90"), (90, "days_61_90"), (91, "days_over_90")],
)  # fmt: skip
def test_aging_buckets_by_days_past_due(late: int, bucket: str) -> None:
    as_of = date(2026, 11, 30)
    assert rules.bucket(date.fromordinal(as_of.toordinal() - late), as_of) == bucket
    assert rules.bucket(None, as_of) == "current"


def test_reminders_before_and_after_the_due_date() -> None:
    found = rules.reminders(date(2026, 11, 1), date(2026, 12, 1), days_before=3, overdue_every=7, overdue_count=3)
    assert [(r.key, r.day) for r in found] == [("due_soon", 27), ("overdue_1", 31), ("overdue_2", 38),
                                              ("overdue_3", 45)]  # fmt: skip
    due_at_once = rules.reminders(date(2026, 11, 1), date(2026, 11, 2), days_before=3, overdue_every=7, overdue_count=1)
    assert [(r.key, r.day) for r in due_at_once] == [("overdue_1", 2)]


def test_a_payment_settles_or_leaves_a_balance() -> None:
    assert rules.status_after_payment(D("100.00"), D("99.99")) == "PARTIALLY_PAID"
    assert rules.status_after_payment(D("100.00"), D("100.00")) == "PAID"
    assert rules.percent_of(D("2277.27"), D("30")) == D("683.18")


def test_a_token_shows_only_as_a_hint() -> None:
    assert token_hint("tok_visa_4242") == "tok_…4242"
    assert token_hint("abcd9876") == "tok_…9876"

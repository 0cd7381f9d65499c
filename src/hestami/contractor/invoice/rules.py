"""The invoices' arithmetic and calendar, pure (no database): cents, a percent of an amount, the status an amount
paid gives, aging buckets, and when the payment workflow's reminders fall.

Money is rounded to cents ROUND_HALF_UP (as the pricebook does): a line's total is its unit price times its
quantity, rounded; the tax is the taxable lines' sum times the rate, rounded once; the total is subtotal plus tax."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hestami.contractor.pricebook.pricing import cents

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
STATUSES = ("DRAFT", "ISSUED", "PARTIALLY_PAID", "PAID", "VOID")
OPEN = frozenset({"ISSUED", "PARTIALLY_PAID"})
"""Issued and not settled: what receivables and aging count, and what can be paid."""
BILLED = frozenset({"ISSUED", "PARTIALLY_PAID", "PAID"})
"""Issued and not void: the deposit and progress invoices a FINAL invoice credits."""
SHARE_KINDS = ("DEPOSIT", "PROGRESS")
"""The kinds that bill a share of the accepted option ahead of the FINAL invoice, which credits them."""
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"ISSUED", "VOID"}),
    "ISSUED": frozenset({"PARTIALLY_PAID", "PAID", "VOID"}),
    "PARTIALLY_PAID": frozenset({"PARTIALLY_PAID", "PAID"}),
    "PAID": frozenset(),
    "VOID": frozenset(),
}
BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")
WORKFLOW = "invoice_payment_v1"
WORK_DONE = frozenset({"COMPLETED", "INVOICED", "PAID", "WARRANTY", "CLOSED"})
"""Job statuses in which the work is done: a FINAL invoice may be made."""


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return cents(quantity * unit_price)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return cents(amount * percent / HUNDRED)


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Decimal
    tax: Decimal
    total: Decimal


def totals(lines: Iterable[tuple[Decimal, bool]], tax_rate: Decimal) -> Totals:
    """(line total, taxable) pairs and a rate in percent → subtotal, tax (on the taxable lines, rounded once), total."""
    listed = list(lines)
    subtotal = sum((amount for amount, _ in listed), Decimal("0.00"))
    taxable = sum((amount for amount, is_taxable in listed if is_taxable), Decimal("0.00"))
    tax = percent_of(taxable, tax_rate) if taxable > 0 else Decimal("0.00")
    return Totals(cents(subtotal), tax, cents(subtotal + tax))


def status_after_payment(total: Decimal, paid: Decimal) -> str:
    return "PAID" if paid >= total else "PARTIALLY_PAID"


def hours(minutes: int) -> Decimal:
    """Minutes of time as hours with two decimals (ROUND_HALF_UP): 50 minutes are 0.83 hours."""
    return (Decimal(minutes) / Decimal(60)).quantize(CENT, rounding=ROUND_HALF_UP)


def bucket(due_date: date | None, as_of: date) -> str:
    """The aging bucket of an open amount: current until its due date, then by days past due."""
    late = (as_of - due_date).days if due_date is not None else 0
    if late <= 0:
        return "current"
    if late <= 30:
        return "days_1_30"
    if late <= 60:
        return "days_31_60"
    if late <= 90:
        return "days_61_90"
    return "days_over_90"


@dataclass(frozen=True, slots=True)
class Reminder:
    key: str
    """`due_soon`, or `overdue_<n>` (n = 1, 2, ...)."""
    day: int
    """Days after the issue date on which it falls."""


def reminders(
    issue_date: date, due_date: date, *, days_before: int, overdue_every: int, overdue_count: int
) -> list[Reminder]:
    """The reminders of an invoice, in order: one `days_before` days before it is due (when that is after the issue
    date), then one the day after the due date and every `overdue_every` days after, `overdue_count` in all."""
    term = (due_date - issue_date).days
    found = []
    if days_before > 0 and term - days_before > 0:
        found.append(Reminder("due_soon", term - days_before))
    for n in range(overdue_count):
        found.append(Reminder(f"overdue_{n + 1}", term + 1 + n * overdue_every))
    return found

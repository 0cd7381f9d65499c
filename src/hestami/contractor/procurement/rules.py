"""Procurement's arithmetic and decisions, without the database: line totals in cents (ROUND_HALF_UP, as the
pricebook rounds), the status a receipt leaves, when a supplier's delivery is expected."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from hestami.contractor.pricebook.pricing import cents

ZERO = Decimal("0")


def line_total(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    return cents(quantity * unit_cost)


def order_total(line_totals: Iterable[Decimal]) -> Decimal:
    return sum(line_totals, Decimal("0.00"))


def outstanding(ordered: Decimal, received: Decimal) -> Decimal:
    return ordered - received


def status_after_receipt(lines: Iterable[tuple[Decimal, Decimal]]) -> str:
    """RECEIVED once every line's (ordered, received) is complete, else PARTIALLY_RECEIVED."""
    return "RECEIVED" if all(received >= ordered for ordered, received in lines) else "PARTIALLY_RECEIVED"


def expected_on(ordered_on: date, lead_time_days: int | None, default_lead_days: int) -> date:
    """The supplier's lead time (PROCUREMENT_DEFAULT_LEAD_DAYS when it states none) after the order."""
    return ordered_on + timedelta(days=lead_time_days if lead_time_days is not None else default_lead_days)

"""Procurement's arithmetic: line totals in cents ROUND_HALF_UP, the status a receipt leaves, the expected date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hestami.contractor.procurement import lifecycle, rules


def test_line_totals_round_half_up_to_cents() -> None:
    assert rules.line_total(Decimal("1.5"), Decimal("14.33")) == Decimal("21.50")
    assert rules.line_total(Decimal("0.333"), Decimal("0.05")) == Decimal("0.02")
    assert rules.order_total([Decimal("21.50"), Decimal("7.75")]) == Decimal("29.25")
    assert rules.order_total([]) == Decimal("0.00")


def test_a_receipt_leaves_the_order_partly_or_fully_received() -> None:
    assert rules.status_after_receipt([(Decimal("10"), Decimal("10")), (Decimal("4"), Decimal("1"))]) == (
        "PARTIALLY_RECEIVED"
    )
    assert rules.status_after_receipt([(Decimal("10"), Decimal("10")), (Decimal("4"), Decimal("4"))]) == "RECEIVED"


def test_the_expected_date_is_the_lead_time_after_the_order() -> None:
    assert rules.expected_on(date(2026, 11, 2), 4, 7) == date(2026, 11, 6)
    assert rules.expected_on(date(2026, 11, 2), None, 7) == date(2026, 11, 9)
    assert rules.expected_on(date(2026, 11, 2), 0, 7) == date(2026, 11, 2)


def test_the_transition_table_has_one_way_to_every_status() -> None:
    targets = {to for moves in lifecycle.TRANSITIONS.values() for to in moves}
    assert targets == set(lifecycle.STATUSES) - {"DRAFT"}
    assert set(lifecycle.ACTION_FOR) == targets
    assert lifecycle.TRANSITIONS["CLOSED"] == lifecycle.TRANSITIONS["CANCELLED"] == frozenset()
    assert "CANCELLED" not in lifecycle.TRANSITIONS["PARTIALLY_RECEIVED"]

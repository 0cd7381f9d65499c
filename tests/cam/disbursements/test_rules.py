"""The pure rules, without a database: who must approve an amount, routing-number checksums, masking, and the bank
files (a NACHA file the parser accepts with matching totals and hash, entry hashes past ten digits, padding to
blocks of ten; a positive-pay register with its trailer)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from hestami.cam.accounting.disbursements import rules
from tests.cam.disbursements.nacha import parse

CHAIN = rules.Chain(Decimal("5000.00"), Decimal("25000.00"))
ORIGIN = rules.Origin("021000021", "First Community Bank", "Sunset Ridge HOA", "1741234567")


def test_board_approvals_needed_by_amount() -> None:
    amounts = ("5000.00", "5000.01", "25000.00", "25000.01")
    assert [rules.board_approvals_needed(Decimal(a), CHAIN) for a in amounts] == [0, 1, 1, 2]
    assert rules.board_approvals_needed(Decimal("1e9"), rules.Chain()) == 1  # no dual threshold by default


def test_after_approval() -> None:
    assert rules.after_approval(Decimal("100.00"), CHAIN, board_approvers=0, by_board_member=False) == "APPROVED"
    assert rules.after_approval(Decimal("6000.00"), CHAIN, board_approvers=0, by_board_member=False) == "PENDING_BOARD"
    assert rules.after_approval(Decimal("6000.00"), CHAIN, board_approvers=1, by_board_member=True) == "APPROVED"
    assert rules.after_approval(Decimal("30000.00"), CHAIN, board_approvers=1, by_board_member=True) == "PENDING_BOARD"
    assert rules.after_approval(Decimal("30000.00"), CHAIN, board_approvers=2, by_board_member=True) == "APPROVED"


def test_routing_numbers_and_masks() -> None:
    assert rules.valid_routing_number("021000021")
    assert rules.valid_routing_number("011000015")
    assert not rules.valid_routing_number("021000022")
    assert not rules.valid_routing_number("12345678")
    assert rules.mask("000123456789") == "****6789"
    assert rules.mask(None) is None


def test_a_nacha_file_parses_with_matching_totals() -> None:
    credits = [
        rules.Credit("011000015", "123456789", "CHECKING", Decimal("1200.00"), "INV-1", "Green Lawns LLC"),
        rules.Credit("999999992", "55", "SAVINGS", Decimal("0.01"), "INV-2", "Ñandú Pools & Spas, très long nom"),
        rules.Credit("999999992", "77", "CHECKING", Decimal("99999.99"), "INV-3", "Big Roofers"),
    ]
    text = rules.nacha_file(ORIGIN, credits, created=datetime(2026, 3, 20, 9, 5), effective=date(2026, 3, 21), batch=7)
    parsed = parse(text)
    assert parsed.total_credit == Decimal("101200.00")
    assert [e.transaction_code for e in parsed.entries] == ["22", "32", "22"]
    assert parsed.entries[1].name == "NANDU POOLS & SPAS, TR"
    assert [e.trace_number for e in parsed.entries] == ["021000020000001", "021000020000002", "021000020000003"]
    assert parsed.batches[0].number == 7
    assert parsed.batches[0].effective_date == "260321"
    assert len(text.split("\n")) - 1 == 10  # 7 records padded to one block


def test_an_empty_positive_pay_register_and_one_with_checks() -> None:
    register = rules.positive_pay_file("4321", [
        rules.IssuedCheck(5001, Decimal("845.10"), 'Pool "Pros", Inc.', date(2026, 3, 20)),
        rules.IssuedCheck(5002, Decimal("10.00"), "Lawn Co", date(2026, 3, 20)),
    ])  # fmt: skip
    lines = register.strip().split("\n")
    assert lines[1] == "4321,5001,2026-03-20,845.10,\"Pool 'Pros', Inc.\",ISSUE"
    assert lines[-1] == "TOTAL,2,,855.10,,"

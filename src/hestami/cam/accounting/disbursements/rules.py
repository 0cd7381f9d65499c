"""The disbursements' pure rules: who must approve an invoice of an amount, routing numbers, and the bank files
(a NACHA file of ACH credits, a positive-pay check register)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

DEFAULT_MANAGER_LIMIT = Decimal("5000.00")
BOARD_MEMBER = "BOARD_MEMBER"
FOR_THE_BOARD = frozenset({BOARD_MEMBER, "ADMIN"})
"""Approvals that count for the board: a seated board member's, or an organization admin's acting for it."""
RECORD_LENGTH = 94
BLOCKING_FACTOR = 10
CREDITS_ONLY = "220"
CHECKING_CREDIT = "22"
SAVINGS_CREDIT = "32"


@dataclass(frozen=True, slots=True)
class Chain:
    """An association's approval chain (`ap_approval_settings`, or the defaults)."""

    manager_limit: Decimal = DEFAULT_MANAGER_LIMIT
    dual_approval_threshold: Decimal | None = None


def board_approvals_needed(amount: Decimal, chain: Chain) -> int:
    """0 up to the manager's limit, 1 above it, 2 (distinct board members) above the dual-approval threshold."""
    if amount <= chain.manager_limit:
        return 0
    if chain.dual_approval_threshold is not None and amount > chain.dual_approval_threshold:
        return 2
    return 1


def after_approval(amount: Decimal, chain: Chain, *, board_approvers: int, by_board_member: bool) -> str:
    """The status an approval leaves the invoice in, counting this approval (`board_approvers` is the number of
    distinct board members who approved, this one included)."""
    needed = board_approvals_needed(amount, chain)
    if needed == 0 or (by_board_member and board_approvers >= needed):
        return "APPROVED"
    return "PENDING_BOARD"


def valid_routing_number(value: str) -> bool:
    """Nine digits whose ABA checksum (3, 7, 1 weights) is a multiple of 10."""
    if not re.fullmatch(r"[0-9]{9}", value):
        return False
    d = [int(c) for c in value]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0


def mask(number: str | None) -> str | None:
    return f"****{number[-4:]}" if number else None


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


# --- NACHA ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Origin:
    """The paying side: the association's bank (the ODFI, where the file goes) and the company on the file."""

    routing_number: str
    bank_name: str
    company_name: str
    company_identification: str


@dataclass(frozen=True, slots=True)
class Credit:
    """One ACH credit to a vendor's account."""

    routing_number: str
    account_number: str
    account_type: str
    amount: Decimal
    identification: str
    name: str


def _text(value: str, width: int) -> str:
    """Upper-case ASCII letters, digits and plain punctuation, left-justified and cut to `width`."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().upper()
    plain = re.sub(r"[^A-Z0-9 .,&/()'-]", " ", plain)
    return plain[:width].ljust(width)


def _number(value: int, width: int) -> str:
    return str(value).rjust(width, "0")[-width:]


def trace_number(origin: Origin, sequence: int) -> str:
    return origin.routing_number[:8] + _number(sequence, 7)


def nacha_file(origin: Origin, credits: Sequence[Credit], *, created: datetime, effective: date, batch: int) -> str:
    """A NACHA file of one CCD batch of credits (service class 220): file header, batch header, one entry per
    credit (trace numbers ODFI + sequence from 1), batch and file controls (entry hash: the receiving banks'
    8-digit ids summed, last 10 digits), padded with 9s to a multiple of 10 records of 94 characters."""
    odfi = origin.routing_number[:8]
    company_id = _text(origin.company_identification, 10)
    records = [
        "1" + "01" + " " + origin.routing_number + _text(origin.company_identification, 10)
        + created.strftime("%y%m%d") + created.strftime("%H%M") + "A" + "094" + "10" + "1"
        + _text(origin.bank_name, 23) + _text(origin.company_name, 23) + _number(batch, 8),
        "5" + CREDITS_ONLY + _text(origin.company_name, 16) + " " * 20 + company_id + "CCD"
        + _text("VENDOR PAY", 10) + effective.strftime("%y%m%d") + effective.strftime("%y%m%d") + "   " + "1"
        + odfi + _number(batch, 7),
    ]  # fmt: skip
    entry_hash = 0
    total = 0
    for sequence, credit in enumerate(credits, 1):
        code = SAVINGS_CREDIT if credit.account_type == "SAVINGS" else CHECKING_CREDIT
        amount = cents(credit.amount)
        entry_hash += int(credit.routing_number[:8])
        total += amount
        records.append(
            "6" + code + credit.routing_number[:8] + credit.routing_number[8] + credit.account_number.ljust(17)
            + _number(amount, 10) + _text(credit.identification, 15) + _text(credit.name, 22) + "  " + "0"
            + trace_number(origin, sequence)
        )  # fmt: skip
    hash_text = _number(entry_hash % 10**10, 10)
    records.append(
        "8" + CREDITS_ONLY + _number(len(credits), 6) + hash_text + _number(0, 12) + _number(total, 12) + company_id
        + " " * 19 + " " * 6 + odfi + _number(batch, 7)
    )  # fmt: skip
    blocks = math.ceil((len(records) + 1) / BLOCKING_FACTOR)
    records.append(
        "9" + _number(1, 6) + _number(blocks, 6) + _number(len(credits), 8) + hash_text + _number(0, 12)
        + _number(total, 12) + " " * 39
    )  # fmt: skip
    records.extend("9" * RECORD_LENGTH for _ in range(blocks * BLOCKING_FACTOR - len(records)))
    assert all(len(record) == RECORD_LENGTH for record in records)
    return "\n".join(records) + "\n"


# --- positive pay ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedCheck:
    check_number: int
    amount: Decimal
    payee: str
    issued_on: date


def _csv_field(value: str) -> str:
    plain = value.replace('"', "'")
    return f'"{plain}"' if any(c in plain for c in ',"\n') else plain


def positive_pay_file(account_last4: str, checks: Sequence[IssuedCheck]) -> str:
    """The check register the bank matches presented checks against: one line per check issued (account, check
    number, issue date, amount, payee, issue), and a trailer with the count and total."""
    lines = ["account,check_number,issue_date,amount,payee,action"]
    for check in checks:
        lines.append(
            f"{account_last4},{check.check_number},{check.issued_on.isoformat()},{check.amount:.2f},"
            f"{_csv_field(check.payee)},ISSUE"
        )
    total = sum((check.amount for check in checks), Decimal("0.00"))
    lines.append(f"TOTAL,{len(checks)},,{total:.2f},,")
    return "\n".join(lines) + "\n"

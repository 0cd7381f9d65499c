"""Bank accounts (book balance from the ledger, one primary per fund, statement balance and reconciliation)
and reports (income statement per fund over a date range, receivables aging buckets)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from tests.cam.accounting.helpers import Books, books, trial_line
from tests.support.accounts import Account, account, organization
from tests.support.rpc import post, suffix


@pytest.fixture(scope="module")
async def owner(shared_client: httpx.AsyncClient) -> tuple[Account, str]:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Bank HOA {suffix()}"))["id"]
    return admin, org


@pytest.fixture
async def hoa(shared_client: httpx.AsyncClient, owner: tuple[Account, str]) -> Books:
    return await books(shared_client, *owner)


async def bank(hoa: Books, number: str, primary: bool = False, **extra: object) -> dict:
    body = {
        "association_id": hoa.association_id,
        "gl_account_id": hoa.account_id(number),
        "name": f"Account {number} {suffix()}",
        "bank_name": "First Community Bank",
        "account_last4": "1234",
        "is_primary": primary,
        **extra,
    }
    return await hoa.ok("accounting/bankAccount/v1/create", body)


async def get_bank(hoa: Books, bank_id: str) -> dict:
    return await hoa.ok("accounting/bankAccount/v1/get", {"id": bank_id})


async def manual(hoa: Books, on: str, debit: str, credit: str, amount: str) -> dict:
    entry = await hoa.ok(
        "accounting/journalEntry/v1/create",
        {
            "association_id": hoa.association_id,
            "entry_date": on,
            "memo": f"Manual {suffix()}",
            "submit": True,
            "lines": [
                {"gl_account_id": hoa.account_id(debit), "debit": amount},
                {"gl_account_id": hoa.account_id(credit), "credit": amount},
            ],
        },
    )
    return await hoa.ok("accounting/journalEntry/v1/post", {"id": entry["id"]})


# --- bank accounts ------------------------------------------------------------------------------------------


async def test_book_balance_follows_postings_to_its_cash_account(hoa: Books) -> None:
    checking = await bank(hoa, "1010", primary=True)
    assert (checking["fund"], checking["book_balance"], checking["bank_balance"]) == ("OPERATING", "0.00", None)
    assert checking["difference"] is None
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], "2026-01-01", "300.00")
    payment = await hoa.pay(unit["id"], "300.00")
    assert (await get_bank(hoa, checking["id"]))["book_balance"] == "300.00"
    await manual(hoa, "2026-01-10", "5300", "1010", "45.50")
    assert (await get_bank(hoa, checking["id"]))["book_balance"] == "254.50"
    draft = await hoa.ok(
        "accounting/journalEntry/v1/create",
        {
            "association_id": hoa.association_id,
            "entry_date": "2026-01-11",
            "memo": "Not posted",
            "lines": [
                {"gl_account_id": hoa.account_id("5300"), "debit": "1000.00"},
                {"gl_account_id": hoa.account_id("1010"), "credit": "1000.00"},
            ],
        },
    )
    assert draft["status"] == "DRAFT"
    assert (await get_bank(hoa, checking["id"]))["book_balance"] == "254.50"  # drafts are not in the books
    await hoa.ok("accounting/payment/v1/void", {"id": payment["id"], "reason": "NSF"})
    assert (await get_bank(hoa, checking["id"]))["book_balance"] == "-45.50"
    listed = await hoa.ok("accounting/bankAccount/v1/list", {"association_id": hoa.association_id})
    assert [(b["id"], b["book_balance"]) for b in listed["items"]] == [(checking["id"], "-45.50")]


async def test_payments_go_to_the_primary_operating_bank_account(hoa: Books) -> None:
    await bank(hoa, "1010")
    market = await bank(hoa, "1020", primary=True)
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], "2026-01-01", "120.00")
    await hoa.pay(unit["id"], "120.00")
    assert (await get_bank(hoa, market["id"]))["book_balance"] == "120.00"
    trial = await hoa.trial()
    assert trial_line(trial, "1020") == Decimal("120.00")
    assert trial_line(trial, "1010") == Decimal("0.00")


async def test_voiding_a_payment_takes_the_money_out_of_the_account_it_went_into(hoa: Books) -> None:
    """A void is the payment's mirror image: the cash it debited is credited back, even if the primary operating
    account changed in between."""
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], "2026-01-01", "200.00")
    payment = await hoa.pay(unit["id"], "200.00")  # no bank account yet: operating checking (1010)
    entry = await hoa.ok("accounting/journalEntry/v1/get", {"id": payment["journal_entry_id"]})
    assert ("1010", "200.00") in {(x["account_number"], x["debit"]) for x in entry["lines"]}
    market = await bank(hoa, "1020", primary=True)
    await hoa.ok("accounting/payment/v1/void", {"id": payment["id"], "reason": "Returned"})
    trial = await hoa.trial()
    assert (trial_line(trial, "1010"), trial_line(trial, "1020")) == (Decimal("0.00"), Decimal("0.00"))
    assert (await get_bank(hoa, market["id"]))["book_balance"] == "0.00"


async def primaries(hoa: Books, *banks: dict) -> list[bool]:
    return [(await get_bank(hoa, b["id"]))["is_primary"] for b in banks]


async def test_one_primary_account_per_fund(hoa: Books) -> None:
    first = await bank(hoa, "1010", primary=True)
    reserve = await bank(hoa, "1110", primary=True)
    assert reserve["fund"] == "RESERVE"
    second = await bank(hoa, "1020", primary=True)
    assert await primaries(hoa, first, second, reserve) == [False, True, True]

    made_primary = await hoa.ok("accounting/bankAccount/v1/update", {"id": first["id"], "is_primary": True})
    assert made_primary["is_primary"] is True
    assert await primaries(hoa, first, second, reserve) == [True, False, True]

    renamed = await hoa.ok("accounting/bankAccount/v1/update", {"id": second["id"], "name": "Sweep"})
    assert (renamed["name"], renamed["is_primary"]) == ("Sweep", False)
    assert (await get_bank(hoa, first["id"]))["is_primary"] is True

    closed = await hoa.ok("accounting/bankAccount/v1/delete", {"id": first["id"]})
    assert (closed["is_active"], closed["is_primary"]) == (False, False)
    listed = await hoa.ok("accounting/bankAccount/v1/list", {"association_id": hoa.association_id})
    assert {b["id"] for b in listed["items"]} == {second["id"], reserve["id"]}


async def test_a_bank_account_needs_a_cash_account(hoa: Books) -> None:
    for number in ("4000", "2000"):
        await hoa.fails(
            "accounting/bankAccount/v1/create",
            {
                "association_id": hoa.association_id,
                "gl_account_id": hoa.account_id(number),
                "name": "Wrong",
                "bank_name": "Bank",
                "account_last4": "0000",
            },
            422,
            "BUSINESS_RULE_VIOLATION",
            "NOT_A_CASH_ACCOUNT",
        )


async def test_a_bank_account_cannot_sit_on_the_receivable_control_account(hoa: Books) -> None:
    """1200 Assessments Receivable is an ASSET but not cash. Either it is refused as a bank account, or payments
    must still keep the AR control account equal to the open charges."""
    response = await post(
        hoa.client,
        hoa.admin,
        hoa.org,
        "accounting/bankAccount/v1/create",
        {
            "association_id": hoa.association_id,
            "gl_account_id": hoa.account_id("1200"),
            "name": "Receivables?",
            "bank_name": "Bank",
            "account_last4": "0000",
            "is_primary": True,
        },
    )
    if response.status_code == 422:
        assert response.json()["error"]["details"]["reason"] == "NOT_A_CASH_ACCOUNT"
        return
    assert response.status_code == 200, response.text
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], "2026-01-01", "100.00")
    await hoa.pay(unit["id"], "100.00")
    assert (await hoa.balance(unit["id"]))["charges_open"] == "0.00"
    assert trial_line(await hoa.trial(), "1200") == Decimal("0.00"), "AR control no longer equals open charges"


async def test_statement_balance_difference_and_reconciliation(hoa: Books) -> None:
    checking = await bank(hoa, "1010", primary=True)
    await manual(hoa, "2026-01-02", "1010", "3000", "1000.00")  # opening balance
    updated = await hoa.ok(
        "accounting/bankAccount/v1/updateBankBalance",
        {"id": checking["id"], "bank_balance": "1012.34", "as_of": "2026-01-31"},
    )
    assert (updated["book_balance"], updated["bank_balance"], updated["difference"]) == ("1000.00", "1012.34", "12.34")
    assert (updated["bank_balance_date"], updated["last_reconciled_date"]) == ("2026-01-31", None)
    reconciled = await hoa.ok(
        "accounting/bankAccount/v1/updateBankBalance",
        {"id": checking["id"], "bank_balance": "1000.00", "as_of": "2026-02-28", "reconciled": True},
    )
    assert (reconciled["difference"], reconciled["last_reconciled_date"]) == ("0.00", "2026-02-28")
    later = await hoa.ok(
        "accounting/bankAccount/v1/updateBankBalance",
        {"id": checking["id"], "bank_balance": "990.00", "as_of": "2026-03-31"},
    )
    assert (later["difference"], later["bank_balance_date"], later["last_reconciled_date"]) == (
        "-10.00",
        "2026-03-31",
        "2026-02-28",
    )


# --- reports ------------------------------------------------------------------------------------------------


async def test_income_statement_per_fund_for_a_date_range(hoa: Books) -> None:
    dues = await hoa.dues()
    reserve = await hoa.dues("40.00", revenue_account_id=hoa.account_id("4200"))
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], "2025-12-31", "999.00")  # before the range
    await hoa.charge(dues["id"], unit["id"], "2026-01-01", "250.00")
    await hoa.charge(reserve["id"], unit["id"], "2026-01-15", "40.00")
    await hoa.charge(dues["id"], unit["id"], "2026-02-01", "250.00")  # after the range
    await manual(hoa, "2026-01-20", "5300", "1010", "100.00")
    await manual(hoa, "2026-01-31", "7300", "1110", "30.00")
    await manual(hoa, "2026-02-01", "5400", "1010", "70.00")  # after the range
    statement = await hoa.ok(
        "accounting/report/v1/incomeStatement",
        {"association_id": hoa.association_id, "from_date": "2026-01-01", "to_date": "2026-01-31"},
    )
    funds = {f["fund"]: (f["revenue"], f["expenses"], f["net_income"]) for f in statement["funds"]}
    assert funds == {"OPERATING": ("250.00", "100.00", "150.00"), "RESERVE": ("40.00", "30.00", "10.00")}
    lines = {x["account_number"]: (x["debit"], x["credit"]) for x in statement["lines"]}
    assert lines == {
        "4000": ("0.00", "250.00"),
        "4200": ("0.00", "40.00"),
        "5300": ("100.00", "0.00"),
        "7300": ("30.00", "0.00"),
    }
    whole = await hoa.ok(
        "accounting/report/v1/incomeStatement",
        {"association_id": hoa.association_id, "from_date": "2025-01-01", "to_date": "2026-12-31"},
    )
    assert {f["fund"]: f["net_income"] for f in whole["funds"]} == {"OPERATING": "1329.00", "RESERVE": "10.00"}
    sheet = await hoa.ok("accounting/report/v1/balanceSheet", {"association_id": hoa.association_id})
    assert all(f["balanced"] for f in sheet["funds"])


AS_OF = date(2026, 6, 30)


def before(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


async def aging(hoa: Books, **extra: object) -> dict:
    return await hoa.ok(
        "accounting/report/v1/arAging", {"association_id": hoa.association_id, "as_of": AS_OF.isoformat(), **extra}
    )


async def test_ar_aging_buckets(hoa: Books) -> None:
    dues = await hoa.dues()
    late, edges, clean = await hoa.unit("A1"), await hoa.unit("A2"), await hoa.unit("A3")
    for days, amount in ((10, "10.00"), (45, "20.00"), (75, "30.00"), (120, "40.00")):
        await hoa.charge(dues["id"], late["id"], before(days), amount)
    for days, amount in ((0, "1.00"), (30, "2.00"), (31, "4.00"), (60, "8.00"), (61, "16.00"), (90, "32.00")):
        await hoa.charge(dues["id"], edges["id"], before(days), amount)
    await hoa.charge(dues["id"], edges["id"], before(91), "64.00")
    await hoa.charge(dues["id"], clean["id"], before(100), "50.00")
    await hoa.pay(clean["id"], "50.00")
    await hoa.charge(dues["id"], late["id"], before(200), "5.00")
    await hoa.pay(late["id"], "2.50")  # the oldest charge is half paid: 2.50 stays over 90

    report = await aging(hoa)
    rows = {
        r["unit_number"]: (r["current"], r["days_31_60"], r["days_61_90"], r["days_over_90"], r["total"])
        for r in report["rows"]
    }
    assert rows == {
        "A1": ("10.00", "20.00", "30.00", "42.50", "102.50"),
        "A2": ("3.00", "12.00", "48.00", "64.00", "127.00"),
    }
    totals = report["totals"]
    assert (totals["unit_number"], totals["current"], totals["days_over_90"], totals["total"]) == (
        "TOTAL",
        "13.00",
        "106.50",
        "229.50",
    )
    trial = await hoa.trial()
    assert trial_line(trial, "1200") == Decimal(totals["total"])


async def test_ar_aging_min_days_past_due_keeps_units_that_are_that_late(hoa: Books) -> None:
    dues = await hoa.dues()
    ten, forty_five, prompt = await hoa.unit("M1"), await hoa.unit("M2"), await hoa.unit("M3")
    await hoa.charge(dues["id"], ten["id"], before(10), "10.00")
    await hoa.charge(dues["id"], forty_five["id"], before(45), "20.00")
    await hoa.charge(dues["id"], prompt["id"], before(0), "30.00")
    assert {r["unit_number"] for r in (await aging(hoa, min_days_past_due=31))["rows"]} == {"M2"}
    assert {r["unit_number"] for r in (await aging(hoa, min_days_past_due=40))["rows"]} == {"M2"}
    assert {r["unit_number"] for r in (await aging(hoa, min_days_past_due=5))["rows"]} == {"M1", "M2"}
    assert {r["unit_number"] for r in (await aging(hoa, min_days_past_due=46))["rows"]} == set()


async def test_ar_aging_leaves_out_charges_not_yet_due(hoa: Books) -> None:
    """A charge billed ahead is in neither the aging nor the ledger before its due date; on it, it is current."""
    dues = await hoa.dues()
    unit = await hoa.unit("F1")
    due = AS_OF + timedelta(days=10)
    await hoa.charge(dues["id"], unit["id"], due.isoformat(), "25.00")
    report = await aging(hoa)
    assert (report["rows"], report["totals"]) == ([], None)
    assert trial_line(await hoa.trial(as_of=AS_OF.isoformat()), "1200") == Decimal("0.00")
    report = await aging(hoa, as_of=due.isoformat())
    assert [(r["unit_number"], r["current"], r["total"]) for r in report["rows"]] == [("F1", "25.00", "25.00")]

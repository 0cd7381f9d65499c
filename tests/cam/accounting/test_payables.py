"""Accounts payable: invoice lines must add up, a vendor's invoice number is accepted once, approval posts
Dr expense / Cr AP (with inter-fund legs for reserve lines), payment needs a W-9 and clears AP, an approved
invoice voids by reversal, a paid one cannot be voided."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.cam.accounting.helpers import Books, books, trial_line
from tests.support.accounts import account, organization
from tests.support.rpc import suffix


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Books:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Payables HOA {suffix()}"))["id"]
    return await books(shared_client, admin, org)


async def vendor(hoa: Books, **extra: object) -> dict:
    return await hoa.ok("vendor/v1/create", {"name": f"Vendor {suffix()}", **extra})


def invoice_body(hoa: Books, vendor_id: str, lines: list[tuple[str, str]], amount: str | None = None, **extra: object):
    total = sum((Decimal(a) for _, a in lines), Decimal("0.00"))
    return {
        "association_id": hoa.association_id,
        "vendor_id": vendor_id,
        "invoice_number": f"INV-{suffix()}",
        "invoice_date": "2026-02-01",
        "amount": amount or str(total),
        "lines": [{"gl_account_id": hoa.account_id(n), "description": f"Work on {n}", "amount": a} for n, a in lines],
        **extra,
    }


async def invoice(hoa: Books, vendor_id: str, lines: list[tuple[str, str]], **extra: object) -> dict:
    return await hoa.ok("accounting/apInvoice/v1/create", invoice_body(hoa, vendor_id, lines, **extra))


async def test_lines_must_add_up_to_the_amount(hoa: Books) -> None:
    payee = await vendor(hoa)
    body = invoice_body(hoa, payee["id"], [("5300", "100.00"), ("5400", "50.00")], amount="150.01")
    error = await hoa.fails("accounting/apInvoice/v1/create", body, 422, "BUSINESS_RULE_VIOLATION")
    assert error["details"]["reason"] == "LINES_DO_NOT_MATCH_TOTAL"
    assert (error["details"]["lines_total"], error["details"]["amount"]) == ("150.00", "150.01")


async def test_invoice_lines_must_be_expense_accounts(hoa: Books) -> None:
    payee = await vendor(hoa)
    body = invoice_body(hoa, payee["id"], [("4000", "10.00")])
    await hoa.fails("accounting/apInvoice/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_AN_EXPENSE_ACCOUNT")


async def test_a_vendors_invoice_number_is_accepted_once(hoa: Books) -> None:
    payee, other = await vendor(hoa), await vendor(hoa)
    body = invoice_body(hoa, payee["id"], [("5300", "120.00")])
    created = await hoa.ok("accounting/apInvoice/v1/create", body)
    assert created["status"] == "PENDING_APPROVAL"
    assert created["vendor_id"] == payee["id"]
    assert created["lines"] == [
        {"gl_account_id": hoa.account_id("5300"), "description": "Work on 5300", "amount": "120.00",
         "gl_account_number": "5300", "gl_account_name": hoa.chart["5300"]["name"], "fund": "OPERATING"}
    ]  # fmt: skip
    duplicate = await hoa.fails("accounting/apInvoice/v1/create", body, 409, "CONFLICT")
    assert duplicate["details"]["reason"] == "DUPLICATE_INVOICE"
    same_number = await hoa.ok("accounting/apInvoice/v1/create", {**body, "vendor_id": other["id"]})
    assert same_number["invoice_number"] == body["invoice_number"]


async def test_approve_pay_requires_w9_and_clears_payables(hoa: Books) -> None:
    payee = await vendor(hoa, w9_on_file=False, tax_id="12-3456789", is_1099_eligible=True)
    assert payee["tax_id_masked"] == "***-**-6789"
    created = await invoice(hoa, payee["id"], [("7300", "1000.00"), ("5400", "250.00")])
    approved = await hoa.ok("accounting/apInvoice/v1/approve", {"id": created["id"]})
    assert approved["status"] == "APPROVED"
    assert approved["approved_by"] == str(hoa.admin.user_id)
    entry = await hoa.ok("accounting/journalEntry/v1/get", {"id": approved["journal_entry_id"]})
    assert entry["status"] == "POSTED"
    assert entry["source_type"] == "AP_INVOICE"
    legs = {(x["account_number"], x["debit"], x["credit"]) for x in entry["lines"]}
    assert legs == {
        ("7300", "1000.00", "0.00"),  # reserve expense
        ("5400", "250.00", "0.00"),  # operating expense
        ("2000", "0.00", "1250.00"),  # accounts payable
        ("1400", "1000.00", "0.00"),  # operating: due from reserve
        ("2410", "0.00", "1000.00"),  # reserve: due to operating
    }
    trial = await hoa.trial()
    assert trial_line(trial, "2000") == Decimal("-1250.00")

    pay = {"id": created["id"], "paid_on": "2026-02-15", "reference": "CHK 501"}
    missing = await hoa.fails("accounting/apInvoice/v1/pay", pay, 422, "BUSINESS_RULE_VIOLATION", "W9_MISSING")
    assert missing["details"]["vendor_id"] == payee["id"]
    still = await hoa.ok("accounting/apInvoice/v1/get", {"id": created["id"]})
    assert still["status"] == "APPROVED"

    await hoa.ok("vendor/v1/update", {"id": payee["id"], "w9_on_file": True})
    paid = await hoa.ok("accounting/apInvoice/v1/pay", pay)
    assert (paid["status"], paid["paid_on"], paid["payment_reference"]) == ("PAID", "2026-02-15", "CHK 501")
    payment_entry = await hoa.ok("accounting/journalEntry/v1/get", {"id": paid["payment_journal_entry_id"]})
    assert {(x["account_number"], x["debit"], x["credit"]) for x in payment_entry["lines"]} == {
        ("2000", "1250.00", "0.00"),
        ("1010", "0.00", "1250.00"),
    }
    trial = await hoa.trial()
    assert trial["balanced"] is True
    assert trial_line(trial, "2000") == Decimal("0.00")
    assert "2000" not in {x["account_number"] for x in trial["lines"]}

    voided = await hoa.fails(
        "accounting/apInvoice/v1/void", {"id": created["id"], "reason": "oops"}, 409, "INVALID_STATE_TRANSITION"
    )
    assert (voided["details"]["from"], voided["details"]["to"]) == ("PAID", "VOIDED")
    again = await hoa.fails("accounting/apInvoice/v1/pay", pay, 409, "INVALID_STATE_TRANSITION")
    assert again["details"]["from"] == "PAID"


async def test_voiding_an_approved_invoice_reverses_its_entry(hoa: Books) -> None:
    payee = await vendor(hoa, w9_on_file=True)
    before = await hoa.trial()
    created = await invoice(hoa, payee["id"], [("5300", "80.00")])
    approved = await hoa.ok("accounting/apInvoice/v1/approve", {"id": created["id"]})
    voided = await hoa.ok("accounting/apInvoice/v1/void", {"id": created["id"], "reason": "Duplicate bill"})
    assert voided["status"] == "VOIDED"
    original = await hoa.ok("accounting/journalEntry/v1/get", {"id": approved["journal_entry_id"]})
    assert original["status"] == "REVERSED"
    reversal = await hoa.ok("accounting/journalEntry/v1/get", {"id": original["reversed_by_entry_id"]})
    assert reversal["reverses_entry_id"] == original["id"]
    assert {(x["account_number"], x["debit"], x["credit"]) for x in reversal["lines"]} == {
        ("5300", "0.00", "80.00"),
        ("2000", "80.00", "0.00"),
    }
    after = await hoa.trial()
    assert trial_line(after, "2000") == trial_line(before, "2000")
    assert trial_line(after, "5300") == trial_line(before, "5300")
    await hoa.fails(
        "accounting/apInvoice/v1/pay", {"id": created["id"], "paid_on": "2026-03-01"}, 409, "INVALID_STATE_TRANSITION"
    )


async def test_voiding_an_unapproved_invoice_posts_nothing(hoa: Books) -> None:
    payee = await vendor(hoa, w9_on_file=True)
    created = await invoice(hoa, payee["id"], [("5300", "10.00")], submit=False)
    assert created["status"] == "DRAFT"
    voided = await hoa.ok("accounting/apInvoice/v1/void", {"id": created["id"], "reason": "Not ours"})
    assert (voided["status"], voided["journal_entry_id"]) == ("VOIDED", None)
    await hoa.fails("accounting/apInvoice/v1/approve", {"id": created["id"]}, 409, "INVALID_STATE_TRANSITION")


def _names(out: dict) -> tuple:
    lines = [(x["gl_account_id"], x["gl_account_number"], x["gl_account_name"], x["fund"]) for x in out["lines"]]
    return out["vendor_name"], out["association_name"], lines


async def test_invoices_name_their_vendor_association_and_line_accounts(hoa: Books) -> None:
    payee = await vendor(hoa)
    created = await invoice(hoa, payee["id"], [("7300", "100.00"), ("5400", "50.00")], submit=False)
    reserve, operating = hoa.chart["7300"], hoa.chart["5400"]
    assert (reserve["fund"], operating["fund"]) == ("RESERVE", "OPERATING")
    want = (payee["name"], hoa.association["name"], [
        (reserve["id"], "7300", reserve["name"], "RESERVE"), (operating["id"], "5400", operating["name"], "OPERATING"),
    ])  # fmt: skip
    assert _names(created) == want
    assert _names(await hoa.ok("accounting/apInvoice/v1/get", {"id": created["id"]})) == want
    listed = await hoa.ok("accounting/apInvoice/v1/list", {"vendor_id": payee["id"]})
    assert [_names(x) for x in listed["items"]] == [want]
    assert _names(await hoa.ok("accounting/apInvoice/v1/submit", {"id": created["id"]})) == want
    assert _names(await hoa.ok("accounting/apInvoice/v1/approve", {"id": created["id"]})) == want

    await hoa.ok("vendor/v1/update", {"id": payee["id"], "name": f"Renamed {suffix()}"})
    renamed = (await hoa.ok("vendor/v1/get", {"id": payee["id"]}))["name"]
    again = await hoa.ok("accounting/apInvoice/v1/get", {"id": created["id"]})
    assert again["vendor_name"] == renamed  # the name as it is now


async def test_invoices_listed_by_several_statuses_at_once(hoa: Books) -> None:
    payee = await vendor(hoa)
    draft = await invoice(hoa, payee["id"], [("5400", "10.00")], submit=False)
    pending = await invoice(hoa, payee["id"], [("5400", "20.00")])
    approved = await invoice(hoa, payee["id"], [("5400", "30.00")])
    await hoa.ok("accounting/apInvoice/v1/approve", {"id": approved["id"]})

    async def listed(**filters: object) -> set[str]:
        page = await hoa.ok("accounting/apInvoice/v1/list", {"vendor_id": payee["id"], **filters})
        return {x["id"] for x in page["items"]}

    assert await listed(statuses=["DRAFT", "PENDING_APPROVAL"]) == {draft["id"], pending["id"]}
    assert await listed(statuses=["APPROVED", "PENDING_BOARD"]) == {approved["id"]}
    assert await listed(statuses=["DRAFT", "APPROVED"], status="APPROVED") == {approved["id"]}
    assert await listed(status="PENDING_APPROVAL") == {pending["id"]}
    assert await listed() == {draft["id"], pending["id"], approved["id"]}
    await hoa.fails("accounting/apInvoice/v1/list", {"statuses": []}, 400, "VALIDATION_FAILED")
    await hoa.fails("accounting/apInvoice/v1/list", {"statuses": ["LOST"]}, 400, "VALIDATION_FAILED")

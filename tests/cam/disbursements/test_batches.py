"""Payment batches: a batch pays exactly the approved invoices it names (one journal entry: Dr AP per invoice, Cr
cash by the total, so AP and cash move by the same total); ACH vendors go in the NACHA file, which parses and whose
totals match; others get checks in the positive-pay register. Refusals: another association's or fund's, unapproved,
no W-9, already batched. 1099 totals per vendor and year."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.cam.disbursements.helpers import ODFI, VENDOR_ROUTING, Payables, bank_account, payables
from tests.cam.disbursements.nacha import parse
from tests.support.rpc import suffix

CREATE = "accounting/paymentBatch/v1/create"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Payables:
    return await payables(shared_client, "Batches")


async def finished(hoa: Payables, batch_id: str) -> dict[str, Any]:
    for _ in range(200):
        batch: dict[str, Any] = await hoa.ok("accounting/paymentBatch/v1/get", {"id": batch_id})
        if batch["status"] in ("COMPLETED", "CANCELLED"):
            return batch
        await asyncio.sleep(0.05)
    raise AssertionError(f"batch {batch_id} did not finish: {batch}")


def batch_body(hoa: Payables, invoice_ids: list[str], **extra: Any) -> dict[str, Any]:
    return {"association_id": hoa.association_id, "bank_account_id": hoa.bank["id"], "invoice_ids": invoice_ids,
            "payment_date": "2026-03-20", **extra}  # fmt: skip


async def test_a_batch_pays_exactly_its_approved_invoices(hoa: Payables) -> None:
    ach = await hoa.vendor(ach=True)
    check = await hoa.vendor()
    invoices = [await hoa.approved(ach["id"], "1200.00"), await hoa.approved(ach["id"], "300.55"),
                await hoa.approved(check["id"], "845.10")]  # fmt: skip
    left_out = await hoa.approved(check["id"], "99.00")
    ap_before, cash_before = await hoa.trial_line("2000"), await hoa.trial_line("1010")

    batch = await hoa.ok(CREATE, batch_body(hoa, [i["id"] for i in invoices]))
    assert (batch["status"], batch["total"], batch["invoice_count"], batch["fund"]) == (
        "OPEN", "2345.65", 3, "OPERATING",
    )  # fmt: skip
    methods = sorted((i["method"], i["amount"], i["check_number"]) for i in batch["items"])
    assert methods == [("ACH", "1200.00", None), ("ACH", "300.55", None), ("CHECK", "845.10", 5001)]
    assert {i["account_number_masked"] for i in batch["items"] if i["method"] == "ACH"} == {"****6789"}
    assert all(not step["done"] for step in batch["steps"])

    processing = await hoa.ok("accounting/paymentBatch/v1/process", {"id": batch["id"]})
    assert processing["status"] == "PROCESSING"
    assert processing["workflow_id"] == f"apPaymentBatch:{batch['id']}:processing:v1"
    done = await finished(hoa, batch["id"])
    assert done["status"] == "COMPLETED"
    assert [s["name"] for s in done["steps"]] == ["POST_ENTRY", "WRITE_NACHA_FILE", "WRITE_POSITIVE_PAY_FILE",
                                                   "COMPLETE"]  # fmt: skip
    assert all(s["done"] for s in done["steps"])

    entry = await hoa.ok("accounting/journalEntry/v1/get", {"id": done["journal_entry_id"]})
    assert entry["source_type"] == "AP_PAYMENT"
    legs = sorted((x["account_number"], x["debit"], x["credit"]) for x in entry["lines"])
    assert legs == [("1010", "0.00", "2345.65"), ("2000", "1200.00", "0.00"), ("2000", "300.55", "0.00"),
                    ("2000", "845.10", "0.00")]  # fmt: skip
    ap_moved = await hoa.trial_line("2000") - ap_before
    cash_moved = await hoa.trial_line("1010") - cash_before
    assert ap_moved == Decimal("2345.65")
    assert cash_moved == Decimal("-2345.65")
    for made in invoices:
        paid = await hoa.ok("accounting/apInvoice/v1/get", {"id": made["id"]})
        assert (paid["status"], paid["payment_journal_entry_id"], paid["paid_on"]) == (
            "PAID", done["journal_entry_id"], "2026-03-20",
        )  # fmt: skip
    assert (await hoa.ok("accounting/apInvoice/v1/get", {"id": left_out["id"]}))["status"] == "APPROVED"

    nacha = await hoa.ok("accounting/paymentBatch/v1/file", {"id": batch["id"], "file": "NACHA"})
    parsed = parse(nacha["content"])
    assert parsed.immediate_destination == ODFI
    assert parsed.total_credit == Decimal("1500.55")
    assert sorted(e.amount for e in parsed.entries) == [Decimal("300.55"), Decimal("1200.00")]
    assert {(e.routing_number, e.account_number, e.transaction_code) for e in parsed.entries} == {
        (VENDOR_ROUTING, "000123456789", "22")
    }
    assert parsed.batches[0].sec_code == "CCD"
    assert parsed.batches[0].number == done["batch_number"]
    assert {e.trace_number for e in parsed.entries} == {i["trace_number"] for i in done["items"] if i["trace_number"]}
    pay = await hoa.ok("accounting/paymentBatch/v1/file", {"id": batch["id"], "file": "POSITIVE_PAY"})
    rows = pay["content"].strip().split("\n")
    assert rows[1].startswith("4321,5001,2026-03-20,845.10,")
    assert rows[-1] == "TOTAL,1,,845.10,,"

    await hoa.fails("accounting/paymentBatch/v1/process", {"id": batch["id"]}, 422, reason="BATCH_NOT_OPEN")
    again = await hoa.fails(CREATE, batch_body(hoa, [invoices[0]["id"]]), 422, reason="INVOICE_NOT_APPROVED")
    assert again["details"]["status"] == "PAID"
    seen = await hoa.ok("accounting/paymentBatch/v1/get", {"id": batch["id"]}, hoa.board)
    assert seen["status"] == "COMPLETED"
    await hoa.fails("accounting/paymentBatch/v1/file", {"id": batch["id"], "file": "NACHA"}, 403, "FORBIDDEN",
                    who=hoa.board)  # fmt: skip


async def test_refusals_leave_nothing_behind(hoa: Payables) -> None:
    payee = await hoa.vendor()
    pending = await hoa.invoice(payee["id"], "100.00")
    await hoa.fails(CREATE, batch_body(hoa, [pending["id"]]), 422, reason="INVOICE_NOT_APPROVED")
    reserve = await hoa.approved(payee["id"], "400.00", account="7300")
    wrong = await hoa.fails(CREATE, batch_body(hoa, [reserve["id"]]), 422, reason="WRONG_FUND")
    assert wrong["details"]["fund"] == "OPERATING"
    no_w9 = await hoa.vendor(w9=False)
    unpaid = await hoa.approved(no_w9["id"], "80.00")
    await hoa.fails(CREATE, batch_body(hoa, [unpaid["id"]]), 422, reason="W9_MISSING")
    first = await hoa.approved(payee["id"], "60.00")
    batch = await hoa.ok(CREATE, batch_body(hoa, [first["id"]]))
    taken = await hoa.fails(CREATE, batch_body(hoa, [first["id"]]), 409, "CONFLICT", "ALREADY_IN_BATCH")
    assert taken["details"]["batch_number"] == batch["batch_number"]
    cancelled = await hoa.ok("accounting/paymentBatch/v1/cancel", {"id": batch["id"]})
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["items"] == []
    assert (await hoa.ok(CREATE, batch_body(hoa, [first["id"]])))["status"] == "OPEN"

    reserve_bank = await bank_account(hoa.books, "1110")
    paid_from_reserve = await hoa.ok(
        CREATE, {**batch_body(hoa, [reserve["id"]]), "bank_account_id": reserve_bank["id"]}
    )
    assert paid_from_reserve["fund"] == "RESERVE"

    other = await payables(hoa.client, "Other")
    await other.fails(CREATE, {**batch_body(other, [first["id"]])}, 404, "NOT_FOUND")  # another org's invoice
    await other.fails("accounting/paymentBatch/v1/get", {"id": batch["id"]}, 404, "NOT_FOUND")
    await other.fails(CREATE, {**batch_body(other, []), "invoice_ids": [pending["id"]]}, 404, "NOT_FOUND")
    second = await other.books.ok("association/v1/create", {"name": f"HOA {suffix()}"})
    theirs = await other.approved((await other.vendor())["id"], "10.00")
    wrong = {**batch_body(other, [theirs["id"]]), "association_id": second["id"]}
    await other.fails(CREATE, wrong, 422, reason="WRONG_ASSOCIATION")  # the bank account is the first association's
    owner_view = await hoa.fails("accounting/paymentBatch/v1/get", {"id": batch["id"]}, 404, "NOT_FOUND",
                                 who=await _owner(hoa))  # fmt: skip
    assert owner_view["code"] == "NOT_FOUND"


async def _owner(hoa: Payables) -> Any:
    from tests.support.accounts import member_account

    return await member_account(hoa.client, hoa.books.admin, hoa.org, ["OWNER"])


async def test_vendor_bank_details_are_masked_and_checked(hoa: Payables) -> None:
    payee = await hoa.vendor()
    body = {"vendor_id": payee["id"], "routing_number": "123456789", "account_number": "55554444"}
    await hoa.fails("accounting/vendorBank/v1/set", body, 422, reason="INVALID_ROUTING_NUMBER")
    await hoa.fails("accounting/vendorBank/v1/get", {"vendor_id": payee["id"]}, 404, "NOT_FOUND")
    saved = await hoa.ok("accounting/vendorBank/v1/set", {**body, "routing_number": VENDOR_ROUTING})
    assert saved["account_number_masked"] == "****4444"
    assert "55554444" not in str(saved)


async def test_1099_totals_per_vendor_and_year(hoa: Payables) -> None:
    hoa2 = await payables(hoa.client, "Ten Ninety Nine")
    big = await hoa2.vendor(eligible=True)
    small = await hoa2.vendor(eligible=True)
    corp = await hoa2.vendor(eligible=False)
    invoices = [await hoa2.approved(big["id"], "450.00"), await hoa2.approved(big["id"], "150.00"),
                await hoa2.approved(small["id"], "599.99"), await hoa2.approved(corp["id"], "5000.00")]  # fmt: skip
    batch = await hoa2.ok(CREATE, batch_body(hoa2, [i["id"] for i in invoices]))
    await hoa2.ok("accounting/paymentBatch/v1/process", {"id": batch["id"]})
    await finished(hoa2, batch["id"])
    late = await hoa2.approved(small["id"], "10.00")
    await hoa2.ok("accounting/apInvoice/v1/pay", {"id": late["id"], "paid_on": "2027-01-02", "reference": "CHK 9"})
    totals = await hoa2.ok("accounting/form1099/v1/totals", {"association_id": hoa2.association_id, "year": 2026},
                           hoa2.board)  # fmt: skip
    assert totals["threshold"] == "600.00"
    rows = {v["vendor_id"]: (v["total_paid"], v["payments"], v["reportable"]) for v in totals["vendors"]}
    assert rows == {big["id"]: ("600.00", 2, True), small["id"]: ("599.99", 1, False)}
    assert all(v["tax_id_masked"] == "***-**-6789" for v in totals["vendors"])
    other = await payables(hoa.client, "Nope")
    await other.fails("accounting/form1099/v1/totals", {"association_id": hoa2.association_id, "year": 2026}, 404,
                      "NOT_FOUND")  # fmt: skip

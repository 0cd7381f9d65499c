"""Payments: through the payment port (every request stored as an intent with its outcome; a declined charge changes
nothing else), by check or cash; partial payments, receipts numbered per organization; never more than the balance,
even when two payments race. `invoice_payment_v1` moves the job INVOICED when the invoice is issued, and PAID then
CLOSED once it is paid (PAID only while a QA checkpoint is open)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest
from dbos import DBOS

from hestami.contractor.invoice.workflows import workflow_id
from tests.contractor.invoice.helpers import Books, books, completed_job, job_status, outbound, until
from tests.support.rpc import post

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def b(shared_client: httpx.AsyncClient) -> Books:
    return await books(shared_client, "Payments")


async def standard(b: Books, amount: str = "400.00", **job_fields: str) -> tuple[dict, dict]:
    job = await completed_job(b, **job_fields)
    draft = await b.invoice(job["id"], "STANDARD")
    await b.ok("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Repair", "unit_price": amount})
    return job, await b.ok("invoice/v1/issue", {"id": draft["id"]})


async def test_partial_payments_with_receipts_then_paid_and_the_job_closed(b: Books) -> None:
    job, invoice = await standard(b)
    await job_status(b, job["id"], "INVOICED")
    declined = await b.ok("invoice/v1/collectPayment", {"invoice_id": invoice["id"], "amount": "150.00",
                                                        "payment_token": "tok_decline_4000"})  # fmt: skip
    assert declined["payment"] is None
    assert (declined["intent"]["outcome"], declined["intent"]["failure_reason"]) == ("DECLINED", "card_declined")
    assert (declined["invoice"]["status"], declined["invoice"]["balance"]) == ("ISSUED", "400.00")
    card = await b.ok("invoice/v1/collectPayment", {"invoice_id": invoice["id"], "amount": "150.00",
                                                    "payment_token": "tok_visa_4242"})  # fmt: skip
    assert (card["invoice"]["status"], card["invoice"]["amount_paid"], card["invoice"]["balance"]) == (
        "PARTIALLY_PAID", "150.00", "250.00",
    )  # fmt: skip
    assert card["intent"]["outcome"] == "SUCCEEDED"
    assert card["payment"]["reference"] == card["intent"]["provider_reference"]
    assert card["payment"]["receipt"]["balance_after"] == "250.00"
    intents = await b.ok("invoice/v1/listPaymentIntents", {"invoice_id": invoice["id"]})
    assert [(i["outcome"], i["amount"], i["token_hint"]) for i in intents["items"]] == [
        ("DECLINED", "150.00", "tok_…4000"), ("SUCCEEDED", "150.00", "tok_…4242"),
    ]  # fmt: skip
    by_check = {"invoice_id": invoice["id"], "amount": "250.00", "reference": "Check 1045", "received_on": "2026-11-29"}
    check = await b.ok("invoice/v1/recordPayment", by_check)
    assert (check["invoice"]["status"], check["invoice"]["balance"]) == ("PAID", "0.00")
    assert check["payment"]["method"] == "CHECK"
    first, second = card["payment"]["receipt"]["number"], check["payment"]["receipt"]["number"]
    assert int(second[4:]) == int(first[4:]) + 1
    payments = await b.ok("invoice/v1/listPayments", {"invoice_id": invoice["id"]})
    assert [(p["method"], p["amount"]) for p in payments["items"]] == [("CARD", "150.00"), ("CHECK", "250.00")]
    one = await b.ok("invoice/v1/getPayment", {"id": check["payment"]["id"]})
    assert one["receipt"]["number"] == second
    closed = await job_status(b, job["id"], "CLOSED")
    assert closed["status"] == "CLOSED"
    history = [(h["from_status"], h["to_status"]) for h in (await b.ok("job/v1/history", {"id": job["id"]}))["items"]]
    assert history[-3:] == [("COMPLETED", "INVOICED"), ("INVOICED", "PAID"), ("PAID", "CLOSED")]
    sent = await outbound(b.org, invoice["id"])
    assert ("invoice.issued", f"contractor_invoice:{invoice['id']}:issued") in sent


async def test_a_qa_checkpoint_keeps_a_paid_job_open(b: Books) -> None:
    job, invoice = await standard(b, "90.00")
    await b.ok("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "QA", "title": "Walk-through"})
    await b.ok("invoice/v1/recordPayment", {"invoice_id": invoice["id"], "amount": "90.00", "method": "CASH"})
    await job_status(b, job["id"], "PAID")
    await asyncio.sleep(0.5)
    assert (await b.ok("job/v1/get", {"id": job["id"]}))["status"] == "PAID"


async def test_payments_never_exceed_the_balance(b: Books) -> None:
    _, invoice = await standard(b, "100.00")
    before = await b.table_counts()
    await b.fails("invoice/v1/recordPayment", {"invoice_id": invoice["id"], "amount": "100.01"}, 422,
                  "BUSINESS_RULE_VIOLATION", "OVERPAYMENT")  # fmt: skip
    nothing = {"invoice_id": invoice["id"], "amount": "0.00", "payment_token": "tok_visa_4242"}
    await b.fails("invoice/v1/collectPayment", nothing, 400, "VALIDATION_FAILED")
    assert await b.table_counts() == before
    body = {"invoice_id": invoice["id"], "amount": "60.00"}
    answers = await asyncio.gather(*(post(b.force.client, b.manager, b.org, "invoice/v1/recordPayment", body)
                                     for _ in range(3)))  # fmt: skip
    assert sorted(r.status_code for r in answers) == [200, 422, 422]
    current = await b.ok("invoice/v1/get", {"id": invoice["id"]})
    assert (current["status"], current["amount_paid"], current["balance"]) == ("PARTIALLY_PAID", "60.00", "40.00")


async def test_only_open_invoices_take_payments(b: Books) -> None:
    job = await completed_job(b)
    draft = await b.invoice(job["id"], "STANDARD")
    await b.ok("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Repair", "unit_price": "10.00"})
    await b.fails("invoice/v1/recordPayment", {"invoice_id": draft["id"], "amount": "10.00"}, 422,
                  "BUSINESS_RULE_VIOLATION", "NOT_PAYABLE")  # fmt: skip
    issued = await b.ok("invoice/v1/issue", {"id": draft["id"]})
    await b.ok("invoice/v1/recordPayment", {"invoice_id": issued["id"], "amount": "4.00"})
    await b.fails("invoice/v1/void", {"id": issued["id"], "reason": "No"}, 409, "INVALID_STATE_TRANSITION")


async def test_a_voided_invoice_ends_its_workflow(b: Books) -> None:
    _, invoice = await standard(b, "75.00")
    voided = await b.ok("invoice/v1/void", {"id": invoice["id"], "reason": "Wrong customer"})
    assert voided["status"] == "VOID"
    await b.fails("invoice/v1/recordPayment", {"invoice_id": invoice["id"], "amount": "1.00"}, 422,
                  "BUSINESS_RULE_VIOLATION", "NOT_PAYABLE")  # fmt: skip

    async def ended() -> bool:
        status = await DBOS.get_workflow_status_async(workflow_id(invoice["id"]))
        return status is not None and status.status == "SUCCESS"

    await until(ended, "the workflow's end")
    assert Decimal(voided["balance"]) == 0

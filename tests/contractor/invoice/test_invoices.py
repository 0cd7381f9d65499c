"""Invoices from a job: the accepted option's lines, or time and materials priced through the pricebook; deposits
and progress billings as a percent of the accepted option, the issued ones credited by the final invoice (under
concurrency too: `test_deposits`); one FINAL per job, even
under concurrency; drafts editable, issued invoices frozen; refusals leave the database as it was."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.contractor.invoice.helpers import Books, accepted, books, completed_job, option, work, worked
from tests.support.rpc import post

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def b(shared_client: httpx.AsyncClient) -> Books:
    return await books(shared_client)


def money(value: Any) -> Decimal:
    return Decimal(str(value))


async def test_time_and_materials_are_priced_through_the_pricebook(b: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    job = await completed_job(b)
    done = work(job["id"], (("Ana", "TRAVEL", 20), ("Ana", "WORK", 70), ("Ben", "WORK", 50), ("Ana", "WORK", 20)),
                (("PIPE-1", "6.5"), ("VLV-1", "2")))  # fmt: skip
    with worked({job["id"]: done}, monkeypatch):
        invoice = await b.invoice(job["id"])
    assert (invoice["kind"], invoice["status"], invoice["number"][:4]) == ("FINAL", "DRAFT", "INV-")
    rows = [(x["source"], x["code"], x["description"], x["quantity"], x["unit_price"], x["total"], x["taxable"])
            for x in invoice["lines"]]  # fmt: skip
    assert rows == [
        ("TIME", "LAB-JP", "Journeyman plumber hour: Ana, travel", "0.3300", "125.00", "41.25", False),
        ("TIME", "LAB-JP", "Journeyman plumber hour: Ana, work", "1.5000", "125.00", "187.50", False),
        ("TIME", "LAB-JP", "Journeyman plumber hour: Ben, work", "0.8300", "125.00", "103.75", False),
        ("MATERIAL", "PIPE-1", "Copper pipe 1/2 in", "6.5000", "12.50", "81.25", True),
        ("MATERIAL", "VLV-1", "Shut-off valve", "2.0000", "38.00", "76.00", True),
    ]
    assert money(invoice["subtotal"]) == Decimal("489.75")
    assert money(invoice["tax_rate"]) == Decimal("8.25")
    assert money(invoice["tax"]) == Decimal("12.97")  # 8.25 % of 157.25 = 12.973 → 12.97
    assert money(invoice["total"]) == money(invoice["balance"]) == Decimal("502.72")
    assert invoice["bill_to"].startswith("Homeowner ")


async def test_the_accepted_option_is_billed_as_accepted(b: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    job = await completed_job(b)
    chosen = option(job["id"])
    with accepted({job["id"]: chosen}, monkeypatch):
        invoice = await b.invoice(job["id"])
    assert [(x["source"], x["code"], x["total"]) for x in invoice["lines"]] == [
        ("OPTION", "WH-50-GAS", "2195.00"), ("OPTION", "VLV-1", "76.00"),
    ]  # fmt: skip
    assert (invoice["estimate_number"], invoice["option_name"]) == ("EST-000042", "Better")
    assert (money(invoice["subtotal"]), money(invoice["tax"]), money(invoice["total"])) == (
        chosen.subtotal, chosen.tax, chosen.total,
    )  # fmt: skip


async def test_deposits_and_progress_are_credited_by_the_final_invoice(
    b: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only issued ones: a draft refuses the FINAL (it would be billed twice once issued), a void one is not
    credited."""
    job = await completed_job(b, "SCHEDULED")
    chosen = option(job["id"])  # total 2277.27
    with accepted({job["id"]: chosen}, monkeypatch):
        await b.fails("invoice/v1/createFromJob", {"job_id": job["id"], "kind": "DEPOSIT"}, 422,
                      "BUSINESS_RULE_VIOLATION", "PERCENT_REQUIRED")  # fmt: skip
        deposit = await b.issued(job["id"], "DEPOSIT", percent="30")
        draft = await b.invoice(job["id"], "PROGRESS", percent="50")
        before = await b.table_counts()
        refused = await b.fails("invoice/v1/createFromJob", {"job_id": job["id"], "kind": "PROGRESS", "percent": "25"},
                                422, "BUSINESS_RULE_VIOLATION", "OVER_BILLED")  # fmt: skip
        assert refused["details"]["billed"] == "1821.82"  # drafts count against the option's total
        assert await b.table_counts() == before
        await b.fails("invoice/v1/createFromJob", {"job_id": job["id"]}, 422, "BUSINESS_RULE_VIOLATION",
                      "JOB_NOT_COMPLETED")  # fmt: skip
        for to in ("DISPATCHED", "IN_PROGRESS", "COMPLETED"):
            await b.ok("job/v1/transition", {"id": job["id"], "to": to})
        unissued = await b.fails("invoice/v1/createFromJob", {"job_id": job["id"]}, 422, "BUSINESS_RULE_VIOLATION",
                                 "UNISSUED_SHARE")  # fmt: skip
        named = unissued["details"]
        assert (named["invoice_id"], named["invoice_number"], named["kind"]) == (
            draft["id"],
            draft["number"],
            "PROGRESS",
        )
        assert draft["number"] in unissued["message"]
        assert await b.table_counts() == before
        await b.ok("invoice/v1/void", {"id": draft["id"], "reason": "Billed at 40 % instead"})
        progress = await b.issued(job["id"], "PROGRESS", percent="40")
        final = await b.invoice(job["id"])
        before = await b.table_counts()
        await b.fails("invoice/v1/createFromJob", {"job_id": job["id"], "kind": "PROGRESS", "percent": "1"}, 422,
                      "BUSINESS_RULE_VIOLATION", "FINAL_EXISTS")  # fmt: skip
        credited = await b.fails("invoice/v1/void", {"id": progress["id"], "reason": "No"}, 422,
                                 "BUSINESS_RULE_VIOLATION", "CREDITED_BY_FINAL")  # fmt: skip
        assert credited["details"]["invoice_number"] == final["number"]
        assert await b.table_counts() == before
    assert money(deposit["total"]) == Decimal("683.18")  # 30 % of 2277.27, ROUND_HALF_UP
    assert (deposit["lines"][0]["taxable"], money(deposit["tax"])) == (False, Decimal("0.00"))
    assert money(progress["total"]) == Decimal("910.91")  # 40 %: 910.908
    credits = [(x["source"], x["description"], x["total"]) for x in final["lines"] if x["source"] == "DEPOSIT_CREDIT"]
    assert credits == [
        ("DEPOSIT_CREDIT", f"Less deposit invoice {deposit['number']}", "-683.18"),
        ("DEPOSIT_CREDIT", f"Less progress invoice {progress['number']}", "-910.91"),
    ]
    assert money(final["tax"]) == chosen.tax
    assert sum(money(i["total"]) for i in (deposit, progress, final)) == chosen.total


async def test_one_final_invoice_per_job_even_when_asked_at_once(b: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    job = await completed_job(b)
    body = {"job_id": job["id"], "kind": "FINAL"}
    with accepted({job["id"]: option(job["id"])}, monkeypatch):
        answers = await asyncio.gather(*(post(b.force.client, b.manager, b.org, "invoice/v1/createFromJob", body)
                                         for _ in range(4)))  # fmt: skip
        assert sorted(r.status_code for r in answers) == [200, 409, 409, 409]
        (made,) = [r.json()["data"] for r in answers if r.status_code == 200]
        again = await b.fails("invoice/v1/createFromJob", body, 409, "CONFLICT", "ALREADY_INVOICED")
    assert (again["details"]["invoice_id"], again["details"]["invoice_number"]) == (made["id"], made["number"])
    page = await b.ok("invoice/v1/list", {"job_id": job["id"]})
    assert [i["id"] for i in page["items"]] == [made["id"]]


async def test_invoice_numbers_are_gapless_under_concurrency(b: Books) -> None:
    jobs = [await completed_job(b) for _ in range(5)]
    answers = await asyncio.gather(*(post(b.force.client, b.manager, b.org, "invoice/v1/createFromJob",
                                          {"job_id": j["id"], "kind": "STANDARD"}) for j in jobs))  # fmt: skip
    numbers = sorted(int(r.json()["data"]["number"][4:]) for r in answers)
    assert numbers == list(range(numbers[0], numbers[0] + 5))


async def test_refusals_name_their_reason(b: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    job = await completed_job(b)
    cases = [
        ({"job_id": job["id"], "kind": "DEPOSIT", "percent": "20"}, "NO_ACCEPTED_OPTION"),
        ({"job_id": job["id"], "kind": "FINAL"}, "NOTHING_TO_INVOICE"),
    ]
    before = await b.table_counts()
    for body, reason in cases:
        await b.fails("invoice/v1/createFromJob", body, 422, "BUSINESS_RULE_VIOLATION", reason)
    with worked({job["id"]: work(job["id"], (), (("NOPE-9", "1"),))}, monkeypatch):
        error = await b.fails("invoice/v1/createFromJob", {"job_id": job["id"]}, 422, "BUSINESS_RULE_VIOLATION",
                              "NOT_IN_PRICEBOOK")  # fmt: skip
    assert error["details"]["codes"] == ["NOPE-9"]
    cancelled = await completed_job(b, "JOB_CREATED")
    await b.ok("job/v1/cancel", {"id": cancelled["id"], "reason": "Customer changed their mind"})
    await b.fails("invoice/v1/createFromJob", {"job_id": cancelled["id"], "kind": "STANDARD"}, 422,
                  "BUSINESS_RULE_VIOLATION", "JOB_CANCELLED")  # fmt: skip
    for bad in ({"job_id": job["id"], "kind": "DEPOSIT", "percent": "0"}, {"job_id": job["id"], "kind": "LATER"},
                {"job_id": job["id"], "extra": 1}):  # fmt: skip
        await b.fails("invoice/v1/createFromJob", bad, 400, "VALIDATION_FAILED")
    assert await b.table_counts() == before


async def test_a_draft_is_edited_and_an_issued_invoice_is_frozen(b: Books) -> None:
    job = await completed_job(b)
    draft = await b.invoice(job["id"], "STANDARD")
    await b.fails("invoice/v1/issue", {"id": draft["id"]}, 422, "BUSINESS_RULE_VIOLATION", "EMPTY_INVOICE")
    added = await b.ok("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Haul away old heater",
                                              "unit_price": "75.00"})  # fmt: skip
    added = await b.ok("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Fittings", "quantity": "3",
                                              "unit_price": "4.10", "taxable": True, "code": "FIT"})  # fmt: skip
    assert [(x["position"], x["source"], x["total"]) for x in added["lines"]] == [(1, "MANUAL", "75.00"),
                                                                                 (2, "MANUAL", "12.30")]  # fmt: skip
    assert (added["subtotal"], added["tax"], added["total"]) == ("87.30", "1.01", "88.31")
    changed = await b.ok("invoice/v1/updateLine", {"id": added["lines"][0]["id"], "unit_price": "60.00"})
    assert (changed["lines"][0]["total"], changed["total"]) == ("60.00", "73.31")
    removed = await b.ok("invoice/v1/removeLine", {"id": added["lines"][1]["id"]})
    assert (len(removed["lines"]), removed["total"]) == (1, "60.00")
    await b.fails("invoice/v1/issue", {"id": draft["id"], "issue_date": "2026-11-30", "due_date": "2026-11-01"}, 422,
                  "BUSINESS_RULE_VIOLATION", "DUE_BEFORE_ISSUE")  # fmt: skip
    issued = await b.ok("invoice/v1/issue", {"id": draft["id"], "issue_date": "2026-11-30"})
    assert (issued["status"], issued["issue_date"], issued["due_date"]) == ("ISSUED", "2026-11-30", "2026-12-30")
    before = await b.table_counts()
    line = removed["lines"][0]["id"]
    for path, body in (
        ("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "More", "unit_price": "1.00"}),
        ("invoice/v1/updateLine", {"id": line, "unit_price": "1.00"}),
        ("invoice/v1/removeLine", {"id": line}),
    ):
        await b.fails(path, body, 422, "BUSINESS_RULE_VIOLATION", "NOT_EDITABLE")
    await b.fails("invoice/v1/issue", {"id": draft["id"]}, 409, "INVALID_STATE_TRANSITION")
    assert await b.table_counts() == before
    assert (await b.ok("invoice/v1/get", {"id": draft["id"]}))["lines"] == removed["lines"]


async def test_void(b: Books) -> None:
    job = await completed_job(b)
    draft = await b.invoice(job["id"], "STANDARD")
    await b.ok("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Call-out", "unit_price": "89.00"})
    voided = await b.ok("invoice/v1/void", {"id": draft["id"], "reason": "Billed by mistake"})
    assert (voided["status"], voided["void_reason"], voided["balance"], voided["total"]) == (
        "VOID", "Billed by mistake", "0.00", "89.00",
    )  # fmt: skip
    await b.fails("invoice/v1/void", {"id": draft["id"], "reason": "again"}, 409, "INVALID_STATE_TRANSITION")

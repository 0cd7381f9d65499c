"""Into the HOA's books (journey 5, step 5): the contractor invoices a work order's job → `invoice_payment_v1`
enters it in the association's payables once, PENDING_APPROVAL, linked to the work order, coded to Repairs and
Maintenance (or to the component's reserve expense account in the reserve fund when the work order replaces a reserve
component); the work order becomes INVOICED and the job INVOICED. The association paying it there pays the
contractor's invoice (HOA_AP), and the job becomes PAID, then CLOSED. Nothing is typed twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.cam.work_order.helpers import community, link, new_order
from tests.cam.work_order.test_reserve_replacement import component
from tests.contractor.invoice.helpers import Books, accepted, books, job_status, option, until
from tests.support.accounts import Account
from tests.support.rpc import ok

pytestmark = pytest.mark.usefixtures("unthrottled")


@dataclass
class World:
    b: Books
    client: httpx.AsyncClient
    manager: Account
    hoa: str
    association_id: str

    async def hoa_ok(self, path: str, body: dict[str, Any]) -> Any:
        return await ok(self.client, self.manager, self.hoa, path, body)


@pytest.fixture(scope="module")
async def w(shared_client: httpx.AsyncClient) -> World:
    b = await books(shared_client, "HOA Plumbing")
    manager, hoa, association, _ = await community(shared_client)
    await link(shared_client, manager, hoa, association["id"], b.org)
    return World(b, shared_client, manager, hoa, association["id"])


async def completed_work_order(w: World, **fields: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A work order assigned to the contractor, its job walked to COMPLETED and the work order COMPLETED with it."""
    order = await new_order(w.client, w.manager, w.hoa, w.association_id, category="PLUMBING", **fields)
    if order["status"] == "DRAFT":
        order = await w.hoa_ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "SUBMITTED"})
    await w.hoa_ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    await w.hoa_ok("workOrder/v1/assignVendor", {"id": order["id"], "provider_organization_id": w.b.org})

    async def the_job() -> dict[str, Any] | None:
        page = await w.b.ok("job/v1/list", {"work_order_id": order["id"]})
        return page["items"][0] if page["items"] else None

    job = await until(the_job, "the handed-off job")
    for to in ("SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED"):
        await w.b.ok("job/v1/transition", {"id": job["id"], "to": to})

    async def completed() -> bool:
        return (await w.hoa_ok("workOrder/v1/get", {"id": order["id"]}))["status"] == "COMPLETED"

    await until(completed, "the work order COMPLETED")
    return order, job


async def in_payables(w: World, invoice_id: str) -> dict[str, Any]:
    async def entered() -> dict[str, Any] | None:
        found = await w.b.ok("invoice/v1/get", {"id": invoice_id})
        return found if found["ap_invoice_id"] else None

    return dict(await until(entered, "the invoice in the association's payables"))


async def test_the_invoice_lands_in_the_associations_payables_and_their_payment_closes_the_job(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    order, job = await completed_work_order(w)
    chosen = option(job["id"])
    with accepted({job["id"]: chosen}, monkeypatch):
        draft = await w.b.invoice(job["id"])
        await w.b.fails("invoice/v1/createFromJob", {"job_id": job["id"], "kind": "DEPOSIT", "percent": "10"}, 422,
                        "BUSINESS_RULE_VIOLATION", "HOA_BILLS_ON_COMPLETION")  # fmt: skip
    assert (draft["hoa_organization_id"], draft["work_order_id"]) == (w.hoa, order["id"])
    assert draft["bill_to"].endswith(")")
    issued = await w.b.ok("invoice/v1/issue", {"id": draft["id"]})
    invoice = await in_payables(w, issued["id"])

    ap = await w.hoa_ok("accounting/apInvoice/v1/get", {"id": invoice["ap_invoice_id"]})
    assert (ap["status"], ap["invoice_number"], ap["amount"]) == ("PENDING_APPROVAL", invoice["number"], "2277.27")
    assert (ap["source_type"], ap["source_id"]) == ("WORK_ORDER", order["id"])
    assert (ap["invoice_date"], ap["due_date"]) == (invoice["issue_date"], invoice["due_date"])
    chart = await w.hoa_ok("accounting/glAccount/v1/list", {"association_id": w.association_id, "limit": 200})
    accounts = {a["id"]: a for a in chart["items"]}
    coded = {
        (accounts[x["gl_account_id"]]["account_number"], accounts[x["gl_account_id"]]["fund"]) for x in ap["lines"]
    }
    assert coded == {("5400", "OPERATING")}
    assert [x["amount"] for x in ap["lines"]] == ["2195.00", "76.00", "6.27"]
    work_order = await w.hoa_ok("workOrder/v1/get", {"id": order["id"]})
    assert (work_order["status"], work_order["ap_invoice_id"]) == ("INVOICED", invoice["ap_invoice_id"])
    await job_status(w.b, job["id"], "INVOICED")
    listed = await w.hoa_ok("accounting/apInvoice/v1/list", {"association_id": w.association_id})
    assert [i["id"] for i in listed["items"] if i["source_id"] == order["id"]] == [invoice["ap_invoice_id"]]

    # The contractor's side is the association's to pay: no port, no check, no void.
    await w.b.fails("invoice/v1/recordPayment", {"invoice_id": invoice["id"], "amount": "10.00"}, 422,
                    "BUSINESS_RULE_VIOLATION", "PAID_THROUGH_AP")  # fmt: skip
    await w.b.fails("invoice/v1/void", {"id": invoice["id"], "reason": "No"}, 422, "BUSINESS_RULE_VIOLATION",
                    "IN_PAYABLES")  # fmt: skip

    await w.hoa_ok("accounting/apInvoice/v1/approve", {"id": ap["id"]})
    await w.hoa_ok("vendor/v1/update", {"id": ap["vendor_id"], "w9_on_file": True})
    await w.hoa_ok("accounting/apInvoice/v1/pay", {"id": ap["id"], "paid_on": "2026-12-05", "reference": "Check 3301"})

    async def paid() -> dict[str, Any] | None:
        found = await w.b.ok("invoice/v1/get", {"id": invoice["id"]})
        return found if found["status"] == "PAID" else None

    settled = await until(paid, "the contractor's invoice PAID")
    assert (settled["amount_paid"], settled["balance"], settled["ap_status"]) == ("2277.27", "0.00", "PAID")
    payments = await w.b.ok("invoice/v1/listPayments", {"invoice_id": invoice["id"]})
    assert [(p["method"], p["amount"], p["received_on"]) for p in payments["items"]] == [
        ("HOA_AP", "2277.27", "2026-12-05")
    ]
    await job_status(w.b, job["id"], "CLOSED")


async def test_a_reserve_replacement_is_coded_to_the_reserve_fund(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    roof = await component(w.client, w.manager, w.hoa, w.association_id, name=f"Pool pump {w.b.org[-4:]}")
    order, job = await completed_work_order(w, submit=False, reserve_component_id=roof["id"])
    with accepted({job["id"]: option(job["id"], (("PUMP-2HP", "1", "1840.00", True),))}, monkeypatch):
        invoice = await w.b.issued(job["id"])
    invoice = await in_payables(w, invoice["id"])
    ap = await w.hoa_ok("accounting/apInvoice/v1/get", {"id": invoice["ap_invoice_id"]})
    chart = await w.hoa_ok("accounting/glAccount/v1/list", {"association_id": w.association_id, "limit": 200})
    accounts = {a["id"]: a for a in chart["items"]}
    assert {(accounts[x["gl_account_id"]]["account_number"], accounts[x["gl_account_id"]]["fund"])
            for x in ap["lines"]} == {("7000", "RESERVE")}  # fmt: skip
    assert ap["source_id"] == order["id"]


async def test_a_payment_batch_of_the_association_pays_the_contractor(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other payment path of the payables (a batch, `apPaymentProcessing_v1`) pays the invoice too."""
    _, job = await completed_work_order(w)
    with accepted({job["id"]: option(job["id"], (("HOSE-BIB", "2", "64.00", True),))}, monkeypatch):
        invoice = await in_payables(w, (await w.b.issued(job["id"]))["id"])
    ap = await w.hoa_ok("accounting/apInvoice/v1/approve", {"id": invoice["ap_invoice_id"]})
    await w.hoa_ok("vendor/v1/update", {"id": ap["vendor_id"], "w9_on_file": True})
    chart = await w.hoa_ok("accounting/glAccount/v1/list", {"association_id": w.association_id, "limit": 200})
    cash = next(a["id"] for a in chart["items"] if a["account_number"] == "1010")
    bank = await w.hoa_ok("accounting/bankAccount/v1/create", {
        "association_id": w.association_id, "gl_account_id": cash, "name": "Checking", "bank_name": "First Bank",
        "account_last4": "4321",
    })  # fmt: skip
    await w.hoa_ok("accounting/bankPaymentProfile/v1/set", {
        "bank_account_id": bank["id"], "routing_number": "021000021", "company_name": "OAK HOA",
        "company_identification": "1741234567", "next_check_number": 7001,
    })  # fmt: skip
    batch = await w.hoa_ok("accounting/paymentBatch/v1/create", {
        "association_id": w.association_id, "bank_account_id": bank["id"], "invoice_ids": [ap["id"]],
        "payment_date": "2026-12-10",
    })  # fmt: skip
    await w.hoa_ok("accounting/paymentBatch/v1/process", {"id": batch["id"]})

    async def paid() -> dict[str, Any] | None:
        found = await w.b.ok("invoice/v1/get", {"id": invoice["id"]})
        return found if found["status"] == "PAID" else None

    await until(paid, "the contractor's invoice PAID by the batch")
    payments = await w.b.ok("invoice/v1/listPayments", {"invoice_id": invoice["id"]})
    assert [(p["method"], p["received_on"]) for p in payments["items"]] == [("HOA_AP", "2026-12-10")]

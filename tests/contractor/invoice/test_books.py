"""The contractor sees what the association's books did with its invoice: a refusal to take it (kept on the invoice
with its code, reason, message and moment, retried every poll, the managers told once, cleared once entered), the
payable's status as the books have it, and a void of the payable (recorded, the managers told once, the workflow
no longer waiting for a payment, the invoice then the contractor's to void)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from dbos import DBOS

from hestami.contractor.invoice.workflows import workflow_id
from hestami.core import runtime
from tests.cam.work_order.helpers import community, link
from tests.contractor.invoice.helpers import Books, accepted, books, option, until
from tests.contractor.invoice.test_payables import World, completed_work_order, in_payables

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def b(shared_client: httpx.AsyncClient) -> Books:
    return await books(shared_client, "Books Plumbing")


async def world(client: httpx.AsyncClient, b: Books) -> World:
    """A new association linked to the contractor: no vendor record of it yet."""
    manager, hoa, association, _ = await community(client)
    await link(client, manager, hoa, association["id"], b.org)
    return World(b, client, manager, hoa, association["id"])


@pytest.fixture
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime.current().settings, "invoice_poll_seconds", 0.2)


async def notices(w: World, invoice_id: str, template: str) -> list[str]:
    """The recipients of the messages with `template` about the invoice, as the contractor's manager lists them."""
    page = await w.b.ok("notification/v1/list", {"entity_id": invoice_id, "limit": 100})
    return sorted(n["recipient"] for n in page["items"] if n["template"] == template)


def managers(b: Books) -> set[str]:
    return {b.manager.email, b.members["MANAGER"].email}


async def steps(invoice_id: str, name: str) -> int:
    found = await DBOS.list_workflow_steps_async(workflow_id(invoice_id), load_output=False)
    return sum(1 for step in found if step["function_name"] == name)


async def got(w: World, invoice_id: str, what: str, test: Any) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        found = dict(await w.b.ok("invoice/v1/get", {"id": invoice_id}))
        return found if test(found) else None

    return dict(await until(probe, what))


@pytest.mark.usefixtures("quick_polls")
async def test_a_refusal_of_the_books_shows_on_the_invoice_until_it_is_entered(
    shared_client: httpx.AsyncClient, b: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await world(shared_client, b)
    _, job = await completed_work_order(w)
    with accepted({job["id"]: option(job["id"])}, monkeypatch):
        draft = await w.b.invoice(job["id"])
    # The association recorded an invoice of that number from the contractor's vendor record already.
    vendor = await w.hoa_ok("vendor/v1/create", {"name": "Bayside Plumbing", "service_provider_org_id": b.org})
    chart = await w.hoa_ok("accounting/glAccount/v1/list", {"association_id": w.association_id, "limit": 200})
    repairs = next(a["id"] for a in chart["items"] if a["account_number"] == "5400")
    taken = await w.hoa_ok("accounting/apInvoice/v1/create", {
        "association_id": w.association_id, "vendor_id": vendor["id"], "invoice_number": draft["number"],
        "invoice_date": date.today().isoformat(), "amount": "10.00",
        "lines": [{"gl_account_id": repairs, "description": "Typed in by hand", "amount": "10.00"}],
    })  # fmt: skip
    await w.b.ok("invoice/v1/issue", {"id": draft["id"]})

    refused = await got(w, draft["id"], "the refusal on the invoice", lambda i: i["ap_refusal_code"] is not None)
    assert (refused["ap_refusal_code"], refused["ap_refusal_reason"]) == ("CONFLICT", "DUPLICATE_INVOICE")
    assert draft["number"] in refused["ap_refusal_message"]
    assert (refused["status"], refused["ap_invoice_id"], refused["ap_status"]) == ("ISSUED", None, None)
    assert refused["ap_refused_at"] is not None
    listed = await w.b.ok("invoice/v1/list", {"job_id": job["id"]})
    assert [(i["ap_refusal_reason"], i["ap_refused_at"]) for i in listed["items"]] == [
        ("DUPLICATE_INVOICE", refused["ap_refused_at"])
    ]

    async def retried() -> bool:
        return await steps(draft["id"], "invoicePaymentRecordRefusal") >= 3

    await until(retried, "the books tried three times")
    again = await w.b.ok("invoice/v1/get", {"id": draft["id"]})
    assert again["ap_refused_at"] == refused["ap_refused_at"]  # the same refusal: when it was first met
    told = await notices(w, draft["id"], "invoice.payables_refused")
    assert managers(b) <= set(told)
    assert len(told) == len(set(told))  # each manager once, however often refused
    assert b.members["VENDOR"].email not in told

    await w.hoa_ok("accounting/apInvoice/v1/void", {"id": taken["id"], "reason": "Typed twice"})
    entered = await in_payables(w, draft["id"])
    assert [entered[k] for k in ("ap_refusal_code", "ap_refusal_reason", "ap_refusal_message", "ap_refused_at")] == [
        None, None, None, None,
    ]  # fmt: skip
    pending = await got(w, draft["id"], "the payable's status", lambda i: i["ap_status"] is not None)
    assert pending["ap_status"] == "PENDING_APPROVAL"
    assert await notices(w, draft["id"], "invoice.payables_refused") == told


async def test_the_association_voiding_its_payable_ends_the_wait(
    shared_client: httpx.AsyncClient, b: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read at once through the void hook's wake-up (the poll here is an hour)."""
    w = await world(shared_client, b)
    _, job = await completed_work_order(w)
    with accepted({job["id"]: option(job["id"])}, monkeypatch):
        issued = await w.b.issued(job["id"])
    invoice = await in_payables(w, issued["id"])
    await got(w, invoice["id"], "the payable PENDING_APPROVAL", lambda i: i["ap_status"] == "PENDING_APPROVAL")
    await w.b.fails("invoice/v1/void", {"id": invoice["id"], "reason": "Too early"}, 422, "BUSINESS_RULE_VIOLATION",
                    "IN_PAYABLES")  # fmt: skip

    await w.hoa_ok("accounting/apInvoice/v1/void", {"id": invoice["ap_invoice_id"], "reason": "Disputed"})
    voided = await got(w, invoice["id"], "the payable VOIDED", lambda i: i["ap_status"] == "VOIDED")
    assert voided["ap_voided_at"] is not None
    assert (voided["status"], voided["balance"], voided["ap_invoice_id"]) == (
        "ISSUED", invoice["balance"], invoice["ap_invoice_id"],
    )  # fmt: skip

    async def ended() -> bool:
        status = await DBOS.get_workflow_status_async(workflow_id(invoice["id"]))
        return status is not None and status.status == "SUCCESS"

    await until(ended, "the run's end: no payment will come")
    told = await notices(w, invoice["id"], "invoice.payable_voided")
    assert managers(b) <= set(told)
    assert len(told) == len(set(told))

    done = await w.b.ok("invoice/v1/void", {"id": invoice["id"], "reason": "The association voided it"})
    assert (done["status"], done["ap_status"], done["balance"]) == ("VOID", "VOIDED", "0.00")
    assert await notices(w, invoice["id"], "invoice.payable_voided") == told

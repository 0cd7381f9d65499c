"""Payables' "not twice" rules under concurrent requests: two batches naming one invoice at once leave it in one
batch (the other is refused ALREADY_IN_BATCH); two approvals of one invoice at once record the step once (the
second one finds it APPROVED), and two directors approving a dual-approval invoice at once are both recorded with
the invoice APPROVED once; a batch processed twice at once runs one workflow that posts one journal entry.

Each race is forced (`tests.support.race`): the requests are held at a lock they need after their reads (the
association's row, whose key a new approval or batch checks; an invoice of the batch), so code that checked by
reading without a lock of its own would let both through."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from dbos import DBOS
from sqlalchemy import text

from hestami.cam.accounting.disbursements import lifecycle
from hestami.core import runtime
from tests.cam.disbursements.helpers import Payables, payables
from tests.cam.disbursements.test_batches import CREATE, batch_body, finished
from tests.support import workflows
from tests.support.accounts import member_account
from tests.support.race import Held, race
from tests.support.rpc import post

APPROVE = "accounting/apInvoice/v1/approve"
HISTORY = "accounting/apApproval/v1/history"
ASSOCIATION_ROW = "SELECT id FROM associations WHERE id = :id FOR UPDATE"
INVOICE_ROW = "SELECT id FROM ap_invoices WHERE id = :id FOR UPDATE"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Payables:
    return await payables(shared_client, "Races")


async def rows(org: str, sql: str, **params: Any) -> list[Any]:
    """What the database holds, in the organization's scope."""
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return list((await session.execute(text(sql), params)).all())


def held_association(hoa: Payables) -> Held:
    return Held(hoa.org, ASSOCIATION_ROW, {"id": hoa.association_id})


def outcome(responses: list[httpx.Response]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The one success and the one error of two responses."""
    assert sorted(r.status_code for r in responses)[0] == 200, [r.text for r in responses]
    succeeded = [r for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code != 200]
    assert (len(succeeded), len(refused)) == (1, 1), [r.text for r in responses]
    return succeeded[0].json()["data"], refused[0].json()["error"]


async def test_two_batches_naming_one_invoice_at_once_leave_it_in_one(hoa: Payables) -> None:
    """The invoice goes in one batch; the other create answers as a second one does afterwards (ALREADY_IN_BATCH)
    and leaves no batch behind."""
    payee = await hoa.vendor(ach=True)
    invoice = await hoa.approved(payee["id"], "410.00")
    before = {b["id"] for b in (await hoa.ok("accounting/paymentBatch/v1/list", {"limit": 200}))["items"]}
    body = batch_body(hoa, [invoice["id"]])
    responses = await race(held_association(hoa), *(post(hoa.client, hoa.manager, hoa.org, CREATE, body)
                                                     for _ in range(2)))  # fmt: skip
    made, refused = outcome(responses)
    assert (refused["http_status"], refused["code"], refused["details"]["reason"]) == (
        409, "CONFLICT", "ALREADY_IN_BATCH",
    )  # fmt: skip
    assert [i["invoice_id"] for i in made["items"]] == [invoice["id"]]
    after = (await hoa.ok("accounting/paymentBatch/v1/list", {"limit": 200}))["items"]
    assert [b["id"] for b in after if b["id"] not in before] == [made["id"]]
    holding = await rows(hoa.org, "SELECT batch_id FROM ap_payment_batch_items WHERE invoice_id = :id",
                         id=invoice["id"])  # fmt: skip
    assert [str(r.batch_id) for r in holding] == [made["id"]]


async def test_two_approvals_at_once_of_a_one_approver_invoice_record_one(hoa: Payables) -> None:
    """Two managers approve one invoice under the limit at once: the first approves it (one expense entry), the
    second finds it APPROVED (INVALID_STATE_TRANSITION); its history has one approval."""
    payee = await hoa.vendor()
    invoice = await hoa.invoice(payee["id"], "1250.00")
    other_manager = await member_account(hoa.client, hoa.books.admin, hoa.org, ["MANAGER"])
    ap_before = await hoa.trial_line("2000")
    responses = await race(
        held_association(hoa),
        post(hoa.client, hoa.manager, hoa.org, APPROVE, {"id": invoice["id"]}),
        post(hoa.client, other_manager, hoa.org, APPROVE, {"id": invoice["id"]}),
    )
    approved, refused = outcome(responses)
    assert approved["status"] == "APPROVED"
    assert (refused["code"], refused["details"]["from"]) == ("INVALID_STATE_TRANSITION", "APPROVED")
    history = await hoa.ok(HISTORY, {"id": invoice["id"]})
    assert [(a["role"], a["resulting_status"]) for a in history["approvals"]] == [("MANAGER", "APPROVED")]
    assert history["approvals"][0]["approver_user_id"] == approved["approved_by"]
    entries = await rows(hoa.org, "SELECT id FROM journal_entries WHERE source_id = :id", id=invoice["id"])
    assert [str(e.id) for e in entries] == [approved["journal_entry_id"]]
    assert await hoa.trial_line("2000") - ap_before == Decimal("-1250.00")


async def test_two_directors_at_once_on_a_dual_approval_invoice_both_count(shared_client: httpx.AsyncClient) -> None:
    """Above the dual threshold both directors' approvals are recorded, whichever goes first: the invoice waits
    for the board after the first and is APPROVED once, by the second, with one expense entry."""
    hoa = await payables(shared_client, "Dual race")
    body = {"association_id": hoa.association_id, "manager_limit": "2500.00", "dual_approval_threshold": "20000.00"}
    await hoa.ok("accounting/apApproval/v1/updateSettings", body, hoa.board)
    payee = await hoa.vendor()
    invoice = await hoa.invoice(payee["id"], "32000.00")
    ap_before = await hoa.trial_line("2000")
    responses = await race(
        held_association(hoa),
        *(post(hoa.client, director, hoa.org, APPROVE, {"id": invoice["id"]}) for director in (hoa.board, hoa.board2)),
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    statuses = sorted(r.json()["data"]["status"] for r in responses)
    assert statuses == ["APPROVED", "PENDING_BOARD"]
    history = await hoa.ok(HISTORY, {"id": invoice["id"]})
    assert (history["status"], history["board_approvals_needed"], history["board_approvals"]) == ("APPROVED", 2, 2)
    assert sorted(a["resulting_status"] for a in history["approvals"]) == ["APPROVED", "PENDING_BOARD"]
    assert {a["approver_user_id"] for a in history["approvals"]} == {str(hoa.board.user_id), str(hoa.board2.user_id)}
    entries = await rows(hoa.org, "SELECT id FROM journal_entries WHERE source_id = :id", id=invoice["id"])
    assert len(entries) == 1
    assert await hoa.trial_line("2000") - ap_before == Decimal("-32000.00")


async def test_a_batch_processed_twice_at_once_runs_once(hoa: Payables) -> None:
    """The second `process` waits for the first and finds the batch PROCESSING (BATCH_NOT_OPEN): one workflow,
    one journal entry, each invoice paid once."""
    ach, check = await hoa.vendor(ach=True), await hoa.vendor()
    invoices = [await hoa.approved(ach["id"], "520.00"), await hoa.approved(check["id"], "75.25")]
    batch = await hoa.ok(CREATE, batch_body(hoa, [i["id"] for i in invoices]))
    held = Held(hoa.org, INVOICE_ROW, {"id": invoices[0]["id"]})
    process = {"id": batch["id"]}
    responses = await race(held, *(post(hoa.client, hoa.manager, hoa.org, "accounting/paymentBatch/v1/process",
                                         process) for _ in range(2)))  # fmt: skip
    started, refused = outcome(responses)
    assert started["status"] == "PROCESSING"
    assert (refused["code"], refused["details"]["reason"]) == ("BUSINESS_RULE_VIOLATION", "BATCH_NOT_OPEN")
    done = await finished(hoa, batch["id"])
    assert done["status"] == "COMPLETED"
    await workflows.ended(lifecycle.workflow_id(uuid.UUID(batch["id"])))
    runs = await DBOS.list_workflows_async(workflow_id_prefix=f"apPaymentBatch:{batch['id']}:")
    assert [(w.workflow_id, w.status) for w in runs] == [(lifecycle.workflow_id(uuid.UUID(batch["id"])), "SUCCESS")]
    entries = await rows(hoa.org, "SELECT id FROM journal_entries WHERE source_id = :id", id=batch["id"])
    assert [str(e.id) for e in entries] == [done["journal_entry_id"]]
    for made in invoices:
        paid = await hoa.ok("accounting/apInvoice/v1/get", {"id": made["id"]})
        assert (paid["status"], paid["payment_journal_entry_id"]) == ("PAID", done["journal_entry_id"])

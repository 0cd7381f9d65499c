"""`kill -9` in the middle of `apPaymentProcessing_v1`: the batch's journal entry is posted and its invoices PAID,
the server dies before the bank files are written; after the restart the workflow goes on from there. There is
still exactly one journal entry for the batch, every invoice was paid once, the NACHA file parses with totals that
match, and the batch is COMPLETED with every step stamped.

Runs `hestami serve` as a subprocess with AP_PAYMENT_STEP_PAUSE_SECONDS=1.5 (a durable pause between steps, the
window the kill falls in) and an executor id of its own, so the restarted server recovers the workflow it left."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hestami.core.config import Settings
from tests.cam.accounting.helpers import ADDRESS
from tests.cam.disbursements.helpers import ODFI, VENDOR_ROUTING
from tests.cam.disbursements.nacha import parse
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, wait_until, workflow_row

AMOUNTS = ("1250.00", "310.40", "89.99", "2200.00")


@pytest.fixture
def server(settings: Settings, stack_env: dict[str, str], tmp_path: Path) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    env = {**os.environ, **stack_env, "DBOS_EXECUTOR_ID": f"apkill-{secrets.token_hex(6)}",
           "AP_PAYMENT_STEP_PAUSE_SECONDS": "1.5"}  # fmt: skip
    running = ServeProcess(env, tmp_path)
    try:
        yield running
    finally:
        running.stop()


def books(admin: ServedCaller) -> tuple[str, str, dict[str, str]]:
    org = admin.ok("organization/v1/create", {"name": f"AP Kill {secrets.token_hex(3)}",
                                              "type": "MANAGEMENT_COMPANY"})["organization"]["id"]  # fmt: skip
    association = admin.ok("association/v1/create", {"name": f"Crash Creek {secrets.token_hex(3)}"}, org)
    admin.ok("property/v1/create", {"association_id": association["id"], "name": "Creek", "address": ADDRESS}, org)
    chart = admin.ok("accounting/glAccount/v1/list", {"association_id": association["id"], "limit": 200}, org)
    return org, association["id"], {a["account_number"]: a["id"] for a in chart["items"]}


def test_kill_9_between_the_entry_and_the_files_pays_once(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    started = time.monotonic()
    server.start()
    admin = ServedCaller.register(server, "apkill")
    org, association_id, chart = books(admin)
    bank = admin.ok("accounting/bankAccount/v1/create", {
        "association_id": association_id, "gl_account_id": chart["1010"], "name": "Operating",
        "bank_name": "First Community Bank", "account_last4": "4321",
    }, org)  # fmt: skip
    admin.ok("accounting/bankPaymentProfile/v1/set", {
        "bank_account_id": bank["id"], "routing_number": ODFI, "company_name": "CRASH CREEK HOA",
        "company_identification": "1741234567",
    }, org)  # fmt: skip
    ach = admin.ok("vendor/v1/create", {"name": "Green Lawns", "w9_on_file": True}, org)
    admin.ok("accounting/vendorBank/v1/set", {"vendor_id": ach["id"], "routing_number": VENDOR_ROUTING,
                                              "account_number": "987654321"}, org)  # fmt: skip
    check = admin.ok("vendor/v1/create", {"name": "Pool Pros", "w9_on_file": True}, org)
    invoice_ids = []
    for number, amount in enumerate(AMOUNTS):
        vendor = ach if number % 2 == 0 else check
        made = admin.ok("accounting/apInvoice/v1/create", {
            "association_id": association_id, "vendor_id": vendor["id"], "invoice_number": f"K-{number}",
            "invoice_date": "2026-03-01", "amount": amount, "submit": True,
            "lines": [{"gl_account_id": chart["5400"], "description": "Work", "amount": amount}],
        }, org)  # fmt: skip
        assert admin.ok("accounting/apInvoice/v1/approve", {"id": made["id"]}, org)["status"] == "APPROVED"
        invoice_ids.append(made["id"])
    batch = admin.ok("accounting/paymentBatch/v1/create", {
        "association_id": association_id, "bank_account_id": bank["id"], "invoice_ids": invoice_ids,
        "payment_date": "2026-03-20",
    }, org)  # fmt: skip
    assert admin.ok("accounting/paymentBatch/v1/process", {"id": batch["id"]}, org)["status"] == "PROCESSING"

    def posted_not_filed() -> dict[str, Any] | None:
        got: dict[str, Any] = admin.ok("accounting/paymentBatch/v1/get", {"id": batch["id"]}, org)
        steps = {s["name"]: s["done"] for s in got["steps"]}
        return got if steps["POST_ENTRY"] and not steps["WRITE_NACHA_FILE"] else None

    wait_until(posted_not_filed, 30, "the entry posted and the NACHA file not yet written")
    server.kill9()
    server.start()

    def completed() -> dict[str, Any] | None:
        got: dict[str, Any] = admin.ok("accounting/paymentBatch/v1/get", {"id": batch["id"]}, org)
        return got if got["status"] == "COMPLETED" else None

    done = wait_until(completed, 60, "the batch to be COMPLETED after the restart")
    assert all(s["done"] for s in done["steps"]), done["steps"]
    time.sleep(0.5)

    entries = scoped_rows(stack_env, org, "SELECT id FROM journal_entries WHERE source_id = :id", id=batch["id"])
    assert [str(row.id) for row in entries] == [done["journal_entry_id"]]
    paid = scoped_rows(
        stack_env, org, "SELECT status, payment_journal_entry_id FROM ap_invoices WHERE association_id = :a",
        a=association_id,
    )  # fmt: skip
    assert {(row.status, str(row.payment_journal_entry_id)) for row in paid} == {("PAID", done["journal_entry_id"])}
    events = scoped_rows(
        stack_env, org,
        "SELECT count(*) FROM audit_events WHERE entity_type = 'ap_invoice' AND action = 'ap_invoice.paid'",
    )  # fmt: skip
    assert int(events[0][0]) == len(AMOUNTS)
    nacha = parse(admin.ok("accounting/paymentBatch/v1/file", {"id": batch["id"], "file": "NACHA"}, org)["content"])
    assert nacha.total_credit == Decimal("1250.00") + Decimal("89.99")
    assert len(nacha.entries) == 2
    register = admin.ok("accounting/paymentBatch/v1/file", {"id": batch["id"], "file": "POSITIVE_PAY"}, org)
    assert register["content"].strip().split("\n")[-1] == "TOTAL,2,,2510.40,,"

    workflow = workflow_row(settings, done["workflow_id"])
    assert workflow is not None
    assert workflow.status == "SUCCESS", workflow
    print(f"whole test {time.monotonic() - started:.1f} s")

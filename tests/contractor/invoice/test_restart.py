"""`kill -9` around `invoice_payment_v1`: right after an invoice is issued (its run started in the issuing
transaction, its first turn perhaps not taken) and right after it is paid (the wake-up may be lost). After each
restart DBOS recovers the run: the customer is told once, the job moves INVOICED once, then PAID and CLOSED once.

Runs `hestami serve` as a subprocess (`served_with_clock`) with INVOICE_POLL_SECONDS=1 (recorded when the run starts:
a lost wake-up costs a second) and an executor id of its own, so the restarted server recovers the run it left."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hestami.core.config import Settings
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, served_with_clock, wait_until

CLOCK = {"invoice_poll_seconds": 1.0}


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "invoicekill", CLOCK) as running:
        yield running


def test_kill_9_around_issue_and_payment_moves_the_job_once(server: ServeProcess) -> None:
    server.start()
    admin = ServedCaller.register(server, "invoicekill")
    org = admin.ok("organization/v1/create", {"name": f"Crash Invoicing {secrets.token_hex(3)}",
                                              "type": "SERVICE_PROVIDER"})["organization"]["id"]  # fmt: skip
    served_contractor_profile(admin.ok, org)
    customer = admin.ok("customer/v1/create", {"name": "Crash Customer", "email": "crash@example.com"}, org)
    job = admin.ok("job/v1/create", {"title": "Leak", "trade": "PLUMBING", "customer_id": customer["id"]}, org)
    for to in ("JOB_CREATED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED"):
        admin.ok("job/v1/transition", {"id": job["id"], "to": to}, org)
    draft = admin.ok("invoice/v1/createFromJob", {"job_id": job["id"], "kind": "STANDARD"}, org)
    admin.ok("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Repair", "unit_price": "210.00"}, org)
    admin.ok("invoice/v1/issue", {"id": draft["id"]}, org)
    server.kill9()  # at once: the first turn may or may not have run
    server.start()

    def job_in(status: str) -> Any:
        def probe() -> dict[str, Any] | None:
            found: dict[str, Any] = admin.ok("job/v1/get", {"id": job["id"]}, org)
            return found if found["status"] == status else None

        return probe

    wait_until(job_in("INVOICED"), 60, "the job INVOICED")
    admin.ok("invoice/v1/recordPayment", {"invoice_id": draft["id"], "amount": "210.00"}, org)
    server.kill9()  # the wake-up may be lost: the poll finds the payment
    server.start()
    wait_until(job_in("CLOSED"), 60, "the job CLOSED")
    history = admin.ok("job/v1/history", {"id": job["id"]}, org)["items"]
    moves = Counter(h["to_status"] for h in history)
    assert (moves["INVOICED"], moves["PAID"], moves["CLOSED"]) == (1, 1, 1), history
    sent = admin.ok("notification/v1/list", {"entity_id": draft["id"]}, org)["items"]
    assert [m["template"] for m in sent] == ["invoice.issued"]

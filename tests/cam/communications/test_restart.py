"""`kill -9` in the middle of a mass communication's sending: after the restart `massCommunicationSend_v1` goes on
from where it was and nobody gets a second copy (the issue's observable). Twelve owners, two deliveries per batch
and a pause between batches, so the crash falls when some owners have their message and others do not; after the
restart every owner has exactly one outbox message (one per recipient and per dedupe key), every delivery is SENT
with its message, and sent equals the total.

Runs `hestami serve` as a subprocess with COMMUNICATION_BATCH_SIZE=2 and COMMUNICATION_BATCH_PAUSE_SECONDS=0.3 and
an executor id of its own, so the restarted server recovers the workflow it left."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hestami.cam.communications import lifecycle
from hestami.core.config import Settings
from tests.cam.communications.helpers import ADDRESS
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, wait_until, workflow_row

OWNERS = 12
CLOCK = {"communication_batch_size": 2, "communication_batch_pause_seconds": 0.3}


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "commkill", CLOCK) as running:
        yield running


def twelve_owners(manager: ServedCaller) -> tuple[str, str, dict[str, str]]:
    """An organization, its association and twelve owners of a unit each (with an email address): the org id,
    the association id, and each owner's party id → email."""
    org = manager.ok("organization/v1/create", {"name": f"Comm Kill {secrets.token_hex(3)}",
                                                 "type": "MANAGEMENT_COMPANY"})["organization"]["id"]  # fmt: skip
    association = manager.ok("association/v1/create", {"name": f"Crash Creek {secrets.token_hex(3)}"}, org)
    prop = manager.ok(
        "property/v1/create", {"association_id": association["id"], "name": "Creek", "address": ADDRESS}, org
    )
    owners: dict[str, str] = {}
    for number in range(1, OWNERS + 1):
        unit = manager.ok(
            "unit/v1/create", {"property_id": prop["id"], "unit_number": str(number), "unit_type": "CONDO"}, org
        )
        email = f"owner{number}-{secrets.token_hex(4)}@example.com"
        party = manager.ok("party/v1/create", {"party_type": "INDIVIDUAL", "first_name": f"Owner{number}",
                                               "last_name": "Creek", "email": email}, org)  # fmt: skip
        manager.ok("ownership/v1/create", {"unit_id": unit["id"], "party_id": party["id"], "percentage": "100",
                                           "start_date": "2020-01-01"}, org)  # fmt: skip
        owners[party["id"]] = email
    return org, association["id"], owners


def delivered(stack_env: dict[str, str], org: str, mass_id: str) -> int:
    rows = scoped_rows(
        stack_env, org,
        "SELECT count(*) FROM mass_communication_deliveries WHERE mass_communication_id = :id AND status = 'SENT'",
        id=mass_id,
    )  # fmt: skip
    return int(rows[0][0])


def test_kill_9_mid_send_sends_nobody_a_second_copy(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    started = time.monotonic()
    server.start()
    manager = ServedCaller.register(server, "commkill")
    org, association_id, owners = twelve_owners(manager)
    template = manager.ok("communication/template/v1/create", {
        "name": f"Water {secrets.token_hex(3)}", "channel": "EMAIL", "category": "MAINTENANCE",
        "subject": "Water off", "body": "Dear {{ recipient_name }}, the water is off on {{ today }}.",
    }, org)  # fmt: skip
    mass = manager.ok("communication/mass/v1/create", {
        "association_id": association_id, "template_id": template["id"], "title": "Water off",
        "audience": {"kind": "ALL_OWNERS"},
    }, org)  # fmt: skip
    assert manager.ok("communication/mass/v1/send", {"id": mass["id"]}, org)["status"] == "SENDING"

    def midway() -> dict[str, Any] | None:
        progress: dict[str, Any] = manager.ok("communication/mass/v1/progress", {"id": mass["id"]}, org)
        return progress if 2 <= progress["sent"] < OWNERS - 2 else None

    before = wait_until(midway, 30, "some owners but not all to be sent their message")
    server.kill9()
    at_kill = delivered(stack_env, org, mass["id"])
    assert before["sent"] <= at_kill, (before, at_kill)
    server.start()

    def finished() -> dict[str, Any] | None:
        progress: dict[str, Any] = manager.ok("communication/mass/v1/progress", {"id": mass["id"]}, org)
        return progress if progress["status"] == "SENT" else None

    done = wait_until(finished, 30, "the communication to be SENT after the restart")
    assert (done["total"], done["sent"], done["skipped"], done["pending"]) == (OWNERS, OWNERS, 0, 0), done
    time.sleep(0.5)  # a copy recorded late would show up now

    rows = scoped_rows(
        stack_env, org,
        "SELECT id, recipient, dedupe_key FROM outbound_messages WHERE entity_id = :id", id=mass["id"],
    )  # fmt: skip
    per_recipient = Counter(row.recipient for row in rows)
    assert per_recipient == Counter(owners.values()), per_recipient
    per_key = Counter(row.dedupe_key for row in rows)
    assert per_key == Counter(lifecycle.dedupe_key(mass["id"], f"party:{p}") for p in owners), per_key
    deliveries = manager.ok("communication/mass/v1/deliveries", {"id": mass["id"], "limit": 200}, org)["items"]
    assert len(deliveries) == OWNERS
    assert all(d["status"] == "SENT" for d in deliveries), deliveries
    assert {d["party_id"]: d["address"] for d in deliveries} == owners
    assert sorted(d["message_id"] for d in deliveries) == sorted(str(row.id) for row in rows)

    workflow = workflow_row(settings, lifecycle.workflow_id(mass["id"]))
    assert workflow is not None
    assert workflow.status == "SUCCESS", workflow
    assert workflow.executor_id in (server.env["DBOS_EXECUTOR_ID"], settings.dbos_executor_id), workflow
    assert time.monotonic() - started < 60
    print(f"killed at {at_kill}/{OWNERS} sent; whole test {time.monotonic() - started:.1f} s")

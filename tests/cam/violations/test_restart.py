"""`kill -9` in the middle of a violation's notice sequence: after each restart `violationLifecycle_v1` goes on from
where it was, and every notice goes out exactly once per step, channel and recipient, however the crashes fall
(right after the first notice was recorded, then at a random moment). Runs `hestami serve` as a subprocess with a
short violation day and an executor id of its own, so the restarted server recovers the workflow it left."""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hestami.cam.violations import lifecycle
from hestami.core.config import Settings
from tests.cam.work_order.helpers import ADDRESS
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, wait_until, workflow_row

DAY_SECONDS = 0.2  # courtesy 14 days = 2.8 s, first 2.8 s, second 10 days = 2 s: a hearing after ~7.6 s
POLL_SECONDS = 1.0
STEPS = ["COURTESY", "FIRST", "SECOND", "HEARING"]
METHODS = ["EMAIL", "MAIL", "PORTAL", "POSTED"]


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    clock = {"violation_day_seconds": DAY_SECONDS, "violation_poll_seconds": POLL_SECONDS}
    with served_with_clock(stack_env, tmp_path, monkeypatch, "violkill", clock) as running:
        yield running


def steps(manager: ServedCaller, org: str, violation_id: str) -> list[str]:
    return [n["step"] for n in manager.ok("violation/v1/listNotices", {"id": violation_id}, org)["items"]]


def test_kill_9_mid_sequence_sends_each_notice_once_per_step_and_recipient(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    manager = ServedCaller.register(server, "violkill")
    org = manager.ok("organization/v1/create", {"name": f"Kill {secrets.token_hex(3)}", "type": "MANAGEMENT_COMPANY"})[
        "organization"
    ]["id"]
    association = manager.ok("association/v1/create", {"name": f"Crash Cove {secrets.token_hex(3)}"}, org)
    prop = manager.ok(
        "property/v1/create", {"association_id": association["id"], "name": "Cove", "address": ADDRESS}, org
    )
    unit = manager.ok(
        "unit/v1/create", {"property_id": prop["id"], "unit_number": "3", "unit_type": "SINGLE_FAMILY"}, org
    )
    owners = []
    for first in ("Kim", "Lee"):
        email = f"{first.lower()}-{secrets.token_hex(4)}@example.com"
        party = {"party_type": "INDIVIDUAL", "first_name": first, "last_name": "Crash", "email": email}
        owners.append(manager.ok("party/v1/create", party, org))
        body = {"unit_id": unit["id"], "party_id": owners[-1]["id"], "percentage": "50", "start_date": "2020-01-01"}
        manager.ok("ownership/v1/create", body, org)
    settings_body = {"association_id": association["id"], "delivery_methods": METHODS}
    manager.ok("violationSettings/v1/update", settings_body, org)
    vtype = manager.ok(
        "violationType/v1/create",
        {"association_id": association["id"], "code": "BOAT", "name": "Boat in the driveway", "category": "PARKING",
         "rule_reference": "CC&R 4.1", "fine_first": "50.00"},
        org,
    )  # fmt: skip
    created = manager.ok(
        "violation/v1/create",
        {"association_id": association["id"], "unit_id": unit["id"], "violation_type_id": vtype["id"],
         "description": "A boat on a trailer in the driveway", "observed_at": datetime.now(UTC).isoformat()},
        org,
    )  # fmt: skip
    vid = created["id"]

    # Crash 1: right after the first notice was recorded (its turn may not have been checkpointed yet).
    wait_until(lambda: "FIRST" in steps(manager, org, vid), 30, "the first notice")
    server.kill9()
    server.start()
    # Crash 2: at a random moment of what remains (the second notice's turn, the hearing's, or a wait between).
    time.sleep(random.uniform(0.0, 1.5))  # the restart took seconds: the second notice is due
    server.kill9()
    server.start()

    def scheduled() -> bool:
        return manager.ok("violation/v1/get", {"id": vid}, org)["status"] == "HEARING_SCHEDULED"

    wait_until(scheduled, 60, "the hearing")
    time.sleep(1.5)  # a duplicate recorded late would show up now
    done = manager.ok("violation/v1/get", {"id": vid}, org)
    assert [h["to_status"] for h in done["history"]] == [
        "OPEN", "NOTICED", "CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED"
    ]  # fmt: skip
    notices = manager.ok("violation/v1/listNotices", {"id": vid}, org)["items"]
    assert [n["step"] for n in notices] == STEPS
    assert all(sorted(n["recipients"]) == ["Kim Crash", "Lee Crash"] for n in notices)
    hearings = scoped_rows(stack_env, org, "SELECT status FROM violation_hearings WHERE violation_id = :id", id=vid)
    assert [h[0] for h in hearings] == ["SCHEDULED"], "one hearing"
    documents = manager.ok("document/v1/list", {"scope_type": "VIOLATION", "scope_id": vid, "limit": 50}, org)
    assert sorted(d["id"] for d in documents["items"]) == sorted(n["document_id"] for n in notices), "one PDF a step"

    # The outbox: one message per step, channel and recipient (each owner by email and mail, no portal without an
    # account, posted once on the unit), each with its own dedupe key.
    recipients = {("POSTED", f"unit:{unit['id']}")}
    for owner in owners:
        recipients |= {("EMAIL", owner["email"]), ("MAIL", f"{owner['display_name']} | the unit")}
    wanted = {(f"violation.notice.{step.lower()}", channel, to) for step in STEPS for channel, to in recipients}
    listed = manager.ok("notification/v1/list", {"entity_id": vid, "limit": 200}, org)["items"]
    per_message = Counter((n["template"], n["channel"], n["recipient"]) for n in listed)
    assert set(per_message) == wanted
    assert all(count == 1 for count in per_message.values()), per_message
    rows = scoped_rows(
        stack_env, org, "SELECT template, channel, recipient, dedupe_key FROM outbound_messages WHERE entity_id = :id",
        id=vid,
    )  # fmt: skip
    assert len(rows) == len(wanted)
    assert Counter((r[0], r[1], r[2]) for r in rows) == per_message
    assert len({r[3] for r in rows}) == len(rows)
    for template, channel, recipient, key in rows:
        assert key == f"violation:{vid}:notice:{template.rsplit('.', 1)[1].upper()}:{channel}:{recipient}"

    workflow = workflow_row(settings, lifecycle.workflow_id(vid))
    assert workflow is not None
    assert workflow.status == "SUCCESS", workflow
    assert workflow.executor_id in (server.env["DBOS_EXECUTOR_ID"], settings.dbos_executor_id), workflow

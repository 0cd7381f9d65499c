"""`kill -9` around an ARC request's deemed-approval deadline: after each restart `arcReviewLifecycle_v1` goes on
from where it was and the request is deemed approved exactly once (one history row, one message per recipient),
whether the server was down when the deadline passed or died at a random moment around it; the workflow then
follows the approval's expiry until the work's start ends it. Runs `hestami serve` as a subprocess with a short
ARC day and an executor id of its own, so the restarted server recovers the workflows it left."""

from __future__ import annotations

import base64
import random
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hestami.cam.arc import lifecycle
from hestami.core.config import Settings
from tests.cam.work_order.helpers import ADDRESS
from tests.support.rpc import SAMPLE_PDF
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, wait_until, workflow_row

DAY_SECONDS = 0.5
DEEMED_DAYS = 4  # deemed approved 2 s after the submission
VALID_DAYS = 365  # the approval stays valid ~3 minutes: it does not expire during the test
POLL_SECONDS = 1.0


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    clock = {"arc_day_seconds": DAY_SECONDS, "arc_poll_seconds": POLL_SECONDS}
    with served_with_clock(stack_env, tmp_path, monkeypatch, "arckill", clock) as running:
        yield running


def submit(owner: ServedCaller, org: str, association_id: str, unit_id: str, what: str) -> dict:
    body = {"association_id": association_id, "unit_id": unit_id, "category": "SOLAR", "description": what}
    created = owner.ok("arc/request/v1/create", body, org)
    plan = {
        "id": created["id"], "kind": "PLAN", "file_name": "panels.pdf",
        "content_base64": base64.b64encode(SAMPLE_PDF).decode(),
    }  # fmt: skip
    owner.ok("arc/request/v1/addDocument", plan, org)
    submitted = owner.ok("arc/request/v1/submit", {"id": created["id"]}, org)
    assert submitted["status"] == "SUBMITTED"
    return submitted


def test_kill_9_around_the_deadline_deems_the_request_approved_exactly_once(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    manager = ServedCaller.register(server, "arckill")
    org = manager.ok("organization/v1/create", {"name": f"Kill {secrets.token_hex(3)}", "type": "MANAGEMENT_COMPANY"})[
        "organization"
    ]["id"]
    association = manager.ok("association/v1/create", {"name": f"Crash Ridge {secrets.token_hex(3)}"}, org)
    prop = manager.ok(
        "property/v1/create", {"association_id": association["id"], "name": "Ridge", "address": ADDRESS}, org
    )
    unit = manager.ok(
        "unit/v1/create", {"property_id": prop["id"], "unit_number": "5", "unit_type": "SINGLE_FAMILY"}, org
    )
    owner = ServedCaller.register(server, "arckill")
    invited = manager.ok("organization/v1/addMember", {"email": owner.email, "roles": ["OWNER"]}, org)
    owner.ok("organization/v1/acceptInvitation", {"invitation_id": invited["member"]["id"]})
    party = {"party_type": "INDIVIDUAL", "first_name": "Sol", "last_name": "Crash", "user_id": owner.user_id}
    party_id = manager.ok("party/v1/create", party, org)["id"]
    ownership = {"unit_id": unit["id"], "party_id": party_id, "percentage": "100", "start_date": "2020-01-01"}
    manager.ok("ownership/v1/create", ownership, org)
    arc_settings = {
        "association_id": association["id"], "deemed_approval_days": DEEMED_DAYS, "approval_valid_days": VALID_DAYS
    }  # fmt: skip
    manager.ok("arc/settings/v1/update", arc_settings, org)

    # Crash 1: the server is down when the deadline passes; the restarted one finds it passed.
    first = submit(owner, org, association["id"], unit["id"], "Panels on the south roof")
    due = datetime.fromisoformat(first["review_due_at"])
    assert datetime.now(UTC) < due, "the crash comes before the deadline"
    server.kill9()
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 0.5)
    server.start()

    # Crash 2: at a random moment around the second request's deadline (before it, during its turn, or after it).
    second = submit(owner, org, association["id"], unit["id"], "Panels on the garage")
    due2 = datetime.fromisoformat(second["review_due_at"])
    time.sleep(max(0.0, (due2 - datetime.now(UTC)).total_seconds()) + random.uniform(-0.8, 0.8))
    server.kill9()
    server.start()

    requests = (first["id"], second["id"])
    for rid in requests:
        wait_until(lambda rid=rid: owner.ok("arc/request/v1/get", {"id": rid}, org)["status"] == "APPROVED", 30, rid)
    time.sleep(1.5)  # a second approval or message recorded late would show up now

    for rid in requests:
        found = owner.ok("arc/request/v1/get", {"id": rid}, org)
        assert found["status"] == "APPROVED"
        assert found["deemed"] is True
        assert "deemed" in found["decision_reasons"].lower()
        assert found["approval_expires_at"] is not None
        assert [h["to_status"] for h in found["history"]] == ["DRAFT", "SUBMITTED", "APPROVED"]
        rows = scoped_rows(
            stack_env, org, "SELECT to_status FROM arc_request_status_history WHERE request_id = :id", id=rid
        )
        assert Counter(r[0] for r in rows) == {"DRAFT": 1, "SUBMITTED": 1, "APPROVED": 1}, "approved once"
        audit = scoped_rows(
            stack_env, org,
            "SELECT count(*) FROM audit_events WHERE entity_id = :id AND action LIKE '%status_changed'", id=rid,
        )  # fmt: skip
        assert audit[0][0] == 2, "submitted, approved"

        # One message per change and recipient: the requester hears of the approval once; the manager only of the
        # submission.
        messages = scoped_rows(
            stack_env, org,
            "SELECT template, recipient, dedupe_key FROM outbound_messages WHERE entity_id = :id", id=rid,
        )  # fmt: skip
        per_message = Counter((m[0], m[1]) for m in messages)
        assert per_message == {
            ("arc.request.submitted", owner.email): 1, ("arc.request.submitted", manager.email): 1,
            ("arc.request.approved", owner.email): 1,
        }, per_message  # fmt: skip
        assert len({m[2] for m in messages}) == len(messages)
        mine = owner.ok("notification/v1/list", {"entity_id": rid, "limit": 50}, org)["items"]
        approvals = [m for m in mine if m["template"] == "arc.request.approved"]
        assert len(approvals) == 1
        assert approvals[0]["payload"]["deemed"] is True

        # After a deemed approval the lifecycle follows the approval's expiry; the work's start ends it.
        workflow = workflow_row(settings, lifecycle.workflow_id(rid))
        assert workflow is not None
        assert workflow.status == "PENDING", workflow
        assert workflow.executor_id in (server.env["DBOS_EXECUTOR_ID"], settings.dbos_executor_id), workflow

    for rid in requests:
        owner.ok("arc/request/v1/recordStart", {"id": rid, "work_started_on": date.today().isoformat()}, org)
    for rid in requests:

        def ended(rid: str = rid) -> bool:
            row = workflow_row(settings, lifecycle.workflow_id(rid))
            return row is not None and row.status == "SUCCESS"

        wait_until(ended, 15, f"the lifecycle of {rid} to end")
        found = owner.ok("arc/request/v1/get", {"id": rid}, org)
        assert (found["status"], found["work_started_on"]) == ("APPROVED", date.today().isoformat())

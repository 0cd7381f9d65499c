"""`kill -9` right after deadlines were generated: the restarted server recovers each `complianceDeadline_v1` it
left and the reminder already due goes out exactly once per recipient (whether the dead server had sent it or
not), with its own dedupe key; the clock then waits for the overdue moment. Runs `hestami serve` as a subprocess
with an executor id of its own, so the restarted server recovers the workflows it left. The deadlines' days are
real days: no clock setting shortens them, and none is needed (a reminder due today goes out at once)."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hestami.cam.compliance import workflows
from hestami.core.config import Settings
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, wait_until, workflow_row

REQUIREMENTS = 3  # three deadlines, three workflows in flight when the server dies


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "compkill", {}) as running:
        yield running


def test_kill_9_right_after_generation_reminds_each_recipient_once(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    admin = ServedCaller.register(server, "compkill")
    org = admin.ok("organization/v1/create", {"name": f"Kill {secrets.token_hex(3)}", "type": "MANAGEMENT_COMPANY"})[
        "organization"
    ]["id"]
    people = {}
    for role in ("MANAGER", "BOARD_MEMBER"):
        person = ServedCaller.register(server, "compkill")
        invited = admin.ok("organization/v1/addMember", {"email": person.email, "roles": [role]}, org)
        person.ok("organization/v1/acceptInvitation", {"invitation_id": invited["member"]["id"]})
        people[role] = person
    manager = people["MANAGER"]
    association = manager.ok("association/v1/create", {"name": f"Crash Meadows {secrets.token_hex(3)}"}, org)
    # A BOARD_MEMBER is reminded of an association's deadlines while seated on its board (as
    # tests.support.governance.seat_on_board does, through this served process).
    board_body = {"association_id": association["id"], "name": "Board of Directors", "seat_count": 3}
    board = manager.ok("governance/board/v1/create", board_body, org)
    seat = {"board_id": board["id"], "position": "DIRECTOR", "user_id": people["BOARD_MEMBER"].user_id,
            "term_start": "2020-01-01"}  # fmt: skip
    manager.ok("governance/board/v1/fillSeat", seat, org)
    today = datetime.now(UTC).date()
    due = today + timedelta(days=2)
    for n in range(REQUIREMENTS):
        body = {
            "association_id": association["id"], "code": f"KILL_{n}", "title": f"Filing {n}",
            "kind": "STATUTORY_DEADLINE", "rrule": f"FREQ=YEARLY;BYMONTH={due.month};BYMONTHDAY={due.day}",
            "anchor_date": today.isoformat(), "lead_days": 10, "responsible_role": "BOARD_MEMBER",
        }  # fmt: skip
        manager.ok("compliance/requirement/v1/create", body, org)
    through = (today + timedelta(days=60)).isoformat()
    made = manager.ok("compliance/deadline/v1/generate", {"association_id": association["id"], "through": through}, org)
    assert made == {"created": REQUIREMENTS, "already_there": 0}
    server.kill9()  # at once: the reminders' turns may or may not have run, been recorded or checkpointed
    server.start()

    def listed() -> list[dict]:
        body = {"association_id": association["id"], "limit": 50}
        items: list[dict] = manager.ok("compliance/deadline/v1/list", body, org)["items"]
        return items

    def all_reminded() -> list[dict] | None:
        items = listed()
        return items if len(items) == REQUIREMENTS and all(d["reminded_at"] for d in items) else None

    deadlines = wait_until(all_reminded, 60, "the reminders")
    assert {d["status"] for d in deadlines} == {"DUE_SOON"}
    time.sleep(2)  # a duplicate recorded late would show up now
    again = manager.ok(
        "compliance/deadline/v1/generate", {"association_id": association["id"], "through": through}, org
    )
    assert again == {"created": 0, "already_there": REQUIREMENTS}, "generated once per date"

    recipients = {manager.email, people["BOARD_MEMBER"].email, admin.email}
    for deadline in deadlines:
        did = deadline["id"]
        assert deadline["due_on"] == due.isoformat()
        assert {d["reminded_at"] for d in listed() if d["id"] == did} == {deadline["reminded_at"]}
        rows = scoped_rows(
            stack_env, org, "SELECT template, recipient, dedupe_key FROM outbound_messages WHERE entity_id = :id",
            id=did,
        )  # fmt: skip
        assert Counter((r[0], r[1]) for r in rows) == Counter(
            ("compliance.deadline.reminder", to) for to in recipients
        ), rows  # fmt: skip
        assert {r[2] for r in rows} == {f"compliance_deadline:{did}:reminder:{to}" for to in recipients}
        workflow = workflow_row(settings, workflows.workflow_id(did))
        assert workflow is not None
        assert workflow.status == "PENDING", "the clock waits for the overdue moment"
        assert workflow.executor_id in (server.env["DBOS_EXECUTOR_ID"], settings.dbos_executor_id), workflow

    # Completing one ends its clock on the restarted server.
    first = deadlines[0]["id"]
    assert manager.ok("compliance/deadline/v1/complete", {"id": first}, org)["status"] == "COMPLETED"

    def ended() -> bool:
        row = workflow_row(settings, workflows.workflow_id(first))
        return row is not None and row.status == "SUCCESS"

    wait_until(ended, 30, "the completed deadline's clock to end")

"""`kill -9` in the middle of meetings' calendars: after each restart `meetingLifecycle_v1` goes on from where it
was, and the notice, the final agenda and the reminder each go exactly once per recipient and channel (the
`meeting_notices` rows and the outbox's dedupe keys), the owners' meeting's voter list is taken once, and the
meeting's stamps are set, however the crashes fall (right after the notices went out, then at a random moment
around the agendas and reminders). A meeting cancelled after its notice tells its recipients once across a crash;
an adjourned meeting's lifecycle puts its minutes' approval on the next meeting once and ends.

Runs `hestami serve` as a subprocess with a short governance day (`GOVERNANCE_DAY_SECONDS`) and an executor id of
its own, so the restarted server recovers the workflows it left."""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hestami.cam.governance import lifecycle
from hestami.core.config import Settings
from tests.cam.work_order.helpers import ADDRESS
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, wait_until, workflow_row

DAY_SECONDS = 1.0
"""The board meeting in 14 days (14 s): notice now, final agenda at 12 s, reminder at 13 s; the owners' meeting in
17 days: notice now, agenda at 15 s, reminder at 16 s. A restart takes about 8 s, so the first one is back before
the agendas are due, and the second crash falls among their turns and the waits between them."""
CHANNELS = ["EMAIL", "MAIL", "PORTAL", "POSTED"]
MESSAGES = ("NOTICE", "AGENDA", "REMINDER")


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "govkill", {"governance_day_seconds": DAY_SECONDS}) as s:
        yield s


def after_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=days * DAY_SECONDS)).isoformat()


@dataclass
class Crashville:
    """An association of four units (weights 1 to 4): Kim owns units 1 and 2, Lee (with an account) unit 3, Ann and
    Bo jointly unit 4; its board: Lee (president), a director with an account who owns nothing, and a treasurer
    known by name only."""

    manager: ServedCaller
    org: str
    association_id: str
    board_id: str
    units: list[str]
    parties: dict[str, str]
    director: ServedCaller
    seats: list[str] = field(default_factory=list)

    def ok(self, path: str, body: dict[str, Any]) -> Any:
        return self.manager.ok(path, body, self.org)

    def meeting(self, meeting_id: str) -> dict[str, Any]:
        return self.ok("governance/meeting/v1/get", {"id": meeting_id})

    def schedule(self, kind: str, days: float, **extra: Any) -> dict[str, Any]:
        body = {"association_id": self.association_id, "kind": kind, "title": f"{kind.title()} {secrets.token_hex(2)}",
                "starts_at": after_days(days), "location": "Clubhouse", **extra}  # fmt: skip
        return self.ok("governance/meeting/v1/schedule", body)

    def status_is(self, meeting_id: str, status: str) -> bool:
        return bool(self.meeting(meeting_id)["status"] == status)

    def recipient_keys(self) -> set[str]:
        """Who a meeting's messages go to: the owners (Kim once for two units), the directors who are members and
        not owners (of the board meeting, and of the owners' meeting too: the association's board), and the
        community notice board."""
        return {f"party:{party}" for party in self.parties.values()} | {"posted", f"user:{self.director.user_id}"}


def member(manager: ServedCaller, org: str, roles: list[str]) -> ServedCaller:
    joined = ServedCaller.register(manager.server, "govkill")
    invited = manager.ok("organization/v1/addMember", {"email": joined.email, "roles": roles}, org)
    joined.ok("organization/v1/acceptInvitation", {"invitation_id": invited["member"]["id"]})
    return joined


def crashville(server: ServeProcess) -> Crashville:
    manager = ServedCaller.register(server, "govkill")
    body = {"name": f"Gov Kill {secrets.token_hex(3)}", "type": "MANAGEMENT_COMPANY"}
    org = manager.ok("organization/v1/create", body)["organization"]["id"]
    association = manager.ok("association/v1/create", {"name": f"Crashville {secrets.token_hex(3)}"}, org)
    prop = manager.ok(
        "property/v1/create", {"association_id": association["id"], "name": "Crashville", "address": ADDRESS}, org
    )
    units = [
        manager.ok(
            "unit/v1/create",
            {"property_id": prop["id"], "unit_number": str(n), "unit_type": "SINGLE_FAMILY", "voting_weight": str(n)},
            org,
        )["id"]
        for n in range(1, 5)
    ]
    lee = member(manager, org, ["OWNER"])
    parties: dict[str, str] = {}
    for first, user in (("Kim", None), ("Lee", lee), ("Ann", None), ("Bo", None)):
        party: dict[str, Any] = {"party_type": "INDIVIDUAL", "first_name": first, "last_name": "Crash",
                                 "email": f"{first.lower()}-{secrets.token_hex(4)}@example.com"}  # fmt: skip
        if user is not None:
            party["user_id"] = user.user_id
        parties[first] = manager.ok("party/v1/create", party, org)["id"]
    for unit, owner, share in (
        (units[0], "Kim", "100"), (units[1], "Kim", "100"), (units[2], "Lee", "100"),
        (units[3], "Ann", "50"), (units[3], "Bo", "50"),
    ):  # fmt: skip
        body = {"unit_id": unit, "party_id": parties[owner], "percentage": share, "start_date": "2020-01-01"}
        manager.ok("ownership/v1/create", body, org)
    manager.ok(
        "governance/meeting/v1/updateSettings", {"association_id": association["id"], "notice_channels": CHANNELS}, org
    )
    board = manager.ok(
        "governance/board/v1/create", {"association_id": association["id"], "name": "Board", "seat_count": 3}, org
    )
    director = member(manager, org, ["OWNER"])
    town = Crashville(manager, org, association["id"], board["id"], units, parties, director)
    for seat in (
        {"position": "PRESIDENT", "user_id": lee.user_id},
        {"position": "DIRECTOR", "user_id": director.user_id},
        {"position": "TREASURER", "holder_name": "Pat Paper"},
    ):
        body = {"board_id": board["id"], "term_start": "2025-01-01", **seat}
        town.seats.append(town.ok("governance/board/v1/fillSeat", body)["id"])
    return town


def notice_rows(stack_env: dict[str, str], town: Crashville, meeting_id: str) -> list[Any]:
    return scoped_rows(
        stack_env, town.org,
        "SELECT kind, recipient_key, channel, address FROM meeting_notices WHERE meeting_id = :id", id=meeting_id,
    )  # fmt: skip


def outbox_rows(stack_env: dict[str, str], town: Crashville, meeting_id: str) -> list[Any]:
    return scoped_rows(
        stack_env, town.org,
        "SELECT template, channel, recipient, dedupe_key FROM outbound_messages WHERE entity_id = :id", id=meeting_id,
    )  # fmt: skip


def check_sent_once(
    stack_env: dict[str, str], town: Crashville, meeting_id: str, kinds: tuple[str, ...], keys: set[str]
) -> None:
    """Each of `kinds` went exactly once per recipient and channel, to exactly `keys`, in both the notices table
    and the outbox (one message per notice row, its dedupe key naming meeting, kind, recipient and channel)."""
    rows = notice_rows(stack_env, town, meeting_id)
    per_notice = Counter((r.kind, r.recipient_key, r.channel) for r in rows)
    assert all(count == 1 for count in per_notice.values()), per_notice
    assert {r.kind for r in rows} == set(kinds), rows
    by_kind: dict[str, set[tuple[str, str]]] = {}
    for r in rows:
        by_kind.setdefault(r.kind, set()).add((r.recipient_key, r.channel))
    first = by_kind[kinds[0]]
    assert {key for key, _ in first} == keys, first
    for kind in kinds:
        assert by_kind[kind] == first, (kind, by_kind[kind], first)
    expected = {(r.channel, r.recipient_key): r.address for r in rows if r.kind == kinds[0]}
    assert ("POSTED", "posted") in expected
    assert expected[("PORTAL", f"party:{town.parties['Lee']}")].startswith("user:"), "Lee has an account"
    assert ("PORTAL", f"party:{town.parties['Kim']}") not in expected, "Kim has none"
    assert expected[("MAIL", f"party:{town.parties['Kim']}")] == "Unit 1, 2", "one letter for Kim's two units"
    messages = outbox_rows(stack_env, town, meeting_id)
    assert len(messages) == len(rows), (len(messages), len(rows))
    assert len({m.dedupe_key for m in messages}) == len(messages)
    wanted = {f"meeting:{meeting_id}:{r.kind}:{r.recipient_key}:{r.channel}" for r in rows}
    assert {m.dedupe_key for m in messages} == wanted
    for r in rows:
        match = [m for m in messages if m.dedupe_key == f"meeting:{meeting_id}:{r.kind}:{r.recipient_key}:{r.channel}"]
        assert len(match) == 1
        assert (match[0].template, match[0].channel, match[0].recipient) == (
            f"meeting.{r.kind.lower()}", r.channel, r.address
        )  # fmt: skip


def check_stamped_once(stack_env: dict[str, str], town: Crashville, meeting: dict[str, Any]) -> None:
    assert meeting["status"] == "NOTICED"
    for stamp in ("notice_sent_at", "agenda_sent_at", "reminder_sent_at"):
        assert meeting[stamp] is not None, (stamp, meeting)
    assert meeting["notice_sent_at"] <= meeting["agenda_sent_at"] <= meeting["reminder_sent_at"]
    actions = scoped_rows(
        stack_env, town.org, "SELECT action FROM audit_events WHERE entity_id = :id", id=meeting["id"]
    )  # fmt: skip
    counted = Counter(a[0] for a in actions)
    assert counted["meeting.notice_sent"] == 3, counted
    assert counted["meeting.status_changed"] == 1, counted


def test_kill_9_mid_calendar_sends_notice_agenda_and_reminder_once_each(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    town = crashville(server)
    board = town.schedule("BOARD", 14, agenda=[{"title": "Pool resurfacing", "item_type": "ACTION"}])
    annual = town.schedule("ANNUAL", 17, agenda=[{"title": "Election of directors", "item_type": "ELECTION"}])
    for meeting in (board, annual):
        assert meeting["status"] == "SCHEDULED"
        assert meeting["notice_at"] < meeting["agenda_at"] < meeting["reminder_at"] < meeting["starts_at"]

    # Crash 1: right after the notices went out (their turns may not have been checkpointed yet).
    for meeting in (board, annual):
        wait_until(lambda m=meeting: town.status_is(m["id"], "NOTICED"), 30, f"the notice of {meeting['title']}")
    server.kill9()
    server.start()
    # Crash 2: at a random moment from just before the first agenda to just after the last reminder (a turn, or a
    # wait between turns); whatever falls due while the server is down goes out when it is back.
    first, last = (datetime.fromisoformat(board["agenda_at"]), datetime.fromisoformat(annual["reminder_at"]))
    crash_at = first + (last - first + timedelta(seconds=1.5)) * random.random() - timedelta(seconds=0.5)
    time.sleep(max(0.0, (crash_at - datetime.now(UTC)).total_seconds()))
    server.kill9()
    server.start()

    for meeting in (board, annual):
        wait_until(lambda m=meeting: town.meeting(m["id"])["reminder_sent_at"], 60, f"the reminder of {meeting['id']}")
    time.sleep(1.5)  # a duplicate recorded late would show up now

    check_sent_once(stack_env, town, board["id"], MESSAGES, town.recipient_keys())
    check_sent_once(stack_env, town, annual["id"], MESSAGES, town.recipient_keys())
    for meeting in (board, annual):
        check_stamped_once(stack_env, town, town.meeting(meeting["id"]))
        listed = town.ok("governance/meeting/v1/notices", {"meeting_id": meeting["id"]})["items"]
        assert len(listed) == len(notice_rows(stack_env, town, meeting["id"]))

    # The owners' meeting's voter list: taken once, one row per unit with its weight and its owners of record.
    voters = town.ok("governance/meeting/v1/voters", {"meeting_id": annual["id"]})
    assert [v["unit_number"] for v in voters["items"]] == ["1", "2", "3", "4"]
    assert Decimal(voters["total_weight"]) == Decimal(10)
    assert "Ann Crash" in voters["items"][3]["owner_names"]
    assert "Bo Crash" in voters["items"][3]["owner_names"]
    rows = scoped_rows(
        stack_env, town.org, "SELECT unit_id, count(*) FROM meeting_voters WHERE meeting_id = :id GROUP BY unit_id",
        id=annual["id"],
    )  # fmt: skip
    assert sorted(str(r[0]) for r in rows) == sorted(town.units)
    assert all(r[1] == 1 for r in rows), rows
    assert not scoped_rows(
        stack_env, town.org, "SELECT 1 FROM meeting_voters WHERE meeting_id = :id", id=board["id"]
    ), "a board meeting has no voter list"

    # The lifecycles now wait for the meetings to be held.
    for meeting in (board, annual):
        workflow = workflow_row(settings, lifecycle.meeting_workflow_id(meeting["id"]))
        assert workflow is not None
        assert workflow.status == "PENDING", workflow
        assert workflow.executor_id in (server.env["DBOS_EXECUTOR_ID"], settings.dbos_executor_id), workflow


def test_a_meeting_cancelled_after_its_notice_tells_everyone_once_across_a_crash(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    town = crashville(server)
    meeting = town.schedule("BOARD", 10)
    wait_until(lambda: town.status_is(meeting["id"], "NOTICED"), 30, "the notice")
    cancelled = town.ok("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "The clubhouse flooded"})
    assert cancelled["status"] == "CANCELLED"
    time.sleep(random.uniform(0.0, 0.6))  # before, during or after the cancellation's turn
    server.kill9()
    server.start()

    keys = town.recipient_keys()

    def cancellations() -> int:
        return sum(1 for r in notice_rows(stack_env, town, meeting["id"]) if r.kind == "CANCELLATION")

    notices = sum(1 for r in notice_rows(stack_env, town, meeting["id"]) if r.kind == "NOTICE")
    wait_until(lambda: cancellations() == notices, 30, "the cancellations")
    time.sleep(1.5)
    rows = notice_rows(stack_env, town, meeting["id"])
    assert {r.kind for r in rows} <= {"NOTICE", "AGENDA", "REMINDER", "CANCELLATION"}
    assert not {r.kind for r in rows} & {"AGENDA", "REMINDER"}, "nothing on the calendar after the cancellation"
    check_sent_once(stack_env, town, meeting["id"], ("NOTICE", "CANCELLATION"), keys)
    messages = outbox_rows(stack_env, town, meeting["id"])
    told = [m for m in messages if m.template == "meeting.cancellation"]
    assert len(told) == notices
    done = town.meeting(meeting["id"])
    assert (done["status"], done["cancel_reason"], done["agenda_sent_at"]) == (
        "CANCELLED", "The clubhouse flooded", None
    )  # fmt: skip

    def ended() -> bool:
        row = workflow_row(settings, lifecycle.meeting_workflow_id(meeting["id"]))
        return row is not None and row.status == "SUCCESS"

    wait_until(ended, 30, "the lifecycle to end")


def test_an_adjourned_meetings_minutes_go_on_the_next_agenda_once_and_the_lifecycle_ends(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    town = crashville(server)
    held = town.schedule("BOARD", 4)
    wait_until(lambda: town.status_is(held["id"], "NOTICED"), 30, "the notice")
    town.ok("governance/meeting/v1/callToOrder", {"id": held["id"]})
    town.ok("governance/meeting/v1/adjourn", {"id": held["id"]})
    following = town.schedule("BOARD", 20)
    assert following["agenda"] == [], "no minutes drafted yet"
    workflow_id = lifecycle.meeting_workflow_id(held["id"])
    row = workflow_row(settings, workflow_id)
    assert row is not None
    assert row.status == "PENDING", row

    # The lifecycle waits for the minutes across a crash; drafting them ends it.
    server.kill9()
    server.start()
    town.ok("governance/meeting/v1/draftMinutes", {"meeting_id": held["id"], "body": "Called to order; adjourned."})

    def ended() -> bool:
        found = workflow_row(settings, workflow_id)
        return found is not None and found.status == "SUCCESS"

    wait_until(ended, 30, "the lifecycle to end")
    agenda = town.meeting(following["id"])["agenda"]
    approvals = [item for item in agenda if item["item_type"] == "MINUTES_APPROVAL"]
    assert len(approvals) == 1, agenda
    assert approvals[0]["minutes_of_meeting_id"] == held["id"]
    assert town.meeting(held["id"])["minutes_status"] == "DRAFT"

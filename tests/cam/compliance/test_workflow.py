"""`complianceDeadline_v1` with the application in process: a deadline generated inside its reminder period is
reminded at once and once only (one message per recipient however long it waits), stays DUE_SOON with its clock
waiting for the overdue moment, and its completion ends the clock without an overdue message; the clock's move
after the due date (`services.deadlines.on_the_clock` with a later `now`, as the workflow's turn calls it) flags an
open deadline OVERDUE and tells the managers, the admins and the responsible role once, however often it runs."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from dbos import DBOS
from sqlalchemy import text

from hestami.cam.compliance import repository, rules, workflows
from hestami.cam.compliance.services import deadlines
from hestami.core import runtime
from hestami.core.acting import acting
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import ok, suffix


@dataclass
class Office:
    """One association; its organization's admin (the creator), a manager and a board member."""

    client: httpx.AsyncClient
    admin: Account
    manager: Account
    board: Account
    org: str
    association_id: str

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await ok(self.client, who or self.manager, self.org, path, body)


async def office(c: httpx.AsyncClient) -> Office:
    admin = await account(c)
    org = (await organization(c, admin, f"Compliance Clock {suffix()}"))["id"]
    manager = await member_account(c, admin, org, ["MANAGER"])
    board = await member_account(c, admin, org, ["BOARD_MEMBER"])
    association = await ok(c, admin, org, "association/v1/create", {"name": f"Clockwork {suffix()}"})
    await seat_on_board(c, admin, org, association["id"], board)
    return Office(c, admin, manager, board, org, association["id"])


def today() -> date:
    return datetime.now(UTC).date()


async def requirement_due(o: Office, due: date, lead_days: int, role: str = "BOARD_MEMBER") -> dict:
    """A yearly requirement whose next due date is `due` (its month and day, anchored today)."""
    body = {
        "association_id": o.association_id, "code": f"CLOCK_{suffix().upper()}", "title": "Annual filing",
        "kind": "STATUTORY_DEADLINE", "reference": "Test Code § 1", "rrule":
        f"FREQ=YEARLY;BYMONTH={due.month};BYMONTHDAY={due.day}", "anchor_date": today().isoformat(),
        "lead_days": lead_days, "responsible_role": role,
    }  # fmt: skip
    return await o.ok("compliance/requirement/v1/create", body)


async def generated_deadline(o: Office, requirement_id: str, through: date) -> dict:
    made = await o.ok(
        "compliance/deadline/v1/generate", {"association_id": o.association_id, "through": through.isoformat()}
    )
    assert made["created"] == 1, made
    found = await o.ok("compliance/deadline/v1/list", {"requirement_id": requirement_id, "limit": 50})
    assert len(found["items"]) == 1, found
    deadline: dict = found["items"][0]
    return deadline


async def outbox(org: str, deadline_id: str) -> list[Any]:
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        sql = "SELECT template, recipient, dedupe_key FROM outbound_messages WHERE entity_id = :id ORDER BY created_at"
        return list((await session.execute(text(sql), {"id": deadline_id})).all())


async def wait_for(probe: Any, seconds: float, what: str) -> Any:
    for _ in range(int(seconds * 10)):
        found = await probe()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def workflow_status(deadline_id: str, seconds: float = 10) -> tuple[str | None, Any]:
    """The clock's DBOS status once it has ended (or whatever it is after `seconds`)."""
    found = None
    for _ in range(int(seconds * 10)):
        found = await DBOS.get_workflow_status_async(workflows.workflow_id(deadline_id))
        if found is not None and found.status in ("SUCCESS", "ERROR"):
            break
        await asyncio.sleep(0.1)
    return (found.status, found.output) if found is not None else (None, None)


def check_messages(rows: list[Any], deadline_id: str, what: str, recipients: set[str]) -> None:
    """Exactly one `compliance.deadline.<what>` per recipient, each with its own dedupe key."""
    mine = [r for r in rows if r[0] == f"compliance.deadline.{what}"]
    assert Counter(r[1] for r in mine) == Counter(recipients), mine
    for _, recipient, key in mine:
        assert key == f"compliance_deadline:{deadline_id}:{what}:{recipient}"


async def test_a_deadline_inside_its_reminder_period_is_reminded_once_and_completion_ends_its_clock(
    shared_client: httpx.AsyncClient,
) -> None:
    o = await office(shared_client)
    due = today() + timedelta(days=1)
    requirement = await requirement_due(o, due, lead_days=5)
    deadline = await generated_deadline(o, requirement["id"], today() + timedelta(days=30))
    assert deadline["due_on"] == due.isoformat()
    assert deadline["remind_on"] == (due - timedelta(days=5)).isoformat()
    assert deadline["status"] == "DUE_SOON", "generated inside its reminder period"
    did = deadline["id"]

    async def reminded() -> Any:
        found = await o.ok("compliance/deadline/v1/get", {"id": did})
        return found if found["reminded_at"] else None

    seen = await wait_for(reminded, 15, "the reminder")
    assert seen["status"] == "DUE_SOON"
    assert seen["overdue_at"] is None
    # The board member is the responsible role; the managers and the admins are always told.
    check_messages(await outbox(o.org, did), did, "reminder", {o.board.email, o.manager.email, o.admin.email})
    await asyncio.sleep(3)  # a second reminder recorded late would show up now
    rows = await outbox(o.org, did)
    check_messages(rows, did, "reminder", {o.board.email, o.manager.email, o.admin.email})
    assert {r[0] for r in rows} == {"compliance.deadline.reminder"}
    again = await o.ok("compliance/deadline/v1/get", {"id": did})
    assert again["reminded_at"] == seen["reminded_at"]

    status = await DBOS.get_workflow_status_async(workflows.workflow_id(did))
    assert status is not None
    assert status.status == "PENDING", "the clock waits for the overdue moment"

    done = await o.ok("compliance/deadline/v1/complete", {"id": did, "notes": "Filed with the state."})
    assert done["status"] == "COMPLETED"
    assert done["completed_by"] == str(o.manager.user_id)
    assert await workflow_status(did) == ("SUCCESS", "COMPLETED"), "completion ends the clock"
    rows = await outbox(o.org, did)
    assert {r[0] for r in rows} == {"compliance.deadline.reminder"}, "no overdue message"
    assert len(rows) == 3


async def clock_at(org: str, deadline_id: str, now: datetime) -> tuple[str | None, datetime | None, str]:
    """One turn of the clock at `now`, as the workflow takes it: the locked deadline, as the system."""
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(org)) as ctx:
        found = await repository.deadline(ctx.session, uuid.UUID(deadline_id), lock=True)
        assert found is not None
        happened, wake = await deadlines.on_the_clock(ctx, found, now)
        return happened, wake, found.status


async def test_after_the_due_date_the_clock_flags_the_deadline_overdue_once(shared_client: httpx.AsyncClient) -> None:
    o = await office(shared_client)
    due = today() + timedelta(days=1)
    requirement = await requirement_due(o, due, lead_days=5)
    deadline = await generated_deadline(o, requirement["id"], today() + timedelta(days=30))
    did = deadline["id"]

    async def reminded() -> Any:
        return (await o.ok("compliance/deadline/v1/get", {"id": did}))["reminded_at"]

    await wait_for(reminded, 15, "the reminder")
    # The day of the due date: nothing to do; the clock looks again at the overdue moment.
    assert await clock_at(o.org, did, rules.moment(due) + timedelta(hours=23)) == (
        None, rules.overdue_from(due), "DUE_SOON"
    )  # fmt: skip
    # Two days after it: OVERDUE, and the clock has nothing left to watch.
    late = rules.overdue_from(due) + timedelta(days=1)
    assert await clock_at(o.org, did, late) == ("OVERDUE", None, "OVERDUE")
    assert await clock_at(o.org, did, late + timedelta(hours=1)) == (None, None, "OVERDUE"), "once"
    flagged = await o.ok("compliance/deadline/v1/get", {"id": did})
    assert flagged["status"] == "OVERDUE"
    assert datetime.fromisoformat(flagged["overdue_at"]) == late
    rows = await outbox(o.org, did)
    check_messages(rows, did, "overdue", {o.admin.email, o.manager.email, o.board.email})
    check_messages(rows, did, "reminder", {o.board.email, o.manager.email, o.admin.email})
    assert len(rows) == 6
    assert len({r[2] for r in rows}) == 6

    # Completed late, it keeps the time it was flagged; the clock ends and tells no one again.
    done = await o.ok("compliance/deadline/v1/complete", {"id": did})
    assert done["status"] == "COMPLETED"
    assert datetime.fromisoformat(done["overdue_at"]) == late
    assert await workflow_status(did) == ("SUCCESS", "COMPLETED")
    assert len(await outbox(o.org, did)) == 6


async def test_a_deadline_never_reminded_is_reminded_and_flagged_in_the_same_turn(
    shared_client: httpx.AsyncClient,
) -> None:
    """The server was down from before the reminder date until after the due date: the late turn sends both."""
    o = await office(shared_client)
    due = today() + timedelta(days=20)
    requirement = await requirement_due(o, due, lead_days=10, role="MANAGER")
    deadline = await generated_deadline(o, requirement["id"], today() + timedelta(days=30))
    did = deadline["id"]
    assert deadline["status"] == "UPCOMING"
    await asyncio.sleep(1)  # the clock's first turn: nothing due yet
    first = await o.ok("compliance/deadline/v1/get", {"id": did})
    assert first["reminded_at"] is None
    assert await outbox(o.org, did) == []
    status = await DBOS.get_workflow_status_async(workflows.workflow_id(did))
    assert status is not None
    assert status.status == "PENDING"

    before = rules.moment(due - timedelta(days=10)) - timedelta(seconds=1)
    assert await clock_at(o.org, did, before) == (None, rules.moment(due - timedelta(days=10)), "UPCOMING")
    late = rules.overdue_from(due) + timedelta(days=2)
    assert await clock_at(o.org, did, late) == ("OVERDUE", None, "OVERDUE")
    assert await clock_at(o.org, did, late) == (None, None, "OVERDUE")
    rows = await outbox(o.org, did)
    check_messages(rows, did, "reminder", {o.manager.email, o.admin.email})
    check_messages(rows, did, "overdue", {o.admin.email, o.manager.email})
    assert len(rows) == 4
    waived = await o.ok("compliance/deadline/v1/waive", {"id": did, "notes": "Not required this year."})
    assert waived["status"] == "WAIVED"
    assert await workflow_status(did) == ("SUCCESS", "WAIVED")

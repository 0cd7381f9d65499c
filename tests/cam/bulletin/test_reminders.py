"""Reminders of calendar events (`calendarEventReminders_v1`): the audience is reminded `remind_hours_before` each
occurrence, once; at once when the occurrence is closer than that; not after the event is cancelled or its reminder
removed; and for the new time after a change of time (the earlier version's workflow ends)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from dbos import DBOS

from hestami.cam.bulletin import lifecycle
from tests.cam.bulletin.helpers import EVENT, Community, community, outbound

HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Reminders")


def times(starts: datetime, hours: float = 1) -> dict[str, str]:
    return {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=hours)).isoformat()}


async def reminders(hoa: Community, event_id: str) -> list[dict[str, Any]]:
    return [m for m in await outbound(hoa.org, event_id) if m["template"] == "calendar_event.reminder"]


async def reminded(hoa: Community, event_id: str, seconds: float = 30) -> list[dict[str, Any]]:
    """The reminders about the event once there are some (and a moment more, in case more were due)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await reminders(hoa, event_id):
        assert asyncio.get_running_loop().time() < deadline, "nobody was reminded"
        await asyncio.sleep(0.2)
    await asyncio.sleep(1)
    return await reminders(hoa, event_id)


async def ended(workflow_id: str, seconds: float = 30) -> str:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        status = await DBOS.get_workflow_status_async(workflow_id)
        if status is not None and status.status in ("SUCCESS", "ERROR"):
            return str(status.status)
        assert asyncio.get_running_loop().time() < deadline, f"{workflow_id} did not end"
        await asyncio.sleep(0.2)


def owners(hoa: Community) -> list[str]:
    return sorted(str(owner.user_id) for owner in hoa.owners)


async def test_the_audience_is_reminded_once_before_an_occurrence(hoa: Community) -> None:
    starts = (datetime.now(UTC) + HOUR + timedelta(seconds=3)).replace(microsecond=0)
    event = await hoa.event(title="Pool party", remind_hours_before=1, **times(starts))
    assert event["remind_hours_before"] == 1
    assert await reminders(hoa, event["id"]) == []  # not due for 3 seconds
    sent = await reminded(hoa, event["id"])
    assert sorted(m["user_id"] for m in sent) == owners(hoa)
    assert {m["dedupe_key"] for m in sent} == {
        f"calendar_event:{event['id']}:reminder:{starts.isoformat()}:{user}" for user in owners(hoa)
    }
    assert sent[0]["payload"]["starts_at"] == starts.isoformat()
    assert await ended(lifecycle.reminders_workflow_id(event["id"], 1)) == "SUCCESS"  # no occurrence left
    assert len(await reminders(hoa, event["id"])) == len(owners(hoa))


async def test_a_recurring_event_reminds_of_its_next_occurrence(hoa: Community) -> None:
    starts = (datetime.now(UTC) + timedelta(minutes=30)).replace(microsecond=0)  # closer than the reminder: at once
    event = await hoa.event(title="Board meeting", event_type="MEETING", visibility="BOARD", rrule="FREQ=WEEKLY",
                            remind_hours_before=2, **times(starts))  # fmt: skip
    sent = await reminded(hoa, event["id"])
    assert [m["user_id"] for m in sent] == [str(hoa.director.user_id)]
    assert sent[0]["payload"]["starts_at"] == starts.isoformat()
    status = await DBOS.get_workflow_status_async(lifecycle.reminders_workflow_id(event["id"], 1))
    assert status is not None
    assert status.status == "PENDING"  # waiting for next week's reminder
    await hoa.ok(f"{EVENT}/cancel", {"id": event["id"]})
    assert await ended(lifecycle.reminders_workflow_id(event["id"], 1)) == "SUCCESS"


async def test_a_cancelled_event_or_a_removed_reminder_reminds_nobody(hoa: Community) -> None:
    starts = datetime.now(UTC) + HOUR + timedelta(seconds=2)
    cancelled = await hoa.event(title="Rained out", remind_hours_before=1, **times(starts))
    await hoa.ok(f"{EVENT}/cancel", {"id": cancelled["id"]})
    removed = await hoa.event(title="Quietly", remind_hours_before=1, **times(starts))
    changed = await hoa.ok(f"{EVENT}/update", {"id": removed["id"], "remind_hours_before": None})
    assert changed["remind_hours_before"] is None
    for event in (cancelled, removed):
        assert await ended(lifecycle.reminders_workflow_id(event["id"], 1)) == "SUCCESS"
    await asyncio.sleep(3)
    assert await reminders(hoa, cancelled["id"]) == []
    assert await reminders(hoa, removed["id"]) == []


async def test_a_moved_event_is_reminded_at_its_new_time(hoa: Community) -> None:
    first = datetime.now(UTC) + HOUR + timedelta(minutes=10)
    event = await hoa.event(title="Moved", remind_hours_before=1, **times(first))
    moved = (datetime.now(UTC) + HOUR + timedelta(seconds=3)).replace(microsecond=0)
    await hoa.ok(f"{EVENT}/update", {"id": event["id"], **times(moved)})
    assert await ended(lifecycle.reminders_workflow_id(event["id"], 1)) == "SUCCESS"  # the earlier version ends
    sent = await reminded(hoa, event["id"])
    assert {m["payload"]["starts_at"] for m in sent} == {moved.isoformat()}
    assert len(sent) == len(owners(hoa))


async def test_reminders_are_validated(hoa: Community) -> None:
    starts = datetime(2030, 3, 5, 19, tzinfo=UTC)
    for hours in (0, 721, -1):
        body = {"association_id": hoa.association_id, "title": "Bad", "event_type": "OTHER",
                "remind_hours_before": hours, **times(starts)}  # fmt: skip
        error = await hoa.fails(f"{EVENT}/create", body, 400, "VALIDATION_FAILED")
        assert error["field_errors"][0]["field"] == "/remind_hours_before"

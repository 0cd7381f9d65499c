"""Schedules: a MONTHLY schedule makes one run per due date however often the day is driven, as its creator;
the COMPLETED run is delivered once per recipient through the outbox; a creator who lost access gets a FAILED run
that says so; recipients must be members; cancelling stops it."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest

from hestami.cam.reporting import workflows
from tests.cam.reporting.framework_support import TINY, Hoa, hoa
from tests.support.accounts import account
from tests.support.serve import scoped_rows


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Hoa:
    return await hoa(shared_client, "Schedules")


def body(place: Hoa, **extra: object) -> dict[str, object]:
    return {"report": TINY, "format": "CSV", "parameters": {"association_id": place.association_id},
            "frequency": "MONTHLY", "day_of_month": 3, **extra}  # fmt: skip


async def test_a_due_schedule_runs_once_per_due_date_and_delivers_once_per_recipient(
    place: Hoa, stack_env: dict[str, str]
) -> None:
    recipients = [str(place.board.user_id), str(place.manager.user_id)]
    schedule = await place.ok("report/v1/schedule", body(place, recipients=recipients), place.manager)
    only = {place.org}
    today = date.today()
    due = date(today.year + 1, 1, 3)
    assert await workflows.run_schedules_for(date(today.year + 1, 1, 2), only) == []
    first = await workflows.run_schedules_for(due, only)
    assert len(first) == 1
    done = await place.finished(first[0])
    assert (done["status"], done["schedule_id"], done["due_on"]) == ("COMPLETED", schedule["id"], due.isoformat())
    assert done["requested_by"] == str(place.manager.user_id)
    assert await workflows.run_schedules_for(due, only) == []  # the same day again: nothing new
    runs = await place.ok("report/v1/list", {"schedule_id": schedule["id"]})
    assert [r["id"] for r in runs["items"]] == first

    messages = scoped_rows(
        stack_env, place.org,
        "SELECT recipient_user_id, channel, dedupe_key, payload->>'title' AS title FROM outbound_messages "
        "WHERE entity_id = :id",
        id=uuid.UUID(first[0]),
    )  # fmt: skip
    assert {(str(m.recipient_user_id), m.channel) for m in messages} == {
        (user, channel) for user in recipients for channel in ("PORTAL", "EMAIL")
    }
    assert len({m.dedupe_key for m in messages}) == len(messages) == 4
    assert {m.title for m in messages} == {done["title"]}

    second = await workflows.run_schedules_for(date(today.year + 1, 2, 3), only)
    assert len(second) == 1
    assert second != first
    cancelled = await place.ok("report/v1/cancelSchedule", {"id": schedule["id"]}, place.manager)
    assert cancelled["status"] == "CANCELLED"
    assert await workflows.run_schedules_for(date(today.year + 1, 3, 3), only) == []
    await place.fails("report/v1/cancelSchedule", {"id": schedule["id"]}, 422)


async def test_a_creator_who_lost_access_gets_a_failed_run(place: Hoa, shared_client: httpx.AsyncClient) -> None:
    schedule = await place.ok("report/v1/schedule", body(place, frequency="WEEKLY", day_of_month=None,
                                                          weekday="MONDAY"), place.board)  # fmt: skip
    assert schedule["created_by"] == str(place.board.user_id)
    listed = await place.ok("report/v1/listSchedules", {"association_id": place.association_id}, place.board)
    assert schedule["id"] in [s["id"] for s in listed["items"]]
    members = await place.ok("organization/v1/listMembers", {})
    member = next(m for m in members["items"] if m["user_id"] == str(place.board.user_id))
    await place.ok("organization/v1/setMemberRoles", {"member_id": member["id"], "roles": ["TENANT"]})
    monday = date(date.today().year + 1, 6, 7)
    while monday.weekday() != 0:
        monday = monday.replace(day=monday.day + 1)
    [run_id] = await workflows.run_schedules_for(monday, {place.org})
    failed = await place.finished(run_id)
    assert failed["status"] == "FAILED"
    assert failed["error_code"] in ("FORBIDDEN", "NOT_FOUND")
    assert "no longer" in failed["error_message"]


async def test_recipients_must_be_members(place: Hoa, shared_client: httpx.AsyncClient) -> None:
    stranger = await account(shared_client)
    error = await place.fails("report/v1/schedule", body(place, recipients=[str(stranger.user_id)]), 400,
                              "VALIDATION_FAILED")  # fmt: skip
    assert [f["field"] for f in error["field_errors"]] == ["/recipients/0"]
    await place.fails("report/v1/schedule", body(place, frequency="WEEKLY"), 400, "VALIDATION_FAILED")

"""`violationLifecycle_v1` with the application in process: a cure stops the sequence, each notice goes out once
per step, channel and recipient and is kept as a searchable document of the violation, a manager's notice moves
the sequence on without the workflow repeating it, a hearing needs the required notice, repeats are recognised."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from dbos import DBOS
from sqlalchemy import text

from hestami.cam.violations import lifecycle
from hestami.core import runtime
from tests.cam.violations.helpers import Community, community, wait_for_status
from tests.support.rpc import fails, ok

STEPS = ["COURTESY", "FIRST", "SECOND", "HEARING"]


async def record(c: httpx.AsyncClient, w: Community, **fields: Any) -> dict:
    body = {
        "association_id": w.association["id"], "unit_id": w.unit["id"], "violation_type_id": w.vtype["id"],
        "description": "Trash cans at the curb on a Thursday", "observed_at": datetime.now(UTC).isoformat(),
        **fields,
    }  # fmt: skip
    return await ok(c, w.manager, w.org, "violation/v1/create", body)


async def steps(c: httpx.AsyncClient, w: Community, violation_id: str) -> list[str]:
    found = await ok(c, w.manager, w.org, "violation/v1/listNotices", {"id": violation_id})
    return [n["step"] for n in found["items"]]


async def workflow_status(violation_id: str, seconds: float = 10) -> tuple[str | None, Any]:
    """The lifecycle's DBOS status once it has ended (or whatever it is after `seconds`)."""
    found = None
    for _ in range(int(seconds * 10)):
        found = await DBOS.get_workflow_status_async(lifecycle.workflow_id(violation_id))
        if found is not None and found.status in ("SUCCESS", "ERROR"):
            break
        await asyncio.sleep(0.1)
    return (found.status, found.output) if found is not None else (None, None)


async def outbox(org: str, violation_id: str) -> list[Any]:
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        sql = (
            "SELECT template, channel, recipient, dedupe_key, payload FROM outbound_messages "
            "WHERE entity_id = :id ORDER BY created_at"
        )
        return list((await session.execute(text(sql), {"id": violation_id})).all())


async def test_a_cure_in_the_courtesy_period_stops_the_sequence(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    w = await community(c, default_cure_days=20)  # the courtesy period: 20 days of 0.05 s
    created = await record(c, w)
    noticed = await wait_for_status(c, w.manager, w.org, created["id"], "NOTICED", seconds=10)
    assert noticed["cure_due_at"] is not None
    cured = await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": created["id"], "resolution": "CURED"})
    assert cured["status"] == "CURED"
    assert cured["cure_due_at"] is None
    assert await workflow_status(created["id"]) == ("SUCCESS", "CURED"), "the lifecycle ends with the cure"
    await asyncio.sleep(3 * 20 * fast_days)  # three courtesy periods: nothing more goes out
    assert await steps(c, w, created["id"]) == ["COURTESY"]
    assert {m[0] for m in await outbox(w.org, created["id"])} == {"violation.notice.courtesy"}
    again = await ok(c, w.manager, w.org, "violation/v1/get", {"id": created["id"]})
    assert again["status"] == "CURED"
    assert [h["to_status"] for h in again["history"]] == ["OPEN", "NOTICED", "CURED"]
    await fails(c, w.manager, w.org, "violation/v1/sendNotice", {"id": created["id"]}, 422, reason="NO_NEXT_NOTICE")
    closed = await ok(c, w.manager, w.org, "violation/v1/close", {"id": created["id"], "resolution": "Cans put away"})
    assert closed["status"] == "CLOSED"
    assert closed["resolution"] == "Cans put away"
    assert closed["closed_at"] is not None
    await fails(
        c,
        w.manager,
        w.org,
        "violation/v1/resolve",
        {"id": created["id"], "resolution": "DISMISSED"},
        409,
        code="INVALID_STATE_TRANSITION",
    )


async def test_an_open_violation_cannot_be_closed(shared_client: httpx.AsyncClient, fast_days: float) -> None:
    c = shared_client
    w = await community(c, default_cure_days=60)
    created = await record(c, w)
    await wait_for_status(c, w.manager, w.org, created["id"], "NOTICED", seconds=10)
    body = {"id": created["id"], "resolution": "Done"}
    await fails(c, w.manager, w.org, "violation/v1/close", body, 422, reason="NOT_RESOLVED")
    await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": created["id"], "resolution": "DISMISSED"})
    assert await workflow_status(created["id"]) == ("SUCCESS", "DISMISSED")
    assert (await ok(c, w.manager, w.org, "violation/v1/close", body))["status"] == "CLOSED"


async def test_each_notice_goes_out_once_per_channel_and_recipient_and_is_a_searchable_document(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    w = await community(c)
    party = (await ok(c, w.manager, w.org, "party/v1/list", {"search": "Cans"}))["items"][0]
    email = f"trish-{party['id'][:8]}@example.com"
    await ok(c, w.manager, w.org, "party/v1/update", {"id": party["id"], "email": email})
    methods = ["EMAIL", "MAIL", "PORTAL", "POSTED"]
    body = {"association_id": w.association["id"], "delivery_methods": methods}
    await ok(c, w.manager, w.org, "violationSettings/v1/update", body)
    created = await record(c, w, location="Curb by the mailbox")
    vid, ref = created["id"], created["reference"]
    await wait_for_status(c, w.manager, w.org, vid, "HEARING_SCHEDULED")
    assert await workflow_status(vid) == ("SUCCESS", "HEARING_SCHEDULED")
    notices = (await ok(c, w.manager, w.org, "violation/v1/listNotices", {"id": vid}))["items"]
    assert [n["step"] for n in notices] == STEPS
    assert all(sorted(n["delivery_methods"]) == methods for n in notices)

    # the outbox: one message per step, channel and recipient (one owner here), each with its own key
    rows = await outbox(w.org, vid)
    recipients = {
        "EMAIL": email, "MAIL": "Trish Cans | the unit", "PORTAL": f"user:{w.owner.user_id}",
        "POSTED": f"unit:{w.unit['id']}",
    }  # fmt: skip
    wanted = {(f"violation.notice.{step.lower()}", ch, to) for step in STEPS for ch, to in recipients.items()}
    per_message = Counter((r[0], r[1], r[2]) for r in rows)
    assert set(per_message) == wanted
    assert all(count == 1 for count in per_message.values()), per_message
    assert len({r[3] for r in rows}) == len(rows) == len(wanted)
    for template, channel, recipient, key, payload in rows:
        step = template.rsplit(".", 1)[1].upper()
        assert key == f"violation:{vid}:notice:{step}:{channel}:{recipient}"
        assert payload["violation"] == ref
        assert payload["step"] == step
    by_step = {n["step"]: n for n in notices}
    for row in rows:
        assert row[4]["document_id"] == by_step[row[4]["step"]]["document_id"]
    # the same through the API a manager reads
    listed = await ok(c, w.manager, w.org, "notification/v1/list", {"entity_id": vid, "limit": 200})
    assert Counter((n["template"], n["channel"], n["recipient"]) for n in listed["items"]) == per_message

    # the letters: PDFs filed under the violation, their text searchable
    docs = await ok(c, w.manager, w.org, "document/v1/list", {"scope_type": "VIOLATION", "scope_id": vid})
    assert {d["id"] for d in docs["items"]} == {n["document_id"] for n in notices}
    assert all(d["category"] == "NOTICE" and d["title"].startswith(ref) for d in docs["items"])
    assert {d["current_version"]["content_type"] for d in docs["items"] if d.get("current_version")} <= {
        "application/pdf"
    }
    found = await ok(c, w.manager, w.org, "document/v1/list", {"query": f'"{ref}"'})
    assert {n["document_id"] for n in notices} <= {d["id"] for d in found["items"]}
    hearing = await ok(c, w.manager, w.org, "document/v1/list", {"query": "hearing attend evidence", "scope_id": vid})
    assert by_step["HEARING"]["document_id"] in {d["id"] for d in hearing["items"]}
    curb = await ok(c, w.manager, w.org, "document/v1/list", {"query": "mailbox", "scope_id": vid})
    assert {d["id"] for d in curb["items"]} == {n["document_id"] for n in notices}, "every letter says where"


async def test_a_manager_sends_the_first_notice_early_and_the_workflow_goes_on_from_there(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    w = await community(c, default_cure_days=200)  # a courtesy period of 10 s: the manager comes first
    created = await record(c, w)
    vid = created["id"]
    await wait_for_status(c, w.manager, w.org, vid, "NOTICED", seconds=10)
    first = await ok(c, w.manager, w.org, "violation/v1/sendNotice", {"id": vid, "step": "FIRST"})
    assert first["step"] == "FIRST"
    assert first["cure_due_at"] is not None
    now = await ok(c, w.manager, w.org, "violation/v1/get", {"id": vid})
    assert now["status"] in ("CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED")  # at once, and onward on the calendar
    assert [h["to_status"] for h in now["history"]][:3] == ["OPEN", "NOTICED", "CURE_PERIOD"]
    again = {"id": vid, "step": "FIRST"}
    error = await fails(c, w.manager, w.org, "violation/v1/sendNotice", again, 422, code="BUSINESS_RULE_VIOLATION")
    assert error["details"]["reason"] in ("NOTICE_ALREADY_SENT", "NO_NEXT_NOTICE")
    await fails(
        c, w.manager, w.org, "violation/v1/sendNotice", {"id": vid, "step": "HEARING"}, 422, reason="NO_NEXT_NOTICE"
    )

    done = await wait_for_status(c, w.manager, w.org, vid, "HEARING_SCHEDULED", seconds=15)
    assert [h["to_status"] for h in done["history"]] == [
        "OPEN", "NOTICED", "CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED"
    ]  # fmt: skip
    assert await workflow_status(vid) == ("SUCCESS", "HEARING_SCHEDULED")
    notices = (await ok(c, w.manager, w.org, "violation/v1/listNotices", {"id": vid}))["items"]
    assert [n["step"] for n in notices] == STEPS
    assert notices[1]["id"] == first["id"]
    assert notices[1]["sent_by"] == str(w.manager.user_id)
    assert all(n["sent_by"] is None for n in (notices[0], notices[2], notices[3])), "sent by the lifecycle"
    rows = await outbox(w.org, vid)
    per_message = Counter((r[0], r[1], r[2]) for r in rows)
    assert all(count == 1 for count in per_message.values()), per_message
    per_step = Counter(r[0] for r in rows)
    assert len(set(per_step.values())) == 1, per_step  # the same recipients and channels for every step
    assert set(per_step) == {f"violation.notice.{step.lower()}" for step in STEPS}
    for step in ("FIRST", "SECOND", None):
        body = {"id": vid} if step is None else {"id": vid, "step": step}
        await fails(c, w.manager, w.org, "violation/v1/sendNotice", body, 422, reason="NO_NEXT_NOTICE")
    assert await steps(c, w, vid) == STEPS


async def test_a_hearing_needs_the_required_days_of_notice(shared_client: httpx.AsyncClient) -> None:
    """Real days here: the courtesy notice goes out at once, the next would come in 14 days."""
    c = shared_client
    w = await community(c)
    created = await record(c, w)
    vid = created["id"]
    await wait_for_status(c, w.manager, w.org, vid, "NOTICED", seconds=10)
    soon = datetime.now(UTC) + timedelta(days=13)
    error = await fails(
        c, w.manager, w.org, "violation/v1/scheduleHearing", {"id": vid, "scheduled_at": soon.isoformat()}, 422,
        code="BUSINESS_RULE_VIOLATION", reason="HEARING_TOO_SOON",
    )  # fmt: skip
    earliest = datetime.fromisoformat(error["details"]["earliest"])
    assert timedelta(days=14) <= earliest - soon + timedelta(days=13) < timedelta(days=14, minutes=1)
    assert error["details"]["hearing_notice_days"] == 14
    just_short = earliest - timedelta(minutes=1)
    await fails(
        c, w.manager, w.org, "violation/v1/scheduleHearing", {"id": vid, "scheduled_at": just_short.isoformat()}, 422,
        reason="HEARING_TOO_SOON",
    )  # fmt: skip
    assert (await ok(c, w.manager, w.org, "violation/v1/get", {"id": vid}))["status"] == "NOTICED"

    at = earliest + timedelta(minutes=1)
    body = {"id": vid, "scheduled_at": at.isoformat(), "location": "Clubhouse"}
    hearing = await ok(c, w.manager, w.org, "violation/v1/scheduleHearing", body)
    assert datetime.fromisoformat(hearing["scheduled_at"]) == at
    assert (hearing["status"], hearing["hearing_body"], hearing["location"]) == ("SCHEDULED", "BOARD", "Clubhouse")
    done = await ok(c, w.manager, w.org, "violation/v1/get", {"id": vid})
    assert (done["status"], done["cure_due_at"]) == ("HEARING_SCHEDULED", None)
    notices = (await ok(c, w.manager, w.org, "violation/v1/listNotices", {"id": vid}))["items"]
    assert [n["step"] for n in notices] == ["COURTESY", "HEARING"]
    assert datetime.fromisoformat(notices[1]["hearing_at"]) == at
    later = {"id": vid, "scheduled_at": (at + timedelta(days=7)).isoformat()}
    error = await fails(c, w.manager, w.org, "violation/v1/scheduleHearing", later, 409)
    assert error["code"] == "INVALID_STATE_TRANSITION", "one hearing at a time"
    assert await workflow_status(vid) == ("SUCCESS", "HEARING_SCHEDULED"), "the lifecycle hears of it and ends"


async def test_a_second_violation_of_the_type_on_the_unit_is_a_repeat(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    w = await community(c, default_cure_days=365)
    other_unit = await ok(
        c, w.manager, w.org, "unit/v1/create",
        {"property_id": w.unit["property_id"], "unit_number": "14", "unit_type": "SINGLE_FAMILY"},
    )  # fmt: skip
    first = await record(c, w, observed_at=(datetime.now(UTC) - timedelta(days=30)).isoformat())
    assert (first["is_repeat"], first["repeat_of_id"]) == (False, None)
    second = await record(c, w)
    assert (second["is_repeat"], second["repeat_of_id"]) == (True, first["id"])
    elsewhere = await record(c, w, unit_id=other_unit["id"])
    assert (elsewhere["is_repeat"], elsewhere["repeat_of_id"]) == (False, None)
    got = await ok(c, w.manager, w.org, "violation/v1/get", {"id": second["id"]})
    assert (got["is_repeat"], got["repeat_of_id"]) == (True, first["id"])

    # a dismissed violation does not count; outside the window (365 days) it is not a repeat
    for v in (first, second):
        await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": v["id"], "resolution": "DISMISSED"})
    fresh = await record(c, w)
    assert (fresh["is_repeat"], fresh["repeat_of_id"]) == (False, None)
    days_ago = lambda n: (datetime.now(UTC) - timedelta(days=n)).isoformat()  # noqa: E731
    old = await record(c, w, unit_id=other_unit["id"], observed_at=days_ago(800))
    assert old["is_repeat"] is False
    year_on = await record(c, w, unit_id=other_unit["id"], observed_at=days_ago(434))
    assert (year_on["is_repeat"], year_on["repeat_of_id"]) == (False, None), "366 days after the old one"
    within = await record(c, w, unit_id=other_unit["id"], observed_at=days_ago(436))
    assert within["is_repeat"] is True, "364 days after the old one"
    for v in (fresh, elsewhere, old, year_on, within):
        await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": v["id"], "resolution": "DISMISSED"})


async def test_a_backdated_violation_repeats_an_earlier_one_not_a_later_one(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    w = await community(c, default_cure_days=365)
    days_ago = lambda n: (datetime.now(UTC) - timedelta(days=n)).isoformat()  # noqa: E731
    oldest = await record(c, w, observed_at=days_ago(20))
    newest = await record(c, w, observed_at=days_ago(1))
    middle = await record(c, w, observed_at=days_ago(10))
    assert newest["repeat_of_id"] == oldest["id"]
    assert middle["is_repeat"] is True
    try:
        assert middle["repeat_of_id"] == oldest["id"], "the violation it repeats was observed before it"
    finally:
        for v in (oldest, newest, middle):
            await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": v["id"], "resolution": "DISMISSED"})

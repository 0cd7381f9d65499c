"""What a transition costs the lifecycle workflow: the request does not wait for the wake-up to reach DBOS,
wake-ups go out in bulk (one per workflow), and each wake-up's step records only the transitions not notified
yet, nothing twice when it runs again."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from dbos import DBOS, SendMessage

from hestami.cam.work_order import workflows as lifecycle_workflows
from hestami.core import workflows
from hestami.core.workflows import Wakeups
from tests.cam.work_order.helpers import community
from tests.support.rpc import ok


async def status_notices(client: httpx.AsyncClient, manager: Any, org: str, order_id: str) -> list[dict]:
    page = await ok(client, manager, org, "notification/v1/list", {"entity_id": order_id, "limit": 200})
    return [n for n in page["items"] if n["template"] == "work_order.status_changed"]


async def notices_for(client: httpx.AsyncClient, manager: Any, org: str, order_id: str, statuses: set[str]) -> list:
    notices: list[dict] = []
    for _ in range(100):
        notices = await status_notices(client, manager, org, order_id)
        if {n["payload"]["to"] for n in notices} >= statuses:
            return notices
        await asyncio.sleep(0.1)
    raise AssertionError(f"no notices for {statuses}: {notices}")


async def test_a_transition_answers_before_its_wakeup_is_delivered(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager, org, association, _unit = await community(client)
    body = {"association_id": association["id"], "title": "Gate stuck", "description": "Open", "submit": True}
    order = await ok(client, manager, org, "workOrder/v1/create", body)
    await notices_for(client, manager, org, order["id"], {"SUBMITTED"})
    await workflows.wakeups.settled()

    release = asyncio.Event()
    original = DBOS.send_bulk_async

    async def held(messages: list[SendMessage], **kwargs: Any) -> None:
        await release.wait()
        await original(messages, **kwargs)

    monkeypatch.setattr(DBOS, "send_bulk_async", held)
    try:
        triaged = await asyncio.wait_for(
            ok(client, manager, org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"}), 10
        )
        assert triaged["status"] == "TRIAGED", "answered while the wake-up is still held"
        assert {n["payload"]["to"] for n in await status_notices(client, manager, org, order["id"])} == {"SUBMITTED"}
    finally:
        release.set()
    notices = await notices_for(client, manager, org, order["id"], {"SUBMITTED", "TRIAGED"})
    assert len(notices) == 2, notices


async def test_wakeups_go_out_in_bulk_one_per_workflow_and_a_bad_one_spoils_no_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batches: list[list[tuple[str, Any]]] = []
    singles: list[str] = []
    first_held = asyncio.Event()
    release = asyncio.Event()

    async def bulk(messages: list[SendMessage], **kwargs: Any) -> None:
        batches.append([(m.destination_id, m.message) for m in messages])
        if len(batches) == 1:
            first_held.set()
            await release.wait()
        if any(m.destination_id == "missing" for m in messages):
            raise RuntimeError("Non-existent destination workflow ID: missing")

    async def single(destination_id: str, message: Any, topic: str | None = None, **kwargs: Any) -> None:
        if destination_id == "missing":
            raise RuntimeError("Non-existent destination workflow ID: missing")
        singles.append(destination_id)

    monkeypatch.setattr(DBOS, "send_bulk_async", bulk)
    monkeypatch.setattr(DBOS, "send_async", single)
    wakeups = Wakeups()
    wakeups.post("a", "transition", 1)
    await first_held.wait()
    for message in range(2, 5):  # posted while the first send is under way: coalesced
        wakeups.post("a", "transition", message)
    wakeups.post("missing", "transition", 0)
    wakeups.post("b", "transition", 7)
    release.set()
    await wakeups.settled()

    assert batches == [[("a", 1)], [("a", 4), ("missing", 0), ("b", 7)]]
    assert singles == ["a", "b"], "the batch with a bad destination went out one by one"


async def test_a_step_records_only_new_transitions_and_nothing_twice(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager, org, association, _unit = await community(client)
    body = {"association_id": association["id"], "title": "Leak", "description": "Drip", "submit": True}
    order = await ok(client, manager, org, "workOrder/v1/create", body)
    await ok(client, manager, org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    before = await notices_for(client, manager, org, order["id"], {"SUBMITTED", "TRIAGED"})

    recorded: list[int] = []
    original = lifecycle_workflows.record_all_once

    async def counting(session: Any, messages: list[Any]) -> int:
        recorded.append(len(messages))
        return await original(session, messages)

    monkeypatch.setattr(lifecycle_workflows, "record_all_once", counting)
    # The step again from the start, as after a crash before its output was checkpointed: nothing twice.
    again = await lifecycle_workflows.catch_up(org, order["id"], [], [])
    assert (again["status"], len(again["notified"]), recorded) == ("TRIAGED", 2, [2])
    assert again["recipients"] == [manager.email]
    # From where it got to: nothing new, nothing written.
    caught_up = await lifecycle_workflows.catch_up(org, order["id"], again["notified"], again["recipients"])
    assert caught_up["notified"] == again["notified"]
    assert recorded == [2], "nothing new: no statement"
    assert len(await status_notices(client, manager, org, order["id"])) == len(before)
    assert all(uuid.UUID(i) for i in again["notified"])

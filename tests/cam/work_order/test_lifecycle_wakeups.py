"""What a transition costs the lifecycle workflow, and what it records itself: its notifications are in the
outbox when its request returns (in its own transaction, for every recipient, also when the assigned provider
moves the work order from its own scope), a replayed request records nothing again, only the moves that
concern the SLA clock wake the workflow, the request does not wait for that wake-up to reach DBOS, and
wake-ups go out in bulk (one per workflow)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from dbos import DBOS, SendMessage

from hestami.cam.work_order import lifecycle
from hestami.core import workflows
from hestami.core.workflows import Wakeups
from tests.cam.work_order.helpers import community, link, new_order, provider, step
from tests.support.accounts import rpc
from tests.support.rpc import ok


async def status_notices(client: httpx.AsyncClient, manager: Any, org: str, order_id: str) -> list[dict]:
    page = await ok(client, manager, org, "notification/v1/list", {"entity_id": order_id, "limit": 200})
    return [n for n in page["items"] if n["template"] == "work_order.status_changed"]


def pairs(notices: list[dict]) -> Counter[tuple[str, str]]:
    return Counter((n["payload"]["to"], n["recipient"]) for n in notices)


class PostedWakeups:
    """Records the wake-ups transitions post (and still posts them)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.posted: list[tuple[str, Any]] = []
        original = workflows.wakeups.post

        def post(workflow_id: str, topic: str, message: Any) -> None:
            self.posted.append((workflow_id, message))
            original(workflow_id, topic, message)

        monkeypatch.setattr(workflows.wakeups, "post", post)


async def test_a_transition_s_notifications_exist_when_its_request_returns_and_a_replay_adds_none(
    client: httpx.AsyncClient,
) -> None:
    manager, org, association, _unit = await community(client)
    _owner, provider_org, tech = await provider(client)
    await link(client, manager, org, association["id"], provider_org)
    order = await new_order(client, manager, org, association["id"])
    oid = order["id"]
    assert pairs(await status_notices(client, manager, org, oid)) == {("SUBMITTED", manager.email): 1}

    await step(client, manager, org, oid, "TRIAGED", provider_org)
    await step(client, manager, org, oid, "ASSIGNED", provider_org)
    inbox = f"provider:{provider_org}"
    expected = {(to, who) for to in ("SUBMITTED", "TRIAGED", "ASSIGNED") for who in (manager.email, inbox)}
    assert set(pairs(await status_notices(client, manager, org, oid))) == expected, "the provider hears of it all"
    await step(client, manager, org, oid, "SCHEDULED", provider_org)

    # The assigned provider moves it from its own organization's scope: recorded in the association's outbox.
    headers = tech.headers(provider_org, key="start-work-" + oid)
    body = {"id": oid, "status": "IN_PROGRESS"}
    first = await client.post(rpc("workOrder/v1/updateStatus"), json=body, headers=headers)
    assert first.status_code == 200, first.text
    notices = await status_notices(client, manager, org, oid)
    expected |= {(to, who) for to in ("SCHEDULED", "IN_PROGRESS") for who in (manager.email, inbox)}
    assert set(pairs(notices)) == expected
    assert all(count == 1 for count in pairs(notices).values()), pairs(notices)
    assert all(n["organization_id"] == org for n in notices)

    again = await client.post(rpc("workOrder/v1/updateStatus"), json=body, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json()["meta"]["idempotent_replay"] is True
    assert pairs(await status_notices(client, manager, org, oid)) == pairs(notices), "a replay records nothing"


async def test_only_moves_that_concern_the_sla_clock_wake_the_lifecycle(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager, org, association, _unit = await community(client)
    _owner, provider_org, _tech = await provider(client)
    await link(client, manager, org, association["id"], provider_org)
    wakeups = PostedWakeups(monkeypatch)
    order = await new_order(client, manager, org, association["id"])
    oid, workflow_id = order["id"], lifecycle.workflow_id(order["id"])
    for target in ("TRIAGED", "ASSIGNED", "SCHEDULED", "IN_PROGRESS", "ON_HOLD", "IN_PROGRESS"):
        await step(client, manager, org, oid, target, provider_org)

    def lifecycle_wakeups() -> list[tuple[str, Any]]:  # the contractor's hand-off is woken too: not the SLA clock
        return [(to, message) for to, message in wakeups.posted if to == workflow_id]

    assert lifecycle_wakeups() == [], "submission starts the workflow; the other moves leave the SLA clock alone"

    await step(client, manager, org, oid, "COMPLETED", provider_org)  # stops the clock
    await step(client, manager, org, oid, "INVOICED", provider_org)
    await step(client, manager, org, oid, "CLOSED", provider_org)  # ends the work order
    assert lifecycle_wakeups() == [(workflow_id, {"status": "COMPLETED"}), (workflow_id, {"status": "CLOSED"})]

    draft = await new_order(client, manager, org, association["id"], submit=False)
    await step(client, manager, org, draft["id"], "CANCELLED", provider_org)
    assert len(lifecycle_wakeups()) == 2, "no lifecycle follows a draft"
    status = await wait_for_workflow(workflow_id)
    assert status == "SUCCESS"


async def wait_for_workflow(workflow_id: str) -> str | None:
    """The workflow's status once it has ended (or after 10 s)."""
    found = None
    for _ in range(100):
        found = await DBOS.get_workflow_status_async(workflow_id)
        if found is not None and found.status in ("SUCCESS", "ERROR"):
            break
        await asyncio.sleep(0.1)
    return found.status if found is not None else None


async def test_a_transition_answers_before_its_wakeup_is_delivered(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager, org, association, _unit = await community(client)
    order = await new_order(client, manager, org, association["id"])
    await workflows.wakeups.settled()

    release = asyncio.Event()
    original = DBOS.send_bulk_async

    async def held(messages: list[SendMessage], **kwargs: Any) -> None:
        await release.wait()
        await original(messages, **kwargs)

    monkeypatch.setattr(DBOS, "send_bulk_async", held)
    try:
        cancelled = await asyncio.wait_for(
            ok(client, manager, org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "CANCELLED"}), 10
        )
        assert cancelled["status"] == "CANCELLED", "answered while the wake-up is still held"
        notices = await status_notices(client, manager, org, order["id"])
        assert {n["payload"]["to"] for n in notices} == {"SUBMITTED", "CANCELLED"}, "recorded, not woken for"
    finally:
        release.set()
    assert await wait_for_workflow(lifecycle.workflow_id(order["id"])) == "SUCCESS", "the wake-up ended it"


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

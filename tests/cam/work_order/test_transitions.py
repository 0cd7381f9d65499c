"""The lifecycle's transition table through the API: every illegal move is INVALID_STATE_TRANSITION with
from/to and leaves no trace, CANCELLED is reachable from every open state, the moves that carry data are
refused by updateStatus, each move is written to the history exactly once, and the finished work order's
invoice lands in payables."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from tests.cam.work_order.helpers import (
    OPEN_STATES,
    PATH,
    community,
    history,
    link,
    new_order,
    order_in,
    provider,
    step,
    window,
)
from tests.support.accounts import Account
from tests.support.rpc import fails, ok, post, suffix

ALL_STATES = (*PATH, "ON_HOLD", "CANCELLED")


@dataclass
class World:
    client: httpx.AsyncClient
    manager: Account
    org: str
    association: dict
    unit: dict
    provider_org: str
    tech: Account
    orders: dict[str, dict] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def order(self, state: str) -> dict:
        """One work order per state, shared by the tests that only try (and fail) to move it."""
        async with self.lock:
            if state not in self.orders:
                self.orders[state] = await order_in(
                    self.client, self.manager, self.org, self.association["id"], state, self.provider_org
                )
            return self.orders[state]

    async def take(self, state: str) -> dict:
        """The shared work order in `state`, for a test that moves it (later users get a new one)."""
        order = await self.order(state)
        self.orders.pop(state, None)
        return order


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    manager, org, association, unit = await community(shared_client)
    _, provider_org, tech = await provider(shared_client)
    await link(shared_client, manager, org, association["id"], provider_org)
    return World(shared_client, manager, org, association, unit, provider_org, tech)


async def attempt(world: World, order_id: str, target: str) -> httpx.Response:
    """Tries to move a work order to `target` through the procedure that owns that move."""
    c, manager, org = world.client, world.manager, world.org
    if target == "ASSIGNED":
        body = {"id": order_id, "provider_organization_id": world.provider_org}
        return await post(c, manager, org, "workOrder/v1/assignVendor", body)
    if target == "SCHEDULED":
        return await post(c, manager, org, "workOrder/v1/schedule", {"id": order_id, **window()})
    if target == "COMPLETED":
        return await post(c, manager, org, "workOrder/v1/complete", {"id": order_id, "completion_notes": "x"})
    if target == "INVOICED":
        body = {"id": order_id, "invoice_number": f"X-{suffix()}", "amount": "10.00", "invoice_date": "2026-11-20"}
        return await post(c, manager, org, "workOrder/v1/createInvoice", body)
    return await post(c, manager, org, "workOrder/v1/updateStatus", {"id": order_id, "status": target})


def assert_refused(response: httpx.Response, source: str, target: str) -> None:
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "INVALID_STATE_TRANSITION", response.text
    assert (error["details"]["from"], error["details"]["to"]) == (source, target)


ILLEGAL = [
    ("DRAFT", "TRIAGED"),
    ("DRAFT", "CLOSED"),
    ("SUBMITTED", "CLOSED"),
    ("SUBMITTED", "ASSIGNED"),
    ("TRIAGED", "SCHEDULED"),
    ("ASSIGNED", "COMPLETED"),
    ("SCHEDULED", "ON_HOLD"),
    ("IN_PROGRESS", "INVOICED"),
    ("ON_HOLD", "COMPLETED"),
    ("COMPLETED", "IN_PROGRESS"),
    ("COMPLETED", "CANCELLED"),
    ("INVOICED", "CANCELLED"),
    ("CANCELLED", "SUBMITTED"),
    *[("CLOSED", target) for target in ALL_STATES],
]


@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=[f"{s}->{t}" for s, t in ILLEGAL])
async def test_illegal_transition_is_refused_and_leaves_no_trace(world: World, source: str, target: str) -> None:
    order = await world.order(source)
    before = await history(world.client, world.manager, world.org, order["id"])
    assert_refused(await attempt(world, order["id"], target), source, target)
    current = await ok(world.client, world.manager, world.org, "workOrder/v1/get", {"id": order["id"]})
    assert current["status"] == source
    assert current["ap_invoice_id"] == order["ap_invoice_id"]
    assert await history(world.client, world.manager, world.org, order["id"]) == before


@pytest.mark.parametrize("target", ["ASSIGNED", "SCHEDULED", "COMPLETED", "INVOICED"])
async def test_update_status_refuses_the_moves_with_a_procedure_of_their_own(world: World, target: str) -> None:
    order = await world.order("TRIAGED")  # TRIAGED -> ASSIGNED is legal, but not through updateStatus
    await fails(
        world.client,
        world.manager,
        world.org,
        "workOrder/v1/updateStatus",
        {"id": order["id"], "status": target},
        422,
        "BUSINESS_RULE_VIOLATION",
        "USE_DEDICATED_PROCEDURE",
    )
    current = await ok(world.client, world.manager, world.org, "workOrder/v1/get", {"id": order["id"]})
    assert current["status"] == "TRIAGED"


@pytest.mark.parametrize("state", OPEN_STATES)
async def test_cancel_from_every_open_state(world: World, state: str) -> None:
    order = await world.take(state)
    cancelled = await step(world.client, world.manager, world.org, order["id"], "CANCELLED", world.provider_org)
    assert cancelled["status"] == "CANCELLED"
    moves = [
        (h["from_status"], h["to_status"]) for h in await history(world.client, world.manager, world.org, order["id"])
    ]
    assert moves.count((state, "CANCELLED")) == 1
    assert moves[-1] == (state, "CANCELLED")
    assert [to for _, to in moves].count("CANCELLED") == 1


async def test_full_lifecycle_with_illegal_moves_history_invoice_and_notifications(world: World) -> None:
    c, manager, org, provider_org, tech = world.client, world.manager, world.org, world.provider_org, world.tech
    order = await new_order(c, manager, org, world.association["id"], submit=False, unit_id=world.unit["id"])
    oid = order["id"]
    illegal_at = {
        "DRAFT": ["TRIAGED", "CLOSED", "ASSIGNED"],
        "SUBMITTED": ["SCHEDULED", "IN_PROGRESS"],
        "TRIAGED": ["COMPLETED", "CLOSED"],
        "ASSIGNED": ["IN_PROGRESS", "INVOICED"],
        "SCHEDULED": ["COMPLETED", "CLOSED"],
        "IN_PROGRESS": ["INVOICED", "CLOSED"],
        "COMPLETED": ["IN_PROGRESS", "CANCELLED"],
        "INVOICED": ["CANCELLED", "COMPLETED"],
        "CLOSED": ["CANCELLED", "IN_PROGRESS"],
    }
    for current, target in zip(PATH, [*PATH[1:], None], strict=True):
        for bad in illegal_at[current]:
            assert_refused(await attempt(world, oid, bad), current, bad)
        if target is None:
            break
        if target in ("IN_PROGRESS", "COMPLETED"):  # the assigned provider's VENDOR does the work
            if target == "IN_PROGRESS":
                body = {"id": oid, "status": "IN_PROGRESS"}
                moved = await ok(c, tech, provider_org, "workOrder/v1/updateStatus", body)
            else:
                body = {"id": oid, "completion_notes": "Replaced the valve", "actual_cost": "480.00"}
                moved = await ok(c, tech, provider_org, "workOrder/v1/complete", body)
        elif target == "INVOICED":
            invoice_body = {"id": oid, "invoice_number": "B-1001", "amount": "480.00", "invoice_date": "2026-11-20"}
            moved = await ok(c, manager, org, "workOrder/v1/createInvoice", invoice_body)
        elif target == "TRIAGED":
            # A replay of the same request (same Idempotency-Key) moves nothing a second time.
            headers = manager.headers(org, key=f"triage-{oid}")
            body = {"id": oid, "status": "TRIAGED"}
            first = await c.post("/api/v1/rpc/workOrder/v1/updateStatus", json=body, headers=headers)
            again = await c.post("/api/v1/rpc/workOrder/v1/updateStatus", json=body, headers=headers)
            assert first.status_code == again.status_code == 200, again.text
            assert again.json()["meta"].get("idempotent_replay") is True
            moved = first.json()["data"]
        else:
            moved = await step(c, manager, org, oid, target, provider_org)
        assert moved["status"] == target

    rows = await history(c, manager, org, oid)
    assert [h["to_status"] for h in rows] == list(PATH)
    assert [h["from_status"] for h in rows] == [None, *PATH[:-1]]
    actors = {h["to_status"]: h["actor_user_id"] for h in rows}
    assert actors["IN_PROGRESS"] == actors["COMPLETED"] == str(tech.user_id)
    assert {actors[s] for s in PATH if s not in ("IN_PROGRESS", "COMPLETED")} == {str(manager.user_id)}

    # The invoice: in payables as PENDING_APPROVAL, linked both ways.
    final = await ok(c, manager, org, "workOrder/v1/get", {"id": oid})
    invoices = await ok(c, manager, org, "accounting/apInvoice/v1/list", {"association_id": world.association["id"]})
    mine = [i for i in invoices["items"] if i["source_id"] == oid]
    assert len(mine) == 1, invoices
    assert mine[0]["id"] == final["ap_invoice_id"]
    assert mine[0]["status"] == "PENDING_APPROVAL"
    assert mine[0]["amount"] == "480.00"

    # Every transition announced once per recipient: the managers and the assigned provider's inbox.
    expected = {(to, r) for to in PATH[1:] for r in (manager.email, f"provider:{provider_org}")}

    async def changes() -> list[dict]:
        sent = await ok(c, manager, org, "notification/v1/list", {"entity_id": oid, "limit": 200})
        return [n for n in sent["items"] if n["template"] == "work_order.status_changed"]

    counted = Counter((n["payload"]["to"], n["recipient"]) for n in await changes())
    assert set(counted) == expected
    assert all(n == 1 for n in counted.values()), counted


async def invoiced_order(world: World) -> tuple[dict, dict]:
    c, manager, org = world.client, world.manager, world.org
    order = await order_in(c, manager, org, world.association["id"], "COMPLETED", world.provider_org)
    body = {"id": order["id"], "invoice_number": f"B-{suffix()}", "amount": "75.00", "invoice_date": "2026-11-20"}
    invoiced = await ok(c, manager, org, "workOrder/v1/createInvoice", body)
    assert invoiced["status"] == "INVOICED"
    return invoiced, body


async def assert_one_invoice(world: World, invoiced: dict) -> None:
    c, manager, org = world.client, world.manager, world.org
    invoices = await ok(c, manager, org, "accounting/apInvoice/v1/list", {"association_id": world.association["id"]})
    assert [i["id"] for i in invoices["items"] if i["source_id"] == invoiced["id"]] == [invoiced["ap_invoice_id"]]
    rows = await history(c, manager, org, invoiced["id"])
    assert [h["to_status"] for h in rows].count("INVOICED") == 1


async def test_second_invoice_is_an_invalid_transition(world: World) -> None:
    invoiced, body = await invoiced_order(world)
    again = {**body, "invoice_number": f"B-{suffix()}"}
    error = await fails(
        world.client, world.manager, world.org, "workOrder/v1/createInvoice", again, 409, "INVALID_STATE_TRANSITION"
    )
    assert (error["details"]["from"], error["details"]["to"]) == ("INVOICED", "INVOICED")
    await assert_one_invoice(world, invoiced)


async def test_the_same_invoice_sent_again_is_an_invalid_transition(world: World) -> None:
    """Resending the first createInvoice (same invoice number) to an INVOICED work order is the same illegal
    move; it must not surface as a payables duplicate-number CONFLICT."""
    invoiced, body = await invoiced_order(world)
    error = await fails(
        world.client, world.manager, world.org, "workOrder/v1/createInvoice", body, 409, "INVALID_STATE_TRANSITION"
    )
    assert (error["details"]["from"], error["details"]["to"]) == ("INVOICED", "INVOICED")
    await assert_one_invoice(world, invoiced)

"""Owners request work for their own units and follow their own requests: not a neighbour's unit, not the
association's triage, and only the notifications addressed to them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
import pytest

from tests.cam.association.helpers import linked_member, own
from tests.cam.work_order.helpers import ADDRESS, new_order
from tests.support.accounts import Account, account, organization
from tests.support.rpc import fails, ids, ok, suffix


@dataclass
class World:
    admin: Account
    org: str
    association: dict
    mine: dict  # the owner's unit
    neighbours: dict  # the neighbour's unit
    owner: Account
    neighbour: Account
    owners_order: dict  # requested by the owner for their unit, submitted
    neighbours_order: dict  # requested by the neighbour for theirs
    common_order: dict  # the manager's, on no unit
    managers_on_mine: dict  # the manager's, on the owner's unit


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    admin = await account(c)
    org = (await organization(c, admin, f"Owners HOA {suffix()}"))["id"]
    association = await ok(c, admin, org, "association/v1/create", {"name": f"Birch {suffix()}"})
    prop = await ok(
        c, admin, org, "property/v1/create", {"association_id": association["id"], "name": "Birch", "address": ADDRESS}
    )
    mine, neighbours = [
        await ok(
            c, admin, org, "unit/v1/create", {"property_id": prop["id"], "unit_number": n, "unit_type": "SINGLE_FAMILY"}
        )
        for n in ("1", "2")
    ]
    owner, owner_party = await linked_member(c, admin, org, ["OWNER"], "Olive", "Owner")
    await own(c, admin, org, mine["id"], owner_party["id"])
    neighbour, neighbour_party = await linked_member(c, admin, org, ["OWNER"], "Ned", "Neighbour")
    await own(c, admin, org, neighbours["id"], neighbour_party["id"])
    aid = association["id"]
    owners_order = await new_order(c, owner, org, aid, unit_id=mine["id"], title="Dripping tap")
    neighbours_order = await new_order(c, neighbour, org, aid, unit_id=neighbours["id"], title="Broken fence")
    common_order = await new_order(c, admin, org, aid, title="Pool pump")
    managers_on_mine = await new_order(c, admin, org, aid, unit_id=mine["id"], title="Roof inspection")
    return World(
        admin, org, association, mine, neighbours, owner, neighbour, owners_order, neighbours_order, common_order,
        managers_on_mine,
    )  # fmt: skip


async def test_owner_requests_work_for_their_own_unit(shared_client: httpx.AsyncClient, world: World) -> None:
    order = world.owners_order
    assert order["status"] == "SUBMITTED"
    assert order["requestor_user_id"] == str(world.owner.user_id)
    assert order["unit_id"] == world.mine["id"]
    assert order["sla_due_at"] is not None
    got = await ok(shared_client, world.owner, world.org, "workOrder/v1/get", {"id": order["id"]})
    assert got["id"] == order["id"]
    draft = await new_order(
        shared_client, world.owner, world.org, world.association["id"], submit=False, unit_id=world.mine["id"]
    )
    assert draft["status"] == "DRAFT"


async def test_owner_cannot_request_work_for_a_neighbours_unit(shared_client: httpx.AsyncClient, world: World) -> None:
    body = {
        "association_id": world.association["id"],
        "title": "Their tree",
        "description": "Overhangs my yard",
        "unit_id": world.neighbours["id"],
        "submit": True,
    }
    error = await fails(shared_client, world.owner, world.org, "workOrder/v1/create", body, 404, "NOT_FOUND")
    assert error["details"]["kind"] == "unit"  # a unit the owner may not see is answered like one that does not exist


async def test_owner_gets_their_own_work_orders_only(shared_client: httpx.AsyncClient, world: World) -> None:
    c, owner, org = shared_client, world.owner, world.org
    assert (await ok(c, owner, org, "workOrder/v1/get", {"id": world.managers_on_mine["id"]}))["unit_id"] == world.mine[
        "id"
    ]
    for other in (world.neighbours_order, world.common_order):
        await fails(c, owner, org, "workOrder/v1/get", {"id": other["id"]}, 404, "NOT_FOUND")
        await fails(c, owner, org, "workOrder/v1/getStatusHistory", {"id": other["id"]}, 404, "NOT_FOUND")


async def test_owner_lists_their_own_work_orders_but_not_others(shared_client: httpx.AsyncClient, world: World) -> None:
    c, org = shared_client, world.org
    mine = set(ids(await ok(c, world.owner, org, "workOrder/v1/list", {"limit": 200})))
    assert {world.owners_order["id"], world.managers_on_mine["id"]} <= mine  # other tests add the owner's requests
    assert not mine & {world.neighbours_order["id"], world.common_order["id"]}
    theirs = await ok(c, world.neighbour, org, "workOrder/v1/list", {"limit": 200})
    assert set(ids(theirs)) == {world.neighbours_order["id"]}


async def test_manager_lists_every_work_order_of_the_association(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    everything = await ok(shared_client, world.admin, world.org, "workOrder/v1/list", {"limit": 200})
    assert set(ids(everything)) >= {
        world.owners_order["id"],
        world.neighbours_order["id"],
        world.common_order["id"],
        world.managers_on_mine["id"],
    }


async def test_owner_comments_but_does_not_triage(shared_client: httpx.AsyncClient, world: World) -> None:
    c, owner, org, oid = shared_client, world.owner, world.org, world.owners_order["id"]
    comment = await ok(
        c, owner, org, "workOrder/v1/addComment", {"id": oid, "body": "Still dripping", "internal": True}
    )
    assert comment["author_user_id"] == str(owner.user_id)
    assert comment["internal"] is False  # only managers write internal notes
    await ok(c, world.admin, org, "workOrder/v1/addComment", {"id": oid, "body": "Vendor is slow", "internal": True})
    seen = await ok(c, owner, org, "workOrder/v1/listComments", {"id": oid})
    assert [x["body"] for x in seen["items"]] == ["Still dripping"]
    everything = await ok(c, world.admin, org, "workOrder/v1/listComments", {"id": oid})
    assert [x["body"] for x in everything["items"]] == ["Still dripping", "Vendor is slow"]
    await fails(
        c, owner, org, "workOrder/v1/addComment", {"id": world.neighbours_order["id"], "body": "+1"}, 404, "NOT_FOUND"
    )

    for status in ("TRIAGED", "CANCELLED"):
        await fails(c, owner, org, "workOrder/v1/updateStatus", {"id": oid, "status": status}, 403, "FORBIDDEN")
    current = await ok(c, world.admin, org, "workOrder/v1/get", {"id": oid})
    assert current["status"] == "SUBMITTED"


async def test_owner_sees_only_the_notifications_addressed_to_them(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    c, org = shared_client, world.org

    async def listed(who: Account) -> list[dict]:
        return (await ok(c, who, org, "notification/v1/list", {"limit": 200}))["items"]

    owner_id, neighbour_id = str(world.owner.user_id), str(world.neighbour.user_id)
    for _ in range(75):  # the lifecycle workflows record the SUBMITTED notifications asynchronously
        everything = await listed(world.admin)
        recipients = {n["recipient_user_id"] for n in everything}
        if {owner_id, neighbour_id, str(world.admin.user_id)} <= recipients:
            break
        await asyncio.sleep(0.2)
    assert {owner_id, neighbour_id} <= recipients, everything

    mine = await listed(world.owner)
    assert mine, "the owner is told about their own request"
    assert {n["recipient_user_id"] for n in mine} == {owner_id}
    assert {n["recipient"] for n in mine} == {world.owner.email}
    assert world.owners_order["id"] in {n["entity_id"] for n in mine}
    assert world.neighbours_order["id"] not in {n["entity_id"] for n in mine}
    assert len(mine) == len([n for n in everything if n["recipient_user_id"] == owner_id])
    about_theirs = await ok(c, world.owner, org, "notification/v1/list", {"entity_id": world.neighbours_order["id"]})
    assert about_theirs["items"] == []
    theirs = await listed(world.neighbour)
    assert {n["recipient_user_id"] for n in theirs} == {neighbour_id}

"""Work orders' "not twice" rules under concurrent requests (issue 11, defect 3): two bids accepted at once
leave one accepted and the other refused as a sequential second acceptance is; work orders created at once get
distinct numbers; two invoices of one provider at once make one vendor record of it; a provider's contractor profile
written twice at once is one profile.

Each race is forced (`tests.support.race`): the requests are held at a lock they need after their reads."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
import pytest

from tests.cam.work_order.helpers import community, link, new_order, order_in, provider
from tests.support.accounts import Account, account, organization
from tests.support.contractors import profile_body
from tests.support.race import Held, race
from tests.support.rpc import ok, post, suffix

ORDER_ROW = "SELECT id FROM work_orders WHERE id = :id FOR UPDATE"


@dataclass
class Bidder:
    admin: Account
    org: str
    tech: Account


@dataclass
class World:
    manager: Account
    org: str
    association: dict
    able: Bidder
    baker: Bidder


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    manager, org, association, _ = await community(c)
    able = Bidder(*await provider(c, name="Able"))
    baker = Bidder(*await provider(c, name="Baker"))
    for bidder in (able, baker):
        await link(c, manager, org, association["id"], bidder.org)
    return World(manager, org, association, able, baker)


async def test_two_bids_accepted_at_once_leave_one_accepted(shared_client: httpx.AsyncClient, world: World) -> None:
    """The second acceptance waits for the first and finds its bid rejected (BID_NOT_OPEN), as it would after it;
    the work order is assigned once, to the first one's provider."""
    c, manager, org = shared_client, world.manager, world.org
    order = await order_in(c, manager, org, world.association["id"], "TRIAGED", world.able.org)
    body = {"work_order_id": order["id"], "provider_organization_ids": [world.able.org, world.baker.org]}
    bids = {b["provider_organization_id"]: b for b in (await ok(c, manager, org, "bid/v1/requestBids", body))["items"]}
    for bidder in (world.able, world.baker):
        submitted = {"bid_id": bids[bidder.org]["id"], "amount": "300.00", "scope": "Replace the valve"}
        await ok(c, bidder.tech, bidder.org, "bid/v1/submitBid", submitted)

    responses = await race(
        Held(org, ORDER_ROW, {"id": order["id"]}),
        *(post(c, manager, org, "bid/v1/acceptBid", {"bid_id": bid["id"]}) for bid in bids.values()),
    )
    assert sorted(r.status_code for r in responses) == [200, 422], [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()["data"]
    refused = next(r for r in responses if r.status_code == 422).json()["error"]
    assert refused["details"]["reason"] == "BID_NOT_OPEN"
    listed = await ok(c, manager, org, "bid/v1/listBids", {"work_order_id": order["id"]})
    assert sorted(b["status"] for b in listed["items"]) == ["ACCEPTED", "REJECTED"]
    current = await ok(c, manager, org, "workOrder/v1/get", {"id": order["id"]})
    assert (current["status"], current["assigned_provider_org_id"]) == ("ASSIGNED", winner["provider_organization_id"])
    history = await ok(c, manager, org, "workOrder/v1/getStatusHistory", {"id": order["id"]})
    assert [h["to_status"] for h in history["items"]].count("ASSIGNED") == 1


async def test_work_orders_created_at_once_get_distinct_numbers(shared_client: httpx.AsyncClient, world: World) -> None:
    """Numbers are taken under a lock per organization: distinct and consecutive, whatever the interleaving."""
    made = await asyncio.gather(
        *(new_order(shared_client, world.manager, world.org, world.association["id"]) for _ in range(4))
    )
    numbers = sorted(int("".join(ch for ch in order["number"] if ch.isdigit())) for order in made)
    assert numbers == list(range(numbers[0], numbers[0] + 4)), numbers


async def test_two_invoices_of_one_provider_at_once_make_one_vendor(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    """A provider's first invoices make its vendor record: once, though two arrive at the same moment."""
    c, manager, org, aid = shared_client, world.manager, world.org, world.association["id"]
    carpenter = Bidder(*await provider(c, name="Carpenter"))
    linked = await link(c, manager, org, aid, carpenter.org)
    orders = [await order_in(c, manager, org, aid, "COMPLETED", carpenter.org) for _ in range(2)]
    responses = await race(
        Held(org, "SELECT id FROM association_service_providers WHERE id = :id FOR UPDATE", {"id": linked["id"]}),
        *(
            post(c, manager, org, "workOrder/v1/createInvoice",
                 {"id": o["id"], "invoice_number": f"C-{suffix()}", "amount": "80.00", "invoice_date": "2026-11-20"})
            for o in orders
        ),
    )  # fmt: skip
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert len({r.json()["data"]["assigned_vendor_id"] for r in responses}) == 1
    vendors = await ok(c, manager, org, "vendor/v1/list", {"limit": 200})
    assert [v["service_provider_org_id"] for v in vendors["items"]].count(carpenter.org) == 1


async def test_a_profile_written_twice_at_once_is_one_profile(shared_client: httpx.AsyncClient) -> None:
    """A provider's contractor profile (where work orders read its trades and area) written twice at once: both
    writes answer, the second one updating the profile the first created."""
    c = shared_client
    owner = await account(c)
    org = (await organization(c, owner, f"Dover Drains {suffix()}", "SERVICE_PROVIDER"))["id"]
    placeholder = (
        "INSERT INTO contractor_profiles (id, organization_id, legal_name) VALUES (gen_random_uuid(), :org, 'Held') "
        "RETURNING id"
    )
    responses = await race(
        Held(org, placeholder, {"org": org}),
        *(
            post(c, owner, org, "contractor/profile/v1/upsert", profile_body(name=name))
            for name in ("Dover Drains One", "Dover Drains Two")
        ),
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert len({r.json()["data"]["id"] for r in responses}) == 1
    mine = await ok(c, owner, org, "contractor/profile/v1/get", {})
    assert mine["legal_name"] in ("Dover Drains One", "Dover Drains Two")
    assert mine["id"] == responses[0].json()["data"]["id"]

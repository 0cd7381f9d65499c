"""Usage on a visit through `fieldTech/v1/recordMaterial`: a stocked item leaves the assigned technician's truck (a
USAGE movement at the average cost), the material entry keeps the movement and unit cost, and the job's cost gets a
row; too little on the truck is refused (INSUFFICIENT_STOCK) and changes nothing; two concurrent usages that together
exceed the stock: exactly one succeeds; an item nobody stocks is recorded as before."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest

from tests.contractor.inventory.helpers import RULE, Depot, depot
from tests.support.race import Held, race
from tests.support.rpc import post

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Depot:
    return await depot(shared_client, "Usage")


async def test_usage_takes_from_the_truck_and_costs_the_job(place: Depot) -> None:
    await place.stock_truck("VALVE", "5", cost="12.00")
    stop = await place.crew.stop()
    used = await place.use(stop, "VALVE", "2")
    assert used["movement_id"] is not None
    assert used["unit_cost"] == "12.00"  # the first receipt's cost is the average (nothing was held)
    assert await place.on_hand(place.truck, "VALVE") == Decimal("3")
    costs = await place.ok("inventory/v1/jobCosts", {"job_id": stop.job_id})
    assert [(c["code"], c["quantity"], c["amount"]) for c in costs["items"]] == [("VALVE", "2.000", "24.00")]
    assert costs["total"] == "24.00"
    moves = await place.ok("inventory/v1/listMovements", {"job_id": stop.job_id})
    (usage,) = moves["items"]
    assert (usage["kind"], usage["quantity"], usage["on_hand_after"]) == ("USAGE", "-2.000", "3.000")
    assert usage["material_entry_id"] == used["id"]
    untracked = await place.use(stop, "TAPE", "1")  # not stocked: recorded as before
    assert (untracked["movement_id"], untracked["unit_cost"]) == (None, None)
    await place.ledger_matches_levels()


async def test_using_more_than_the_truck_has_is_refused_and_changes_nothing(place: Depot) -> None:
    await place.stock_truck("PIPE", "2")
    stop = await place.crew.stop()
    before = await place.counts()
    body = {"visit_id": stop.id, "code": "PIPE", "quantity": "3"}
    error = await place.crew.fails("fieldTech/v1/recordMaterial", body, 422, RULE, "INSUFFICIENT_STOCK")
    assert error["details"]["on_hand"] == "2.000"
    assert error["details"]["requested"] == "3"
    assert error["details"]["location_id"] == place.truck
    assert await place.counts() == before
    assert await place.on_hand(place.truck, "PIPE") == Decimal("2")
    assert (await place.ok("inventory/v1/jobCosts", {"job_id": stop.job_id}))["items"] == []


async def test_two_concurrent_usages_beyond_the_stock_exactly_one_succeeds(
    place: Depot, shared_client: httpx.AsyncClient
) -> None:
    await place.stock_truck("PIPE", "3")
    have = await place.on_hand(place.truck, "PIPE")
    first, second = await place.crew.stop(), await place.crew.stop()
    want = str(have - 1)  # each alone fits, both together do not
    held = Held(place.org, "SELECT id FROM inventory_levels WHERE location_id = :t FOR UPDATE", {"t": place.truck})
    tech = place.crew.tech
    answers = await race(
        held,
        post(shared_client, tech, place.org, "fieldTech/v1/recordMaterial",
             {"visit_id": first.id, "code": "PIPE", "quantity": want}),
        post(shared_client, tech, place.org, "fieldTech/v1/recordMaterial",
             {"visit_id": second.id, "code": "PIPE", "quantity": want}),
    )  # fmt: skip
    assert sorted(a.status_code for a in answers) == [200, 422]
    refused = next(a for a in answers if a.status_code == 422).json()["error"]
    assert refused["details"]["reason"] == "INSUFFICIENT_STOCK"
    assert await place.on_hand(place.truck, "PIPE") == Decimal("1")
    await place.ledger_matches_levels()


async def test_two_clients_at_once_never_take_the_truck_below_zero(
    place: Depot, shared_client: httpx.AsyncClient
) -> None:
    """Separate HTTP clients, no held lock: ten usages of 1 against 4 on the truck; four succeed."""
    await place.stock_truck("VALVE", "4")
    have = await place.on_hand(place.truck, "VALVE")
    stops = [await place.crew.stop() for _ in range(int(have) + 6)]
    transport = shared_client._transport
    async with httpx.AsyncClient(transport=transport, base_url=str(shared_client.base_url)) as other:
        calls = [post(c, place.crew.tech, place.org, "fieldTech/v1/recordMaterial",
                      {"visit_id": s.id, "code": "VALVE", "quantity": "1"})
                 for s, c in zip(stops, [shared_client, other] * len(stops), strict=False)]  # fmt: skip
        answers = await asyncio.gather(*calls)
    assert sorted(a.status_code for a in answers).count(200) == int(have)
    assert await place.on_hand(place.truck, "VALVE") == Decimal("0")
    await place.ledger_matches_levels()


async def test_no_truck_is_refused_for_a_stocked_item(place: Depot) -> None:
    who, technician = await place.crew.newcomer()
    stop = await place.crew.stop(technician)
    body = {"visit_id": stop.id, "code": "VALVE", "quantity": "1"}
    await place.fails("fieldTech/v1/recordMaterial", body, 422, RULE, "NO_TRUCK", who=who)

"""The demo's inventory: after the seeders it needs (the technicians and the pricebook), Evergreen has two branch
warehouses and a truck per technician (tech1@ .. tech6@) stocked by received transfers, reorder points on both, the
reorder demo's truck one flapper kit above its point, the ledger equal to the levels; a second run adds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from hestami.contractor.inventory.demo import seed_inventory
from hestami.contractor.inventory.demo_data import REORDER_DEMO_CODE, REORDER_DEMO_TRUCK, WAREHOUSES
from hestami.contractor.pricebook.demo import seed_pricebook
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.contractor.technician.demo import seed_technicians
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok

SEEDERS = (seed_identity, seed_contractors, seed_technicians, seed_pricebook)


async def test_evergreen_has_warehouses_and_stocked_trucks(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in SEEDERS:
        await seed(run)
    first, again = await seed_inventory(run), await seed_inventory(run)
    if first != again:  # else another module's test seeded the demo first
        assert first[0] == "demo inventory (Evergreen Plumbing & HVAC):", first
        assert len(first) == 8, first
    assert again == ["demo inventory (Evergreen Plumbing & HVAC): already loaded"]

    keeper, orgs = await demo_login(shared_client, "admin")
    evergreen = orgs["evergreen-plumbing"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, keeper, evergreen, path, body)

    every = (await call("inventory/v1/listLocations", {"limit": 200}))["items"]
    houses = [x for x in every if x["kind"] == "WAREHOUSE"]
    trucks = [x for x in every if x["kind"] == "TRUCK"]
    assert sorted(x["name"] for x in houses) == sorted(h.name for h in WAREHOUSES)
    assert all(x["branch_id"] is not None for x in houses)
    assert len(trucks) == 6
    assert len({x["technician_id"] for x in trucks}) == 6
    received = (await call("inventory/v1/listTransfers", {"status": "RECEIVED", "limit": 200}))["items"]
    assert {t["to_location_id"] for t in received} >= {x["id"] for x in trucks}
    (truck,) = [x for x in trucks if x["name"] == REORDER_DEMO_TRUCK]
    points = (await call("inventory/v1/listReorderPoints", {"location_id": truck["id"]}))["items"]
    (kits,) = [p for p in points if p["code"] == REORDER_DEMO_CODE]
    assert kits["armed"] is True
    assert Decimal(kits["on_hand"]) == Decimal(kits["reorder_point"]) + 1
    assert (await call("inventory/v1/listReorderPoints", {}))["items"]
    levels = (await call("inventory/v1/onHand", {}))["items"]
    for location in houses + trucks:
        here = {(x["item_id"], x["lot_number"]): x["on_hand"] for x in levels if x["location_id"] == location["id"]}
        stocked = (await call("inventory/v1/levels", {"location_id": location["id"]}))["items"]
        assert here == {(x["item_id"], x["lot_number"]): x["on_hand"] for x in stocked}
        assert stocked

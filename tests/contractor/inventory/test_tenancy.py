"""Who reaches the inventory. Another contractor's item, location, transfer or job is NOT_FOUND on every procedure
that takes one, exactly like a random id, and changes nothing; lists show none of it. Within the contractor: ADMIN
and MANAGER manage; DISPATCHER members read every location and make, receive and cancel transfers; a TECHNICIAN
reads the items and their own truck only (another location is NOT_FOUND); VENDOR members read items and locations;
job costs are management's. The tables are row-level secured."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.inventory.helpers import TABLES, Depot, depot

pytestmark = pytest.mark.usefixtures("unthrottled")


@dataclass
class World:
    home: Depot
    stranger: Depot
    ids: dict[str, str]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home = await depot(shared_client, "Home Stock")
    await home.stock_truck("PIPE", "5")
    await home.receive(home.warehouse, "PIPE", "5")
    sent = await home.ok("inventory/v1/createTransfer", {"from_location_id": home.warehouse, "to_location_id":
                         home.truck, "lines": [{"item_id": home.items["PIPE"], "quantity": "1"}]})  # fmt: skip
    stop = await home.crew.stop()
    await home.use(stop, "PIPE", "1")
    ids = {"item": home.items["PIPE"], "warehouse": home.warehouse, "truck": home.truck, "transfer": sent["id"],
           "job": stop.job_id, "visit": stop.id}  # fmt: skip
    return World(home, await depot(shared_client, "Stranger Stock"), ids)


def calls(ids: dict[str, str], own: Depot) -> list[tuple[str, dict[str, Any]]]:
    item, wh, tr = ids["item"], ids["warehouse"], ids["truck"]
    mine = own.warehouse
    return [
        ("inventory/v1/getItem", {"id": item}),
        ("inventory/v1/updateItem", {"id": item, "active": False}),
        ("inventory/v1/getLocation", {"id": wh}),
        ("inventory/v1/updateLocation", {"id": wh, "name": "Taken over"}),
        ("inventory/v1/assignTruck", {"id": tr, "technician_id": None}),
        ("inventory/v1/levels", {"location_id": wh}),
        ("inventory/v1/levels", {"item_id": item}),
        ("inventory/v1/onHand", {"location_id": wh}),
        ("inventory/v1/onHand", {"item_id": item}),
        ("inventory/v1/listMovements", {"location_id": tr}),
        ("inventory/v1/receive", {"location_id": wh, "item_id": own.items["PIPE"], "quantity": "1",
                                  "unit_cost": "1.00", "reference": "x"}),
        ("inventory/v1/receive", {"location_id": mine, "item_id": item, "quantity": "1", "unit_cost": "1.00",
                                  "reference": "x"}),
        ("inventory/v1/adjust", {"location_id": wh, "item_id": own.items["PIPE"], "quantity": "-1",
                                 "reason": "LOST"}),
        ("inventory/v1/createTransfer", {"from_location_id": wh, "to_location_id": mine,
                                         "lines": [{"item_id": own.items["PIPE"], "quantity": "1"}]}),
        ("inventory/v1/createTransfer", {"from_location_id": mine, "to_location_id": wh,
                                         "lines": [{"item_id": own.items["PIPE"], "quantity": "1"}]}),
        ("inventory/v1/getTransfer", {"id": ids["transfer"]}),
        ("inventory/v1/receiveTransfer", {"id": ids["transfer"]}),
        ("inventory/v1/cancelTransfer", {"id": ids["transfer"]}),
        ("inventory/v1/setReorderPoint", {"item_id": own.items["PIPE"], "location_id": wh, "reorder_point": "1",
                                          "reorder_quantity": "1"}),
        ("inventory/v1/setReorderPoint", {"item_id": item, "location_id": mine, "reorder_point": "1",
                                          "reorder_quantity": "1"}),
        ("inventory/v1/listReorderPoints", {"location_id": wh}),
        ("inventory/v1/listBelowReorder", {"location_id": wh}),
        ("inventory/v1/jobCosts", {"job_id": ids["job"]}),
    ]  # fmt: skip


async def counts(org: str) -> dict[str, int]:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as s:
        return {t: int((await s.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one()) for t in TABLES}


async def test_another_contractors_records_are_not_found(world: World) -> None:
    before = await counts(world.home.org)
    for path, body in calls(world.ids, world.stranger):
        await world.stranger.fails(path, body, 404, "NOT_FOUND")
    for path in ("inventory/v1/listItems", "inventory/v1/listLocations", "inventory/v1/listTransfers",
                 "inventory/v1/listMovements"):  # fmt: skip
        listed = await world.stranger.ok(path, {"limit": 200})
        assert not {x["id"] for x in listed["items"]} & set(world.ids.values()), path
    assert await counts(world.home.org) == before


async def test_random_ids_answer_like_another_contractors(world: World) -> None:
    ids = {k: str(uuid.uuid4()) for k in world.ids}
    for path, body in calls(ids, world.home):
        await world.home.fails(path, body, 404, "NOT_FOUND")


async def test_rows_are_row_level_secured(world: World) -> None:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(world.stranger.org), user_id=None) as s:
        for table in TABLES[:-1]:
            rows = (await s.execute(text(f"SELECT count(*) FROM {table} WHERE organization_id = :o"),
                                    {"o": world.home.org})).scalar_one()  # fmt: skip
            assert rows == 0, table


async def test_a_technician_reads_their_own_truck_only(world: World) -> None:
    home, tech = world.home, world.home.crew.tech
    listed = await home.ok("inventory/v1/listLocations", {}, who=tech)
    assert [x["id"] for x in listed["items"]] == [home.truck]
    levels = await home.ok("inventory/v1/levels", {"item_id": home.items["PIPE"]}, who=tech)
    assert {x["location_id"] for x in levels["items"]} == {home.truck}
    moves = await home.ok("inventory/v1/listMovements", {}, who=tech)
    assert {x["location_id"] for x in moves["items"]} == {home.truck}
    assert len((await home.ok("inventory/v1/listItems", {}, who=tech))["items"]) == 4
    await home.fails("inventory/v1/levels", {"location_id": home.warehouse}, 404, "NOT_FOUND", who=tech)
    await home.fails("inventory/v1/getTransfer", {"id": world.ids["transfer"]}, 404, "NOT_FOUND", who=tech)
    await home.fails("inventory/v1/createItem", {"code": "TAPE"}, 403, "FORBIDDEN", who=tech)
    body = {"location_id": home.truck, "item_id": home.items["PIPE"], "quantity": "1", "reason": "FOUND"}
    await home.fails("inventory/v1/adjust", body, 403, "FORBIDDEN", who=tech)
    await home.fails("inventory/v1/jobCosts", {"job_id": world.ids["job"]}, 403, "FORBIDDEN", who=tech)  # their job


async def test_dispatchers_move_stock_and_vendors_read(world: World) -> None:
    home = world.home
    dispatcher, vendor = home.members["DISPATCHER"], home.members["VENDOR"]
    body = {"from_location_id": home.warehouse, "to_location_id": home.truck,
            "lines": [{"item_id": home.items["PIPE"], "quantity": "1"}]}  # fmt: skip
    sent = await home.ok("inventory/v1/createTransfer", body, who=dispatcher)
    await home.ok("inventory/v1/receiveTransfer", {"id": sent["id"]}, who=dispatcher)
    await home.fails("inventory/v1/createTransfer", body, 403, "FORBIDDEN", who=vendor)
    assert len((await home.ok("inventory/v1/listLocations", {}, who=vendor))["items"]) == 2
    await home.fails("inventory/v1/createLocation", {"name": "X", "kind": "SHELF"}, 403, "FORBIDDEN", who=dispatcher)
    await home.fails("inventory/v1/jobCosts", {"job_id": world.ids["job"]}, 403, "FORBIDDEN", who=dispatcher)
    costs = await home.ok("inventory/v1/jobCosts", {"job_id": world.ids["job"]}, who=home.members["MANAGER"])
    assert costs["total"] == "10.00"  # 1 foot of pipe at its first receipt's cost (10.00)

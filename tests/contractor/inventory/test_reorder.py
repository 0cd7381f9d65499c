"""Reorder points: a movement that takes the stock at a location from above the point to it or below records one
crossing and calls the registered hooks in its transaction; further movements below do not; rising above the point
re-arms it, and the next fall is a second crossing. `listBelowReorder` shows what is at or below its point."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text

from hestami.contractor.inventory import api as inventory
from hestami.contractor.inventory.services import reorder
from hestami.core import runtime
from hestami.core.context import RequestContext
from tests.contractor.inventory.helpers import Depot, depot

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Depot:
    return await depot(shared_client, "Reorder")


@pytest.fixture
def told() -> Iterator[list[inventory.ReorderCrossing]]:
    heard: list[inventory.ReorderCrossing] = []

    async def hook(ctx: RequestContext, crossing: inventory.ReorderCrossing) -> None:
        heard.append(crossing)

    inventory.when_reorder_point_crossed(hook)
    yield heard
    reorder._HOOKS.remove(hook)


async def crossings(place: Depot, location: str) -> list[tuple[int, str]]:
    sql = "SELECT sequence, on_hand FROM inventory_reorder_crossings WHERE location_id = :l ORDER BY sequence"
    async with runtime.current().database.transaction(organization_id=uuid.UUID(place.org), user_id=None) as s:
        return [(n, str(q)) for n, q in (await s.execute(text(sql), {"l": location})).all()]


async def test_a_crossing_is_recorded_once_and_re_armed_above_the_point(
    place: Depot, told: list[inventory.ReorderCrossing]
) -> None:
    shelf = await place.location("SHELF")
    await place.receive(shelf, "PIPE", "10")
    point = {"item_id": place.items["PIPE"], "location_id": shelf, "reorder_point": "5", "reorder_quantity": "20"}
    made = await place.ok("inventory/v1/setReorderPoint", point)
    assert (made["armed"], made["on_hand"]) == (True, "10.000")
    take = {"location_id": shelf, "item_id": place.items["PIPE"], "reason": "COUNT"}
    await place.ok("inventory/v1/adjust", {**take, "quantity": "-4"})  # 6: above
    assert await crossings(place, shelf) == []
    await place.ok("inventory/v1/adjust", {**take, "quantity": "-2"})  # 4: crossed
    await place.ok("inventory/v1/adjust", {**take, "quantity": "-1"})  # 3: still below, no second crossing
    assert await crossings(place, shelf) == [(1, "4.000")]
    assert [(c.code, c.location_id, c.on_hand, c.reorder_quantity) for c in told] == [("PIPE", uuid.UUID(shelf), 4, 20)]
    below = await place.ok("inventory/v1/listBelowReorder", {"location_id": shelf})
    assert [(x["code"], x["on_hand"], x["armed"]) for x in below["items"]] == [("PIPE", "3.000", False)]
    await place.ok("inventory/v1/adjust", {**take, "quantity": "5", "reason": "FOUND"})  # 8: re-armed
    assert (await place.ok("inventory/v1/listBelowReorder", {"location_id": shelf}))["items"] == []
    await place.ok("inventory/v1/adjust", {**take, "quantity": "-3"})  # 5: at the point, crossed again
    assert await crossings(place, shelf) == [(1, "4.000"), (2, "5.000")]
    assert len(told) == 2


async def test_usage_on_a_visit_crosses_a_truck_point(place: Depot, told: list[inventory.ReorderCrossing]) -> None:
    await place.stock_truck("VALVE", "3")
    have = await place.on_hand(place.truck, "VALVE")
    point = {"item_id": place.items["VALVE"], "location_id": place.truck, "reorder_point": str(have - 2),
             "max_level": str(have + 10)}  # fmt: skip
    await place.ok("inventory/v1/setReorderPoint", point)
    stop = await place.crew.stop()
    await place.use(stop, "VALVE", "1")
    assert told == []
    await place.use(stop, "VALVE", "1")
    await place.use(stop, "VALVE", "1")
    ((crossing,),) = [told]
    assert (crossing.on_hand, crossing.reorder_quantity) == (have - 2, 12)  # up to the max level
    listed = await place.ok("inventory/v1/listReorderPoints", {"item_id": place.items["VALVE"]})
    assert [(x["location_id"], x["crossings"]) for x in listed["items"]] == [(place.truck, 1)]


async def test_a_point_gives_a_quantity_or_a_max(place: Depot) -> None:
    point = {"item_id": place.items["PIPE"], "location_id": place.warehouse, "reorder_point": "5"}
    await place.fails("inventory/v1/setReorderPoint", point, 400, "VALIDATION_FAILED")
    both = {**point, "reorder_quantity": "1", "max_level": "9"}
    await place.fails("inventory/v1/setReorderPoint", both, 400, "VALIDATION_FAILED")
    await place.fails("inventory/v1/setReorderPoint", {**point, "max_level": "5"}, 400, "VALIDATION_FAILED")
    await place.fails("inventory/v1/setReorderPoint", {**point, "reorder_quantity": "1"}, 403, "FORBIDDEN",
                      who=place.members["DISPATCHER"])  # fmt: skip

"""Items and locations: an item is a MATERIAL or EQUIPMENT of the ACTIVE pricebook, stocked once per code, its
tracking fixed while any is held; location names are unique (any case); a truck has at most one technician and a
technician one active truck, reassignable; a location is deactivated only when empty."""

from __future__ import annotations

import httpx
import pytest

from tests.contractor.inventory.helpers import RULE, Depot, depot

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Depot:
    return await depot(shared_client, "Records")


async def test_items_come_from_the_active_pricebook(place: Depot) -> None:
    await place.fails("inventory/v1/createItem", {"code": "NOPE"}, 422, RULE, "NOT_IN_PRICEBOOK")
    await place.fails("inventory/v1/createItem", {"code": "LABOR"}, 422, RULE, "NOT_STOCKABLE")
    await place.fails("inventory/v1/createItem", {"code": "PIPE"}, 409, "CONFLICT", "ALREADY_STOCKED")
    made = await place.ok("inventory/v1/getItem", {"id": place.items["PIPE"]})
    assert (made["code"], made["kind"], made["unit"], made["tracking"], made["average_cost"]) == (
        "PIPE", "MATERIAL", "FOOT", "NONE", "4.00")  # fmt: skip
    listed = await place.ok("inventory/v1/listItems", {"tracking": "SERIAL"})
    assert [x["code"] for x in listed["items"]] == ["HEATER"]
    await place.fails("inventory/v1/createItem", {"code": "TAPE"}, 403, "FORBIDDEN", who=place.members["DISPATCHER"])


async def test_tracking_changes_only_while_nothing_is_held(place: Depot) -> None:
    valve = place.items["VALVE"]
    assert (await place.ok("inventory/v1/updateItem", {"id": valve, "tracking": "LOT"}))["tracking"] == "LOT"
    assert (await place.ok("inventory/v1/updateItem", {"id": valve, "tracking": "NONE"}))["tracking"] == "NONE"
    await place.receive(place.warehouse, "VALVE", "1")
    await place.fails("inventory/v1/updateItem", {"id": valve, "tracking": "LOT"}, 422, RULE, "HAS_STOCK")


async def test_location_names_are_unique_in_any_case(place: Depot) -> None:
    name = (await place.ok("inventory/v1/getLocation", {"id": place.warehouse}))["name"]
    body = {"name": f"  {name.upper()} ", "kind": "SHELF"}
    await place.fails("inventory/v1/createLocation", body, 409, "CONFLICT", "NAME_TAKEN")
    shelf = await place.location("SHELF")
    await place.fails("inventory/v1/updateLocation", {"id": shelf, "name": name.lower()}, 409, "CONFLICT",
                      "NAME_TAKEN")  # fmt: skip
    await place.fails("inventory/v1/createLocation", {"name": "W", "kind": "WAREHOUSE",
                                                      "technician_id": place.crew.technician["id"]}, 422, RULE,
                      "NOT_A_TRUCK")  # fmt: skip


async def test_one_active_truck_per_technician_and_reassignment(place: Depot) -> None:
    body = {"name": "Spare truck", "kind": "TRUCK", "technician_id": place.crew.technician["id"]}
    await place.fails("inventory/v1/createLocation", body, 409, "CONFLICT", "TRUCK_TAKEN")
    spare = await place.location("TRUCK")
    await place.fails("inventory/v1/assignTruck", {"id": spare, "technician_id": place.crew.technician["id"]}, 409,
                      "CONFLICT", "TRUCK_TAKEN")  # fmt: skip
    _, newcomer = await place.crew.newcomer()
    given = await place.ok("inventory/v1/assignTruck", {"id": spare, "technician_id": newcomer["id"]})
    assert given["technician_id"] == newcomer["id"]
    await place.ok("inventory/v1/assignTruck", {"id": spare, "technician_id": None})
    taken = await place.ok("inventory/v1/assignTruck", {"id": place.truck, "technician_id": newcomer["id"]})
    assert taken["technician_user_id"] is not None
    back = await place.ok("inventory/v1/assignTruck", {"id": place.truck, "technician_id": place.crew.technician["id"]})
    assert back["technician_id"] == place.crew.technician["id"]
    await place.fails("inventory/v1/assignTruck", {"id": place.warehouse, "technician_id": None}, 422, RULE,
                      "NOT_A_TRUCK")  # fmt: skip
    await place.fails("inventory/v1/assignTruck", {"id": spare, "technician_id": place.items["PIPE"]}, 404,
                      "NOT_FOUND")  # fmt: skip


async def test_a_location_is_deactivated_only_when_empty(place: Depot) -> None:
    shelf = await place.location("SHELF")
    await place.receive(shelf, "PIPE", "2")
    await place.fails("inventory/v1/updateLocation", {"id": shelf, "active": False}, 422, RULE, "LOCATION_NOT_EMPTY")
    sent = await place.ok("inventory/v1/createTransfer", {"from_location_id": shelf, "to_location_id": place.warehouse,
                          "lines": [{"item_id": place.items["PIPE"], "quantity": "2"}]})  # fmt: skip
    await place.fails("inventory/v1/updateLocation", {"id": shelf, "active": False}, 422, RULE, "LOCATION_NOT_EMPTY")
    await place.ok("inventory/v1/receiveTransfer", {"id": sent["id"]})
    closed = await place.ok("inventory/v1/updateLocation", {"id": shelf, "active": False})
    assert closed["active"] is False
    await place.fails("inventory/v1/receive", {"location_id": shelf, "item_id": place.items["PIPE"], "quantity": "1",
                                               "unit_cost": "1.00", "reference": "x"}, 422, RULE,
                      "LOCATION_INACTIVE")  # fmt: skip

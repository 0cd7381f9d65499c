"""Receipts, transfers, adjustments and the ledger: stock leaves the source when a transfer is sent (IN_TRANSIT,
visible) and arrives once when received, or comes back when cancelled; adjustments need a reason and never take a
level below zero; the moving average cost follows receipts; lots and serial numbers are required where the item is
tracked and must be where they are taken from; on-hand at a moment is the sum of the movements up to it, and now it
equals the levels."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hestami.core import runtime
from tests.contractor.inventory.helpers import RULE, Depot, depot

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Depot:
    return await depot(shared_client, "Stock")


def line(place: Depot, code: str, quantity: str, **more: object) -> dict[str, object]:
    return {"item_id": place.items[code], "quantity": quantity, **more}


async def test_a_transfer_moves_stock_through_transit_once(place: Depot) -> None:
    await place.receive(place.warehouse, "PIPE", "50")
    body = {"from_location_id": place.warehouse, "to_location_id": place.truck, "lines": [line(place, "PIPE", "20")]}
    sent = await place.ok("inventory/v1/createTransfer", body)
    assert sent["status"] == "IN_TRANSIT"
    assert await place.on_hand(place.warehouse, "PIPE") == Decimal("30")
    assert await place.on_hand(place.truck, "PIPE") == Decimal("0")
    on_the_way = await place.ok("inventory/v1/listTransfers", {"status": "IN_TRANSIT", "location_id": place.truck})
    assert [(t["id"], t["lines"][0]["quantity"]) for t in on_the_way["items"]] == [(sent["id"], "20.000")]
    receipts = await asyncio.gather(*[
        place.crew.force.client.post("/api/v1/rpc/inventory/v1/receiveTransfer", json={"id": sent["id"]},
                                     headers=place.crew.force.manager.headers(place.org))
        for _ in range(3)
    ])  # fmt: skip
    assert sorted(r.status_code for r in receipts) == [200, 409, 409]
    assert await place.on_hand(place.truck, "PIPE") == Decimal("20")
    await place.fails("inventory/v1/cancelTransfer", {"id": sent["id"]}, 409, "INVALID_STATE_TRANSITION")
    await place.ledger_matches_levels()


async def test_a_cancelled_transfer_returns_to_the_source(place: Depot) -> None:
    await place.receive(place.warehouse, "VALVE", "4")
    before = await place.on_hand(place.warehouse, "VALVE")
    body = {"from_location_id": place.warehouse, "to_location_id": place.truck, "lines": [line(place, "VALVE", "3")]}
    sent = await place.ok("inventory/v1/createTransfer", body)
    assert await place.on_hand(place.warehouse, "VALVE") == before - 3
    cancelled = await place.ok("inventory/v1/cancelTransfer", {"id": sent["id"]}, who=place.members["DISPATCHER"])
    assert cancelled["status"] == "CANCELLED"
    assert await place.on_hand(place.warehouse, "VALVE") == before
    await place.fails("inventory/v1/receiveTransfer", {"id": sent["id"]}, 409, "INVALID_STATE_TRANSITION")


async def test_a_transfer_beyond_the_stock_is_refused_whole(place: Depot) -> None:
    await place.receive(place.warehouse, "VALVE", "1")
    have = await place.on_hand(place.warehouse, "VALVE")
    before = await place.counts()
    lines = [line(place, "PIPE", "1"), line(place, "VALVE", str(have + 1))]
    body = {"from_location_id": place.warehouse, "to_location_id": place.truck, "lines": lines}
    await place.fails("inventory/v1/createTransfer", body, 422, RULE, "INSUFFICIENT_STOCK")
    assert await place.counts() == before
    same = {**body, "to_location_id": place.warehouse, "lines": [line(place, "PIPE", "1")]}
    await place.fails("inventory/v1/createTransfer", same, 422, RULE, "SAME_LOCATION")
    twice = {**body, "lines": [line(place, "PIPE", "1"), line(place, "PIPE", "2")]}
    await place.fails("inventory/v1/createTransfer", twice, 422, RULE, "DUPLICATE_LINE")


async def test_adjustments_need_a_reason_and_never_go_negative(place: Depot) -> None:
    shelf = await place.location("SHELF")
    await place.receive(shelf, "VALVE", "5")
    body = {"location_id": shelf, "item_id": place.items["VALVE"], "quantity": "-2"}
    await place.fails("inventory/v1/adjust", body, 400, "VALIDATION_FAILED")
    lost = await place.ok("inventory/v1/adjust", {**body, "reason": "LOST", "note": "Fell off the shelf"})
    assert (lost["kind"], lost["reason"], lost["quantity"], lost["on_hand_after"]) == ("ADJUSTMENT", "LOST", "-2.000",
                                                                                      "3.000")  # fmt: skip
    before = await place.counts()
    await place.fails("inventory/v1/adjust", {**body, "quantity": "-4", "reason": "COUNT"}, 422, RULE,
                      "INSUFFICIENT_STOCK")  # fmt: skip
    assert await place.counts() == before
    await place.fails("inventory/v1/adjust", {**body, "quantity": "0", "reason": "COUNT"}, 400, "VALIDATION_FAILED")
    found = await place.ok("inventory/v1/adjust", {**body, "quantity": "1", "reason": "FOUND"})
    assert found["on_hand_after"] == "4.000"
    await place.fails("inventory/v1/adjust", {**body, "reason": "FOUND"}, 403, "FORBIDDEN",
                      who=place.members["DISPATCHER"])  # fmt: skip


async def test_the_average_cost_moves_with_receipts(place: Depot) -> None:
    shelf = await place.location("SHELF")
    item = place.items["HEATER"]
    assert (await place.ok("inventory/v1/getItem", {"id": item}))["average_cost"] == "600.00"  # the pricebook cost
    await place.receive(shelf, "HEATER", "2", "500.00", serial_numbers=["H-1", "H-2"])
    assert (await place.ok("inventory/v1/getItem", {"id": item}))["average_cost"] == "500.00"  # nothing was held
    await place.receive(shelf, "HEATER", "1", "650.00", serial_numbers=["H-3"])
    # (2 x 500.00 + 1 x 650.00) / 3 = 550.00
    assert (await place.ok("inventory/v1/getItem", {"id": item}))["average_cost"] == "550.00"
    await place.receive(shelf, "HEATER", "3", "551.00", serial_numbers=["H-4", "H-5", "H-6"])
    # (3 x 550.00 + 3 x 551.00) / 6 = 550.50
    assert (await place.ok("inventory/v1/getItem", {"id": item}))["average_cost"] == "550.50"


async def test_lots_and_serial_numbers(place: Depot) -> None:
    shelf = await place.location("SHELF")
    filters = {"location_id": shelf, "item_id": place.items["FILTER"], "quantity": "2", "unit_cost": "30.00",
               "reference": "PO 7"}  # fmt: skip
    await place.fails("inventory/v1/receive", filters, 422, RULE, "LOT_REQUIRED")
    await place.ok("inventory/v1/receive", {**filters, "lot_number": "L-1"})
    await place.ok("inventory/v1/receive", {**filters, "lot_number": "L-2"})
    levels = await place.ok("inventory/v1/levels", {"location_id": shelf, "item_id": place.items["FILTER"]})
    assert [(x["lot_number"], x["on_hand"]) for x in levels["items"]] == [("L-1", "2.000"), ("L-2", "2.000")]
    pipe = {"location_id": shelf, "item_id": place.items["PIPE"], "quantity": "1", "unit_cost": "4.00",
            "reference": "PO 7"}  # fmt: skip
    await place.fails("inventory/v1/receive", {**pipe, "lot_number": "L-1"}, 422, RULE, "NOT_LOT_TRACKED")
    await place.fails("inventory/v1/receive", {**pipe, "serial_numbers": ["S"]}, 422, RULE, "NOT_SERIAL_TRACKED")
    heater = {**pipe, "item_id": place.items["HEATER"], "quantity": "2"}
    await place.fails("inventory/v1/receive", {**heater, "serial_numbers": ["S-1"]}, 422, RULE, "SERIALS_REQUIRED")
    await place.fails("inventory/v1/receive", {**heater, "serial_numbers": ["S-1", "S-1"]}, 422, RULE,
                      "SERIALS_REQUIRED")  # fmt: skip
    await place.ok("inventory/v1/receive", {**heater, "serial_numbers": ["S-1", "S-2"]})
    await place.fails("inventory/v1/receive", {**heater, "serial_numbers": ["S-2", "S-3"]}, 422, RULE,
                      "SERIAL_IN_STOCK")  # fmt: skip
    send = {"from_location_id": shelf, "to_location_id": place.truck,
            "lines": [line(place, "HEATER", "1", serial_numbers=["S-9"])]}  # fmt: skip
    await place.fails("inventory/v1/createTransfer", send, 422, RULE, "SERIAL_NOT_HERE")
    one = [line(place, "HEATER", "1", serial_numbers=["S-1"])]
    sent = await place.ok("inventory/v1/createTransfer", {**send, "lines": one})
    await place.ok("inventory/v1/receiveTransfer", {"id": sent["id"]})
    levels = await place.ok("inventory/v1/levels", {"location_id": place.truck, "item_id": place.items["HEATER"]})
    assert levels["items"][0]["serial_numbers"] == ["S-1"]
    stop = await place.crew.stop()
    heater = {"visit_id": stop.id, "code": "HEATER", "quantity": "1"}
    await place.crew.fails("fieldTech/v1/recordMaterial", {**heater, "serial_numbers": ["S-2"]}, 422, RULE,
                           "SERIAL_NOT_HERE")  # fmt: skip
    await place.crew.fails("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "HEATER", "quantity": "1"},
                           422, RULE, "SERIALS_REQUIRED")  # fmt: skip
    used = await place.use(stop, "HEATER", "1", serial_numbers=["S-1"])
    assert used["serial_numbers"] == ["S-1"]
    await place.stock_truck("FILTER", "1", cost="30.00", lot_number="L-9")
    await place.crew.fails("fieldTech/v1/recordMaterial", {"visit_id": stop.id, "code": "FILTER", "quantity": "1"},
                           422, RULE, "LOT_REQUIRED")  # fmt: skip
    a_filter = {"visit_id": stop.id, "code": "FILTER", "quantity": "1"}
    await place.crew.fails("fieldTech/v1/recordMaterial", {**a_filter, "lot_number": "L-1"}, 422, RULE,
                           "INSUFFICIENT_STOCK")  # fmt: skip
    assert (await place.use(stop, "FILTER", "1", lot_number="L-9"))["lot_number"] == "L-9"
    await place.ledger_matches_levels()


async def test_on_hand_at_a_moment_is_the_sum_of_the_movements(place: Depot) -> None:
    shelf = await place.location("SHELF")
    await place.receive(shelf, "PIPE", "10")
    middle = datetime.now(UTC).isoformat()
    await asyncio.sleep(0.05)
    body = {"location_id": shelf, "item_id": place.items["PIPE"], "quantity": "-4", "reason": "DAMAGED"}
    await place.ok("inventory/v1/adjust", body)
    then = await place.ok("inventory/v1/onHand", {"location_id": shelf, "as_of": middle})
    assert [(x["item_id"], x["on_hand"]) for x in then["items"]] == [(place.items["PIPE"], "10.000")]
    now = await place.ok("inventory/v1/onHand", {"location_id": shelf})
    assert [x["on_hand"] for x in now["items"]] == ["6.000"]
    every = await place.ok("inventory/v1/onHand", {})
    levels = {}
    for location in {x["location_id"] for x in every["items"]}:
        for lv in (await place.ok("inventory/v1/levels", {"location_id": location}))["items"]:
            levels[(lv["item_id"], lv["location_id"], lv["lot_number"])] = lv["on_hand"]
    assert {(x["item_id"], x["location_id"], x["lot_number"]): x["on_hand"] for x in every["items"]} == levels
    await place.ledger_matches_levels()


async def test_movements_are_never_changed(place: Depot) -> None:
    """The app role may insert and read the ledger, not update or delete it."""
    await place.receive(place.warehouse, "PIPE", "1")
    for statement in ("UPDATE inventory_movements SET quantity = 99", "DELETE FROM inventory_movements"):
        with pytest.raises(DBAPIError):
            async with runtime.current().database.transaction(organization_id=uuid.UUID(place.org), user_id=None) as s:
                await s.execute(text(statement))

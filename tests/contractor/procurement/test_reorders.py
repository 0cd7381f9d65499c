"""`inventory_workflow_v1`: a level crossing its reorder point drafts exactly one line on the preferred supplier's
open replenishment draft for the location (its reorder quantity at the supplier's cost); two items of one supplier
share the draft; an item without a preferred active supplier is recorded NO_SUPPLIER; once the draft is sent, the
next crossing opens a new one."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.contractor.procurement.helpers import Stock, stock, until

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture
async def home(shared_client: httpx.AsyncClient) -> Stock:
    return await stock(shared_client, "Reorder Tests")


async def reorder_of(home: Stock, code: str, status: str = "DRAFTED", count: int = 1) -> list[dict[str, Any]]:
    async def handled() -> list[dict[str, Any]] | None:
        found = await home.ok("procurement/v1/listReorders", {"item_id": home.items[code]})
        done = [x for x in found["items"] if x["status"] == status]
        return done if len(done) >= count else None

    return list(await until(handled, f"{count} {status} reorder(s) of {code}"))


async def test_a_crossing_drafts_one_line_and_a_second_item_shares_the_draft(home: Stock) -> None:
    supplier = await home.supplier(lead_time_days=2)
    await home.offer(supplier["id"], "PIPE-1", "2.25")
    await home.offer(supplier["id"], "VLV-1", "11.40")
    await home.cross("PIPE-1")
    (pipe,) = await reorder_of(home, "PIPE-1")
    assert (pipe["on_hand"], pipe["reorder_point"], pipe["reorder_quantity"]) == ("4.000", "5.000", "12.000")
    await home.cross("VLV-1")
    (valve,) = await reorder_of(home, "VLV-1")
    assert pipe["purchase_order_id"] == valve["purchase_order_id"]
    order = await home.ok("procurement/v1/getPurchaseOrder", {"id": pipe["purchase_order_id"]})
    assert (order["status"], order["replenishment"], order["location_id"]) == ("DRAFT", True, home.warehouse)
    lines = {x["item_code"]: x for x in order["lines"]}
    assert sorted(lines) == ["PIPE-1", "VLV-1"]
    assert (lines["PIPE-1"]["quantity"], lines["PIPE-1"]["unit_cost"], lines["PIPE-1"]["total"]) == (
        "12.000",
        "2.25",
        "27.00",
    )
    assert lines["PIPE-1"]["crossing_id"] == pipe["crossing_id"]
    assert lines["PIPE-1"]["id"] == pipe["line_id"]
    assert order["total"] == "163.80"
    drafts = await home.ok("procurement/v1/listPurchaseOrders", {"replenishment": True, "supplier_id": supplier["id"]})
    assert len(drafts["items"]) == 1


async def test_a_sent_draft_is_not_added_to_and_no_supplier_is_recorded(home: Stock) -> None:
    supplier = await home.supplier()
    await home.offer(supplier["id"], "PIPE-1", "2.25")
    await home.cross("PIPE-1")
    (first,) = await reorder_of(home, "PIPE-1")
    await home.ok("procurement/v1/send", {"id": first["purchase_order_id"]})
    await home.cross("PIPE-1")
    second = (await reorder_of(home, "PIPE-1", count=2))[-1]
    assert second["purchase_order_id"] != first["purchase_order_id"]
    await home.cross("VLV-1")
    (valve,) = await reorder_of(home, "VLV-1", "NO_SUPPLIER")
    assert (valve["purchase_order_id"], valve["line_id"], valve["supplier_id"]) == (None, None, None)
    orders = await home.ok("procurement/v1/listPurchaseOrders", {"supplier_id": supplier["id"]})
    assert sorted(o["status"] for o in orders["items"]) == ["DRAFT", "SENT"]


async def test_two_crossings_at_once_share_one_draft(home: Stock) -> None:
    supplier = await home.supplier()
    await home.offer(supplier["id"], "PIPE-1", "2.00")
    await home.offer(supplier["id"], "VLV-1", "9.00")
    await asyncio.gather(home.cross("PIPE-1"), home.cross("VLV-1"))
    (pipe,) = await reorder_of(home, "PIPE-1")
    (valve,) = await reorder_of(home, "VLV-1")
    assert pipe["purchase_order_id"] == valve["purchase_order_id"]
    order = await home.ok("procurement/v1/getPurchaseOrder", {"id": pipe["purchase_order_id"]})
    assert sorted(x["item_code"] for x in order["lines"]) == ["PIPE-1", "VLV-1"]

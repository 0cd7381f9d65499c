"""Who reaches suppliers, purchase orders, receipts and reorders. Another contractor's supplier, order, line or
item or location is NOT_FOUND on every procedure that takes one, exactly like a random id, and changes nothing; lists
show none. Within the contractor: ADMIN and MANAGER keep everything; dispatchers read and receive; VENDOR members
read; technicians see nothing (NOT_FOUND, empty lists; making a supplier or order: FORBIDDEN). The tables are
row-level secured: another organization's rows are not there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.procurement.helpers import TABLES, Stock, stock, until

pytestmark = pytest.mark.usefixtures("unthrottled")


@dataclass
class World:
    home: Stock
    stranger: Stock
    ids: dict[str, str]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home = await stock(shared_client, "Home Procurement")
    supplier = await home.supplier()
    await home.offer(supplier["id"], "PIPE-1", "2.00")
    draft = await home.order(supplier["id"], (("PIPE-1", "5"),))
    sent = await home.sent(supplier["id"], (("PIPE-1", "10"),))
    await home.cross("VLV-1")

    async def reorder() -> Any:
        return (await home.ok("procurement/v1/listReorders", {"status": "NO_SUPPLIER"}))["items"]

    await until(reorder, "the valve's reorder")
    ids = {"supplier": supplier["id"], "draft": draft["id"], "line": draft["lines"][0]["id"], "sent": sent["id"],
           "sent_line": sent["lines"][0]["id"], "item": home.items["PIPE-1"], "location": home.warehouse}  # fmt: skip
    return World(home, await stock(shared_client, "Stranger Procurement"), ids)


def calls(ids: dict[str, str], own_location: str) -> list[tuple[str, dict[str, Any]]]:
    s, d, line = ids["supplier"], ids["draft"], ids["line"]
    receipt = {"purchase_order_id": ids["sent"], "lines": [{"line_id": ids["sent_line"], "quantity": "1"}]}
    return [
        ("procurement/v1/createPurchaseOrder", {"supplier_id": s, "location_id": own_location}),
        ("procurement/v1/getSupplier", {"id": s}),
        ("procurement/v1/updateSupplier", {"id": s, "phone": "555-0199"}),
        ("procurement/v1/setSupplierItem", {"supplier_id": s, "item_id": ids["item"], "cost": "1.00"}),
        ("procurement/v1/listSupplierItems", {"supplier_id": s}),
        ("procurement/v1/getPurchaseOrder", {"id": d}),
        (
            "procurement/v1/addLine",
            {"purchase_order_id": d, "item_id": ids["item"], "quantity": "1", "unit_cost": "1.00"},
        ),
        ("procurement/v1/updateLine", {"id": line, "quantity": "2"}),
        ("procurement/v1/removeLine", {"id": line}),
        ("procurement/v1/send", {"id": d}),
        ("procurement/v1/cancel", {"id": d, "reason": "No"}),
        ("procurement/v1/close", {"id": ids["sent"]}),
        ("procurement/v1/receive", receipt),
        ("procurement/v1/listReceipts", {"purchase_order_id": ids["sent"]}),
    ]


async def test_another_contractors_records_are_not_found_like_random_ids(world: World) -> None:
    before = await world.home.table_counts()
    random = {k: str(uuid.uuid4()) for k in world.ids}
    mine = world.stranger.warehouse
    for (path, theirs), (_, nothing) in zip(calls(world.ids, mine), calls(random, mine), strict=True):
        found = await world.stranger.fails(path, theirs, 404, "NOT_FOUND")
        none = await world.stranger.fails(path, nothing, 404, "NOT_FOUND")
        assert found["message"] == none["message"], path
    for path in ("procurement/v1/listSuppliers", "procurement/v1/listPurchaseOrders", "procurement/v1/listReorders"):
        assert (await world.stranger.ok(path, {}))["items"] == [], path
    items = await world.stranger.ok("procurement/v1/listSupplierItems", {"item_id": world.ids["item"]})
    assert items["items"] == []
    assert await world.home.table_counts() == before


async def test_a_line_or_order_naming_another_contractors_item_or_location_is_not_found(world: World) -> None:
    stranger = world.stranger
    before = await stranger.table_counts()
    supplier = await stranger.supplier()
    draft = await stranger.order(supplier["id"], ())
    theirs_item, theirs_location = world.ids["item"], world.ids["location"]
    line = {"purchase_order_id": draft["id"], "item_id": theirs_item, "quantity": "1", "unit_cost": "1.00"}
    await stranger.fails("procurement/v1/addLine", line, 404, "NOT_FOUND")
    elsewhere = {"supplier_id": supplier["id"], "location_id": theirs_location}
    await stranger.fails("procurement/v1/createPurchaseOrder", elsewhere, 404, "NOT_FOUND")
    lines = [{"item_id": theirs_item, "quantity": "1", "unit_cost": "1.00"}]
    await stranger.fails("procurement/v1/createPurchaseOrder", {"supplier_id": supplier["id"],
                                                                "location_id": stranger.warehouse, "lines": lines},
                         404, "NOT_FOUND")  # fmt: skip
    await stranger.fails("procurement/v1/setSupplierItem", {"supplier_id": supplier["id"], "item_id": theirs_item,
                                                            "cost": "1.00"}, 404, "NOT_FOUND")  # fmt: skip
    await stranger.offer(supplier["id"], "PIPE-1", "1.00")
    sent = await stranger.sent(supplier["id"], (("PIPE-1", "2"),))
    receipt = {"purchase_order_id": sent["id"], "location_id": theirs_location,
               "lines": [{"line_id": sent["lines"][0]["id"], "quantity": "1"}]}  # fmt: skip
    await stranger.fails("procurement/v1/receive", receipt, 404, "NOT_FOUND")
    alien = {"purchase_order_id": sent["id"], "lines": [{"line_id": world.ids["sent_line"], "quantity": "1"}]}
    await stranger.fails("procurement/v1/receive", alien, 422, "BUSINESS_RULE_VIOLATION", "LINE_NOT_ON_ORDER")
    after = await stranger.table_counts()
    assert after["procurement_receipts"] == before["procurement_receipts"]


async def test_technicians_see_nothing_and_make_nothing(world: World) -> None:
    home, who = world.home, world.home.members["TECHNICIAN"]
    for path, body in calls(world.ids, home.warehouse)[1:]:
        await home.fails(path, body, 404, "NOT_FOUND", who=who)
    for path in ("procurement/v1/listSuppliers", "procurement/v1/listPurchaseOrders", "procurement/v1/listReorders"):
        assert (await home.ok(path, {}, who=who))["items"] == [], path
    await home.fails("procurement/v1/createSupplier", {"name": "Tech's Own"}, 403, "FORBIDDEN", who=who)
    await home.fails("procurement/v1/createPurchaseOrder", calls(world.ids, home.warehouse)[0][1], 403, "FORBIDDEN",
                     who=who)  # fmt: skip


async def test_dispatchers_read_and_receive_vendors_read(world: World) -> None:
    home = world.home
    before = await home.table_counts()
    for role in ("DISPATCHER", "VENDOR"):
        who = home.members[role]
        assert (await home.ok("procurement/v1/getPurchaseOrder", {"id": world.ids["sent"]}, who=who))["status"]
        assert (await home.ok("procurement/v1/listSuppliers", {}, who=who))["items"]
        assert (await home.ok("procurement/v1/listReorders", {}, who=who))["items"]
        for path, body in calls(world.ids, home.warehouse):
            if path.split("/")[-1] in ("getSupplier", "listSupplierItems", "getPurchaseOrder", "listReceipts",
                                       "receive"):  # fmt: skip
                continue
            await home.fails(path, body, 403, "FORBIDDEN", who=who)
    receipt = calls(world.ids, home.warehouse)[-2][1]
    await home.fails("procurement/v1/receive", receipt, 403, "FORBIDDEN", who=home.members["VENDOR"])
    assert await home.table_counts() == before
    done = await home.ok("procurement/v1/receive", receipt, who=home.members["DISPATCHER"])
    assert done["receipt"]["received_by"] == str(home.members["DISPATCHER"].user_id)
    assert done["purchase_order"]["status"] == "PARTIALLY_RECEIVED"
    manager = await home.ok("procurement/v1/updateLine", {"id": world.ids["line"], "quantity": "6"},
                            who=home.members["MANAGER"])  # fmt: skip
    assert manager["lines"][0]["quantity"] == "6.000"


async def test_other_organizations_rows_are_not_there(world: World) -> None:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(world.stranger.org), user_id=None) as s:
        stranger_rows = {t: (await s.execute(text(f"SELECT organization_id FROM {t}"))).scalars().all() for t in TABLES}
    for table, rows in stranger_rows.items():
        assert all(str(r) == world.stranger.org for r in rows), table
    assert (await world.home.table_counts())["procurement_purchase_orders"] >= 2

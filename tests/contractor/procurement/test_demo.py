"""The demo's procurement: after the seeders before it (the inventory included), Evergreen has three suppliers, each
its items' preferred supplier; a purchase order SENT and partly received into the Austin North warehouse (the pipe in
full, part of the valves); one RECEIVED and CLOSED; and Terry Tech's flapper kit, used on a visit, has a line on
its supplier's replenishment draft for his truck. A second run adds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.association.demo import seed_associations
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.dispatch.demo import seed_dispatch
from hestami.contractor.field.demo import seed_field
from hestami.contractor.inventory.demo import seed_inventory
from hestami.contractor.job.demo import seed_jobs
from hestami.contractor.pricebook.demo import seed_pricebook
from hestami.contractor.procurement.demo import seed_procurement
from hestami.contractor.procurement.demo_data import REORDER_DEMO_CODE, REORDER_DEMO_TRUCK, SUPPLIERS
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.contractor.technician.demo import seed_technicians
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok

SEEDERS = (seed_identity, seed_associations, seed_accounting, seed_contractors, seed_technicians, seed_work_orders,
           seed_pricebook, seed_jobs, seed_dispatch, seed_field, seed_inventory)  # fmt: skip


async def test_evergreen_buys_receives_and_reorders_from_a_visit(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in SEEDERS:
        await seed(run)
    first, again = await seed_procurement(run), await seed_procurement(run)
    if first != again:  # else another module's test seeded the demo first
        assert first[0].startswith("demo procurement (Evergreen Plumbing & HVAC): 3 suppliers"), first
        assert "reorder point" in first[-1], first
    assert again == ["demo procurement (Evergreen Plumbing & HVAC): already loaded"]

    keeper, orgs = await demo_login(shared_client, "admin")
    evergreen = orgs["evergreen-plumbing"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, keeper, evergreen, path, body)

    suppliers = (await call("procurement/v1/listSuppliers", {"limit": 200}))["items"]
    assert {s["name"] for s in suppliers} >= {s.name for s in SUPPLIERS}
    every = (await call("procurement/v1/listPurchaseOrders", {"limit": 200}))["items"]
    statuses = sorted(o["status"] for o in every)
    assert "PARTIALLY_RECEIVED" in statuses
    assert "CLOSED" in statuses
    partly = next(o for o in every if o["status"] == "PARTIALLY_RECEIVED")
    detail = await call("procurement/v1/getPurchaseOrder", {"id": partly["id"]})
    got = sorted((Decimal(x["quantity_received"]) == Decimal(x["quantity"])) for x in detail["lines"])
    assert got == [False, True]
    receipts = await call("procurement/v1/listReceipts", {"purchase_order_id": partly["id"]})
    assert len(receipts["items"]) == 1

    trucks = (await call("inventory/v1/listLocations", {"kind": "TRUCK", "limit": 200}))["items"]
    (truck,) = [t["id"] for t in trucks if t["name"] == REORDER_DEMO_TRUCK]
    found = await call("procurement/v1/listReorders", {"status": "DRAFTED", "location_id": truck, "limit": 200})
    (kit,) = [r for r in found["items"] if r["item_code"] == REORDER_DEMO_CODE]
    draft = await call("procurement/v1/getPurchaseOrder", {"id": kit["purchase_order_id"]})
    assert (draft["status"], draft["replenishment"], draft["location_id"]) == ("DRAFT", True, kit["location_id"])
    assert [x["item_code"] for x in draft["lines"] if x["crossing_id"] == kit["crossing_id"]] == [REORDER_DEMO_CODE]

"""A work order names its unit, its common area and its assigned provider as they are now, on list, get and the
moves that answer it."""

from __future__ import annotations

import httpx

from tests.cam.work_order.helpers import community, link, new_order, provider
from tests.support.rpc import ok


async def test_work_orders_name_their_unit_area_and_provider(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    manager, org, association, unit = await community(c)
    body = {"association_id": association["id"], "name": "Pool", "area_type": "POOL"}
    area = await ok(c, manager, org, "commonArea/v1/create", body)
    _, provider_org, _ = await provider(c)
    await link(c, manager, org, association["id"], provider_org)

    at_unit = await new_order(c, manager, org, association["id"], unit_id=unit["id"])
    assert (at_unit["unit_number"], at_unit["common_area_name"], at_unit["provider_name"]) == ("7", None, None)
    at_pool = await new_order(c, manager, org, association["id"], common_area_id=area["id"])
    assert (at_pool["unit_number"], at_pool["common_area_name"]) == (None, "Pool")
    nowhere = await new_order(c, manager, org, association["id"])
    assert (nowhere["unit_number"], nowhere["common_area_name"], nowhere["provider_name"]) == (None, None, None)

    await ok(c, manager, org, "workOrder/v1/updateStatus", {"id": at_pool["id"], "status": "TRIAGED"})
    assign = {"id": at_pool["id"], "provider_organization_id": provider_org}
    assigned = await ok(c, manager, org, "workOrder/v1/assignVendor", assign)
    assert (assigned["common_area_name"], assigned["provider_name"]) == ("Pool", "Bayside")

    await ok(c, manager, org, "unit/v1/update", {"id": unit["id"], "unit_number": "7A"})
    await ok(c, manager, org, "commonArea/v1/update", {"id": area["id"], "name": "Lap pool"})
    listed = await ok(c, manager, org, "workOrder/v1/list", {"association_id": association["id"]})
    named = {o["id"]: (o["unit_number"], o["common_area_name"], o["provider_name"]) for o in listed["items"]}
    assert named == {
        at_unit["id"]: ("7A", None, None),
        at_pool["id"]: (None, "Lap pool", "Bayside"),
        nowhere["id"]: (None, None, None),
    }
    got = await ok(c, manager, org, "workOrder/v1/get", {"id": at_pool["id"]})
    assert (got["common_area_name"], got["provider_name"]) == ("Lap pool", "Bayside")
    got = await ok(c, manager, org, "workOrder/v1/get", {"id": at_unit["id"]})
    assert got["unit_number"] == "7A"

"""The demo's vendor assignment: after the identity, contractor, association and work-order seeders, owner@'s burst
water heater at Sunset Ridge (an EMERGENCY) has asked Evergreen (preferred) and Alamo City Plumbing, the two matches,
and Alamo City has bid; Mission Rooter & Drain (insurance lapsed) and Hill Country Water Heaters (Austin only) are left
out with their reasons; the clubhouse drain is out to two providers for 72 hours; a second run adds nothing."""

from __future__ import annotations

from typing import Any

import httpx

from hestami.cam.association.demo import seed_associations
from hestami.cam.work_order.assignment_demo import seed_vendor_assignment
from hestami.cam.work_order.assignment_demo_data import JOBS
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok


async def test_sunset_ridge_puts_its_plumbing_jobs_out_to_bid(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_contractors, seed_associations, seed_work_orders):
        await seed(run)
    first, again = await seed_vendor_assignment(run), await seed_vendor_assignment(run)
    assert any("asked Evergreen Plumbing & HVAC, Alamo City Plumbing" in line for line in first), first
    assert again == ["demo vendor assignment: already loaded"], again

    manager, orgs = await demo_login(shared_client, "manager")
    org = orgs["sunset-ridge-hoa"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, manager, org, path, body)

    orders = {o["title"]: o for o in (await call("workOrder/v1/list", {"limit": 200}))["items"]}
    heater, drain = (orders[job.title] for job in JOBS)
    emergency = await call("workOrder/assignment/v1/get", {"work_order_id": heater["id"]})
    assert (emergency["trigger"], emergency["status"]) == ("EMERGENCY", "RUNNING")
    assert [(r["provider_name"], r["bid_status"]) for r in emergency["requests"]] == [
        ("Evergreen Plumbing & HVAC", "REQUESTED"),
        ("Alamo City Plumbing", "SUBMITTED"),
    ]
    matches = await call("workOrder/assignment/v1/matches", {"work_order_id": heater["id"]})
    left_out = {e["provider_name"]: [r["code"] for r in e["reasons"]] for e in matches["excluded"]}
    assert left_out["Mission Rooter & Drain"] == ["INSURANCE_EXPIRED"]
    assert left_out["Hill Country Water Heaters"] == ["OUT_OF_SERVICE_AREA"]
    assert "CATEGORY_NOT_OFFERED" in left_out["Lone Star Landscaping"]
    manual = await call("workOrder/assignment/v1/get", {"work_order_id": drain["id"]})
    assert (manual["trigger"], manual["wanted"], manual["response_hours"]) == ("MANUAL", 2, 72)
    assert len(manual["requests"]) == 2

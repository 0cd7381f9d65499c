"""The demo's ordered work: after the identity, contractor, association, accounting, work-order, violation and ARC
seeders, Sunset Ridge's overgrown lawn has its remediation assigned to Lone Star Landscaping (whose job came from the
violation) and the approved back fence its inspection; a second run adds nothing."""

from __future__ import annotations

import asyncio

import httpx

from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.arc.demo import seed_arc
from hestami.cam.association.demo import seed_associations
from hestami.cam.remediation.demo import seed_remediation
from hestami.cam.violations.demo import seed_violations
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok


async def test_sunset_ridge_orders_work_for_its_lawn_and_its_fence(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (
        seed_identity,
        seed_contractors,
        seed_associations,
        seed_accounting,
        seed_work_orders,
        seed_violations,
        seed_arc,
    ):
        await seed(run)
    first, again = await seed_remediation(run), await seed_remediation(run)
    assert first[0] == "demo remediation (Sunset Ridge HOA):"
    assert len(first) == 3, first
    assert again == ["demo remediation (Sunset Ridge HOA):", "  already loaded"]

    manager, orgs = await demo_login(shared_client, "manager")
    hoa = orgs["sunset-ridge-hoa"]
    page = await ok(shared_client, manager, hoa, "workOrder/v1/list", {"limit": 200})
    ordered = {o["origin_kind"]: o for o in page["items"] if o["origin_kind"]}
    assert set(ordered) == {"REMEDIATION", "INSPECTION"}
    lawn = ordered["REMEDIATION"]
    assert (lawn["status"], lawn["category"]) == ("ASSIGNED", "LANDSCAPING")
    violation = await ok(shared_client, manager, hoa, "violation/v1/get", {"id": lawn["violation_id"]})
    assert violation["status"] == "CURE_PERIOD"
    assert violation["reference"] == lawn["origin_reference"]
    inspection = ordered["INSPECTION"]
    assert inspection["status"] == "SUBMITTED"
    fence = await ok(shared_client, manager, hoa, "arc/request/v1/get", {"id": inspection["arc_request_id"]})
    assert fence["title"] == "Back fence replacement"

    admin, admin_orgs = await demo_login(shared_client, "admin")
    lone_star = admin_orgs["lone-star-landscaping"]
    assert lawn["assigned_provider_org_id"] == lone_star
    for _ in range(300):
        jobs = await ok(shared_client, admin, lone_star, "job/v1/list", {"work_order_id": lawn["id"]})
        if jobs["items"]:
            break
        await asyncio.sleep(0.1)
    assert [(j["source"], j["origin_reference"]) for j in jobs["items"]] == [("VIOLATION", violation["reference"])]

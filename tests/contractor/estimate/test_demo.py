"""The demo's journey 5, steps 1-3: after the identity, contractor, technician, association, work-order and
pricebook seeders, Sunset Ridge HOA's clubhouse roof is out to bid to Cibolo Creek Roofing, whose manager (roofer@)
sent Good/Better/Best from its "Roof leak repair" template; the HOA's manager (manager@) accepted "Better": the bid
is accepted at that total, the work order assigned, and Cibolo's job (the hand-off's) names the accepted option; a
second run adds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from hestami.cam.association.demo import seed_associations
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.estimate.demo import seed_estimates
from hestami.contractor.pricebook.demo import seed_pricebook
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.contractor.technician.demo import seed_technicians
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.contractor.job.test_handoff import until
from tests.support.demo import demo_login
from tests.support.rpc import ok


async def test_sunset_ridge_accepts_better_from_cibolo(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_contractors, seed_technicians, seed_associations, seed_work_orders,
                 seed_pricebook):  # fmt: skip
        await seed(run)
    first, again = await seed_estimates(run), await seed_estimates(run)
    if first != again:  # another module's test may have seeded the estimates first
        assert len(first) == 5, first
        assert "ACCEPTED: Better accepted by manager@" in first[3], first
    assert again == ["demo estimates (Cibolo Creek Roofing): already loaded"], again

    roofer, roofer_orgs = await demo_login(shared_client, "roofer")
    cibolo = roofer_orgs["cibolo-roofing"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, roofer, cibolo, path, body)

    [estimate] = (await call("estimate/v1/list", {}))["items"]
    assert estimate["status"] == "ACCEPTED"
    assert [(o["name"], o["tier"], o["status"]) for o in estimate["options"]] == [
        ("Good", "GOOD", "DECLINED"), ("Better", "BETTER", "ACCEPTED"), ("Best", "BEST", "DECLINED")]  # fmt: skip
    totals = [Decimal(o["total"]) for o in estimate["options"]]
    assert totals == sorted(totals)
    assert [line["code"] for line in estimate["options"][0]["lines"]][:2] == ["RF-INSPECT", "RF-LAB"]

    manager, manager_orgs = await demo_login(shared_client, "manager")
    sunset = manager_orgs["sunset-ridge-hoa"]
    [proposal] = (await ok(shared_client, manager, sunset, "estimate/v1/listProposals", {}))["items"]
    assert proposal["estimate_status"] == "ACCEPTED"
    bids = await ok(shared_client, manager, sunset, "bid/v1/listBids", {"work_order_id": estimate["work_order_id"]})
    [bid] = bids["items"]
    assert bid["status"] == "ACCEPTED"
    assert Decimal(bid["amount"]) == totals[1]

    async def linked() -> dict[str, Any] | None:
        found = await call("estimate/v1/get", {"id": estimate["id"]})
        return found if found["job_id"] else None

    job = await call("job/v1/get", {"id": (await until(linked, "the estimate's job"))["job_id"]})
    assert job["status"] == "JOB_CREATED"
    assert "Accepted option: Better" in job["description"]

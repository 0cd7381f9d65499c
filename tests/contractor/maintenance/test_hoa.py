"""An HOA's agreement: for an association the contractor is linked to (another association, or one not linked:
NOT_FOUND), optionally with the association's standing work order assigned to the contractor, whose link every
visit's job carries (the work order's own hand-off job stays the one job of the work order); the HOA hears of it at
its organization; another association's work order is WORK_ORDER_MISMATCH, an unassigned or random one NOT_FOUND."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.cam.work_order.helpers import community, link, new_order
from tests.contractor.maintenance.helpers import Plan, local_today, plan, until
from tests.support.rpc import ok

pytestmark = pytest.mark.usefixtures("unthrottled")
POOL = "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=15"


@dataclass
class Hoa:
    contractor: Plan
    client: httpx.AsyncClient
    manager: Any
    org: str
    association_id: str

    async def hoa_ok(self, path: str, body: dict[str, Any]) -> Any:
        return await ok(self.client, self.manager, self.org, path, body)

    async def assigned_order(self) -> dict[str, Any]:
        order = await new_order(self.client, self.manager, self.org, self.association_id, category="PLUMBING")
        await self.hoa_ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
        body = {"id": order["id"], "provider_organization_id": self.contractor.org}
        return dict(await self.hoa_ok("workOrder/v1/assignVendor", body))


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Hoa:
    contractor = await plan(shared_client, "Pool Care")
    manager, org, association, _ = await community(shared_client)
    await link(shared_client, manager, org, association["id"], contractor.org)
    return Hoa(contractor, shared_client, manager, org, str(association["id"]))


def _body(association_id: str, **fields: Any) -> dict[str, Any]:
    return {"name": "Pool equipment service", "trade": "PLUMBING", "association_id": association_id,
            "term_start": local_today().isoformat(), "price": "1980.00", "billing_frequency": "QUARTERLY",
            "schedule_rrule": POOL, **fields}  # fmt: skip


async def test_an_hoa_agreements_visits_carry_its_standing_work_order(hoa: Hoa) -> None:
    order = await hoa.assigned_order()
    c = hoa.contractor

    async def handed_off() -> list[dict[str, Any]]:
        return list((await c.ok("job/v1/list", {"work_order_id": order["id"]}))["items"])

    (handoff,) = await until(handed_off, "the work order's job")
    made = await c.ok("maintenance/v1/create", _body(hoa.association_id, work_order_id=order["id"]))
    assert (made["hoa_organization_id"], made["association_id"], made["work_order_id"]) == (
        hoa.org, hoa.association_id, order["id"],
    )  # fmt: skip
    await c.ok("maintenance/v1/activate", {"id": made["id"]})
    visits = await c.visits(made["id"])
    assert len(visits) == 4
    job = await c.ok("job/v1/get", {"id": visits[0]["job_id"]})
    assert (job["source"], job["work_order_id"], job["association_id"], job["hoa_organization_id"]) == (
        "AGREEMENT", order["id"], hoa.association_id, hoa.org,
    )  # fmt: skip
    carrying = await c.ok("job/v1/list", {"work_order_id": order["id"], "limit": 50})
    assert sorted(j["source"] for j in carrying["items"]) == ["AGREEMENT"] * 4 + [handoff["source"]]
    cancelled = await c.ok("maintenance/v1/cancel", {"id": made["id"], "reason": "Pool closed for the season"})
    assert cancelled["status"] == "CANCELLED"
    found = await c.ok("notification/v1/list", {"entity_id": made["id"]})
    assert [(m["template"], m["recipient"]) for m in found["items"]] == [("maintenance.cancelled", f"hoa:{hoa.org}")]
    still = await c.ok("job/v1/get", {"id": handoff["id"]})
    assert still["status"] != "CANCELLED"


async def test_an_association_or_work_order_not_the_contractors_is_refused(
    hoa: Hoa, shared_client: httpx.AsyncClient
) -> None:
    c = hoa.contractor
    _, _, unlinked, _ = await community(shared_client)
    await c.fails("maintenance/v1/create", _body(str(unlinked["id"])), 404, "NOT_FOUND")
    await c.fails("maintenance/v1/create", _body(hoa.association_id, work_order_id=str(uuid.uuid4())), 404, "NOT_FOUND")
    unassigned = await new_order(hoa.client, hoa.manager, hoa.org, hoa.association_id, category="PLUMBING")
    await c.fails("maintenance/v1/create", _body(hoa.association_id, work_order_id=unassigned["id"]), 404, "NOT_FOUND")
    manager, org, other, _ = await community(shared_client)
    await link(shared_client, manager, org, other["id"], c.org)
    order = await hoa.assigned_order()
    await c.fails("maintenance/v1/create", _body(str(other["id"]), work_order_id=order["id"]), 422,
                  "BUSINESS_RULE_VIOLATION", "WORK_ORDER_MISMATCH")  # fmt: skip

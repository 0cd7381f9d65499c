"""Violations and ARC requests originate work (issue 22): the association orders a violation's remediation or an
approved request's inspection / installation as a work order linked to it, once per record and kind; assigned at
once to a contractor, the contractor's job is handed off with the violation or request as its source."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.cam.arc import helpers as arc
from tests.cam.violations import helpers as violations
from tests.cam.work_order.helpers import link
from tests.support.accounts import Account, account, member_account, organization
from tests.support.contractors import contractor_profile
from tests.support.governance import seat_on_board
from tests.support.rpc import fails, ok, post, suffix


@dataclass
class Contractor:
    admin: Account
    org: str


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> violations.Community:
    return await violations.community(shared_client)


@pytest.fixture(scope="module")
async def contractor(shared_client: httpx.AsyncClient, hoa: violations.Community) -> Contractor:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Remedy Landscaping {suffix()}", "SERVICE_PROVIDER"))["id"]
    await contractor_profile(shared_client, admin, org, trades=("LANDSCAPING",), zip_codes=("78750",))
    await link(shared_client, hoa.manager, hoa.org, hoa.association["id"], org)
    return Contractor(admin, org)


async def violation(c: httpx.AsyncClient, w: violations.Community, description: str = "Dead shrubs") -> dict:
    body = {
        "association_id": w.association["id"], "unit_id": w.unit["id"], "violation_type_id": w.vtype["id"],
        "description": description, "location": "Front yard", "observed_at": datetime.now(UTC).isoformat(),
    }  # fmt: skip
    return dict(await ok(c, w.manager, w.org, "violation/v1/create", body))


async def job_of(c: httpx.AsyncClient, contractor: Contractor, work_order_id: str) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        page = await ok(c, contractor.admin, contractor.org, "job/v1/list", {"work_order_id": work_order_id})
        if page["items"]:
            return dict(page["items"][0])
        assert asyncio.get_running_loop().time() < deadline, "no job was handed off"
        await asyncio.sleep(0.1)


async def test_a_violation_remediated_by_a_contractor_becomes_the_contractors_job(
    shared_client: httpx.AsyncClient, hoa: violations.Community, contractor: Contractor
) -> None:
    c = shared_client
    v = await violation(c, hoa)
    body = {"id": v["id"], "category": "LANDSCAPING", "priority": "HIGH", "provider_organization_id": contractor.org,
            "estimated_cost": "250.00", "note": "Owner did not cure"}  # fmt: skip
    order = await ok(c, hoa.manager, hoa.org, "violation/v1/orderRemediation", body)
    assert order["status"] == "ASSIGNED"
    assert (order["violation_id"], order["origin_kind"], order["origin_reference"]) == (
        v["id"],
        "REMEDIATION",
        v["reference"],
    )
    assert order["unit_id"] == hoa.unit["id"]
    assert order["assigned_provider_org_id"] == contractor.org
    assert order["title"] == f"Remediate {v['reference']}: Trash cans left out"
    assert "Dead shrubs" in order["description"]
    assert "Front yard" in order["description"]
    listed = await ok(c, hoa.manager, hoa.org, "workOrder/v1/list", {"violation_id": v["id"]})
    assert [o["id"] for o in listed["items"]] == [order["id"]]

    job = await job_of(c, contractor, order["id"])
    assert (job["source"], job["origin_reference"], job["trade"]) == ("VIOLATION", v["reference"], "LANDSCAPING")

    again = await fails(c, hoa.manager, hoa.org, "violation/v1/orderRemediation", {"id": v["id"]}, 422,
                        "BUSINESS_RULE_VIOLATION", "ALREADY_ORDERED")  # fmt: skip
    assert again["details"]["work_order_id"] == order["id"]
    await ok(c, hoa.manager, hoa.org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "CANCELLED"})
    second = await ok(c, hoa.manager, hoa.org, "violation/v1/orderRemediation", {"id": v["id"]})
    assert second["status"] == "SUBMITTED"
    assert second["assigned_provider_org_id"] is None


async def test_only_an_open_or_fined_violation_is_remediated(
    shared_client: httpx.AsyncClient, hoa: violations.Community
) -> None:
    c = shared_client
    v = await violation(c, hoa, "Boat in the driveway")
    await ok(c, hoa.manager, hoa.org, "violation/v1/resolve", {"id": v["id"], "resolution": "DISMISSED"})
    before = await ok(c, hoa.manager, hoa.org, "workOrder/v1/list", {"association_id": hoa.association["id"]})
    await fails(c, hoa.manager, hoa.org, "violation/v1/orderRemediation", {"id": v["id"]}, 422,
                "BUSINESS_RULE_VIOLATION", "NOT_OPEN")  # fmt: skip
    after = await ok(c, hoa.manager, hoa.org, "workOrder/v1/list", {"association_id": hoa.association["id"]})
    assert len(after["items"]) == len(before["items"]), "nothing was created"


async def test_a_provider_that_may_not_be_assigned_leaves_nothing_behind(
    shared_client: httpx.AsyncClient, hoa: violations.Community
) -> None:
    c = shared_client
    v = await violation(c, hoa, "Peeling paint")
    stranger = await account(c)
    unlinked = (await organization(c, stranger, f"Unlinked Paint {suffix()}", "SERVICE_PROVIDER"))["id"]
    body = {"id": v["id"], "provider_organization_id": unlinked}
    await fails(c, hoa.manager, hoa.org, "violation/v1/orderRemediation", body, 422, "BUSINESS_RULE_VIOLATION",
                "PROVIDER_NOT_LINKED")  # fmt: skip
    listed = await ok(c, hoa.manager, hoa.org, "workOrder/v1/list", {"violation_id": v["id"]})
    assert listed["items"] == [], "the refused assignment rolled the work order back"


async def test_only_managers_order_work_and_other_tenants_see_nothing(
    shared_client: httpx.AsyncClient, hoa: violations.Community
) -> None:
    c = shared_client
    v = await violation(c, hoa, "Fence down")
    await fails(c, hoa.owner, hoa.org, "violation/v1/orderRemediation", {"id": v["id"]}, 403, "FORBIDDEN")
    board = await member_account(c, hoa.manager, hoa.org, ["BOARD_MEMBER"])
    await seat_on_board(c, hoa.manager, hoa.org, hoa.association["id"], board)
    await fails(c, board, hoa.org, "violation/v1/orderRemediation", {"id": v["id"]}, 403, "FORBIDDEN")
    tenant = await member_account(c, hoa.manager, hoa.org, ["TENANT"])
    await fails(c, tenant, hoa.org, "violation/v1/orderRemediation", {"id": v["id"]}, 404, "NOT_FOUND")
    other = await violations.community(c)
    await fails(c, other.manager, other.org, "violation/v1/orderRemediation", {"id": v["id"]}, 404, "NOT_FOUND")
    listed = await ok(c, hoa.manager, hoa.org, "workOrder/v1/list", {"violation_id": v["id"]})
    assert listed["items"] == []


async def test_two_orders_at_once_make_one_work_order(
    shared_client: httpx.AsyncClient, hoa: violations.Community
) -> None:
    c = shared_client
    v = await violation(c, hoa, "Overgrown lawn")
    responses = await asyncio.gather(
        *(post(c, hoa.manager, hoa.org, "violation/v1/orderRemediation", {"id": v["id"]}) for _ in range(4))
    )
    assert sorted(r.status_code for r in responses) == [200, 422, 422, 422]
    assert {r.json()["error"]["details"]["reason"] for r in responses if r.status_code == 422} == {"ALREADY_ORDERED"}
    listed = await ok(c, hoa.manager, hoa.org, "workOrder/v1/list", {"violation_id": v["id"]})
    assert len(listed["items"]) == 1


async def test_an_approved_arc_request_orders_its_inspection_and_installation_once_each(
    shared_client: httpx.AsyncClient,
) -> None:
    c = shared_client
    w = await arc.community(c)
    rid = (await arc.under_review(c, w))["id"]
    await fails(c, w.manager, w.org, "arc/request/v1/orderWork", {"id": rid, "kind": "INSPECTION"}, 422,
                "BUSINESS_RULE_VIOLATION", "NOT_APPROVED")  # fmt: skip
    for member in w.members[:2]:
        await arc.vote(c, w, member, rid, "APPROVE")
    approved = await ok(c, w.manager, w.org, "arc/review/v1/recordDecision", {"request_id": rid, "reasons": "Fine."})
    assert approved["status"] == "APPROVED"

    inspection = await ok(c, w.manager, w.org, "arc/request/v1/orderWork", {"id": rid, "kind": "INSPECTION"})
    assert (inspection["arc_request_id"], inspection["origin_kind"]) == (rid, "INSPECTION")
    assert inspection["origin_reference"] == approved["reference"]
    assert inspection["title"].startswith(f"Inspection for {approved['reference']}")
    installation = await ok(c, w.manager, w.org, "arc/request/v1/orderWork", {"id": rid, "kind": "INSTALLATION"})
    assert installation["origin_kind"] == "INSTALLATION"
    await fails(c, w.manager, w.org, "arc/request/v1/orderWork", {"id": rid, "kind": "INSPECTION"}, 422,
                "BUSINESS_RULE_VIOLATION", "ALREADY_ORDERED")  # fmt: skip
    await fails(c, w.owner, w.org, "arc/request/v1/orderWork", {"id": rid, "kind": "INSPECTION"}, 403, "FORBIDDEN")
    listed = await ok(c, w.manager, w.org, "workOrder/v1/list", {"arc_request_id": rid})
    assert {o["id"] for o in listed["items"]} == {inspection["id"], installation["id"]}

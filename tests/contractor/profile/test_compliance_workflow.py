"""`compliance_workflow_v1`: insurance that expired yesterday makes the contractor non-compliant today; it cannot be
assigned HOA work; the daily check records it, tells the contractor (and of documents about to expire, 30/14/1 days
before) and each linked association once, however often it runs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from hestami.contractor.profile import workflows
from tests.cam.work_order.helpers import community, link, new_order
from tests.support.accounts import Account, account, organization
from tests.support.rpc import fails, ok, suffix
from tests.support.serve import scoped_rows
from tests.support.workflows import ended

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


@dataclass
class World:
    client: httpx.AsyncClient
    admin: Account
    org: str
    gl_id: str
    hoas: list[tuple[Account, str, str]]
    """(manager, organization, association) of each linked association."""


async def _contractor(client: httpx.AsyncClient) -> tuple[Account, str, str]:
    admin = await account(client)
    org = (await organization(client, admin, f"Lapsing Plumbing {suffix()}", "SERVICE_PROVIDER"))["id"]
    await ok(client, admin, org, "contractor/profile/v1/upsert", {"legal_name": "Lapsing Plumbing",
                                                                    "trades": ["PLUMBING"]})  # fmt: skip
    await ok(client, admin, org, "contractor/license/v1/add", {"trade": "PLUMBING", "jurisdiction": "TX",
             "license_number": f"L-{suffix()}", "expires_on": "2035-01-01"})  # fmt: skip
    gl = await ok(
        client,
        admin,
        org,
        "contractor/insurance/v1/add",
        {"kind": "GENERAL_LIABILITY", "carrier": "Acme", "policy_number": "GL-1", "expires_on": YESTERDAY.isoformat()},
    )
    await ok(client, admin, org, "contractor/insurance/v1/add", {
        "kind": "WORKERS_COMPENSATION", "carrier": "Acme", "policy_number": "WC-1",
        "expires_on": (TODAY + timedelta(days=14)).isoformat()})  # fmt: skip
    return admin, org, gl["id"]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    admin, org, gl_id = await _contractor(shared_client)
    hoas = []
    for org_type in ("MANAGEMENT_COMPANY", "COMMUNITY_ASSOCIATION"):
        manager, hoa_org, association, _ = await community(shared_client, org_type=org_type)
        await link(shared_client, manager, hoa_org, association["id"], org)
        hoas.append((manager, hoa_org, association["id"]))
    return World(shared_client, admin, org, gl_id, hoas)


def templates(stack_env: dict[str, str], org: str, entity_type: str) -> Counter[tuple[str, str]]:
    rows = scoped_rows(stack_env, org, "SELECT template, dedupe_key FROM outbound_messages WHERE entity_type = :t",
                       t=entity_type)  # fmt: skip
    return Counter((r.template, r.dedupe_key.split(":")[0]) for r in rows)


def expiry_notices(stack_env: dict[str, str], org: str) -> list[tuple[str, int]]:
    rows = scoped_rows(
        stack_env, org,
        "SELECT payload->>'kind' AS kind, (payload->>'days_before')::int AS days FROM outbound_messages "
        "WHERE template = 'contractor.document_expiring' AND organization_id = :o ORDER BY kind, days", o=org,
    )  # fmt: skip
    return [(r.kind, r.days) for r in rows]


async def test_expired_insurance_blocks_assignment_and_each_association_hears_once(
    world: World, stack_env: dict[str, str]
) -> None:
    manager, hoa_org, association_id = world.hoas[0]
    order = await new_order(world.client, manager, hoa_org, association_id)
    await ok(world.client, manager, hoa_org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    error = await fails(world.client, manager, hoa_org, "workOrder/v1/assignVendor",
                        {"id": order["id"], "provider_organization_id": world.org}, 422, "BUSINESS_RULE_VIOLATION",
                        "INSURANCE_EXPIRED")  # fmt: skip
    assert error["details"]["expired_on"] == YESTERDAY.isoformat()
    seen = await ok(world.client, manager, hoa_org, "serviceProvider/v1/getCompliance",
                    {"association_id": association_id, "provider_organization_id": world.org})  # fmt: skip
    assert (seen["status"], [i["code"] for i in seen["issues"]]) == ("NON_COMPLIANT", ["INSURANCE_EXPIRED"])

    only = {world.org}
    before = (await workflows.run_for(YESTERDAY, only))[world.org]
    assert (before["status"], before["associations_told"]) == ("COMPLIANT", 0)  # it held through yesterday
    assert expiry_notices(stack_env, world.org) == [("GENERAL_LIABILITY", 1), ("WORKERS_COMPENSATION", 30)]

    outcome = (await workflows.run_for(TODAY, only))[world.org]
    assert (outcome["status"], outcome["since"], outcome["associations_told"]) == (
        "NON_COMPLIANT",
        TODAY.isoformat(),
        2,
    )
    state = await ok(world.client, world.admin, world.org, "contractor/compliance/v1/get", {})
    assert (state["recorded_status"], state["recorded_since"], state["checked_on"]) == (
        "NON_COMPLIANT", TODAY.isoformat(), TODAY.isoformat()
    )  # fmt: skip
    await workflows.run_for(TODAY, only)  # the same day again: the same run
    await workflows.run_for(TODAY + timedelta(days=1), only)  # the next day: the same episode, told already

    for _, hoa_org_, _ in world.hoas:
        told = templates(stack_env, hoa_org_, "service_provider_link")
        assert told == Counter({("service_provider.non_compliant", "provider_non_compliant"): 1}), told
    own = templates(stack_env, world.org, "contractor_profile")
    assert own[("contractor.non_compliant", "contractor_non_compliant")] == 1
    assert expiry_notices(stack_env, world.org) == [
        ("GENERAL_LIABILITY", 1), ("WORKERS_COMPENSATION", 14), ("WORKERS_COMPENSATION", 30)
    ]  # fmt: skip

    renewed = {"kind": "GENERAL_LIABILITY", "carrier": "Acme", "policy_number": "GL-1",
               "expires_on": (TODAY + timedelta(days=365)).isoformat()}  # fmt: skip
    await ok(world.client, world.admin, world.org, "contractor/insurance/v1/update", {"id": world.gl_id, **renewed})
    assigned = await ok(world.client, manager, hoa_org, "workOrder/v1/assignVendor",
                        {"id": order["id"], "provider_organization_id": world.org})  # fmt: skip
    assert assigned["status"] == "ASSIGNED"


async def test_the_contractor_re_checks_after_a_renewal(world: World, shared_client: httpx.AsyncClient) -> None:
    admin, org, _ = await _contractor(shared_client)
    started = await ok(shared_client, admin, org, "contractor/compliance/v1/check", {})
    assert (await ended(started["workflow_id"])).status == "SUCCESS"
    state: dict[str, Any] = await ok(shared_client, admin, org, "contractor/compliance/v1/get", {})
    assert (state["recorded_status"], state["checked_on"]) == ("NON_COMPLIANT", date.today().isoformat())
    other = await account(shared_client)
    await fails(shared_client, other, org, "contractor/compliance/v1/check", {}, 403)

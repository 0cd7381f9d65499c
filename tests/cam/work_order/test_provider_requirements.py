"""An association's requirements of its providers (issue 21): minimum coverage limits checked wherever work is given
(assignment, award, matching) against the provider's insurance in its contractor profile; the association sees the
outcome (`serviceProvider/v1/getCompliance`), not the documents. Another association of the same organization keeps
its own requirements; another organization's are NOT_FOUND; management keeps them, the seated board reads them, an
owner does not see them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.cam.association.helpers import own, person
from tests.cam.work_order.helpers import community, link, order_in
from tests.support.accounts import Account, account, join, member_account, organization
from tests.support.contractors import contractor_profile
from tests.support.rpc import AsManager, fails, ok, suffix

MINIMUM = "2000000.00"
HELD = "1000000.00"
NONE_REQUIRED = {
    "min_general_liability_per_occurrence": None, "min_general_liability_aggregate": None,
    "min_auto_per_occurrence": None, "require_workers_compensation": False, "require_license": False,
}  # fmt: skip


@dataclass
class World(AsManager):
    client: httpx.AsyncClient
    manager: Account
    org: str
    association: str  # requires general liability of 2,000,000 per occurrence
    unit: str
    elsewhere: str  # another association of the organization, without requirements
    provider: Account  # the provider's ADMIN
    provider_org: str
    vendor: Account  # the provider's VENDOR, who prices bids
    board: Account  # seated on the association's board
    owner: Account  # owns the unit
    stranger: Account
    stranger_org: str
    stranger_association: str
    bid: dict[str, Any]  # submitted on a TRIAGED work order of the association before the requirement was set

    def requirements(self, association_id: str, **values: Any) -> dict[str, Any]:
        return {"association_id": association_id, **values}


async def seat(c: httpx.AsyncClient, manager: Account, org: str, association_id: str, member: Account) -> None:
    board = await ok(
        c,
        manager,
        org,
        "governance/board/v1/create",
        {"association_id": association_id, "name": "Board", "seat_count": 3},
    )
    await ok(
        c, manager, org, "governance/board/v1/fillSeat",
        {"board_id": board["id"], "position": "DIRECTOR", "user_id": str(member.user_id), "term_start": "2025-01-01"},
    )  # fmt: skip


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    manager, org, association, unit = await community(c)
    aid = association["id"]
    elsewhere = (await ok(c, manager, org, "association/v1/create", {"name": f"Elm {suffix()}"}))["id"]
    admin = await account(c)
    provider_org = (await organization(c, admin, f"Gulf Plumbing {suffix()}", "SERVICE_PROVIDER"))["id"]
    await contractor_profile(c, admin, provider_org, zip_codes=["78750"], general_liability_limit=HELD)
    vendor = await account(c)
    await join(c, admin, provider_org, vendor, ["VENDOR"])
    for association_id in (aid, elsewhere):
        await link(c, manager, org, association_id, provider_org)
    board = await member_account(c, manager, org, ["OWNER"])
    await seat(c, manager, org, aid, board)
    owner = await member_account(c, manager, org, ["OWNER"])
    await own(c, manager, org, unit["id"], (await person(c, manager, org, "Olive", "Owner", owner))["id"])
    stranger = await account(c)
    stranger_org = (await organization(c, stranger, f"Far Away {suffix()}", "MANAGEMENT_COMPANY"))["id"]
    theirs = (await ok(c, stranger, stranger_org, "association/v1/create", {"name": f"Far {suffix()}"}))["id"]

    order = await order_in(c, manager, org, aid, "TRIAGED", provider_org)
    body = {"work_order_id": order["id"], "provider_organization_ids": [provider_org]}
    (bid,) = (await ok(c, manager, org, "bid/v1/requestBids", body))["items"]
    priced = {"bid_id": bid["id"], "amount": "500.00", "scope": "Replace the water heater"}
    bid = await ok(c, vendor, provider_org, "bid/v1/submitBid", priced)

    required = {"association_id": aid, "min_general_liability_per_occurrence": MINIMUM}
    made = await ok(c, manager, org, "serviceProvider/v1/setRequirements", required)
    assert made == {**NONE_REQUIRED, **required}
    return World(
        c, manager, org, aid, unit["id"], elsewhere, admin, provider_org, vendor, board, owner, stranger, stranger_org,
        theirs, bid,
    )  # fmt: skip


async def policy(w: World) -> dict[str, Any]:
    (found,) = (await ok(w.client, w.provider, w.provider_org, "contractor/insurance/v1/list", {}))["items"]
    return dict(found)


async def set_limit(w: World, limit: str) -> None:
    held = await policy(w)
    fields = ("kind", "carrier", "policy_number", "effective_on", "expires_on")
    body = {"id": held["id"], **{k: held[k] for k in fields}, "per_occurrence_limit": limit, "aggregate_limit": limit}
    await ok(w.client, w.provider, w.provider_org, "contractor/insurance/v1/update", body)


@pytest.fixture
async def raised(world: World) -> AsyncIterator[None]:
    """The provider's general liability raised to the association's minimum for one test, then lowered again."""
    await set_limit(world, MINIMUM)
    try:
        yield
    finally:
        await set_limit(world, HELD)


async def matches(w: World, association_id: str) -> dict[str, Any]:
    body = {"association_id": association_id, "title": f"Heater {suffix()}", "description": "No hot water",
            "category": "PLUMBING", "submit": True}  # fmt: skip
    if association_id == w.association:
        body["unit_id"] = w.unit
    order = await w.ok("workOrder/v1/create", body)
    return dict(await w.ok("workOrder/assignment/v1/matches", {"work_order_id": order["id"]}))


async def compliance(w: World, association_id: str) -> dict[str, Any]:
    body = {"association_id": association_id, "provider_organization_id": w.provider_org}
    return dict(await w.ok("serviceProvider/v1/getCompliance", body))


# --- the requirements ------------------------------------------------------------------------------------


async def test_requirements_default_to_none_and_are_one_record_per_association(world: World) -> None:
    w = world
    assert await w.ok("serviceProvider/v1/getRequirements", {"association_id": w.elsewhere}) == {
        **NONE_REQUIRED, "association_id": w.elsewhere
    }  # fmt: skip
    required = w.requirements(w.association, min_general_liability_per_occurrence=MINIMUM)
    again = await w.ok("serviceProvider/v1/setRequirements", required)
    assert again == {**NONE_REQUIRED, **required}
    assert await w.ok("serviceProvider/v1/getRequirements", {"association_id": w.association}) == again


async def test_invalid_requirements_are_refused_and_change_nothing(world: World) -> None:
    w = world
    for bad in ({"min_general_liability_per_occurrence": "-1.00"}, {"min_auto_per_occurrence": "0"},
                {"require_license": "maybe"}, {"min_general_liability_aggregate": "12.345"}):  # fmt: skip
        error = await w.fails("serviceProvider/v1/setRequirements", w.requirements(w.association, **bad), 400)
        assert error["code"] == "VALIDATION_FAILED", error
        assert [f["field"] for f in error["field_errors"]] == [f"/{next(iter(bad))}"], error
    kept = await w.ok("serviceProvider/v1/getRequirements", {"association_id": w.association})
    assert kept["min_general_liability_per_occurrence"] == MINIMUM


# --- where they are checked ------------------------------------------------------------------------------


async def test_a_provider_below_the_minimum_is_refused_at_assignment(world: World) -> None:
    w = world
    order = await order_in(w.client, w.manager, w.org, w.association, "TRIAGED", w.provider_org)
    refused = await w.fails(
        "workOrder/v1/assignVendor", {"id": order["id"], "provider_organization_id": w.provider_org}, 422,
        "BUSINESS_RULE_VIOLATION", "INSURANCE_BELOW_MINIMUM",
    )  # fmt: skip
    assert refused["details"]["document"] == "GENERAL_LIABILITY"
    assert refused["details"]["provider_organization_id"] == w.provider_org
    assert [i["code"] for i in refused["details"]["issues"]] == ["INSURANCE_BELOW_MINIMUM"]
    assert "2,000,000.00" in refused["message"]
    current = await w.ok("workOrder/v1/get", {"id": order["id"]})
    assert (current["status"], current["assigned_provider_org_id"]) == ("TRIAGED", None)
    asked = {"work_order_id": order["id"], "provider_organization_ids": [w.provider_org]}
    await w.fails("bid/v1/requestBids", asked, 422, "BUSINESS_RULE_VIOLATION", "INSURANCE_BELOW_MINIMUM")


async def test_a_bid_of_a_provider_below_the_minimum_is_not_awarded(world: World) -> None:
    w = world
    await w.fails(
        "bid/v1/acceptBid", {"bid_id": w.bid["id"]}, 422, "BUSINESS_RULE_VIOLATION", "INSURANCE_BELOW_MINIMUM"
    )
    listed = await w.ok("bid/v1/listBids", {"work_order_id": w.bid["work_order_id"]})
    assert [b["status"] for b in listed["items"]] == ["SUBMITTED"]
    assert (await w.ok("workOrder/v1/get", {"id": w.bid["work_order_id"]}))["status"] == "TRIAGED"


async def test_a_provider_below_the_minimum_is_excluded_from_matching(world: World) -> None:
    found = await matches(world, world.association)
    assert found["matches"] == []
    (excluded,) = found["excluded"]
    assert excluded["provider_organization_id"] == world.provider_org
    assert [r["code"] for r in excluded["reasons"]] == ["INSURANCE_BELOW_MINIMUM"]


async def test_get_compliance_shows_the_associations_issues(world: World) -> None:
    w = world
    mine = await compliance(w, w.association)
    assert (mine["provider_organization_id"], mine["status"]) == (w.provider_org, "NON_COMPLIANT")
    assert [(i["code"], i["document"]) for i in mine["issues"]] == [("INSURANCE_BELOW_MINIMUM", "GENERAL_LIABILITY")]
    assert "2,000,000.00" in mine["issues"][0]["message"]
    assert "1,000,000.00" in mine["issues"][0]["message"]
    assert set(mine) == {"provider_organization_id", "provider_name", "status", "on", "issues"}, "no documents"
    # The provider's own compliance knows nothing of one association's minimums.
    own_view = await ok(w.client, w.provider, w.provider_org, "contractor/compliance/v1/get", {})
    assert (own_view["status"], own_view["issues"]) == ("COMPLIANT", [])


async def test_another_association_without_requirements_accepts_the_provider(world: World) -> None:
    w = world
    assert (await compliance(w, w.elsewhere))["status"] == "COMPLIANT"
    order = await order_in(w.client, w.manager, w.org, w.elsewhere, "ASSIGNED", w.provider_org)
    assert order["assigned_provider_org_id"] == w.provider_org


@pytest.mark.usefixtures("raised")
async def test_the_provider_is_accepted_once_its_policy_is_raised(world: World) -> None:
    w = world
    assert (await compliance(w, w.association)) | {"on": None} == {
        "provider_organization_id": w.provider_org, "provider_name": "Bayside", "status": "COMPLIANT", "on": None,
        "issues": [],
    }  # fmt: skip
    found = await matches(w, w.association)
    assert [m["provider_organization_id"] for m in found["matches"]] == [w.provider_org]
    assert found["excluded"] == []
    order = await order_in(w.client, w.manager, w.org, w.association, "ASSIGNED", w.provider_org)
    assert order["assigned_provider_org_id"] == w.provider_org


# --- who sees them ---------------------------------------------------------------------------------------


async def test_another_organizations_association_is_not_found(world: World) -> None:
    w = world
    for association_id in (w.stranger_association, str(uuid.uuid4())):
        for path, body in (
            ("serviceProvider/v1/getRequirements", {"association_id": association_id}),
            ("serviceProvider/v1/setRequirements", w.requirements(association_id, require_license=True)),
            ("serviceProvider/v1/getCompliance",
             {"association_id": association_id, "provider_organization_id": w.provider_org}),
        ):  # fmt: skip
            await w.fails(path, body, 404, "NOT_FOUND")
    theirs = {"association_id": w.association}
    await fails(w.client, w.stranger, w.stranger_org, "serviceProvider/v1/getRequirements", theirs, 404, "NOT_FOUND")
    await fails(w.client, w.provider, w.provider_org, "serviceProvider/v1/getRequirements", theirs, 404, "NOT_FOUND")
    mine = {"association_id": w.stranger_association}
    unchanged = await ok(w.client, w.stranger, w.stranger_org, "serviceProvider/v1/getRequirements", mine)
    assert unchanged == {**NONE_REQUIRED, "association_id": w.stranger_association}


async def test_a_board_member_reads_the_requirements_and_an_owner_is_refused(world: World) -> None:
    w = world
    body = {"association_id": w.association}
    read = await w.ok("serviceProvider/v1/getRequirements", body, who=w.board)
    assert read["min_general_liability_per_occurrence"] == MINIMUM
    loosen = w.requirements(w.association)
    await w.fails("serviceProvider/v1/setRequirements", loosen, 403, "FORBIDDEN", who=w.board)
    # An owner may not see them: they answer like a record that does not exist.
    await w.fails("serviceProvider/v1/getRequirements", body, 404, "NOT_FOUND", who=w.owner)
    await w.fails("serviceProvider/v1/setRequirements", loosen, 404, "NOT_FOUND", who=w.owner)
    await w.fails("serviceProvider/v1/getRequirements", {"association_id": w.elsewhere}, 404, "NOT_FOUND", who=w.owner)
    kept = await w.ok("serviceProvider/v1/getRequirements", body)
    assert kept["min_general_liability_per_occurrence"] == MINIMUM

"""Who finds a violation: another organization's manager finds none of this one's violations, types or settings
(NOT_FOUND, never FORBIDDEN, and empty lists); an owner finds the violations of their own unit only, and may not
record violations or send notices; an INSPECTOR records violations but does not resolve them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.cam.association.helpers import linked_member, own
from tests.cam.violations.helpers import Community, community
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import all_ids, fails, ok, suffix


@dataclass
class World:
    w: Community
    violation: dict  # on w.unit, owned by w.owner
    neighbour: Account  # OWNER of another unit of the same association
    stranger: Account  # MANAGER of another organization
    stranger_org: str


def new_violation(w: Community, description: str = "Trash cans at the curb on a Tuesday") -> dict:
    return {
        "association_id": w.association["id"], "unit_id": w.unit["id"], "violation_type_id": w.vtype["id"],
        "description": description, "observed_at": datetime.now(UTC).isoformat(),
    }  # fmt: skip


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    w = await community(c)
    violation = await ok(c, w.manager, w.org, "violation/v1/create", new_violation(w))
    other_unit = await ok(
        c, w.manager, w.org, "unit/v1/create",
        {"property_id": w.unit["property_id"], "unit_number": "14", "unit_type": "SINGLE_FAMILY"},
    )  # fmt: skip
    neighbour, party = await linked_member(c, w.manager, w.org, ["OWNER"], "Ned", "Bour")
    await own(c, w.manager, w.org, other_unit["id"], party["id"])
    admin = await account(c)
    stranger_org = (await organization(c, admin, f"Elsewhere HOA {suffix()}"))["id"]
    stranger = await member_account(c, admin, stranger_org, ["MANAGER"])
    return World(w, violation, neighbour, stranger, stranger_org)


async def test_another_organizations_manager_finds_nothing(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w, vid = shared_client, world.w, world.violation["id"]
    later = (datetime.now(UTC) + timedelta(days=40)).isoformat()
    calls = [
        ("violation/v1/get", {"id": vid}),
        ("violation/v1/update", {"id": vid, "description": "Changed from elsewhere"}),
        ("violation/v1/sendNotice", {"id": vid}),
        ("violation/v1/scheduleHearing", {"id": vid, "scheduled_at": later}),
        ("violation/v1/resolve", {"id": vid, "resolution": "DISMISSED"}),
        ("violation/v1/close", {"id": vid, "resolution": "Closed from elsewhere"}),
        ("violation/v1/listNotices", {"id": vid}),
        ("violationType/v1/get", {"id": w.vtype["id"]}),
        ("violationType/v1/update", {"id": w.vtype["id"], "name": "Renamed from elsewhere"}),
    ]
    for path, body in calls:
        await fails(c, world.stranger, world.stranger_org, path, body, 404, "NOT_FOUND")
    assert await all_ids(c, world.stranger, world.stranger_org, "violation/v1/list") == set()
    assert await all_ids(c, world.stranger, world.stranger_org, "violationType/v1/list") == set()
    scope = {"association_id": w.association["id"]}
    for path, body in (
        ("violationSettings/v1/get", scope),
        ("violationSettings/v1/update", {**scope, "hearing_notice_days": 30}),
    ):
        error = await fails(c, world.stranger, world.stranger_org, path, body, 404, "NOT_FOUND")
        assert (error.get("details") or {}).get("kind") == "association", error
    # Nothing changed at home.
    found = await ok(c, w.manager, w.org, "violation/v1/get", {"id": vid})
    assert found["description"] == world.violation["description"]
    assert found["status"] not in ("DISMISSED", "CLOSED")
    vtype = await ok(c, w.manager, w.org, "violationType/v1/get", {"id": w.vtype["id"]})
    assert vtype["name"] == w.vtype["name"]
    settings = await ok(c, w.manager, w.org, "violationSettings/v1/get", scope)
    assert settings["customized"] is False


async def test_owners_see_only_their_own_units_violations(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w, vid = shared_client, world.w, world.violation["id"]
    await fails(c, world.neighbour, w.org, "violation/v1/get", {"id": vid}, 404, "NOT_FOUND")
    assert vid not in await all_ids(c, world.neighbour, w.org, "violation/v1/list")
    seen = await ok(c, w.owner, w.org, "violation/v1/get", {"id": vid})
    assert seen["unit_id"] == w.unit["id"]
    assert vid in await all_ids(c, w.owner, w.org, "violation/v1/list")
    # The owner reads it but neither records violations nor runs the notices.
    await fails(c, w.owner, w.org, "violation/v1/create", new_violation(w, "Reported by the owner"), 403, "FORBIDDEN")
    await fails(c, w.owner, w.org, "violation/v1/sendNotice", {"id": vid}, 403, "FORBIDDEN")


async def test_an_inspector_records_violations(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world.w
    inspector = await member_account(c, w.manager, w.org, ["INSPECTOR"])
    recorded = await ok(c, inspector, w.org, "violation/v1/create", new_violation(w, "Recycling bin at the curb"))
    assert recorded["reported_by"] == str(inspector.user_id)
    assert (await ok(c, inspector, w.org, "violation/v1/get", {"id": recorded["id"]}))["id"] == recorded["id"]


async def test_an_inspector_does_not_resolve(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w, vid = shared_client, world.w, world.violation["id"]
    inspector = await member_account(c, w.manager, w.org, ["INSPECTOR"])
    assert (await ok(c, inspector, w.org, "violation/v1/get", {"id": vid}))["id"] == vid
    await fails(c, inspector, w.org, "violation/v1/resolve", {"id": vid, "resolution": "CURED"}, 403, "FORBIDDEN")
    assert (await ok(c, w.manager, w.org, "violation/v1/get", {"id": vid}))["status"] != "CURED"

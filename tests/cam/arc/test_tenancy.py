"""Who finds an ARC request: another organization's manager finds none of this one's requests, committees or
settings (NOT_FOUND, never FORBIDDEN, and empty lists); an owner finds the requests of their own unit only, may not
ask for a unit they do not own, nor assign a committee; the board reads but does not edit; owners do not change
the settings."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from tests.cam.association.helpers import linked_member, own
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import all_ids, fails, ok, suffix

ADDRESS = {"line1": "5 Cedar Lane", "city": "Austin", "state": "TX", "postal_code": "78701"}


@dataclass
class World:
    manager: Account  # ADMIN of the organization
    org: str
    association: dict
    unit: dict
    owner: Account  # owns `unit`; asked for `request`
    other_unit: dict
    neighbour: Account  # OWNER of `other_unit` of the same association
    board: Account  # BOARD_MEMBER of the organization
    committee: dict
    request: dict  # the owner's draft for `unit`
    stranger: Account  # MANAGER of another organization
    stranger_org: str


def new_request(association_id: str, unit_id: str, title: str = "Cedar fence") -> dict:
    return {
        "association_id": association_id, "unit_id": unit_id, "category": "FENCE", "title": title,
        "description": "Replace the back fence with a 6 ft cedar fence, stained natural.",
    }  # fmt: skip


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    manager = await account(c)
    org = (await organization(c, manager, f"Review HOA {suffix()}"))["id"]
    association = await ok(c, manager, org, "association/v1/create", {"name": f"Cedars {suffix()}"})
    body = {"association_id": association["id"], "name": "Cedar Court", "address": ADDRESS}
    prop = await ok(c, manager, org, "property/v1/create", body)
    house = {"property_id": prop["id"], "unit_type": "SINGLE_FAMILY"}
    units = [await ok(c, manager, org, "unit/v1/create", {**house, "unit_number": n}) for n in ("7", "9")]
    owner, party = await linked_member(c, manager, org, ["OWNER"], "Olive", "Fence")
    await own(c, manager, org, units[0]["id"], party["id"])
    neighbour, party_b = await linked_member(c, manager, org, ["OWNER"], "Ned", "Bour")
    await own(c, manager, org, units[1]["id"], party_b["id"])
    board = await member_account(c, manager, org, ["BOARD_MEMBER"])
    await seat_on_board(c, manager, org, association["id"], board)
    committee = await ok(
        c, manager, org, "arc/committee/v1/create",
        {"association_id": association["id"], "name": "Architectural Review Committee", "quorum": 2},
    )  # fmt: skip
    request = await ok(c, owner, org, "arc/request/v1/create", new_request(association["id"], units[0]["id"]))
    admin = await account(c)
    stranger_org = (await organization(c, admin, f"Elsewhere HOA {suffix()}"))["id"]
    stranger = await member_account(c, admin, stranger_org, ["MANAGER"])
    return World(
        manager, org, association, units[0], owner, units[1], neighbour, board, committee, request, stranger,
        stranger_org,
    )  # fmt: skip


async def test_another_organizations_manager_finds_nothing(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world
    rid, cid = w.request["id"], w.committee["id"]
    calls = [
        ("arc/request/v1/get", {"id": rid}),
        ("arc/request/v1/update", {"id": rid, "description": "Changed from elsewhere"}),
        ("arc/request/v1/submit", {"id": rid}),
        ("arc/request/v1/withdraw", {"id": rid}),
        ("arc/committee/v1/get", {"id": cid}),
        ("arc/committee/v1/update", {"id": cid, "name": "Renamed from elsewhere"}),
        ("arc/committee/v1/addMember", {"committee_id": cid, "user_id": str(w.stranger.user_id)}),
    ]
    for path, body in calls:
        await fails(c, w.stranger, w.stranger_org, path, body, 404, "NOT_FOUND")
    assert await all_ids(c, w.stranger, w.stranger_org, "arc/request/v1/list") == set()
    assert await all_ids(c, w.stranger, w.stranger_org, "arc/committee/v1/list") == set()
    scope = {"association_id": w.association["id"]}
    for path, body in (
        ("arc/settings/v1/get", scope),
        ("arc/settings/v1/update", {**scope, "deemed_approval_days": 1}),
    ):
        error = await fails(c, w.stranger, w.stranger_org, path, body, 404, "NOT_FOUND")
        assert (error.get("details") or {}).get("kind") == "association", error
    # Nothing changed at home.
    found = await ok(c, w.manager, w.org, "arc/request/v1/get", {"id": rid})
    assert (found["status"], found["description"]) == ("DRAFT", w.request["description"])
    committee = await ok(c, w.manager, w.org, "arc/committee/v1/get", {"id": cid})
    assert (committee["name"], committee["members"]) == (w.committee["name"], [])
    assert (await ok(c, w.manager, w.org, "arc/settings/v1/get", scope))["customized"] is False


async def test_owners_see_only_their_own_units_requests(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w, rid = shared_client, world, world.request["id"]
    for path, body in (
        ("arc/request/v1/get", {"id": rid}),
        ("arc/request/v1/update", {"id": rid, "description": "Changed by the neighbour"}),
        ("arc/request/v1/withdraw", {"id": rid}),
    ):
        await fails(c, w.neighbour, w.org, path, body, 404, "NOT_FOUND")
    assert rid not in await all_ids(c, w.neighbour, w.org, "arc/request/v1/list")
    seen = await ok(c, w.owner, w.org, "arc/request/v1/get", {"id": rid})
    assert (seen["unit_id"], seen["requested_by"]) == (w.unit["id"], str(w.owner.user_id))
    assert rid in await all_ids(c, w.owner, w.org, "arc/request/v1/list")
    # The neighbour's own request is theirs alone.
    body = new_request(w.association["id"], w.other_unit["id"], "Paint")
    theirs = await ok(c, w.neighbour, w.org, "arc/request/v1/create", body)
    assert theirs["id"] not in await all_ids(c, w.owner, w.org, "arc/request/v1/list")
    await fails(c, w.owner, w.org, "arc/request/v1/get", {"id": theirs["id"]}, 404, "NOT_FOUND")


async def test_an_owner_cannot_ask_for_a_unit_they_do_not_own(shared_client: httpx.AsyncClient, world: World) -> None:
    """An owner does not see another owner's unit at all: NOT_FOUND (the unit), before the ownership rule. A board
    member sees every unit but owns none: the ownership rule refuses them (NOT_AN_OWNER)."""
    c, w = shared_client, world
    body = new_request(w.association["id"], w.other_unit["id"], "Not my fence")
    error = await fails(c, w.owner, w.org, "arc/request/v1/create", body, 404, "NOT_FOUND")
    assert (error.get("details") or {}).get("kind") == "unit", error
    await fails(c, w.board, w.org, "arc/request/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_AN_OWNER")
    titles = {r["title"] for r in (await ok(c, w.manager, w.org, "arc/request/v1/list", {"limit": 200}))["items"]}
    assert "Not my fence" not in titles


async def test_the_owner_does_not_assign_a_committee(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world
    body = {"request_id": w.request["id"], "committee_id": w.committee["id"]}
    await fails(c, w.owner, w.org, "arc/review/v1/assignCommittee", body, 403, "FORBIDDEN")
    await fails(c, w.board, w.org, "arc/review/v1/assignCommittee", body, 403, "FORBIDDEN")
    assert (await ok(c, w.manager, w.org, "arc/request/v1/get", {"id": w.request["id"]}))["committee_id"] is None


async def test_the_board_reads_but_does_not_edit(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w, rid = shared_client, world, world.request["id"]
    assert (await ok(c, w.board, w.org, "arc/request/v1/get", {"id": rid}))["id"] == rid
    assert rid in await all_ids(c, w.board, w.org, "arc/request/v1/list")
    assert w.committee["id"] in await all_ids(c, w.board, w.org, "arc/committee/v1/list")
    for path, body in (
        ("arc/request/v1/update", {"id": rid, "description": "Changed by the board"}),
        ("arc/request/v1/withdraw", {"id": rid}),
        ("arc/committee/v1/update", {"id": w.committee["id"], "quorum": 1}),
    ):
        await fails(c, w.board, w.org, path, body, 403, "FORBIDDEN")
    assert (await ok(c, w.manager, w.org, "arc/request/v1/get", {"id": rid}))["description"] == w.request["description"]


async def test_owners_read_but_do_not_change_the_settings(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world
    scope = {"association_id": w.association["id"]}
    assert (await ok(c, w.owner, w.org, "arc/settings/v1/get", scope))["deemed_approval_days"] is None
    await fails(c, w.owner, w.org, "arc/settings/v1/update", {**scope, "deemed_approval_days": 1}, 403, "FORBIDDEN")
    await fails(c, w.owner, w.org, "arc/committee/v1/create", {**scope, "name": "Owners' own", "quorum": 1}, 403)
    assert (await ok(c, w.manager, w.org, "arc/settings/v1/get", scope))["customized"] is False

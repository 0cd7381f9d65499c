"""Who may do what with communications, over HTTP, as the policies say (communication_template.yaml,
mass_communication.yaml, party.yaml's `set_preferences`): owners and tenants find no template or mass communication
(NOT_FOUND, empty lists) and may not make one (FORBIDDEN, whatever the name); a board member seated on the
association reads its templates, mass communications and progress but not who they reached (FORBIDDEN) and changes
nothing; contact preferences are set by the person or a manager, never by another owner (NOT_FOUND) or the board
(FORBIDDEN); another organization's template, mass communication and party ids answer NOT_FOUND exactly like random
ids, and its lists show none of them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.cam.accounting.helpers import Books, books
from tests.cam.communications.helpers import Town, like_a_random_id, office, town
from tests.support.accounts import Account, member_account
from tests.support.governance import seat_on_board
from tests.support.rpc import all_ids, suffix


@dataclass
class World:
    place: Town
    tenant: Account
    board: Account  # seated on the board of place's association
    elsewhere: Books  # another association of the same organization
    template: dict[str, Any]  # place's association's
    shared: dict[str, Any]  # organization-wide
    theirs: dict[str, Any]  # elsewhere's template
    draft: dict[str, Any]
    sent: dict[str, Any]
    elsewhere_mass: dict[str, Any]
    away: Town  # another organization


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    place = await town(shared_client, "Access")
    tenant = await member_account(shared_client, place.manager, place.org, ["TENANT"])
    board = await member_account(shared_client, place.manager, place.org, ["OWNER"])
    await seat_on_board(shared_client, place.manager, place.org, place.association_id, board)
    elsewhere = await books(shared_client, place.manager, place.org)
    template = await place.template(association_id=place.association_id, name=f"Ours {suffix()}")
    shared = await place.template("LETTER", name=f"Shared {suffix()}")
    theirs = await place.template(association_id=elsewhere.association_id)
    draft = await place.mass(template["id"], {"kind": "ALL_OWNERS"})
    sent = await place.mass(shared["id"], {"kind": "ALL_OWNERS"})
    await place.ok("communication/mass/v1/send", {"id": sent["id"]})
    await place.sent(sent["id"])
    body = {"association_id": elsewhere.association_id, "template_id": theirs["id"], "title": "Elsewhere",
            "audience": {"kind": "ALL_OWNERS"}}  # fmt: skip
    elsewhere_mass = await place.ok("communication/mass/v1/create", body)
    away = await office(shared_client, "Away")
    return World(place, tenant, board, elsewhere, template, shared, theirs, draft, sent, elsewhere_mass, away)


def record_calls(w: World) -> list[tuple[str, dict[str, Any]]]:
    """Every procedure taking the id of a template or a mass communication, with a body otherwise valid."""
    template, mass = w.template["id"], w.draft["id"]
    return [
        ("communication/template/v1/get", {"id": template}),
        ("communication/template/v1/versions", {"id": template}),
        ("communication/template/v1/preview", {"id": template}),
        ("communication/template/v1/revise", {"id": template, "subject": "Taken", "body": "Taken over"}),
        ("communication/template/v1/update", {"id": template, "name": f"Taken {suffix()}"}),
        ("communication/template/v1/archive", {"id": template}),
        ("communication/mass/v1/get", {"id": mass}),
        ("communication/mass/v1/progress", {"id": mass}),
        ("communication/mass/v1/deliveries", {"id": w.sent["id"]}),
        ("communication/mass/v1/update", {"id": mass, "title": "Taken over"}),
        ("communication/mass/v1/send", {"id": mass}),
        ("communication/mass/v1/cancel", {"id": mass}),
    ]


async def unchanged(w: World) -> None:
    place = w.place
    template = await place.ok("communication/template/v1/get", {"id": w.template["id"]})
    assert template == w.template
    versions = await place.ok("communication/template/v1/versions", {"id": w.template["id"]})
    assert [v["version"] for v in versions["items"]] == [1]
    assert await place.ok("communication/mass/v1/get", {"id": w.draft["id"]}) == w.draft


# --- owners and tenants ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "tenant"])
async def test_owners_and_tenants_find_no_template_or_mass_communication(world: World, who: str) -> None:
    w, place = world, world.place
    person = place.owners[0] if who == "owner" else w.tenant
    for path, body in record_calls(w):
        error = await place.fails(path, body, 404, "NOT_FOUND", who=person)
        assert error["details"]["id"] == body["id"], path
    for path in ("communication/template/v1/list", "communication/mass/v1/list"):
        assert await all_ids(place.client, person, place.org, path) == set(), path
    await unchanged(w)


@pytest.mark.parametrize("who", ["owner", "tenant", "board"])
async def test_only_managers_make_templates_whatever_the_name(world: World, who: str) -> None:
    """FORBIDDEN for a new name and for one taken alike: a refusal tells nothing of the organization's templates."""
    w, place = world, world.place
    person = {"owner": place.owners[0], "tenant": w.tenant, "board": w.board}[who]
    for name in (f"Fresh {suffix()}", w.template["name"]):
        body = {"name": name, "channel": "LETTER", "body": "Hello"}
        await place.fails("communication/template/v1/create", body, 403, "FORBIDDEN", who=person)
    check = {"channel": "LETTER", "body": "Hello {{ recipient_name }}"}
    await place.fails("communication/template/v1/check", check, 403, "FORBIDDEN", who=person)


@pytest.mark.parametrize("who", ["owner", "tenant"])
async def test_owners_and_tenants_cannot_draft_a_mass_communication(world: World, who: str) -> None:
    w, place = world, world.place
    person = place.owners[0] if who == "owner" else w.tenant
    body = {"association_id": place.association_id, "template_id": w.template["id"], "title": "Mine",
            "audience": {"kind": "ALL_OWNERS"}}  # fmt: skip
    await place.fails("communication/mass/v1/create", body, 404, "NOT_FOUND", who=person)
    listed = await place.ok("communication/mass/v1/list", {"association_id": place.association_id, "limit": 200})
    assert "Mine" not in {m["title"] for m in listed["items"]}


# --- the board ---------------------------------------------------------------------------------------------------


async def test_the_board_reads_its_associations_mass_communications_and_progress(world: World) -> None:
    w, place = world, world.place
    got = await place.ok("communication/mass/v1/get", {"id": w.sent["id"]}, who=w.board)
    assert (got["status"], got["total"]) == ("SENT", 4)
    progress = await place.ok("communication/mass/v1/progress", {"id": w.sent["id"]}, who=w.board)
    assert (progress["sent"] + progress["skipped"], progress["percent"]) == (4, 100.0)
    listed = await all_ids(place.client, w.board, place.org, "communication/mass/v1/list")
    assert {w.draft["id"], w.sent["id"]} <= listed
    assert w.elsewhere_mass["id"] not in listed
    await place.fails("communication/mass/v1/get", {"id": w.elsewhere_mass["id"]}, 404, "NOT_FOUND", who=w.board)


async def test_the_board_does_not_see_who_a_communication_reached(world: World) -> None:
    w, place = world, world.place
    body = {"id": w.sent["id"]}
    await place.fails("communication/mass/v1/deliveries", body, 403, "FORBIDDEN", who=w.board)
    elsewhere = {"id": w.elsewhere_mass["id"]}
    await place.fails("communication/mass/v1/deliveries", elsewhere, 404, "NOT_FOUND", who=w.board)


async def test_the_board_changes_sends_and_cancels_nothing(world: World) -> None:
    w, place = world, world.place
    mass = w.draft["id"]
    for path, body in (
        ("communication/mass/v1/update", {"id": mass, "title": "Board's"}),
        ("communication/mass/v1/send", {"id": mass}),
        ("communication/mass/v1/cancel", {"id": mass}),
        ("communication/template/v1/revise", {"id": w.template["id"], "subject": "S", "body": "B"}),
        ("communication/template/v1/update", {"id": w.template["id"], "description": "Board's"}),
        ("communication/template/v1/archive", {"id": w.template["id"]}),
    ):
        await place.fails(path, body, 403, "FORBIDDEN", who=w.board)
    body = {"association_id": place.association_id, "template_id": w.template["id"], "title": "Board's",
            "audience": {"kind": "ALL_OWNERS"}}  # fmt: skip
    await place.fails("communication/mass/v1/create", body, 403, "FORBIDDEN", who=w.board)
    await unchanged(w)


async def test_the_board_reads_its_associations_and_the_organizations_templates(world: World) -> None:
    w, place = world, world.place
    listed = await all_ids(place.client, w.board, place.org, "communication/template/v1/list")
    assert {w.template["id"], w.shared["id"]} <= listed
    assert w.theirs["id"] not in listed
    preview = await place.ok("communication/template/v1/preview", {"id": w.template["id"]}, who=w.board)
    assert preview["body"].startswith("Dear Olivia Owner")
    await place.fails("communication/template/v1/get", {"id": w.theirs["id"]}, 404, "NOT_FOUND", who=w.board)


# --- contact preferences -----------------------------------------------------------------------------------------


async def test_an_owner_sets_and_reads_their_own_preferences(world: World) -> None:
    place = world.place
    mine = place.parties[1]["id"]
    default = await place.ok("communication/preference/v1/get", {"party_id": mine}, who=place.owners[1])
    assert default == {"party_id": mine, "email": True, "sms": True, "mail": True, "opted_out_categories": [],
                       "updated_at": None}  # fmt: skip
    body = {"party_id": mine, "sms": False, "opted_out_categories": ["NEWSLETTER", "EVENT", "NEWSLETTER"]}
    saved = await place.ok("communication/preference/v1/set", body, who=place.owners[1])
    assert (saved["email"], saved["sms"], saved["mail"], saved["opted_out_categories"]) == (
        True, False, True, ["EVENT", "NEWSLETTER"]
    )  # fmt: skip
    assert saved["updated_at"] is not None
    assert await place.ok("communication/preference/v1/get", {"party_id": mine}, who=place.owners[1]) == saved
    assert await place.ok("communication/preference/v1/get", {"party_id": mine}) == saved


async def test_an_official_notice_cannot_be_opted_out_of_and_the_preferences_stay(world: World) -> None:
    place = world.place
    mine = place.parties[2]["id"]
    before = await place.ok("communication/preference/v1/get", {"party_id": mine}, who=place.owners[2])
    body = {"party_id": mine, "email": False, "opted_out_categories": ["NEWSLETTER", "DELINQUENCY"]}
    error = await place.fails("communication/preference/v1/set", body, 422, "BUSINESS_RULE_VIOLATION",
                              "REQUIRED_CATEGORY", who=place.owners[2])  # fmt: skip
    assert error["details"]["categories"] == ["DELINQUENCY"]
    bad = {"party_id": mine, "opted_out_categories": ["GOSSIP"]}
    await place.fails("communication/preference/v1/set", bad, 400, "VALIDATION_FAILED", who=place.owners[2])
    assert await place.ok("communication/preference/v1/get", {"party_id": mine}, who=place.owners[2]) == before


async def test_another_owners_preferences_are_not_found(world: World) -> None:
    place = world.place
    theirs = place.parties[0]["id"]
    for path, body in (
        ("communication/preference/v1/get", {"party_id": theirs}),
        ("communication/preference/v1/set", {"party_id": theirs, "email": False}),
    ):
        status, error = await like_a_random_id(place.client, place.owners[3], place.org, path, body, "party_id")
        assert (status, error["code"]) == (404, "NOT_FOUND")
    got = await place.ok("communication/preference/v1/get", {"party_id": theirs})
    assert got["email"] is True


async def test_a_manager_sets_anyones_preferences_and_the_board_no_ones(world: World) -> None:
    w, place = world, world.place
    owner = place.parties[3]["id"]
    body = {"party_id": owner, "mail": False, "opted_out_categories": ["MAINTENANCE"]}
    saved = await place.ok("communication/preference/v1/set", body)
    assert (saved["mail"], saved["opted_out_categories"]) == (False, ["MAINTENANCE"])
    body = {"party_id": owner, "email": False}
    await place.fails("communication/preference/v1/set", body, 403, "FORBIDDEN", who=w.board)
    await place.fails("communication/preference/v1/set", body, 404, "NOT_FOUND", who=w.tenant)
    after = await place.ok("communication/preference/v1/get", {"party_id": owner})
    assert (after["email"], after["mail"]) == (True, False)


# --- another organization ----------------------------------------------------------------------------------------


async def test_another_organizations_manager_finds_none_of_them_like_random_ids(world: World) -> None:
    w, away = world, world.away
    calls = [
        *record_calls(w),
        ("communication/preference/v1/get", {"party_id": w.place.parties[0]["id"]}),
        ("communication/preference/v1/set", {"party_id": w.place.parties[0]["id"], "email": False}),
    ]
    for path, body in calls:
        field = "party_id" if "party_id" in body else "id"
        status, error = await like_a_random_id(away.client, away.manager, away.org, path, body, field)
        assert (status, error["code"]) == (404, "NOT_FOUND"), (path, error)
    await unchanged(w)
    got = await w.place.ok("communication/preference/v1/get", {"party_id": w.place.parties[0]["id"]})
    assert got["email"] is True


async def test_another_organization_cannot_use_these_ids_in_its_own_records(world: World) -> None:
    w, away = world, world.away
    place = w.place
    body = {"association_id": away.association_id, "template_id": w.shared["id"], "title": "Borrowed",
            "audience": {"kind": "ALL_OWNERS"}}  # fmt: skip
    path = "communication/mass/v1/create"
    status, _ = await like_a_random_id(away.client, away.manager, away.org, path, body, "template_id")
    assert status == 404
    custom = {**body, "template_id": (await away.template("LETTER", body="Ours"))["id"],
              "audience": {"kind": "CUSTOM", "party_ids": [place.parties[0]["id"]]}}  # fmt: skip
    error = await away.fails(path, custom, 404, "NOT_FOUND")
    assert error["details"]["id"] == place.parties[0]["id"]
    prop = {**custom, "audience": {"kind": "PROPERTY", "property_id": place.books.prop["id"]}}
    await away.fails(path, prop, 404, "NOT_FOUND")
    new = {"name": f"Borrowed {suffix()}", "channel": "LETTER", "body": "Hi", "association_id": place.association_id}
    status, _ = await like_a_random_id(
        away.client, away.manager, away.org, "communication/template/v1/create", new, "association_id"
    )
    assert status == 404
    for path in ("communication/template/v1/list", "communication/mass/v1/list"):
        mine = await all_ids(away.client, away.manager, away.org, path)
        ours = await all_ids(place.client, place.manager, place.org, path)
        assert ours, path
        assert not mine & ours, path
    filtered = await away.ok("communication/mass/v1/list", {"association_id": place.association_id})
    assert filtered["items"] == []


async def test_a_random_id_is_not_found_for_the_manager_too(world: World) -> None:
    place = world.place
    for path in ("communication/template/v1/get", "communication/mass/v1/get", "communication/mass/v1/progress"):
        await place.fails(path, {"id": str(uuid.uuid4())}, 404, "NOT_FOUND")

"""Who reaches the compliance records: another organization's manager finds none of this one's requirements,
deadlines or checklists (NOT_FOUND on every procedure, never FORBIDDEN, and empty lists); an owner may not see
them either (NOT_FOUND for the records, FORBIDDEN for what would create one in an association the owner sees)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from tests.cam.compliance.helpers import Compliance, compliance, today
from tests.support.accounts import Account, member_account
from tests.support.rpc import all_ids

LISTS = ("compliance/requirement/v1/list", "compliance/deadline/v1/list", "compliance/checklist/v1/list")


@dataclass
class World:
    hoa: Compliance
    requirement: dict
    deadline: dict
    checklist: dict
    evidence: str
    stranger: Compliance  # the manager of another organization, with its own association
    owner: Account


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    hoa = await compliance(shared_client, "Home")
    requirement = await hoa.requirement()
    deadline = (await hoa.deadlines(requirement["id"], date(today().year + 1, 12, 31)))[0]
    checklist = await hoa.ok(
        "compliance/checklist/v1/create",
        {"association_id": hoa.association_id, "title": "Filing", "deadline_id": deadline["id"],
         "items": [{"title": "File it"}]},
    )  # fmt: skip
    evidence = await hoa.document()
    stranger = await compliance(shared_client, "Elsewhere")
    owner = await member_account(shared_client, hoa.manager, hoa.org, ["OWNER"])
    return World(hoa, requirement, deadline, checklist, evidence, stranger, owner)


def record_calls(w: World) -> list[tuple[str, dict]]:
    rid, did, cid, item = w.requirement["id"], w.deadline["id"], w.checklist["id"], w.checklist["items"][0]["id"]
    return [
        ("compliance/requirement/v1/get", {"id": rid}),
        ("compliance/requirement/v1/update", {"id": rid, "title": "Renamed"}),
        ("compliance/deadline/v1/get", {"id": did}),
        ("compliance/deadline/v1/complete", {"id": did}),
        ("compliance/deadline/v1/waive", {"id": did, "notes": "Not here"}),
        ("compliance/checklist/v1/get", {"id": cid}),
        ("compliance/checklist/v1/addItem", {"id": cid, "title": "More"}),
        ("compliance/checklist/v1/completeItem", {"id": cid, "item_id": item}),
    ]


def create_calls(w: World) -> list[tuple[str, dict]]:
    aid = w.hoa.association_id
    return [
        ("compliance/requirement/v1/create", w.hoa.requirement_body()),
        ("compliance/requirement/v1/adoptDefaults", {"association_id": aid, "jurisdiction": "TX"}),
        ("compliance/deadline/v1/generate", {"association_id": aid, "through": today().isoformat()}),
        ("compliance/checklist/v1/create", {"association_id": aid, "title": "Mine"}),
    ]


async def unchanged(w: World) -> None:
    hoa = w.hoa
    assert (await hoa.ok("compliance/requirement/v1/get", {"id": w.requirement["id"]}))["title"] == "Annual filing"
    assert (await hoa.ok("compliance/deadline/v1/get", {"id": w.deadline["id"]}))["status"] in ("UPCOMING", "DUE_SOON")
    checklist = await hoa.ok("compliance/checklist/v1/get", {"id": w.checklist["id"]})
    assert checklist["status"] == "OPEN"
    assert len(checklist["items"]) == 1
    assert checklist["items"][0]["completed_at"] is None
    listed = await hoa.ok("compliance/requirement/v1/list", {"association_id": hoa.association_id, "limit": 200})
    assert len(listed["items"]) == 1
    checklists = await hoa.ok("compliance/checklist/v1/list", {"association_id": hoa.association_id})
    assert len(checklists["items"]) == 1


async def test_another_organizations_manager_finds_nothing(world: World) -> None:
    w, stranger = world, world.stranger
    theirs = await stranger.requirement()
    their_deadline = (await stranger.deadlines(theirs["id"], date(today().year + 1, 12, 31)))[0]
    calls = [
        *record_calls(w),
        *create_calls(w),
        # their own association, with this organization's deadline or document
        ("compliance/checklist/v1/create",
         {"association_id": stranger.association_id, "title": "Theirs", "deadline_id": w.deadline["id"]}),
        ("compliance/deadline/v1/complete", {"id": their_deadline["id"], "evidence_document_ids": [w.evidence]}),
    ]  # fmt: skip
    for path, body in calls:
        await stranger.fails(path, body, 404, "NOT_FOUND")
    ours = {w.requirement["id"], w.deadline["id"], w.checklist["id"]}
    for path in LISTS:
        assert not ours & await all_ids(stranger.client, stranger.manager, stranger.org, path)
        body = {"association_id": w.hoa.association_id}
        assert await all_ids(stranger.client, stranger.manager, stranger.org, path, body) == set()
    await unchanged(w)


async def test_an_owner_sees_nothing_and_records_nothing(world: World) -> None:
    w, hoa, owner = world, world.hoa, world.owner
    for path, body in record_calls(w):
        await hoa.fails(path, body, 404, "NOT_FOUND", who=owner)
    for path, body in create_calls(w):
        await hoa.fails(path, body, 403, "FORBIDDEN", who=owner)
    for path in LISTS:
        assert await all_ids(hoa.client, owner, hoa.org, path) == set()
    await unchanged(w)


async def test_the_board_reads_everything(world: World) -> None:
    w, hoa = world, world.hoa
    for path, record in (
        ("compliance/requirement/v1/get", w.requirement),
        ("compliance/deadline/v1/get", w.deadline),
        ("compliance/checklist/v1/get", w.checklist),
    ):
        assert (await hoa.ok(path, {"id": record["id"]}, hoa.board))["id"] == record["id"]
    for path, record in zip(LISTS, (w.requirement, w.deadline, w.checklist), strict=True):
        assert record["id"] in await all_ids(hoa.client, hoa.board, hoa.org, path)

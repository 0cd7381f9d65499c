"""The documents an owner may read, through the documents domain's own rules; each download recorded (who, which,
when) and listed for managers only."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.cam.documents.helpers import pdf, upload
from tests.cam.portal.helpers import Portal, portal
from tests.support.accounts import account, organization
from tests.support.rpc import ids


@pytest.fixture(scope="module")
async def p(shared_client: httpx.AsyncClient) -> Portal:
    world = await portal(shared_client, "Docs")
    for title, visibility, association_id in (
        ("Bylaws", "OWNERS", world.association_id),
        ("Vendor contract", "MANAGERS", world.association_id),
        ("Board packet", "BOARD", world.association_id),
        ("Creek rules", "OWNERS", world.other_association_id),
    ):
        body = {"title": title, "category": "RULES", "visibility": visibility,
                "scope": {"type": "ASSOCIATION", "association_id": association_id}}  # fmt: skip
        made = await upload(shared_client, world.manager, world.org, body, pdf(title))
        world.extra[title] = made["id"]
    return world


async def titles(p: Portal, who: object, **filters: object) -> set[str]:
    listed = await p.ok("portal/document/v1/list", {"limit": 200, **filters}, who)  # type: ignore[arg-type]
    return {d["title"] for d in listed["items"]}


async def test_each_reader_lists_what_their_role_may_read(p: Portal) -> None:
    assert await titles(p, p.owner.account) == {"Bylaws"}  # owners: their association's documents for owners
    assert await titles(p, p.board) >= {"Bylaws", "Board packet"}
    assert "Vendor contract" not in await titles(p, p.board)
    assert "Creek rules" not in await titles(p, p.board)  # the board sits for the first association only
    assert await titles(p, p.manager) >= {"Bylaws", "Vendor contract", "Board packet", "Creek rules"}
    assert await titles(p, p.manager, association_id=p.other_association_id) == {"Creek rules"}
    assert await titles(p, p.owner.account, query="bylaws") == {"Bylaws"}


async def test_a_download_is_a_link_and_a_record_managers_read(p: Portal) -> None:
    bylaws = p.extra["Bylaws"]
    link = await p.ok("portal/document/v1/download", {"id": bylaws}, p.owner.account)
    assert (await p.client.get(link["url"])).content == pdf("Bylaws")
    assert link["version_number"] == 1
    # a document she may not read is NOT_FOUND, like one that does not exist; the attempt is recorded too
    hidden = p.extra["Vendor contract"]
    await p.fails("portal/document/v1/download", {"id": hidden}, 404, "NOT_FOUND", who=p.owner.account)
    log = await p.ok("portal/document/v1/downloads", {"limit": 200})
    mine = [(e["document_id"], e["outcome"], e["version_number"]) for e in log["items"]
            if e["user_id"] == str(p.owner.account.user_id)]  # fmt: skip
    assert mine == [(hidden, "REFUSED", None), (bylaws, "DOWNLOADED", 1)]  # newest first
    one = await p.ok("portal/document/v1/downloads", {"document_id": bylaws})
    assert [(e["user_id"], e["file_name"]) for e in one["items"]] == [(str(p.owner.account.user_id), "document.pdf")]
    by_user = await p.ok("portal/document/v1/downloads", {"user_id": str(p.owner.account.user_id)})
    assert len(by_user["items"]) == 2
    # the document domain's own access log shows the same download
    trail = await p.ok("document/v1/getAccessLog", {"id": bylaws})
    assert [(e["action"], e["user_id"]) for e in trail["items"]] == [("DOWNLOADED", str(p.owner.account.user_id))]
    # who downloaded what is for managers only
    for who in (p.owner.account, p.board, p.tenant):
        await p.fails("portal/document/v1/downloads", {}, 403, "FORBIDDEN", who=who)


async def test_another_organizations_document_is_not_found_like_a_random_id(p: Portal) -> None:
    stranger = await account(p.client)
    org = str((await organization(p.client, stranger, "Elsewhere HOA"))["id"])
    other = await p.client.post(
        "/api/v1/rpc/association/v1/create", json={"name": "Elsewhere"}, headers=stranger.headers(org)
    )
    body = {"title": "Theirs", "category": "RULES", "visibility": "OWNERS",
            "scope": {"type": "ASSOCIATION", "association_id": other.json()["data"]["id"]}}  # fmt: skip
    theirs = await upload(p.client, stranger, org, body, pdf("Theirs"))
    answers = []
    for document_id in (theirs["id"], str(uuid.uuid4())):
        error = await p.fails("portal/document/v1/download", {"id": document_id}, 404, "NOT_FOUND")
        answers.append({**error, "message": error["message"].replace(document_id, "<id>"),
                        "details": {**error["details"], "id": "<id>"}})  # fmt: skip
    assert answers[0] == answers[1]
    listed = await p.ok("portal/document/v1/list", {"limit": 200})
    assert theirs["id"] not in ids(listed)

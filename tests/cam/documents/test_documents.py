"""Documents end to end, against local disk and against a real S3-compatible server (moto), with the same tests:
upload, versions, revert, search over extracted text, signed downloads, visibility per role, the access trail,
archive and restore, and another tenant's documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from hestami.core.storage import S3Store
from tests.cam.association.helpers import linked_member, own
from tests.cam.documents.helpers import extracted, fetch, pdf, upload
from tests.cam.work_order.helpers import ADDRESS
from tests.support.accounts import Account, account, join, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import fails, ids, ok, suffix
from tests.support.s3 import MotoServer
from tests.support.s3_fixtures import s3_server  # noqa: F401


@pytest.fixture(scope="module", params=["local", "s3"])
async def storage(request: pytest.FixtureRequest, app: FastAPI) -> Iterator[str]:
    """The app's object store for this module's run: its own local disk, or a bucket on the moto server."""
    runtime = app.state.runtime
    previous = runtime.files
    if request.param == "s3":
        server: MotoServer = request.getfixturevalue("s3_server")
        store = S3Store(server.endpoint_url, f"hestami-docs-{suffix()}", "testing", "testing", "us-east-1")
        await store.ensure_bucket()
        runtime.files = store
    yield request.param
    runtime.files = previous


@dataclass
class World:
    manager: Account
    org: str
    association: dict
    other_association: dict
    unit: dict
    owner: Account  # owns `unit` in `association`
    owner_elsewhere: Account  # owns a unit of `other_association`
    board: Account
    stranger: Account  # a manager of another organization
    stranger_org: str


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient, storage: str) -> World:
    c = shared_client
    manager = await account(c)
    org = (await organization(c, manager, f"Docs HOA {suffix()}"))["id"]
    association, other = [
        await ok(c, manager, org, "association/v1/create", {"name": f"{name} {suffix()}"}) for name in ("Elm", "Ash")
    ]
    units = []
    for assoc in (association, other):
        prop = await ok(
            c, manager, org, "property/v1/create", {"association_id": assoc["id"], "name": "P", "address": ADDRESS}
        )
        body = {"property_id": prop["id"], "unit_number": "1", "unit_type": "SINGLE_FAMILY"}
        units.append(await ok(c, manager, org, "unit/v1/create", body))
    owner, party = await linked_member(c, manager, org, ["OWNER"], "Olga", "Owner")
    await own(c, manager, org, units[0]["id"], party["id"])
    owner_elsewhere, party_elsewhere = await linked_member(c, manager, org, ["OWNER"], "Ash", "Owner")
    await own(c, manager, org, units[1]["id"], party_elsewhere["id"])
    board = await account(c)
    await join(c, manager, org, board, ["BOARD_MEMBER"])
    await seat_on_board(c, manager, org, association["id"], board)
    stranger = await account(c)
    stranger_org = (await organization(c, stranger, f"Other HOA {suffix()}"))["id"]
    return World(
        manager, org, association, other, units[0], owner, owner_elsewhere, board, stranger, stranger_org
    )  # fmt: skip


def new(world: World, title: str, category: str = "RULES", visibility: str = "OWNERS", **extra: object) -> dict:
    scope = {"type": "ASSOCIATION", "association_id": world.association["id"]}
    return {"title": title, "category": category, "visibility": visibility, "scope": scope, **extra}


async def test_upload_new_version_revert_and_search(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world
    tag = suffix()
    rules = await upload(c, w.manager, w.org, new(w, f"Rules {tag}", tags=[tag]), pdf(f"Community Rules {tag}"))
    assert rules["current_version_number"] == 1
    first = rules["current_version"]
    assert first["content_type"] == "application/pdf"
    assert first["scan_status"] == "CLEAN"
    done = await extracted(c, w.manager, w.org, rules["id"])
    assert done["extraction_status"] == "DONE"
    assert done["page_count"] == 1
    assert done["has_preview"] is True

    found = await ok(c, w.manager, w.org, "document/v1/list", {"query": f"pet {tag}"})
    assert ids(found) == [rules["id"]]
    assert "«" in found["items"][0]["excerpt"]
    assert found["items"][0]["rank"] > 0

    body = {"document_id": rules["id"], "change_note": "Pets section replaced"}
    second = await upload(c, w.manager, w.org, body, pdf(f"Community Rules {tag}", ["Section 4. Swimming pool hours."]))
    assert second["current_version_number"] == 2
    await extracted(c, w.manager, w.org, rules["id"])
    assert ids(await ok(c, w.manager, w.org, "document/v1/list", {"query": f"pet {tag}"})) == []
    diff = await ok(
        c, w.manager, w.org, "document/v1/compareVersions", {"id": rules["id"], "from_version": 1, "to_version": 2}
    )
    assert diff["same_content"] is False
    assert "content" in diff["changed"]
    assert "-Section 4. Pets." in diff["text_diff"]

    reverted = await ok(c, w.manager, w.org, "document/v1/revert", {"id": rules["id"], "version": 1})
    assert reverted["current_version_number"] == 3
    assert reverted["current_version"]["sha256"] == first["sha256"]
    assert reverted["current_version"]["reverted_from_version"] == 1
    assert ids(await ok(c, w.manager, w.org, "document/v1/list", {"query": f"pet {tag}"})) == [rules["id"]]
    history = await ok(c, w.manager, w.org, "document/v1/getVersions", {"id": rules["id"]})
    assert [v["version_number"] for v in history["items"]] == [3, 2, 1]
    assert [v["is_current"] for v in history["items"]] == [True, False, False]
    await fails(
        c, w.manager, w.org, "document/v1/revert", {"id": rules["id"], "version": 3}, 422, reason="ALREADY_CURRENT"
    )


async def test_signed_downloads_of_the_original_and_the_preview(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world
    content = pdf("Minutes of the annual meeting")
    minutes = await upload(c, w.manager, w.org, new(w, "Annual minutes", "MINUTES"), content, file_name="minutes.pdf")
    await extracted(c, w.manager, w.org, minutes["id"])
    link = await ok(c, w.manager, w.org, "document/v1/download", {"id": minutes["id"]})
    assert link["file_name"] == "minutes.pdf"
    got = await fetch(c, link["url"])
    assert got.status_code == 200
    assert got.content == content
    assert "attachment" in got.headers["content-disposition"]
    preview = await ok(c, w.manager, w.org, "document/v1/download", {"id": minutes["id"], "variant": "PREVIEW"})
    image = await fetch(c, preview["url"])
    assert image.status_code == 200
    assert image.content.startswith(b"\x89PNG")


async def test_owners_read_only_what_owners_of_their_association_may(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    c, w = shared_client, world
    public = await upload(c, w.manager, w.org, new(w, "Pool rules"), pdf("Pool rules"))
    board_only = await upload(c, w.manager, w.org, new(w, "Legal memo", "CORRESPONDENCE", "BOARD"), pdf("Memo"))
    managers_only = await upload(c, w.manager, w.org, new(w, "Vendor bids", "CONTRACT", "MANAGERS"), pdf("Bids"))

    seen_by_owner = {d["id"] for d in (await ok(c, w.owner, w.org, "document/v1/list", {"limit": 200}))["items"]}
    assert public["id"] in seen_by_owner
    assert not {board_only["id"], managers_only["id"]} & seen_by_owner
    link = await ok(c, w.owner, w.org, "document/v1/download", {"id": public["id"]})
    assert (await fetch(c, link["url"])).status_code == 200
    await fails(c, w.owner, w.org, "document/v1/download", {"id": board_only["id"]}, 404, "NOT_FOUND")
    await fails(c, w.owner, w.org, "document/v1/get", {"id": managers_only["id"]}, 404, "NOT_FOUND")

    # an owner of the other association sees none of this association's documents
    elsewhere = await ok(c, w.owner_elsewhere, w.org, "document/v1/list", {"limit": 200})
    assert public["id"] not in ids(elsewhere)
    await fails(c, w.owner_elsewhere, w.org, "document/v1/download", {"id": public["id"]}, 404, "NOT_FOUND")

    # the board reads owner and board documents, not the managers' own
    seen_by_board = set(ids(await ok(c, w.board, w.org, "document/v1/list", {"limit": 200})))
    assert {public["id"], board_only["id"]} <= seen_by_board
    assert managers_only["id"] not in seen_by_board
    await fails(c, w.board, w.org, "document/v1/archive", {"id": public["id"]}, 403, "FORBIDDEN")

    trail = await ok(c, w.manager, w.org, "document/v1/getAccessLog", {"id": board_only["id"]})
    assert [(e["action"], e["user_id"]) for e in trail["items"]] == [("REFUSED", str(w.owner.user_id))]
    trail = await ok(c, w.manager, w.org, "document/v1/getAccessLog", {"id": public["id"]})
    assert {(e["action"], e["user_id"]) for e in trail["items"]} == {
        ("DOWNLOADED", str(w.owner.user_id)),
        ("REFUSED", str(w.owner_elsewhere.user_id)),
    }
    await fails(c, w.owner, w.org, "document/v1/getAccessLog", {"id": public["id"]}, 403, "FORBIDDEN")


async def test_a_units_document_is_for_that_units_owners(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world
    scope = {"type": "UNIT", "association_id": w.association["id"], "id": w.unit["id"]}
    body = {"title": "Unit 1 inspection", "category": "INSPECTION_REPORT", "visibility": "OWNERS", "scope": scope}
    report = await upload(c, w.manager, w.org, body, pdf("Inspection"))
    assert report["scope_type"] == "UNIT"
    assert (await ok(c, w.owner, w.org, "document/v1/get", {"id": report["id"]}))["id"] == report["id"]
    await fails(c, w.owner_elsewhere, w.org, "document/v1/get", {"id": report["id"]}, 404, "NOT_FOUND")
    wrong = {**body, "scope": {**scope, "association_id": w.other_association["id"]}}
    response = await upload_refusal(c, w, wrong)
    assert response["details"]["reason"] == "WRONG_ASSOCIATION"


async def upload_refusal(c: httpx.AsyncClient, w: World, body: dict) -> dict:
    from tests.cam.documents.helpers import send

    response = await send(c, w.manager, w.org, body, pdf("x"))
    assert response.status_code == 422, response.text
    error: dict = response.json()["error"]
    return error


async def test_archive_restore_and_delete(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world
    tag = suffix()
    budget = await upload(c, w.manager, w.org, new(w, f"Budget {tag}", "BUDGET", tags=[tag]), pdf("Budget"))
    archived = await ok(c, w.manager, w.org, "document/v1/archive", {"id": budget["id"]})
    assert archived["status"] == "ARCHIVED"
    assert budget["id"] not in ids(await ok(c, w.manager, w.org, "document/v1/list", {"limit": 200}))
    listed = await ok(c, w.manager, w.org, "document/v1/list", {"status": "ARCHIVED", "limit": 200})
    assert budget["id"] in ids(listed)
    from tests.cam.documents.helpers import refused

    await refused(c, w.manager, w.org, {"document_id": budget["id"]}, pdf("v2"), 422, "BUSINESS_RULE_VIOLATION",
                  "DOCUMENT_ARCHIVED")  # fmt: skip
    restored = await ok(c, w.manager, w.org, "document/v1/restore", {"id": budget["id"]})
    assert restored["status"] == "ACTIVE"
    await fails(c, w.manager, w.org, "document/v1/restore", {"id": budget["id"]}, 422, reason="NOT_ARCHIVED")
    await ok(c, w.manager, w.org, "document/v1/delete", {"id": budget["id"]})
    await fails(c, w.manager, w.org, "document/v1/get", {"id": budget["id"]}, 404, "NOT_FOUND")


async def test_another_tenants_documents_do_not_exist(shared_client: httpx.AsyncClient, world: World) -> None:
    c, w = shared_client, world
    mine = await upload(c, w.manager, w.org, new(w, "Bylaws", "BYLAWS"), pdf("Bylaws"))
    for path, body in (
        ("document/v1/get", {"id": mine["id"]}),
        ("document/v1/download", {"id": mine["id"]}),
        ("document/v1/getVersions", {"id": mine["id"]}),
        ("document/v1/archive", {"id": mine["id"]}),
        ("document/v1/revert", {"id": mine["id"], "version": 1}),
    ):
        await fails(c, w.stranger, w.stranger_org, path, body, 404, "NOT_FOUND")
    assert mine["id"] not in ids(await ok(c, w.stranger, w.stranger_org, "document/v1/list", {"limit": 200}))
    # nor may a stranger file a document under this organization's association
    scope = {"type": "ASSOCIATION", "association_id": w.association["id"]}
    body = {"title": "x", "category": "RULES", "visibility": "OWNERS", "scope": scope}
    from tests.cam.documents.helpers import refused

    await refused(c, w.stranger, w.stranger_org, body, pdf("x"), 404, "NOT_FOUND")

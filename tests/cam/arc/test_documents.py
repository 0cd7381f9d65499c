"""Documents of an ARC request: filed while the request is a draft or changes were requested (a plan must be a PDF
or images, a photo an image), revised as new versions of the same document, listed with their rounds for whoever
may view the request; a submission needs at least one."""

from __future__ import annotations

import base64
import io

import httpx
import pytest
from PIL import Image

from tests.cam.arc.helpers import Community, add_plan, community, draft, plan_pdf, under_review
from tests.support.rpc import fails, ok


def png_base64() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 30)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture(scope="module")
async def w(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client)


async def test_submit_needs_a_document(shared_client: httpx.AsyncClient, w: Community) -> None:
    rid = (await draft(shared_client, w, "Bare"))["id"]
    await fails(
        shared_client, w.owner, w.org, "arc/request/v1/submit", {"id": rid}, 422, "BUSINESS_RULE_VIOLATION",
        "INCOMPLETE_SUBMISSION",
    )  # fmt: skip


async def test_kinds_and_categories(shared_client: httpx.AsyncClient, w: Community) -> None:
    c = shared_client
    rid = (await draft(c, w, "Landscaping"))["id"]
    photo = await ok(
        c, w.owner, w.org, "arc/request/v1/addDocument",
        {"id": rid, "kind": "PHOTO", "file_name": "yard.png", "content_base64": png_base64()},
    )  # fmt: skip
    assert (photo["kind"], photo["content_type"], photo["round"]) == ("PHOTO", "image/png", 1)
    error = await fails(
        c, w.owner, w.org, "arc/request/v1/addDocument",
        {"id": rid, "kind": "PHOTO", "file_name": "plan.pdf", "content_base64": plan_pdf()},
        422, "BUSINESS_RULE_VIOLATION", "WRONG_TYPE_FOR_CATEGORY",
    )  # fmt: skip
    assert error["details"]["category"] == "PHOTO"
    spec = await ok(
        c, w.manager, w.org, "arc/request/v1/addDocument",
        {"id": rid, "kind": "SPECIFICATION", "file_name": "spec.pdf", "content_base64": plan_pdf("Spec sheet.")},
    )  # fmt: skip
    assert (spec["kind"], spec["content_type"]) == ("SPECIFICATION", "application/pdf")
    assert spec["added_by"] == str(w.manager.user_id)
    await fails(
        c, w.owner, w.org, "arc/request/v1/addDocument",
        {"id": rid, "kind": "PLAN", "file_name": "x.pdf", "content_base64": "not base64!"}, 400, "VALIDATION_FAILED",
    )  # fmt: skip
    # the documents are the request's, managers only in the document library
    got = await ok(c, w.manager, w.org, "document/v1/get", {"id": photo["document_id"]})
    assert (got["scope_type"], got["scope_id"], got["category"], got["visibility"]) == (
        "ARC_REQUEST", rid, "PHOTO", "MANAGERS",
    )  # fmt: skip
    assert (await ok(c, w.manager, w.org, "document/v1/get", {"id": spec["document_id"]}))["category"] == "ARC_PLAN"
    await fails(c, w.owner, w.org, "document/v1/get", {"id": photo["document_id"]}, 404, "NOT_FOUND")
    listed = await ok(c, w.owner, w.org, "arc/request/v1/listDocuments", {"id": rid})
    assert [(d["kind"], d["version_number"]) for d in listed["items"]] == [("PHOTO", 1), ("SPECIFICATION", 1)]


async def test_revisions_and_who_lists_them(shared_client: httpx.AsyncClient, w: Community) -> None:
    c = shared_client
    request = await under_review(c, w, "Fence revisions")
    rid = request["id"]
    plan = (await ok(c, w.owner, w.org, "arc/request/v1/listDocuments", {"id": rid}))["items"][0]
    await fails(
        c, w.owner, w.org, "arc/request/v1/addDocument",
        {"id": rid, "kind": "PLAN", "file_name": "late.pdf", "content_base64": plan_pdf()},
        422, "BUSINESS_RULE_VIOLATION", "NOT_EDITABLE",
    )  # fmt: skip
    for member in w.members[:2]:
        body = {"request_id": rid, "action": "REQUEST_CHANGES"}
        await ok(c, member, w.org, "arc/review/v1/submitReview", body)
    body = {"request_id": rid, "reasons": "Show the gate."}
    assert (await ok(c, w.manager, w.org, "arc/review/v1/recordDecision", body))["status"] == "CHANGES_REQUESTED"

    # a revision is a new version of a document of this request only
    other = (await draft(c, w, "Other"))["id"]
    foreign = await add_plan(c, w, other)
    await fails(
        c, w.owner, w.org, "arc/request/v1/addDocument",
        {"id": rid, "file_name": "x.pdf", "content_base64": plan_pdf(), "document_id": foreign["document_id"]},
        404, "NOT_FOUND",
    )  # fmt: skip
    revised = await add_plan(c, w, rid, "With a gate.", document_id=plan["document_id"])
    assert (revised["kind"], revised["version_number"], revised["round"]) == ("PLAN", 2, 2)
    # a revision keeps the document's category (ARC_PLAN takes a PDF or images)
    photo_plan = await ok(
        c, w.owner, w.org, "arc/request/v1/addDocument",
        {"id": rid, "file_name": "gate.png", "content_base64": png_base64(), "document_id": plan["document_id"]},
    )  # fmt: skip
    assert (photo_plan["version_number"], photo_plan["content_type"]) == (3, "image/png")

    for who in (w.owner, w.members[2], w.board, w.manager):
        listed = await ok(c, who, w.org, "arc/request/v1/listDocuments", {"id": rid})
        assert [(d["document_id"], d["version_number"], d["round"]) for d in listed["items"]] == [
            (plan["document_id"], 1, 1), (plan["document_id"], 2, 2), (plan["document_id"], 3, 2),
        ]  # fmt: skip
    await fails(c, w.outsider, w.org, "arc/request/v1/listDocuments", {"id": rid}, 404, "NOT_FOUND")
    await fails(
        c, w.outsider, w.org, "arc/request/v1/addDocument",
        {"id": rid, "file_name": "x.pdf", "content_base64": plan_pdf()}, 404, "NOT_FOUND",
    )  # fmt: skip
    await fails(
        c, w.board, w.org, "arc/request/v1/addDocument",
        {"id": rid, "file_name": "x.pdf", "content_base64": plan_pdf()}, 403, "FORBIDDEN",
    )  # fmt: skip
    versions = await ok(c, w.manager, w.org, "document/v1/getVersions", {"id": plan["document_id"]})
    assert sorted(v["version_number"] for v in versions["items"]) == [1, 2, 3]
    resubmitted = await ok(c, w.owner, w.org, "arc/request/v1/submit", {"id": rid})
    assert (resubmitted["status"], resubmitted["round"]) == ("UNDER_REVIEW", 2)


async def test_the_committee_opens_the_plans_and_outsiders_cannot(
    shared_client: httpx.AsyncClient, w: Community
) -> None:
    c = shared_client
    request = await draft(c, w, "Solar panels")
    first = await add_plan(c, w, request["id"], "Version one: twelve panels on the south roof.")
    await add_plan(c, w, request["id"], "Version two: ten panels.", document_id=first["document_id"])
    await ok(c, w.owner, w.org, "arc/request/v1/submit", {"id": request["id"]})
    await ok(
        c, w.manager, w.org, "arc/review/v1/assignCommittee",
        {"request_id": request["id"], "committee_id": w.committee["id"]},
    )  # fmt: skip
    wanted = {"id": request["id"], "document_id": first["document_id"]}
    latest = await ok(c, w.members[1], w.org, "arc/request/v1/downloadDocument", wanted)
    assert latest["version_number"] == 2
    assert (await c.get(latest["url"])).content.startswith(b"%PDF")
    older = await ok(c, w.board, w.org, "arc/request/v1/downloadDocument", {**wanted, "version_number": 1})
    assert older["version_number"] == 1
    assert older["sha256"] == first["sha256"]
    await fails(c, w.outsider, w.org, "arc/request/v1/downloadDocument", wanted, 404, "NOT_FOUND")
    trail = await ok(c, w.manager, w.org, "document/v1/getAccessLog", {"id": first["document_id"]})
    assert {e["user_id"] for e in trail["items"]} == {str(w.members[1].user_id), str(w.board.user_id)}

"""A request becomes a work order (journey 2, step 3): once, also when two managers convert it at the same moment;
the work order keeps the request's words, place and files (the same bytes) and each names the other; the owner
follows the work order from the request without any right on work orders, and hears of the conversion once."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from tests.cam.portal.helpers import Portal, attachment, outbox, photo_bytes, portal, scalar
from tests.support.race import Held, race
from tests.support.rpc import post


@pytest.fixture(scope="module")
async def p(shared_client: httpx.AsyncClient) -> Portal:
    return await portal(shared_client, "Convert")


async def gate_request(p: Portal, content: bytes) -> dict:
    return await p.ask(
        category="MAINTENANCE", subject="Entry gate stuck open", unit_id=None, common_area_id=p.gate_id,
        description="The arm stays up since Sunday.", attachments=[attachment("gate.png", content)],
    )  # fmt: skip


async def test_olivia_follows_the_work_order_her_gate_request_became(p: Portal) -> None:
    content = photo_bytes()
    asked = await gate_request(p, content)
    body = {"id": asked["id"], "priority": "HIGH", "category": "GATE", "note": "Check the limit switch."}
    converted = await p.ok("portal/request/v1/convertToWorkOrder", body)
    request, order = converted["request"], converted["work_order"]
    assert (request["status"], request["work_order_id"]) == ("CONVERTED", order["id"])
    assert (order["status"], order["priority"], order["category"]) == ("SUBMITTED", "HIGH", "GATE")
    assert order["title"] == "Entry gate stuck open"
    # the work order names the request, keeps its words and place, and has the same file (the same bytes)
    full = await p.ok("workOrder/v1/get", {"id": order["id"]})
    assert full["owner_request_id"] == asked["id"]
    assert full["common_area_id"] == p.gate_id
    assert full["description"].startswith("The arm stays up since Sunday.")
    assert asked["number"] in full["description"]
    assert "Check the limit switch." in full["description"]
    files = await p.ok("workOrder/v1/listAttachments", {"id": order["id"]})
    assert [(f["file_name"], f["sha256"]) for f in files["items"]] == [
        ("gate.png", hashlib.sha256(content).hexdigest())
    ]
    stored = await scalar(
        p.org,
        "SELECT count(DISTINCT storage_key) FROM document_versions WHERE sha256 = :s",
        s=hashlib.sha256(content).hexdigest(),
    )
    assert stored == 1  # one stored object for the request's file and the work order's
    # Olivia has no right on the work order (a common area's, requested by the manager) ...
    await p.fails("workOrder/v1/get", {"id": order["id"]}, 404, "NOT_FOUND", who=p.owner.account)
    # ... and follows it from her request: number, status, history, files
    mine = await p.ok("portal/request/v1/get", {"id": asked["id"]}, p.owner.account)
    followed = mine["work_order"]
    assert (followed["number"], followed["status"]) == (order["number"], "SUBMITTED")
    assert [(s["from_status"], s["to_status"]) for s in followed["history"]] == [
        (None, "DRAFT"),
        ("DRAFT", "SUBMITTED"),
    ]
    assert [f["source"] for f in followed["attachments"]] == ["WORK_ORDER"]
    ref = {"id": asked["id"], "attachment_id": followed["attachments"][0]["id"]}
    link = await p.ok("portal/request/v1/downloadAttachment", ref, p.owner.account)
    assert (await p.client.get(link["url"])).content == content
    # the work order moves on: she sees it
    await p.ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    again = await p.ok("portal/request/v1/get", {"id": asked["id"]}, p.owner.account)
    assert again["work_order"]["status"] == "TRIAGED"
    assert [e["to_status"] for e in again["history"] if e["kind"] == "STATUS"] == ["CONVERTED"]
    # told once: in the portal and by email
    told = [(t, ch) for t, ch, _, _ in await outbox(p.org, asked["id"]) if t == "owner_request.converted"]
    assert sorted(told) == [("owner_request.converted", "EMAIL"), ("owner_request.converted", "PORTAL")]
    # a neighbour learns nothing of it
    await p.fails("portal/request/v1/get", {"id": asked["id"]}, 404, "NOT_FOUND", who=p.neighbour.account)
    await p.fails("portal/request/v1/downloadAttachment", ref, 404, "NOT_FOUND", who=p.neighbour.account)


async def test_a_second_conversion_names_the_first_work_order(p: Portal) -> None:
    asked = await p.ask()
    first = await p.ok("portal/request/v1/convertToWorkOrder", {"id": asked["id"]})
    error = await p.fails("portal/request/v1/convertToWorkOrder", {"id": asked["id"]}, 422,
                          "BUSINESS_RULE_VIOLATION", "ALREADY_CONVERTED")  # fmt: skip
    assert error["details"]["work_order_id"] == first["work_order"]["id"]
    assert error["details"]["work_order_number"] == first["work_order"]["number"]
    # resolved later: still converted once
    await p.ok("portal/request/v1/updateStatus", {"id": asked["id"], "status": "RESOLVED", "note": "Done."})
    await p.fails("portal/request/v1/convertToWorkOrder", {"id": asked["id"]}, 422, "BUSINESS_RULE_VIOLATION",
                  "ALREADY_CONVERTED")  # fmt: skip


async def test_two_conversions_at_once_make_one_work_order(p: Portal) -> None:
    """Both requests are held at the request's row (what the conversion locks before it reads): the first converts,
    the second then finds it converted."""
    asked = await p.ask(attachments=[attachment()])
    held = Held(p.org, "SELECT id FROM owner_requests WHERE id = :id FOR UPDATE", {"id": asked["id"]})
    body = {"id": asked["id"]}
    responses = await race(held, *(post(p.client, p.manager, p.org, "portal/request/v1/convertToWorkOrder", body)
                                   for _ in "ab"))  # fmt: skip
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 422], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 422).json()["error"]
    assert refused["details"]["reason"] == "ALREADY_CONVERTED"
    made = await scalar(p.org, "SELECT count(*) FROM work_orders WHERE owner_request_id = :id", id=asked["id"])
    assert made == 1
    copies = await scalar(
        p.org, "SELECT count(*) FROM documents WHERE scope_type = 'WORK_ORDER' AND scope_id = "
        "(SELECT work_order_id FROM owner_requests WHERE id = :id)", id=asked["id"],
    )  # fmt: skip
    assert copies == 1


async def test_who_may_convert_and_from_where(p: Portal) -> None:
    asked = await p.ask()
    await p.fails("portal/request/v1/convertToWorkOrder", {"id": asked["id"]}, 403, "FORBIDDEN", who=p.owner.account)
    await p.fails("portal/request/v1/convertToWorkOrder", {"id": asked["id"]}, 403, "FORBIDDEN", who=p.board)
    await p.fails("portal/request/v1/convertToWorkOrder", {"id": asked["id"]}, 404, "NOT_FOUND",
                  who=p.neighbour.account)  # fmt: skip
    cancelled = await p.ask()
    await p.ok("portal/request/v1/cancel", {"id": cancelled["id"]}, p.owner.account)
    before = await scalar(p.org, "SELECT count(*) FROM work_orders WHERE organization_id = :o", o=p.org)
    error = await p.fails("portal/request/v1/convertToWorkOrder", {"id": cancelled["id"]}, 409,
                          "INVALID_STATE_TRANSITION")  # fmt: skip
    assert (error["details"]["from"], error["details"]["to"]) == ("CANCELLED", "CONVERTED")
    assert await scalar(p.org, "SELECT count(*) FROM work_orders WHERE organization_id = :o", o=p.org) == before
    # a unit's request becomes that unit's work order, which its owner may also open directly
    converted = await p.ok("portal/request/v1/convertToWorkOrder", {"id": asked["id"], "title": "Kitchen leak"})
    order = await p.ok("workOrder/v1/get", {"id": converted["work_order"]["id"]}, p.owner.account)
    assert (order["unit_id"], order["title"]) == (p.owner.unit_id, "Kitchen leak")


async def test_an_owner_with_email_off_hears_in_the_portal_only(p: Portal) -> None:
    prefs = {"party_id": p.neighbour.party_id, "email": False, "sms": True, "mail": True, "opted_out_categories": []}
    await p.ok("portal/profile/v1/updatePreferences", prefs, p.neighbour.account)
    asked = await p.ask(p.neighbour)
    await p.ok("portal/request/v1/convertToWorkOrder", {"id": asked["id"]})
    await p.ok("portal/request/v1/updateStatus", {"id": asked["id"], "status": "RESOLVED", "note": "Fixed."})
    told = sorted((t, ch) for t, ch, _, _ in await outbox(p.org, asked["id"]) if t != "owner_request.submitted")
    assert told == [("owner_request.converted", "PORTAL"), ("owner_request.resolved", "PORTAL")]

"""Owner requests: who may ask about what, numbering per association, the lifecycle in one table with a history row
per move and comment, internal notes, files, who sees which requests, and the owner's notices."""

from __future__ import annotations

import httpx
import pytest

from tests.cam.portal.helpers import Portal, attachment, outbox, photo_bytes, portal, scalar
from tests.support.race import Held, race
from tests.support.rpc import ids, ok, post


@pytest.fixture(scope="module")
async def p(shared_client: httpx.AsyncClient) -> Portal:
    return await portal(shared_client)


async def test_an_owner_asks_about_their_unit_and_a_common_area_numbered_per_association(p: Portal) -> None:
    first = await p.ask(description="  Water under the sink.  ")
    assert (first["status"], first["category"], first["description"]) == (
        "SUBMITTED",
        "MAINTENANCE",
        "Water under the sink.",
    )
    assert (first["party_id"], first["submitted_by"]) == (p.owner.party_id, str(p.owner.account.user_id))
    assert first["owner_user_id"] == str(p.owner.account.user_id)
    gate = await p.ask(category="COMMON_AREA", unit_id=None, common_area_id=p.gate_id, subject="Gate stuck")
    assert gate["common_area_id"] == p.gate_id
    assert gate["unit_id"] is None
    assert int(gate["number"].removeprefix("REQ-")) == int(first["number"].removeprefix("REQ-")) + 1
    assert [(e["kind"], e["to_status"]) for e in first["history"]] == [("SUBMITTED", "SUBMITTED")]
    # the other association counts from 1
    body = {"association_id": p.other_association_id, "category": "OTHER", "subject": "Hello", "description": "Hi",
            "common_area_id": p.other_gate_id}  # fmt: skip
    elsewhere = await p.ok("portal/request/v1/create", body)
    assert elsewhere["number"] == "REQ-000001"
    # the managers heard of the new request, once
    sent = await outbox(p.org, first["id"])
    assert [(t, ch, r) for t, ch, r, _ in sent] == [("owner_request.submitted", "EMAIL", p.manager.email)]


async def test_what_an_owner_may_not_ask_about(p: Portal) -> None:
    # a neighbour's unit is not theirs to see: NOT_FOUND like any unknown unit
    await p.fails("portal/request/v1/create", {**base(p), "unit_id": p.neighbour.unit_id}, 404, "NOT_FOUND",
                  who=p.owner.account)  # fmt: skip
    # a place of the other association
    wrong = {**base(p), "common_area_id": p.other_gate_id}
    await p.fails("portal/request/v1/create", wrong, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION",
                  who=p.owner.account)  # fmt: skip
    # someone else's party
    await p.fails("portal/request/v1/create", {**base(p), "party_id": p.neighbour.party_id}, 404, "NOT_FOUND",
                  who=p.owner.account)  # fmt: skip
    # neither a unit nor a common area
    body = {k: v for k, v in base(p).items() if k != "unit_id"}
    await p.fails("portal/request/v1/create", body, 400, "VALIDATION_FAILED", who=p.owner.account)
    # the board member owns nothing here: sees every unit, but may not ask about one, nor about the gate
    await p.fails("portal/request/v1/create", base(p), 422, "BUSINESS_RULE_VIOLATION", "NOT_YOUR_UNIT", who=p.board)
    gate_only = {**base(p), "unit_id": None, "common_area_id": p.gate_id}
    await p.fails("portal/request/v1/create", gate_only, 422, "BUSINESS_RULE_VIOLATION", "NOT_A_RESIDENT",
                  who=p.board)  # fmt: skip
    # a file that is not base64; nothing was written, no number taken
    before = await count(p)
    bad = {**base(p), "attachments": [{"file_name": "x.png", "content_base64": "!!!"}]}
    error = await p.fails("portal/request/v1/create", bad, 400, "VALIDATION_FAILED", who=p.owner.account)
    assert error["field_errors"][0]["field"] == "/attachments/0/content_base64"
    empty = {**base(p), "attachments": [{"file_name": "x.txt", "content_base64": "AAAA" * 3}]}
    await p.fails("portal/request/v1/create", empty, 422, "BUSINESS_RULE_VIOLATION", "UNKNOWN_FILE_TYPE",
                  who=p.owner.account)  # fmt: skip
    assert await count(p) == before


def base(p: Portal) -> dict:
    return {"association_id": p.association_id, "category": "GENERAL_INQUIRY", "subject": "Question",
            "description": "When is trash day?", "unit_id": p.owner.unit_id}  # fmt: skip


async def count(p: Portal) -> int:
    return int(await scalar(p.org, "SELECT count(*) FROM owner_requests WHERE organization_id = :o", o=p.org))


async def test_a_tenant_asks_for_their_unit_and_both_the_manager_and_the_board_see_it(p: Portal) -> None:
    body = {**base(p), "unit_id": p.neighbour.unit_id, "subject": "Noisy AC", "category": "NOISE_OR_NUISANCE"}
    asked = await p.ok("portal/request/v1/create", body, p.tenant)
    assert asked["party_id"] == p.tenant_party_id
    for who in (p.manager, p.board, p.tenant):
        assert (await p.ok("portal/request/v1/get", {"id": asked["id"]}, who))["id"] == asked["id"]
    for who in (p.owner.account, p.neighbour.account):  # not theirs (the neighbour owns the unit, did not ask)
        await p.fails("portal/request/v1/get", {"id": asked["id"]}, 404, "NOT_FOUND", who=who)
    # the board reads but changes nothing
    await p.fails("portal/request/v1/updateStatus", {"id": asked["id"], "status": "IN_REVIEW"}, 403, "FORBIDDEN",
                  who=p.board)  # fmt: skip
    await p.fails("portal/request/v1/addComment", {"id": asked["id"], "body": "Hm"}, 403, "FORBIDDEN", who=p.board)


async def test_lists_show_each_caller_what_they_may_see(p: Portal) -> None:
    mine = await p.ask(subject="Mine")
    theirs = await p.ask(p.neighbour, subject="Theirs")
    owner_sees = set(ids(await p.ok("portal/request/v1/list", {"limit": 200}, p.owner.account)))
    assert mine["id"] in owner_sees
    assert theirs["id"] not in owner_sees
    manager_sees = set(ids(await p.ok("portal/request/v1/list", {"limit": 200, "association_id": p.association_id})))
    assert {mine["id"], theirs["id"]} <= manager_sees
    board_sees = set(ids(await p.ok("portal/request/v1/list", {"limit": 200}, p.board)))
    assert {mine["id"], theirs["id"]} <= board_sees
    other = await p.ok("portal/request/v1/list", {"association_id": p.other_association_id, "limit": 200}, p.board)
    assert other["items"] == []  # the board sits for the first association only
    assert ids(await p.ok("portal/request/v1/list", {"mine": True, "limit": 200}, p.neighbour.account)) == [
        theirs["id"]
    ]


async def test_moves_comments_and_notes_each_leave_one_history_row(p: Portal) -> None:
    asked = await p.ask()
    rid = asked["id"]
    await p.ok("portal/request/v1/updateStatus", {"id": rid, "status": "IN_REVIEW"})
    await p.ok("portal/request/v1/addComment", {"id": rid, "body": "A plumber is booked."})
    await p.ok("portal/request/v1/addComment", {"id": rid, "body": "Owner is difficult.", "internal": True})
    await p.ok("portal/request/v1/addComment", {"id": rid, "body": "Thanks!", "internal": True}, p.owner.account)
    done = await p.ok("portal/request/v1/updateStatus", {"id": rid, "status": "RESOLVED", "note": "Fixed the trap."})
    assert (done["status"], done["resolution"]) == ("RESOLVED", "Fixed the trap.")
    assert done["resolved_at"]
    manager_view = [(e["kind"], e["to_status"], e["body"], e["internal"]) for e in done["history"]]
    assert manager_view == [
        ("SUBMITTED", "SUBMITTED", None, False),
        ("STATUS", "IN_REVIEW", None, False),
        ("COMMENT", None, "A plumber is booked.", False),
        ("COMMENT", None, "Owner is difficult.", True),
        ("COMMENT", None, "Thanks!", False),  # an owner's comment is never internal
        ("STATUS", "RESOLVED", "Fixed the trap.", False),
    ]
    assert [e["actor_user_id"] for e in done["history"]][-2] == str(p.owner.account.user_id)
    owner_view = await p.ok("portal/request/v1/get", {"id": rid}, p.owner.account)
    assert "Owner is difficult." not in [e["body"] for e in owner_view["history"]]
    assert len(owner_view["history"]) == 5
    # resolved: told once, in the portal and by email
    await p.ok("portal/request/v1/updateStatus", {"id": rid, "status": "CLOSED"})
    told = [(t, ch, r) for t, ch, r, _ in await outbox(p.org, rid) if t == "owner_request.resolved"]
    assert sorted(told) == [
        ("owner_request.resolved", "EMAIL", p.owner.account.email),
        ("owner_request.resolved", "PORTAL", f"user:{p.owner.account.user_id}"),
    ]
    seen = await ok(p.client, p.owner.account, p.org, "notification/v1/list", {"entity_id": rid})
    assert {n["template"] for n in seen["items"]} == {"owner_request.resolved"}
    # closed: no more comments, no more moves
    await p.fails("portal/request/v1/addComment", {"id": rid, "body": "?"}, 422, "BUSINESS_RULE_VIOLATION",
                  "NOT_EDITABLE", who=p.owner.account)  # fmt: skip
    error = await p.fails("portal/request/v1/updateStatus", {"id": rid, "status": "IN_REVIEW"}, 409,
                          "INVALID_STATE_TRANSITION")  # fmt: skip
    assert (error["details"]["from"], error["details"]["to"]) == ("CLOSED", "IN_REVIEW")


async def test_the_owner_cancels_while_no_one_acted_and_only_the_owner(p: Portal) -> None:
    asked = await p.ask()
    await p.fails("portal/request/v1/cancel", {"id": asked["id"]}, 403, "FORBIDDEN")  # managers close instead
    await p.fails("portal/request/v1/cancel", {"id": asked["id"]}, 404, "NOT_FOUND", who=p.neighbour.account)
    cancelled = await p.ok("portal/request/v1/cancel", {"id": asked["id"], "reason": "Fixed it myself."},
                           p.owner.account)  # fmt: skip
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancelled_at"]
    resolved = await p.ask()
    await p.ok("portal/request/v1/updateStatus", {"id": resolved["id"], "status": "RESOLVED"})
    await p.fails("portal/request/v1/cancel", {"id": resolved["id"]}, 409, "INVALID_STATE_TRANSITION",
                  who=p.owner.account)  # fmt: skip


async def test_files_go_with_the_request_and_only_its_readers_download_them(p: Portal) -> None:
    content = photo_bytes()
    asked = await p.ask(attachments=[attachment("sink.png", content)])
    assert [(f["file_name"], f["source"], f["content_type"]) for f in asked["attachments"]] == [
        ("sink.png", "REQUEST", "image/png")
    ]
    ref = {"id": asked["id"], "attachment_id": asked["attachments"][0]["id"]}
    link = await p.ok("portal/request/v1/downloadAttachment", ref, p.owner.account)
    assert (await p.client.get(link["url"])).content == content
    await p.fails("portal/request/v1/downloadAttachment", ref, 404, "NOT_FOUND", who=p.neighbour.account)
    # owners do not find the file among the documents (managers' visibility), managers do
    listed = await p.ok("document/v1/list", {"association_id": p.association_id, "limit": 200}, p.owner.account)
    assert ref["attachment_id"] not in ids(listed)
    await p.fails("document/v1/get", {"id": ref["attachment_id"]}, 404, "NOT_FOUND", who=p.owner.account)
    # another request's file is not this one's
    other = await p.ask()
    await p.fails("portal/request/v1/downloadAttachment", {**ref, "id": other["id"]}, 404, "NOT_FOUND",
                  who=p.owner.account)  # fmt: skip
    # up to five, while open
    added = None
    for n in range(4):
        added = await p.ok("portal/request/v1/addAttachment", {"id": asked["id"], **attachment(f"{n}.png")},
                           p.owner.account)  # fmt: skip
    assert added is not None
    assert len(added["attachments"]) == 5
    assert [e["kind"] for e in added["history"]].count("ATTACHMENT") == 5
    await p.fails("portal/request/v1/addAttachment", {"id": asked["id"], **attachment()}, 422,
                  "BUSINESS_RULE_VIOLATION", "TOO_MANY_ATTACHMENTS", who=p.owner.account)  # fmt: skip
    await p.ok("portal/request/v1/updateStatus", {"id": other["id"], "status": "RESOLVED"})
    await p.fails("portal/request/v1/addAttachment", {"id": other["id"], **attachment()}, 422,
                  "BUSINESS_RULE_VIOLATION", "NOT_EDITABLE", who=p.owner.account)  # fmt: skip


async def test_a_manager_files_for_an_owner_who_then_follows_it(p: Portal) -> None:
    body = {**base(p), "unit_id": p.neighbour.unit_id, "party_id": p.neighbour.party_id, "subject": "Phoned in"}
    filed = await p.ok("portal/request/v1/create", body)
    assert (filed["submitted_by"], filed["owner_user_id"]) == (str(p.manager.user_id), str(p.neighbour.account.user_id))
    assert (await p.ok("portal/request/v1/get", {"id": filed["id"]}, p.neighbour.account))["id"] == filed["id"]
    await p.fails("portal/request/v1/get", {"id": filed["id"]}, 404, "NOT_FOUND", who=p.owner.account)


async def test_requests_asked_at_the_same_moment_take_consecutive_numbers(p: Portal) -> None:
    """Both requests are held at the association's row (what numbering locks, after the checks have read): each
    takes its own number, none is repeated or skipped."""
    before = await scalar(
        p.org, "SELECT coalesce(max(number), 0) FROM owner_requests WHERE association_id = :a", a=p.association_id
    )
    held = Held(p.org, "SELECT id FROM associations WHERE id = :id FOR UPDATE", {"id": p.association_id})
    asks = [
        post(p.client, who.account, p.org, "portal/request/v1/create", {**base(p), "unit_id": who.unit_id})
        for who in (p.owner, p.neighbour)
    ]
    responses = await race(held, *asks)
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    numbers = sorted(int(r.json()["data"]["number"].removeprefix("REQ-")) for r in responses)
    assert numbers == [before + 1, before + 2]

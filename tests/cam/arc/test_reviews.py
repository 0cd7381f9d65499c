"""Review and decision through the API: a submitted request goes to a committee of its association, the members
vote per round, the decision follows the votes (quorum, then threshold), changes requested send the owner back to
revise and resubmit (round 2, the same committee), and an approval with conditions carries its expiry. Every
status change tells the requester."""

from __future__ import annotations

import httpx
import pytest

from tests.cam.arc.helpers import Community, add_plan, community, draft, under_review, vote
from tests.support.rpc import all_ids, fails, ok


@pytest.fixture(scope="module")
async def w(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client)


async def test_changes_requested_then_resubmitted_and_approved_with_conditions(
    shared_client: httpx.AsyncClient, w: Community
) -> None:
    c = shared_client
    request = await draft(c, w)
    rid = request["id"]
    plan = await add_plan(c, w, rid, "A 6 ft cedar fence along the back line.")
    assert (plan["kind"], plan["version_number"], plan["round"]) == ("PLAN", 1, 1)
    submitted = await ok(c, w.owner, w.org, "arc/request/v1/submit", {"id": rid})
    assert (submitted["status"], submitted["round"]) == ("SUBMITTED", 1)
    assigned = await ok(
        c, w.manager, w.org, "arc/review/v1/assignCommittee", {"request_id": rid, "committee_id": w.committee["id"]}
    )
    assert (assigned["status"], assigned["committee_id"]) == ("UNDER_REVIEW", w.committee["id"])

    first = await vote(c, w, w.members[0], rid, "REQUEST_CHANGES")
    assert (first["round"], first["reviewer_user_id"]) == (1, str(w.members[0].user_id))
    await vote(c, w, w.members[1], rid, "REQUEST_CHANGES")
    decided = await ok(
        c, w.members[0], w.org, "arc/review/v1/recordDecision",
        {"request_id": rid, "reasons": "Show the fence's height at the property line."},
    )  # fmt: skip
    assert (decided["status"], decided["decision"]) == ("CHANGES_REQUESTED", "CHANGES_REQUESTED")
    assert decided["decided_by"] == str(w.members[0].user_id)
    assert decided["review_due_at"] is None
    assert decided["approval_expires_at"] is None

    lines = ("A 6 ft cedar fence along the back line.", "Height at the line: 6 ft.")
    revised = await add_plan(c, w, rid, *lines, document_id=plan["document_id"])
    assert (revised["document_id"], revised["version_number"], revised["round"]) == (plan["document_id"], 2, 2)
    again = await ok(c, w.owner, w.org, "arc/request/v1/submit", {"id": rid})
    assert (again["status"], again["round"], again["committee_id"]) == ("UNDER_REVIEW", 2, w.committee["id"])
    assert (await ok(c, w.owner, w.org, "arc/review/v1/listReviews", {"request_id": rid}))["items"] == []

    await vote(c, w, w.members[0], rid, "APPROVE")
    await vote(c, w, w.members[1], rid, "APPROVE")
    await vote(c, w, w.members[2], rid, "DENY")
    conditions = ["Stain within 30 days of completion.", "Keep the fence 2 ft off the sidewalk."]
    approved = await ok(
        c, w.manager, w.org, "arc/review/v1/recordDecision",
        {"request_id": rid, "reasons": "Two of three members approve.", "conditions": conditions},
    )  # fmt: skip
    assert approved["status"] == "APPROVED_WITH_CONDITIONS"
    assert approved["decision"] == "APPROVED_WITH_CONDITIONS"
    assert approved["conditions"] == conditions
    assert approved["approval_expires_at"] is not None
    assert approved["deemed"] is False

    # the owner follows their request, its reviews of both rounds and every document version
    got = await ok(c, w.owner, w.org, "arc/request/v1/get", {"id": rid})
    assert [h["to_status"] for h in got["history"]] == [
        "DRAFT", "SUBMITTED", "UNDER_REVIEW", "CHANGES_REQUESTED", "SUBMITTED", "UNDER_REVIEW",
        "APPROVED_WITH_CONDITIONS",
    ]  # fmt: skip
    assert rid in await all_ids(c, w.owner, w.org, "arc/request/v1/list", {})
    round2 = await ok(c, w.owner, w.org, "arc/review/v1/listReviews", {"request_id": rid})
    assert sorted(r["action"] for r in round2["items"]) == ["APPROVE", "APPROVE", "DENY"]
    round1 = await ok(c, w.owner, w.org, "arc/review/v1/listReviews", {"request_id": rid, "round": 1})
    assert [r["action"] for r in round1["items"]] == ["REQUEST_CHANGES", "REQUEST_CHANGES"]
    versions = await ok(c, w.manager, w.org, "document/v1/getVersions", {"id": plan["document_id"]})
    assert sorted(v["version_number"] for v in versions["items"]) == [1, 2]
    pair = {"id": plan["document_id"], "from_version": 1, "to_version": 2}
    compared = await ok(c, w.manager, w.org, "document/v1/compareVersions", pair)
    assert "content" in compared["changed"]

    # the requester was told of every status change
    notices = await ok(c, w.manager, w.org, "notification/v1/list", {"entity_id": rid, "limit": 200})
    to_owner = [n["template"] for n in notices["items"] if n["recipient_user_id"] == str(w.owner.user_id)]
    assert to_owner == [
        "arc.request.submitted", "arc.request.under_review", "arc.request.changes_requested",
        "arc.request.submitted", "arc.request.under_review", "arc.request.approved_with_conditions",
    ]  # fmt: skip
    to_member = [n["template"] for n in notices["items"] if n["recipient_user_id"] == str(w.members[2].user_id)]
    assert to_member == ["arc.request.under_review", "arc.request.under_review"]
    mine = await ok(c, w.owner, w.org, "notification/v1/list", {"entity_id": rid, "limit": 200})
    assert len(mine["items"]) == len(to_owner)


async def test_a_decision_needs_quorum_and_a_denial_is_final(shared_client: httpx.AsyncClient, w: Community) -> None:
    c = shared_client
    rid = (await under_review(c, w, "Solar panels"))["id"]
    await vote(c, w, w.members[0], rid, "DENY")
    error = await fails(
        c, w.manager, w.org, "arc/review/v1/recordDecision", {"request_id": rid, "reasons": "Too early."}, 422,
        "BUSINESS_RULE_VIOLATION", "NO_QUORUM",
    )  # fmt: skip
    assert (error["details"]["cast"], error["details"]["quorum"]) == (1, 2)
    await vote(c, w, w.members[1], rid, "ABSTAIN")
    denied = await ok(c, w.manager, w.org, "arc/review/v1/recordDecision", {"request_id": rid, "reasons": "Denied."})
    assert (denied["status"], denied["decision"], denied["approval_expires_at"]) == ("DENIED", "DENIED", None)
    await fails(
        c, w.members[2], w.org, "arc/review/v1/submitReview", {"request_id": rid, "action": "APPROVE"}, 422,
        "BUSINESS_RULE_VIOLATION", "NOT_UNDER_REVIEW",
    )  # fmt: skip
    await fails(
        c, w.manager, w.org, "arc/review/v1/recordDecision", {"request_id": rid, "reasons": "Again."}, 422,
        "BUSINESS_RULE_VIOLATION", "NOT_UNDER_REVIEW",
    )  # fmt: skip


async def test_a_second_vote_in_the_round_replaces_the_first(shared_client: httpx.AsyncClient, w: Community) -> None:
    c = shared_client
    rid = (await under_review(c, w, "Paint"))["id"]
    first = await vote(c, w, w.members[0], rid, "DENY")
    second = await vote(c, w, w.members[0], rid, "APPROVE")
    assert second["id"] == first["id"]
    assert second["action"] == "APPROVE"
    reviews = await ok(c, w.manager, w.org, "arc/review/v1/listReviews", {"request_id": rid})
    assert [(r["reviewer_user_id"], r["action"]) for r in reviews["items"]] == [(str(w.members[0].user_id), "APPROVE")]
    await vote(c, w, w.members[1], rid, "APPROVE")
    approved = await ok(c, w.manager, w.org, "arc/review/v1/recordDecision", {"request_id": rid, "reasons": "Fine."})
    assert (approved["status"], approved["conditions"]) == ("APPROVED", [])
    assert approved["approval_expires_at"] is not None


async def test_only_the_committee_reviews(shared_client: httpx.AsyncClient, w: Community) -> None:
    c = shared_client
    rid = (await under_review(c, w, "Roof"))["id"]
    body = {"request_id": rid, "action": "APPROVE"}
    # an owner of the organization who may not see the request: it does not exist for them
    await fails(c, w.outsider, w.org, "arc/review/v1/submitReview", body, 404, "NOT_FOUND")
    await fails(c, w.outsider, w.org, "arc/review/v1/listReviews", {"request_id": rid}, 404, "NOT_FOUND")
    # the board reads it but does not vote; managers decide but do not vote; the owner does neither
    await ok(c, w.board, w.org, "arc/review/v1/listReviews", {"request_id": rid})
    await fails(c, w.board, w.org, "arc/review/v1/submitReview", body, 403, "FORBIDDEN")
    await fails(c, w.manager, w.org, "arc/review/v1/submitReview", body, 403, "FORBIDDEN")
    await fails(c, w.owner, w.org, "arc/review/v1/submitReview", body, 403, "FORBIDDEN")
    decision = {"request_id": rid, "reasons": "Mine."}
    await fails(c, w.owner, w.org, "arc/review/v1/recordDecision", decision, 403, "FORBIDDEN")
    await fails(c, w.board, w.org, "arc/review/v1/recordDecision", decision, 403, "FORBIDDEN")
    assign = {"request_id": rid, "committee_id": w.committee["id"]}
    await fails(c, w.owner, w.org, "arc/review/v1/assignCommittee", assign, 403, "FORBIDDEN")
    # the committee's members see what they review
    assert rid in await all_ids(c, w.members[2], w.org, "arc/request/v1/list", {})
    assert rid not in await all_ids(c, w.outsider, w.org, "arc/request/v1/list", {})


async def test_committee_checks(shared_client: httpx.AsyncClient, w: Community) -> None:
    c = shared_client
    request = await draft(c, w, "Addition")
    rid = request["id"]
    assign = {"request_id": rid, "committee_id": w.committee["id"]}
    await fails(
        c, w.manager, w.org, "arc/review/v1/assignCommittee", assign, 422, "BUSINESS_RULE_VIOLATION",
        "NOT_UNDER_REVIEW",
    )  # fmt: skip
    await add_plan(c, w, rid)
    await ok(c, w.owner, w.org, "arc/request/v1/submit", {"id": rid})
    # not yet assigned: the committee's members cannot see it
    await fails(
        c, w.members[0], w.org, "arc/review/v1/submitReview", {"request_id": rid, "action": "APPROVE"}, 404,
        "NOT_FOUND",
    )  # fmt: skip

    other = await ok(c, w.manager, w.org, "association/v1/create", {"name": "Elsewhere Estates"})
    foreign = await ok(
        c, w.manager, w.org, "arc/committee/v1/create",
        {"association_id": other["id"], "name": "Elsewhere ARC", "quorum": 1},
    )  # fmt: skip
    await fails(
        c, w.manager, w.org, "arc/review/v1/assignCommittee", {"request_id": rid, "committee_id": foreign["id"]},
        422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION",
    )  # fmt: skip
    retired = await ok(
        c, w.manager, w.org, "arc/committee/v1/create",
        {"association_id": w.association["id"], "name": f"Retired {rid[:8]}", "quorum": 1},
    )  # fmt: skip
    await ok(c, w.manager, w.org, "arc/committee/v1/update", {"id": retired["id"], "active": False})
    await fails(
        c, w.manager, w.org, "arc/review/v1/assignCommittee", {"request_id": rid, "committee_id": retired["id"]},
        422, "BUSINESS_RULE_VIOLATION", "COMMITTEE_INACTIVE",
    )  # fmt: skip

    # reassigned while under review: the new committee decides
    await ok(c, w.manager, w.org, "arc/review/v1/assignCommittee", assign)
    await vote(c, w, w.members[0], rid, "DENY")
    small = await ok(
        c, w.manager, w.org, "arc/committee/v1/create",
        {"association_id": w.association["id"], "name": f"Small {rid[:8]}", "quorum": 1},
    )  # fmt: skip
    body = {"committee_id": small["id"], "user_id": str(w.members[1].user_id)}
    await ok(c, w.manager, w.org, "arc/committee/v1/addMember", body)
    moved = await ok(
        c, w.manager, w.org, "arc/review/v1/assignCommittee", {"request_id": rid, "committee_id": small["id"]}
    )
    assert (moved["status"], moved["committee_id"]) == ("UNDER_REVIEW", small["id"])
    again = await ok(
        c, w.manager, w.org, "arc/review/v1/assignCommittee", {"request_id": rid, "committee_id": small["id"]}
    )
    assert again["committee_id"] == small["id"]
    told = await ok(c, w.manager, w.org, "notification/v1/list", {"entity_id": rid, "limit": 200})
    assigned = [m for m in told["items"] if m["template"] == "arc.request.assigned"]
    assert [m["recipient"] for m in assigned] == [w.members[1].email]  # the new committee, once
    await fails(
        c, w.members[0], w.org, "arc/review/v1/submitReview", {"request_id": rid, "action": "DENY"}, 404, "NOT_FOUND"
    )
    await fails(
        c, w.manager, w.org, "arc/review/v1/recordDecision", {"request_id": rid, "reasons": "Old votes."}, 422,
        "BUSINESS_RULE_VIOLATION", "NO_QUORUM",
    )  # fmt: skip
    await vote(c, w, w.members[1], rid, "APPROVE")
    decided = await ok(c, w.members[1], w.org, "arc/review/v1/recordDecision", {"request_id": rid, "reasons": "Ok."})
    assert decided["status"] == "APPROVED"

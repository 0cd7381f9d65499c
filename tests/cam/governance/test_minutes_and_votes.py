"""Minutes and votes through HTTP.

Minutes: drafted once the meeting is held, read by the board (owners only once approved), approved at a later
meeting of the same body in session with quorum, once; drafting puts their approval on the body's next meeting,
and a meeting scheduled later picks it up, never twice.

Votes: nothing is adopted without quorum; ballots count by voting weight, not by head; one vote per seat or unit;
options, closing, who may vote (owners ballots only, directors when present, managers for others by proxy); a
ballot represents its unit for quorum; a secret ballot keeps the choice apart from the voter."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.cam.governance.helpers import (
    Community,
    committee_of_directors,
    community,
    held_meeting,
    lifecycle_result,
    sql,
    stop_lifecycles,
)

RULE = "BUSINESS_RULE_VIOLATION"
CAST = "governance/vote/v1/cast"
OPEN = "governance/vote/v1/open"
CLOSE = "governance/vote/v1/close"
DRAFT = "governance/meeting/v1/draftMinutes"
APPROVE = "governance/meeting/v1/approveMinutes"
MINUTES = "governance/meeting/v1/getMinutes"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> AsyncIterator[Community]:
    built = await community(shared_client, "Votes")
    yield built
    await stop_lifecycles(built.org)


def unit_of(hoa: Community, number: str) -> str:
    return str(next(row["id"] for row in hoa.units if row["unit_number"] == number))


async def committee_meeting(hoa: Community, committee: str, days: float) -> dict[str, Any]:
    meeting = await hoa.schedule("COMMITTEE", days=days, board_id=committee)
    return await hoa.until(meeting["id"], "NOTICED")


def approvals_of(meeting: dict[str, Any], minutes_of: str) -> list[dict[str, Any]]:
    return [item for item in meeting["agenda"] if item["minutes_of_meeting_id"] == minutes_of]


# --- minutes -----------------------------------------------------------------------------------------------------


async def test_minutes_are_drafted_once_held_and_owners_read_only_approved_ones(hoa: Community) -> None:
    committee, _ = await committee_of_directors(hoa)
    meeting = await committee_meeting(hoa, committee, 8)
    await hoa.fails(DRAFT, {"meeting_id": meeting["id"], "body": "Too early."}, 422, RULE, "NOT_EDITABLE")
    await hoa.fails(MINUTES, {"meeting_id": meeting["id"]}, 404, "NOT_FOUND")  # none yet
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]}, hoa.directors[0])
    draft = await hoa.ok(DRAFT, {"meeting_id": meeting["id"], "body": "Called to order at 7pm."}, hoa.directors[1])
    assert draft["status"] == "DRAFT"
    assert draft["drafted_by"] == str(hoa.directors[1].user_id)
    assert draft["approved_at_meeting_id"] is None
    rewritten = await hoa.ok(DRAFT, {"meeting_id": meeting["id"], "body": "Called to order at 7:02pm."})
    assert rewritten["id"] == draft["id"]
    assert rewritten["body"] == "Called to order at 7:02pm."
    assert rewritten["drafted_by"] == str(hoa.manager.user_id)
    for who in (hoa.manager, hoa.directors[2]):
        assert (await hoa.ok(MINUTES, {"meeting_id": meeting["id"]}, who))["body"] == "Called to order at 7:02pm."
    owner = hoa.owners[1]
    assert (await hoa.ok("governance/meeting/v1/get", {"id": meeting["id"]}, owner))["id"] == meeting["id"]
    await hoa.fails(MINUTES, {"meeting_id": meeting["id"]}, 404, "NOT_FOUND", who=owner)
    await hoa.fails(DRAFT, {"meeting_id": meeting["id"], "body": "Mine."}, 403, "FORBIDDEN", who=owner)
    assert (await hoa.ok("governance/meeting/v1/get", {"id": meeting["id"]}))["minutes_status"] == "DRAFT"


async def test_minutes_approval_goes_on_the_next_meeting_and_is_approved_there(hoa: Community) -> None:
    committee, seats = await committee_of_directors(hoa)
    first = await committee_meeting(hoa, committee, 20)
    second = await committee_meeting(hoa, committee, 40)
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": first["id"]})
    await hoa.fails(
        APPROVE, {"meeting_id": first["id"], "minutes_of_meeting_id": first["id"]}, 422, RULE, "SAME_MEETING"
    )
    await hoa.ok(DRAFT, {"meeting_id": first["id"], "body": "First draft."})
    # drafting put the approval on the body's next meeting
    got = await hoa.ok("governance/meeting/v1/get", {"id": second["id"]})
    [item] = approvals_of(got, first["id"])
    assert item["item_type"] == "MINUTES_APPROVAL"
    assert item["session"] == "OPEN"
    # a meeting scheduled later picks up the unapproved draft itself
    third = await committee_meeting(hoa, committee, 60)
    assert [i["item_type"] for i in approvals_of(third, first["id"])] == ["MINUTES_APPROVAL"]
    # rewriting the draft and adjourning (the lifecycle carries it again) add nothing twice
    await hoa.ok(DRAFT, {"meeting_id": first["id"], "body": "Second draft."})
    await hoa.ok("governance/meeting/v1/adjourn", {"id": first["id"]})
    assert await lifecycle_result(first["id"]) == "ADJOURNED"
    for later in (second, third):
        got = await hoa.ok("governance/meeting/v1/get", {"id": later["id"]})
        assert len(approvals_of(got, first["id"])) == 1, got["agenda"]
        assert len([i for i in got["agenda"] if i["item_type"] == "MINUTES_APPROVAL"]) == 1
    # the third meeting approves them, with quorum only
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": third["id"]})
    approve = {"meeting_id": third["id"], "minutes_of_meeting_id": first["id"]}
    error = await hoa.fails(APPROVE, approve, 422, RULE, "NO_QUORUM")
    assert Decimal(error["details"]["required"]) == 2
    await hoa.fails(
        APPROVE, {"meeting_id": third["id"], "minutes_of_meeting_id": second["id"]}, 422, RULE, "NO_MINUTES"
    )
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": second["id"]})
    await hoa.fails(
        APPROVE, {"meeting_id": second["id"], "minutes_of_meeting_id": third["id"]}, 422, RULE, "SAME_MEETING"
    )
    await hoa.fails(
        APPROVE, {"meeting_id": second["id"], "minutes_of_meeting_id": hoa.board_id}, 404, "NOT_FOUND"
    )  # not a meeting
    assert (await hoa.ok(MINUTES, {"meeting_id": first["id"]}))["status"] == "DRAFT"
    await hoa.fails(MINUTES, {"meeting_id": first["id"]}, 404, "NOT_FOUND", who=hoa.owners[2])
    for seat in seats[:2]:
        await hoa.ok("governance/meeting/v1/recordAttendance", {"meeting_id": third["id"], "seat_id": seat})
    approved = await hoa.ok(APPROVE, approve, hoa.directors[0])
    assert approved["status"] == "APPROVED"
    assert approved["approved_at_meeting_id"] == third["id"]
    assert approved["approved_at"] is not None
    assert approved["body"] == "Second draft."
    await hoa.fails(APPROVE, approve, 422, RULE, "MINUTES_APPROVED")
    await hoa.fails(DRAFT, {"meeting_id": first["id"], "body": "Rewriting history."}, 422, RULE, "MINUTES_APPROVED")
    seen = await hoa.ok(MINUTES, {"meeting_id": first["id"]}, hoa.owners[2])
    assert seen["status"] == "APPROVED"
    assert seen["body"] == "Second draft."
    listed = await hoa.ok("governance/meeting/v1/list", {"association_id": hoa.association_id, "limit": 200})
    assert {m["id"]: m["minutes_status"] for m in listed["items"]}[first["id"]] == "APPROVED"


async def test_minutes_are_approved_by_the_same_body(hoa: Community) -> None:
    committee, _ = await committee_of_directors(hoa)
    theirs = await committee_meeting(hoa, committee, 8)
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": theirs["id"]})
    await hoa.ok(DRAFT, {"meeting_id": theirs["id"], "body": "Committee minutes."})
    board = await held_meeting(hoa, days=10, present=3)
    await hoa.fails(
        APPROVE, {"meeting_id": board["id"], "minutes_of_meeting_id": theirs["id"]}, 422, RULE, "OTHER_BODY"
    )
    assert (await hoa.ok(MINUTES, {"meeting_id": theirs["id"]}))["status"] == "DRAFT"


# --- votes -------------------------------------------------------------------------------------------------------


async def test_a_meeting_without_quorum_adopts_nothing(hoa: Community) -> None:
    resolution = await hoa.ok(
        "governance/resolution/v1/propose",
        {"association_id": hoa.association_id, "kind": "SPECIAL_ASSESSMENT", "title": "Roof", "body": "Resolved.",
         "assessment_total": "1000.00", "assessment_due_on": "2027-02-01", "assessment_fund": "RESERVE",
         "allocation": "BY_SHARE"},
    )  # fmt: skip
    meeting = await held_meeting(hoa, present=1)
    vote = await hoa.ok(
        OPEN, {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Levy?", "resolution_id": resolution["id"]}
    )
    await hoa.ok(CAST, {"vote_id": vote["id"], "choice": "YES"}, hoa.directors[0])
    error = await hoa.fails(CLOSE, {"id": vote["id"]}, 422, RULE, "NO_QUORUM")
    assert (Decimal(error["details"]["present"]), Decimal(error["details"]["required"])) == (Decimal(1), Decimal(2))
    still = await hoa.ok("governance/vote/v1/get", {"id": vote["id"]})
    assert (still["status"], still["result"], still["tallies"]) == ("OPEN", None, None)
    proposal = await hoa.ok("governance/resolution/v1/get", {"id": resolution["id"]})
    assert proposal["status"] == "PROPOSED"
    assert proposal["charge_count"] is None
    assert proposal["assessment_type_id"] is None
    assert proposal["vote_id"] == vote["id"]
    charges = await hoa.ok("accounting/assessment/v1/listCharges", {"association_id": hoa.association_id})
    assert charges["items"] == []
    await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting["id"]})  # the vote lapses: still nothing adopted
    proposal = await hoa.ok("governance/resolution/v1/get", {"id": resolution["id"]})
    assert (proposal["status"], proposal["vote_id"]) == ("PROPOSED", None)
    charges = await hoa.ok("accounting/assessment/v1/listCharges", {"association_id": hoa.association_id})
    assert charges["items"] == []


async def test_motion_rules(hoa: Community) -> None:
    meeting = await held_meeting(hoa, present=2)
    await hoa.fails(
        OPEN, {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Secret?", "secret": True}, 400,
        "VALIDATION_FAILED",
    )  # fmt: skip
    await hoa.fails(
        OPEN, {"meeting_id": meeting["id"], "kind": "BALLOT", "question": "Q?"}, 422, RULE, "WRONG_VOTE_KIND"
    )
    vote = await hoa.ok(
        OPEN, {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Repaint?", "threshold": "TWO_THIRDS"}
    )
    assert (vote["status"], vote["options"], vote["ballots_cast"]) == ("OPEN", ["YES", "NO", "ABSTAIN"], 0)
    # an owner who is no director cannot vote on a motion; a director not present cannot either
    await hoa.fails(CAST, {"vote_id": vote["id"], "choice": "YES"}, 403, "FORBIDDEN", who=hoa.owners[1])
    await hoa.fails(CAST, {"vote_id": vote["id"], "choice": "YES"}, 422, RULE, "NOT_A_VOTER", who=hoa.directors[2])
    await hoa.fails(CAST, {"vote_id": vote["id"], "choice": "MAYBE"}, 422, RULE, "UNKNOWN_OPTION", who=hoa.directors[0])
    await hoa.fails(
        CAST, {"vote_id": vote["id"], "choice": "YES", "unit_id": hoa.units[0]["id"]}, 422, RULE, "WRONG_VOTE_KIND",
        who=hoa.directors[0],
    )  # fmt: skip
    mine = await hoa.ok(CAST, {"vote_id": vote["id"], "choice": "YES", "method": "IN_PERSON"}, hoa.directors[0])
    assert (mine["seat_id"], mine["choice"], Decimal(mine["weight"])) == (hoa.seats[0], "YES", Decimal(1))
    await hoa.fails(CAST, {"vote_id": vote["id"], "choice": "NO"}, 422, RULE, "ALREADY_VOTED", who=hoa.directors[0])
    # the manager records the vote of a director present
    recorded = await hoa.ok(
        CAST, {"vote_id": vote["id"], "choice": "NO", "seat_id": hoa.seats[1], "method": "IN_PERSON"}
    )
    assert recorded["cast_by"] == str(hoa.manager.user_id)
    await hoa.fails(CAST, {"vote_id": vote["id"], "choice": "YES"}, 422, RULE, "ALREADY_VOTED", who=hoa.directors[1])
    closed = await hoa.ok(CLOSE, {"id": vote["id"]})
    assert closed["result"] == "FAILED"  # 1 of 2 is not two thirds
    assert {k: Decimal(v) for k, v in closed["tallies"]["weights"].items()} == {"YES": 1, "NO": 1, "ABSTAIN": 0}
    assert closed["ballots_cast"] == 2
    await hoa.fails(CAST, {"vote_id": vote["id"], "choice": "YES"}, 422, RULE, "VOTE_CLOSED", who=hoa.directors[1])
    await hoa.fails(CLOSE, {"id": vote["id"]}, 422, RULE, "VOTE_CLOSED")
    detail = await hoa.ok("governance/vote/v1/get", {"id": vote["id"]}, hoa.owners[1])  # owners see the record
    assert sorted(p["choice"] for p in detail["participations"]) == ["NO", "YES"]


async def test_ballots_count_by_weight_not_by_head(hoa: Community) -> None:
    resolution = await hoa.ok(
        "governance/resolution/v1/propose",
        {"association_id": hoa.association_id, "title": "Allow kayaks on the pond", "body": "Resolved."},
    )
    meeting = await hoa.schedule("ANNUAL", days=15)
    await hoa.until(meeting["id"], "NOTICED")
    await hoa.fails(
        OPEN, {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Q?"}, 422, RULE, "WRONG_VOTE_KIND"
    )
    # owners vote electronically before the meeting
    ballot = await hoa.ok(
        OPEN, {"meeting_id": meeting["id"], "kind": "BALLOT", "question": "Kayaks?", "resolution_id": resolution["id"]}
    )
    quorum = await hoa.ok("governance/meeting/v1/quorum", {"meeting_id": meeting["id"]})
    assert Decimal(quorum["present"]) == 0
    heavy = await hoa.ok(CAST, {"vote_id": ballot["id"], "choice": "YES"}, hoa.owners[3])  # unit 104, weight 3
    assert (heavy["unit_id"], Decimal(heavy["weight"]), heavy["method"]) == (
        unit_of(hoa, "104"),
        Decimal(3),
        "ELECTRONIC",
    )
    attendance = await hoa.ok("governance/meeting/v1/attendance", {"meeting_id": meeting["id"]})
    assert [(a["unit_id"], a["mode"]) for a in attendance["items"]] == [(unit_of(hoa, "104"), "ELECTRONIC")]
    assert Decimal(attendance["quorum"]["present"]) == 3
    assert attendance["quorum"]["met"] is True  # 3 of 7 is at least 20%
    await hoa.ok(CAST, {"vote_id": ballot["id"], "choice": "NO"}, hoa.owners[0])  # 101, weight 1
    await hoa.ok(CAST, {"vote_id": ballot["id"], "choice": "NO"}, hoa.owners[2])  # 103, weight 1
    await hoa.fails(CAST, {"vote_id": ballot["id"], "choice": "NO"}, 422, RULE, "ALREADY_VOTED", who=hoa.owners[3])
    await hoa.fails(CAST, {"vote_id": ballot["id"], "choice": "MAYBE"}, 422, RULE, "UNKNOWN_OPTION", who=hoa.owners[1])
    # only a unit's owners vote for it (or those who run the meeting, for them)
    await hoa.fails(
        CAST, {"vote_id": ballot["id"], "choice": "NO", "unit_id": unit_of(hoa, "102")}, 422, RULE, "NOT_A_VOTER",
        who=hoa.owners[2],
    )  # fmt: skip
    await hoa.fails(CAST, {"vote_id": ballot["id"], "choice": "NO"}, 422, RULE, "NOT_A_VOTER", who=hoa.directors[1])
    proxy = await hoa.ok(
        CAST, {"vote_id": ballot["id"], "choice": "ABSTAIN", "unit_id": unit_of(hoa, "102"), "method": "PROXY",
               "proxy_holder": "Pat Proxy"},
    )  # fmt: skip
    assert (proxy["method"], proxy["proxy_holder"], proxy["cast_by"]) == (
        "PROXY",
        "Pat Proxy",
        str(hoa.manager.user_id),
    )
    attendance = await hoa.ok("governance/meeting/v1/attendance", {"meeting_id": meeting["id"]})
    assert Decimal(attendance["quorum"]["present"]) == 7
    assert attendance["quorum"]["proxies"] == 1
    await hoa.fails(CLOSE, {"id": ballot["id"]}, 422, RULE, "NOT_IN_SESSION")  # counted at the meeting
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]})
    closed = await hoa.ok(CLOSE, {"id": ballot["id"]})
    assert closed["result"] == "PASSED"  # 3 yes against 2 no by weight, though 1 head against 2
    assert {k: Decimal(v) for k, v in closed["tallies"]["weights"].items()} == {"YES": 3, "NO": 2, "ABSTAIN": 2}
    assert closed["tallies"]["counts"] == {"YES": 1, "NO": 2, "ABSTAIN": 1}
    assert closed["ballots_cast"] == 4
    await hoa.fails(CAST, {"vote_id": ballot["id"], "choice": "YES"}, 422, RULE, "VOTE_CLOSED", who=hoa.owners[1])
    adopted = await hoa.ok("governance/resolution/v1/get", {"id": resolution["id"]}, hoa.owners[1])
    assert (adopted["status"], adopted["vote_id"], adopted["meeting_id"]) == ("ADOPTED", ballot["id"], meeting["id"])
    listed = await hoa.ok("governance/vote/v1/list", {"meeting_id": meeting["id"]}, hoa.owners[1])
    assert [(v["id"], v["ballots_cast"], v["result"]) for v in listed["items"]] == [(ballot["id"], 4, "PASSED")]
    # an owner sees the count and their own ballot, not how their neighbours voted nor who came by proxy
    mine = await hoa.ok("governance/vote/v1/get", {"id": ballot["id"]}, hoa.owners[2])  # an owner, no director
    assert mine["ballots_cast"] == 4
    assert [(p["unit_id"], p["choice"]) for p in mine["participations"]] == [(unit_of(hoa, "103"), "NO")]
    everyone = await hoa.ok("governance/vote/v1/get", {"id": ballot["id"]}, hoa.directors[1])
    assert len(everyone["participations"]) == 4
    seen = await hoa.ok("governance/meeting/v1/attendance", {"meeting_id": meeting["id"]}, hoa.owners[2])
    assert [a["unit_id"] for a in seen["items"]] == [unit_of(hoa, "103")]
    assert Decimal(seen["quorum"]["present"]) == 7


async def test_secret_ballot(hoa: Community) -> None:
    meeting = await hoa.schedule("SPECIAL", days=15)
    await hoa.until(meeting["id"], "NOTICED")
    ballot = await hoa.ok(
        OPEN, {"meeting_id": meeting["id"], "kind": "BALLOT", "question": "Recall the board?", "secret": True}
    )
    assert ballot["secret"] is True
    choices = {3: "YES", 0: "NO", 2: "NO", 1: "ABSTAIN"}
    for index, choice in choices.items():
        cast = await hoa.ok(CAST, {"vote_id": ballot["id"], "choice": choice}, hoa.owners[index])
        assert cast["choice"] is None
    await hoa.fails(CAST, {"vote_id": ballot["id"], "choice": "YES"}, 422, RULE, "ALREADY_VOTED", who=hoa.owners[0])
    detail = await hoa.ok("governance/vote/v1/get", {"id": ballot["id"]})
    assert len(detail["participations"]) == 4
    assert all(p["choice"] is None for p in detail["participations"])
    assert {p["unit_id"] for p in detail["participations"]} == {row["id"] for row in hoa.units}
    # who voted is recorded, how is not: no participation row holds a choice ...
    rows = await sql(hoa.org, "SELECT choice FROM vote_participations WHERE vote_id = :id", id=ballot["id"])
    assert [row[0] for row in rows] == [None] * 4
    # ... and the choices are kept in rows that say neither who nor when
    columns = await sql(
        hoa.org, "SELECT column_name FROM information_schema.columns WHERE table_name = 'secret_ballots'"
    )
    assert {row[0] for row in columns} == {"id", "organization_id", "vote_id", "choice", "weight"}
    secret = await sql(hoa.org, "SELECT choice, weight FROM secret_ballots WHERE vote_id = :id", id=ballot["id"])
    assert Counter((choice, Decimal(weight)) for choice, weight in secret) == Counter(
        {("YES", Decimal(3)): 1, ("NO", Decimal(1)): 2, ("ABSTAIN", Decimal(2)): 1}
    )
    # nor does the audit trail of the casts
    events = await sql(
        hoa.org, "SELECT after FROM audit_events WHERE entity_id = :id AND action = 'vote.cast'", id=ballot["id"]
    )
    assert len(events) == 4
    assert all(after["choice"] is None for (after,) in events)
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]})
    closed = await hoa.ok(CLOSE, {"id": ballot["id"]})
    assert closed["result"] == "PASSED"
    assert {k: Decimal(v) for k, v in closed["tallies"]["weights"].items()} == {"YES": 3, "NO": 2, "ABSTAIN": 2}
    assert closed["tallies"]["counts"] == {"YES": 1, "NO": 2, "ABSTAIN": 1}
    after = await hoa.ok("governance/vote/v1/get", {"id": ballot["id"]}, hoa.owners[1])
    assert all(p["choice"] is None for p in after["participations"])
    assert after["result"] == "PASSED"


async def test_a_cancelled_meeting_takes_no_more_ballots(hoa: Community) -> None:
    """Ballots open with the notice; once the meeting is cancelled its ballots lapse: they take no more votes, are
    never counted, and the resolution they were to decide is a proposal again (it may be withdrawn)."""
    resolution = await hoa.ok(
        "governance/resolution/v1/propose",
        {"association_id": hoa.association_id, "title": "Dissolve the association", "body": "Resolved."},
    )
    meeting = await hoa.schedule("SPECIAL", days=15)
    await hoa.until(meeting["id"], "NOTICED")
    ballot = await hoa.ok(
        OPEN,
        {"meeting_id": meeting["id"], "kind": "BALLOT", "question": "Dissolve?", "resolution_id": resolution["id"]},
    )
    await hoa.ok(CAST, {"vote_id": ballot["id"], "choice": "YES"}, hoa.owners[3])
    await hoa.fails("governance/resolution/v1/withdraw", {"id": resolution["id"]}, 422, RULE, "VOTE_OPEN")
    await hoa.ok("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "Called off"})
    await hoa.fails(CAST, {"vote_id": ballot["id"], "choice": "NO"}, 422, RULE, "VOTE_CLOSED", who=hoa.owners[1])
    detail = await hoa.ok("governance/vote/v1/get", {"id": ballot["id"]})
    assert [p["unit_id"] for p in detail["participations"]] == [unit_of(hoa, "104")]
    assert (detail["status"], detail["result"], detail["tallies"]) == ("CLOSED", None, None)
    await hoa.fails(CLOSE, {"id": ballot["id"]}, 422, RULE, "VOTE_CLOSED")
    assert (await hoa.ok("governance/resolution/v1/get", {"id": resolution["id"]}))["vote_id"] is None
    withdrawn = await hoa.ok("governance/resolution/v1/withdraw", {"id": resolution["id"]})
    assert withdrawn["status"] == "WITHDRAWN"


async def test_an_election_reports_the_leading_candidate_by_weight(hoa: Community) -> None:
    meeting = await hoa.schedule("ANNUAL", days=15)
    await hoa.until(meeting["id"], "NOTICED")
    ballot = await hoa.ok(
        OPEN, {"meeting_id": meeting["id"], "kind": "BALLOT", "question": "Director?", "options": ["ALICE", "BOB"]}
    )
    await hoa.ok(CAST, {"vote_id": ballot["id"], "choice": "BOB"}, hoa.owners[3])  # weight 3
    await hoa.ok(CAST, {"vote_id": ballot["id"], "choice": "ALICE"}, hoa.owners[0])  # weight 1
    await hoa.ok(CAST, {"vote_id": ballot["id"], "choice": "ALICE"}, hoa.owners[2])  # weight 1
    await hoa.fails(CAST, {"vote_id": ballot["id"], "choice": "YES"}, 422, RULE, "UNKNOWN_OPTION", who=hoa.owners[1])
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]})
    closed = await hoa.ok(CLOSE, {"id": ballot["id"]})
    assert closed["result"] is None  # not a yes/no question
    assert closed["tallies"]["leading"] == ["BOB"]
    assert closed["tallies"]["counts"] == {"ALICE": 2, "BOB": 1}
    assert {k: Decimal(v) for k, v in closed["tallies"]["weights"].items()} == {"ALICE": 2, "BOB": 3}
    await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting["id"]})

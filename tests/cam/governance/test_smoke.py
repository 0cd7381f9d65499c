from __future__ import annotations

from decimal import Decimal

import httpx

from tests.cam.governance.helpers import after_days, community


async def test_journey(shared_client: httpx.AsyncClient) -> None:
    hoa = await community(shared_client)
    base = {"association_id": hoa.association_id, "kind": "BOARD", "title": "Too soon"}
    await hoa.fails("governance/meeting/v1/schedule", {**base, "starts_at": after_days(1)}, 422, "BUSINESS_RULE_VIOLATION", "INSIDE_NOTICE_PERIOD")
    meeting = await hoa.schedule(days=6, agenda=[{"title": "Pool resurfacing", "item_type": "ACTION"}, {"title": "Litigation", "session": "EXECUTIVE"}])
    noticed = await hoa.until(meeting["id"], "NOTICED")
    notices = await hoa.ok("governance/meeting/v1/notices", {"meeting_id": meeting["id"]})
    print([ (n["kind"], n["recipient_name"], n["channel"]) for n in notices["items"]])
    owner_view = await hoa.ok("governance/meeting/v1/get", {"id": meeting["id"]}, hoa.owners[1])
    assert [i["title"] for i in owner_view["agenda"]] == ["Pool resurfacing"]
    resolution = await hoa.ok("governance/resolution/v1/propose", {
        "association_id": hoa.association_id, "kind": "SPECIAL_ASSESSMENT", "title": "Pool resurfacing",
        "body": "Resolved.", "assessment_total": "10000.00", "assessment_due_on": "2027-01-01",
        "assessment_fund": "RESERVE", "allocation": "BY_SHARE"})
    await hoa.fails("governance/resolution/v1/get", {"id": resolution["id"]}, 404, who=hoa.owners[1])
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]}, hoa.directors[0])
    await hoa.ok("governance/meeting/v1/recordAttendance", {"meeting_id": meeting["id"], "seat_id": hoa.seats[0]}, hoa.directors[0])
    vote = await hoa.ok("governance/vote/v1/open", {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Adopt?", "resolution_id": resolution["id"]}, hoa.directors[0])
    await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES"}, hoa.directors[0])
    await hoa.fails("governance/vote/v1/close", {"id": vote["id"]}, 422, "BUSINESS_RULE_VIOLATION", "NO_QUORUM")
    await hoa.ok("governance/meeting/v1/recordAttendance", {"meeting_id": meeting["id"], "seat_id": hoa.seats[1]})
    await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES"}, hoa.directors[1])
    closed = await hoa.ok("governance/vote/v1/close", {"id": vote["id"]}, hoa.directors[0])
    assert closed["result"] == "PASSED", closed
    adopted = await hoa.ok("governance/resolution/v1/get", {"id": resolution["id"]}, hoa.owners[1])
    assert adopted["status"] == "ADOPTED" and adopted["charge_count"] == 4
    charges = await hoa.ok("accounting/assessment/v1/listCharges", {"association_id": hoa.association_id, "limit": 200})
    amounts = [Decimal(c["amount"]) for c in charges["items"]]
    assert sum(amounts) == Decimal("10000.00"), amounts
    for fund in ("OPERATING", "RESERVE"):
        tb = await hoa.ok("accounting/report/v1/trialBalance", {"association_id": hoa.association_id, "fund": fund})
        assert tb["balanced"], tb
    await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting["id"]})
    await hoa.ok("governance/meeting/v1/draftMinutes", {"meeting_id": meeting["id"], "body": "Minutes."})
    nxt = await hoa.schedule(days=6)
    got = await hoa.ok("governance/meeting/v1/get", {"id": nxt["id"]})
    assert [i["item_type"] for i in got["agenda"]] == ["MINUTES_APPROVAL"], got["agenda"]
    # board member of another association of the same org sees nothing of this one
    listed = await hoa.ok("association/v1/list", {}, hoa.directors[1])
    print(listed)
    annual = await hoa.schedule("ANNUAL", days=12)
    annual = await hoa.until(annual["id"], "NOTICED")
    voters = await hoa.ok("governance/meeting/v1/voters", {"meeting_id": annual["id"]})
    assert Decimal(voters["total_weight"]) == Decimal(7)
    ballot = await hoa.ok("governance/vote/v1/open", {"meeting_id": annual["id"], "kind": "BALLOT", "question": "Q?", "secret": True})
    await hoa.ok("governance/vote/v1/cast", {"vote_id": ballot["id"], "choice": "YES"}, hoa.owners[3])
    await hoa.ok("governance/vote/v1/cast", {"vote_id": ballot["id"], "choice": "NO"}, hoa.owners[0])
    await hoa.ok("governance/vote/v1/cast", {"vote_id": ballot["id"], "choice": "NO", "method": "PROXY", "proxy_holder": "Jo"}, hoa.owners[2])
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": annual["id"]})
    q = await hoa.ok("governance/meeting/v1/quorum", {"meeting_id": annual["id"]})
    assert q["met"], q
    closed = await hoa.ok("governance/vote/v1/close", {"id": ballot["id"]})
    assert closed["result"] == "PASSED", closed
    detail = await hoa.ok("governance/vote/v1/get", {"id": ballot["id"]})
    assert all(p["choice"] is None for p in detail["participations"])

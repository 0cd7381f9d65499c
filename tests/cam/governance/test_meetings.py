"""Meetings through HTTP: the notice period and how far ahead an owners' meeting may be noticed, the record date,
the association's meeting rules, the lifecycle's notice, agenda, reminder and cancellation (each once to each
recipient on each channel), executive-session items, the agenda while upcoming, attendance and quorum (seats at a
board meeting, voting weight at an owners' meeting, proxies included), and adjourning."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.cam.governance.conftest import DAY_SECONDS
from tests.cam.governance.helpers import (
    Annex,
    Community,
    add_owned_unit,
    after_days,
    annex,
    community,
    eventually,
    held_meeting,
    lifecycle_result,
    outbound,
    sql,
    stop_lifecycles,
)
from tests.support.rpc import suffix

SCHEDULE = "governance/meeting/v1/schedule"
GET = "governance/meeting/v1/get"
ATTEND = "governance/meeting/v1/recordAttendance"
QUORUM = "governance/meeting/v1/quorum"
SETTINGS = "governance/meeting/v1/getSettings"
UPDATE_SETTINGS = "governance/meeting/v1/updateSettings"
RULE = "BUSINESS_RULE_VIOLATION"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> AsyncIterator[Community]:
    """The community, where owner 0 (also the president) owns a second unit, 105 (weight 1): 8 in all."""
    built = await community(shared_client, "Meetings")
    built.units.append(await add_owned_unit(built, 0, "105", weight="1.0000"))
    yield built
    await stop_lifecycles(built.org)


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def days(count: float) -> timedelta:
    return timedelta(seconds=count * DAY_SECONDS)


async def schedule_in(hoa: Community, association_id: str, kind: str, in_days: float, **fields: Any) -> dict[str, Any]:
    body = {"association_id": association_id, "kind": kind, "title": f"{kind.title()} {suffix()}",
            "starts_at": after_days(in_days), "location": "Clubhouse", **fields}  # fmt: skip
    return dict(await hoa.ok(SCHEDULE, body))


# --- scheduling and the notice period ----------------------------------------------------------------------------


async def test_inside_the_notice_period_is_refused(hoa: Community) -> None:
    base = {"association_id": hoa.association_id, "title": "Too soon", "location": "Clubhouse"}
    before = datetime.now(UTC)
    error = await hoa.fails(
        SCHEDULE, {**base, "kind": "BOARD", "starts_at": after_days(1)}, 422, RULE, "INSIDE_NOTICE_PERIOD"
    )
    after = datetime.now(UTC)
    assert error["details"]["notice_days"] == 3
    earliest = at(error["details"]["earliest_starts_at"])
    assert before + days(3) <= earliest <= after + days(3)
    owners = await hoa.fails(
        SCHEDULE, {**base, "kind": "ANNUAL", "starts_at": after_days(5)}, 422, RULE, "INSIDE_NOTICE_PERIOD"
    )
    assert owners["details"]["notice_days"] == 10
    assert before + days(10) <= at(owners["details"]["earliest_starts_at"]) <= datetime.now(UTC) + days(10)
    # a notice planned later than the period allows: the earliest start follows from it
    notice_at = after_days(8)
    late = await hoa.fails(
        SCHEDULE, {**base, "kind": "BOARD", "starts_at": after_days(10), "notice_at": notice_at}, 422, RULE,
        "INSIDE_NOTICE_PERIOD",
    )  # fmt: skip
    assert at(late["details"]["earliest_starts_at"]) == at(notice_at) + days(3)
    listed = await hoa.ok("governance/meeting/v1/list", {"association_id": hoa.association_id, "limit": 200})
    assert all(item["title"] != "Too soon" for item in listed["items"])


async def test_owners_meeting_noticed_at_most_max_days_ahead(hoa: Community) -> None:
    starts = after_days(100)  # noticed 40 days (8 s) from now at the earliest
    body = {"association_id": hoa.association_id, "kind": "SPECIAL", "title": "Far", "starts_at": starts}
    error = await hoa.fails(
        SCHEDULE, {**body, "notice_at": datetime.now(UTC).isoformat()}, 422, RULE, "TOO_EARLY_FOR_NOTICE"
    )
    assert at(error["details"]["earliest_notice_at"]) == at(starts) - days(60)
    # by default the notice goes at the earliest moment allowed, so the meeting waits, SCHEDULED
    far = await hoa.ok(SCHEDULE, body)
    assert far["status"] == "SCHEDULED"
    assert at(far["notice_at"]) == at(starts) - days(60)
    assert at(far["agenda_at"]) == at(starts) - days(2)
    assert at(far["reminder_at"]) == at(starts) - days(1)
    assert far["notice_days"] == 10
    assert far["record_date"] == at(far["notice_at"]).date().isoformat()
    assert Decimal(far["quorum_percent"]) == Decimal(20)
    assert (await hoa.ok(GET, {"id": far["id"]}))["status"] == "SCHEDULED"
    # no meeting without its notice
    error = await hoa.fails("governance/meeting/v1/callToOrder", {"id": far["id"]}, 409, "INVALID_STATE_TRANSITION")
    assert error["details"]["from"] == "SCHEDULED"
    # cancelled before its notice: nobody is told anything, and the lifecycle ends
    cancelled = await hoa.ok("governance/meeting/v1/cancel", {"id": far["id"], "reason": "Changed our minds"})
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancel_reason"] == "Changed our minds"
    assert await lifecycle_result(far["id"]) == "CANCELLED"
    assert (await hoa.ok("governance/meeting/v1/notices", {"meeting_id": far["id"]}))["items"] == []
    assert await outbound(hoa.org, far["id"]) == []
    assert (await hoa.ok(GET, {"id": far["id"]}))["notice_sent_at"] is None


async def test_record_date(hoa: Community) -> None:
    base = {"association_id": hoa.association_id, "title": f"Annual {suffix()}", "starts_at": after_days(15)}
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    error = await hoa.fails(SCHEDULE, {**base, "kind": "ANNUAL", "record_date": tomorrow}, 400, "VALIDATION_FAILED")
    assert error["field_errors"][0]["field"] == "/record_date"
    await hoa.fails(
        SCHEDULE, {**base, "kind": "BOARD", "starts_at": after_days(8), "record_date": "2025-06-01"}, 400,
        "VALIDATION_FAILED",
    )  # fmt: skip
    earlier = await hoa.ok(SCHEDULE, {**base, "kind": "ANNUAL", "record_date": "2025-06-01"})
    assert earlier["record_date"] == "2025-06-01"
    board = await hoa.schedule(days=8)
    assert board["record_date"] is None
    assert board["quorum_percent"] is None
    await hoa.ok("governance/meeting/v1/cancel", {"id": board["id"], "reason": "Test over"})
    # the voter list and the notice follow the owners of record on the record date: before anyone owned a unit
    # here (ownerships start in 2020), no owner votes or is told
    nobody = await hoa.ok(
        SCHEDULE, {**base, "title": "Before our time", "kind": "SPECIAL", "record_date": "2019-06-01"}
    )
    await hoa.until(nobody["id"], "NOTICED")
    voters = await hoa.ok("governance/meeting/v1/voters", {"meeting_id": nobody["id"]})
    assert voters["items"] == []
    assert Decimal(voters["total_weight"]) == 0
    notices = (await hoa.ok("governance/meeting/v1/notices", {"meeting_id": nobody["id"]}))["items"]
    assert [n for n in notices if n["party_id"] is not None] == []
    await hoa.until(earlier["id"], "NOTICED")
    listed = await hoa.ok("governance/meeting/v1/voters", {"meeting_id": earlier["id"]})
    assert [v["unit_number"] for v in listed["items"]] == ["101", "102", "103", "104", "105"]
    for meeting in (earlier, nobody):
        await hoa.ok("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "Test over"})


async def test_settings(hoa: Community) -> None:
    side = await annex(hoa)
    defaults = await hoa.ok(SETTINGS, {"association_id": side.association_id})
    assert defaults == {
        "association_id": side.association_id, "board_notice_days": 3, "member_notice_days": 10,
        "member_notice_max_days": 60, "notice_channels": ["EMAIL", "MAIL", "PORTAL"], "member_quorum_percent": "20.00",
        "proxies_allowed": True, "electronic_voting_allowed": True, "agenda_days": 2, "reminder_hours": 24,
        "customized": False,
    }  # fmt: skip
    earlier = await schedule_in(hoa, side.association_id, "BOARD", 8)  # 3 days' notice: fine
    owners_earlier = await schedule_in(hoa, side.association_id, "ANNUAL", 15)
    error = await hoa.fails(
        UPDATE_SETTINGS, {"association_id": side.association_id, "member_notice_days": 61}, 400, "VALIDATION_FAILED"
    )
    assert error["field_errors"][0]["field"] == "/member_notice_days"
    await hoa.fails(
        UPDATE_SETTINGS, {"association_id": side.association_id, "member_notice_max_days": 5}, 400, "VALIDATION_FAILED"
    )
    unchanged = await hoa.ok(SETTINGS, {"association_id": side.association_id})
    assert unchanged["customized"] is False
    changes = {"board_notice_days": 6, "member_notice_days": 20, "notice_channels": ["POSTED", "PORTAL"],
               "member_quorum_percent": "33.50"}  # fmt: skip
    updated = await hoa.ok(UPDATE_SETTINGS, {"association_id": side.association_id, **changes})
    assert updated["customized"] is True
    assert updated == {**defaults, **changes, "customized": True}
    assert await hoa.ok(SETTINGS, {"association_id": side.association_id}) == updated
    # the new notice days decide what is refused now
    error = await hoa.fails(
        SCHEDULE, {"association_id": side.association_id, "kind": "BOARD", "title": "Soon", "starts_at": after_days(5)},
        422, RULE, "INSIDE_NOTICE_PERIOD",
    )  # fmt: skip
    assert error["details"]["notice_days"] == 6
    assert (await schedule_in(hoa, side.association_id, "BOARD", 10))["notice_days"] == 6
    await hoa.fails(
        SCHEDULE, {"association_id": side.association_id, "kind": "SPECIAL", "title": "S", "starts_at": after_days(15)},
        422, RULE, "INSIDE_NOTICE_PERIOD",
    )  # fmt: skip
    special = await schedule_in(hoa, side.association_id, "SPECIAL", 25)
    assert (special["notice_days"], special["notice_channels"]) == (20, ["POSTED", "PORTAL"])
    assert Decimal(special["quorum_percent"]) == Decimal("33.50")
    # meetings scheduled before keep the rules they were scheduled with
    kept = await hoa.ok(GET, {"id": earlier["id"]})
    assert (kept["notice_days"], kept["notice_channels"]) == (3, ["EMAIL", "MAIL", "PORTAL"])
    kept = await hoa.ok(GET, {"id": owners_earlier["id"]})
    assert (kept["notice_days"], Decimal(kept["quorum_percent"])) == (10, Decimal(20))
    # a posted notice goes on the community notice board once, even with nobody to write to
    posted = await schedule_in(hoa, side.association_id, "BOARD", 10, location="Mailroom board")
    await hoa.until(posted["id"], "NOTICED")
    notices = (await hoa.ok("governance/meeting/v1/notices", {"meeting_id": posted["id"]}))["items"]
    assert [(n["kind"], n["channel"], n["address"]) for n in notices] == [("NOTICE", "POSTED", "Mailroom board")]
    # the community's own settings did not change
    assert (await hoa.ok(SETTINGS, {"association_id": hoa.association_id}))["customized"] is False


async def test_who_reads_and_changes_settings(hoa: Community) -> None:
    director = await hoa.ok(SETTINGS, {"association_id": hoa.association_id}, hoa.directors[1])
    assert director["board_notice_days"] == 3
    await hoa.fails(
        UPDATE_SETTINGS, {"association_id": hoa.association_id, "proxies_allowed": False}, 403, "FORBIDDEN",
        who=hoa.directors[1],
    )  # fmt: skip
    await hoa.fails(SETTINGS, {"association_id": hoa.association_id}, 403, "FORBIDDEN", who=hoa.owners[2])
    assert (await hoa.ok(SETTINGS, {"association_id": hoa.association_id}))["proxies_allowed"] is True


# --- the lifecycle: notice, agenda, reminder, cancellation -------------------------------------------------------


def by_kind(notices: list[dict[str, Any]], kind: str) -> list[tuple[str, str, str]]:
    return sorted((n["recipient_name"], n["channel"], n["address"]) for n in notices if n["kind"] == kind)


async def test_notice_agenda_and_reminder_go_to_everyone_once(hoa: Community) -> None:
    agenda = [{"title": "Pool hours", "item_type": "ACTION"}, {"title": "Lawsuit strategy", "session": "EXECUTIVE"}]
    meeting = await hoa.schedule(days=8, agenda=agenda)

    async def reminded() -> Any:
        got = await hoa.ok(GET, {"id": meeting["id"]})
        return got if got["agenda_sent_at"] and got["reminder_sent_at"] else None

    done = await eventually(reminded, "the agenda and the reminder")
    assert done["status"] == "NOTICED"
    assert at(done["notice_sent_at"]) <= at(done["agenda_sent_at"]) <= at(done["reminder_sent_at"])
    assert at(done["agenda_sent_at"]) >= at(done["agenda_at"])
    assert at(done["reminder_sent_at"]) >= at(done["reminder_at"])
    notices = (await hoa.ok("governance/meeting/v1/notices", {"meeting_id": meeting["id"]}))["items"]
    notice = by_kind(notices, "NOTICE")
    assert by_kind(notices, "AGENDA") == notice
    assert by_kind(notices, "REMINDER") == notice
    # owner 0 owns two units (and is the president): one letter and one portal message
    president = [n for n in notices if n["kind"] == "NOTICE" and n["user_id"] == str(hoa.owners[0].user_id)]
    assert sorted(n["channel"] for n in president) == ["MAIL", "PORTAL"]
    letter = next(n for n in president if n["channel"] == "MAIL")
    assert "101" in letter["address"]
    assert "105" in letter["address"]
    for owner in hoa.owners[1:]:
        theirs = [n for n in notices if n["kind"] == "NOTICE" and n["user_id"] == str(owner.user_id)]
        assert sorted(n["channel"] for n in theirs) == ["MAIL", "PORTAL"]
        assert all(n["party_id"] is not None for n in theirs)
    # directors who own nothing get their account's email and the portal (no letter: no address on file)
    for director in hoa.directors[1:]:
        theirs = [n for n in notices if n["kind"] == "NOTICE" and n["user_id"] == str(director.user_id)]
        assert sorted((n["channel"], n["address"], n["party_id"]) for n in theirs) == [
            ("EMAIL", director.email, None),
            ("PORTAL", f"user:{director.user_id}", None),
        ]
    assert len(notice) == 4 * 2 + 2 * 2
    messages = await outbound(hoa.org, meeting["id"])
    assert Counter(messages).most_common(1)[0][1] == 1, Counter(messages).most_common(3)
    assert Counter(template for template, _, _ in messages) == {
        "meeting.notice": 12,
        "meeting.agenda": 12,
        "meeting.reminder": 12,
    }
    # what owners were sent leaves the executive session out
    payloads = await sql(
        hoa.org, "SELECT payload FROM outbound_messages WHERE entity_id = :id AND template = 'meeting.agenda'",
        id=meeting["id"],
    )  # fmt: skip
    assert payloads
    for (payload,) in payloads:
        assert payload["agenda"] == ["1. Pool hours"]


async def test_cancelling_after_the_notice_tells_each_recipient_once(hoa: Community) -> None:
    meeting = await hoa.schedule(days=8)
    await hoa.until(meeting["id"], "NOTICED")
    cancelled = await hoa.ok("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "Storm"})
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancelled_at"] is not None
    assert await lifecycle_result(meeting["id"]) == "CANCELLED"
    notices = (await hoa.ok("governance/meeting/v1/notices", {"meeting_id": meeting["id"]}))["items"]
    assert by_kind(notices, "CANCELLATION") == by_kind(notices, "NOTICE")
    assert len(by_kind(notices, "CANCELLATION")) == 12  # 4 owners by mail and portal, 2 directors by email and portal
    messages = await outbound(hoa.org, meeting["id"])
    cancellations = [m for m in messages if m[0] == "meeting.cancellation"]
    assert len(cancellations) == 12
    assert len(set(cancellations)) == 12
    assert sorted((channel, recipient) for _, recipient, channel in cancellations) == sorted(
        (channel, address) for _, channel, address in by_kind(notices, "NOTICE")
    )
    await hoa.fails(
        "governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "Again"}, 409, "INVALID_STATE_TRANSITION"
    )
    await hoa.fails(
        "governance/meeting/v1/update", {"id": meeting["id"], "title": "Renamed"}, 422, RULE, "NOT_EDITABLE"
    )


# --- the agenda --------------------------------------------------------------------------------------------------


async def test_executive_session_items_are_hidden_from_owners(hoa: Community) -> None:
    agenda = [{"title": "Budget", "item_type": "REPORT"}, {"title": "Delinquent accounts", "session": "EXECUTIVE"}]
    meeting = await hoa.schedule(days=8, agenda=agenda)
    secret = await hoa.ok(
        "governance/meeting/v1/addAgendaItem",
        {"meeting_id": meeting["id"], "title": "Personnel", "session": "EXECUTIVE", "item_type": "DISCUSSION"},
    )
    assert secret["position"] == 3
    for who in (hoa.manager, hoa.directors[1], hoa.directors[2]):
        seen = await hoa.ok(GET, {"id": meeting["id"]}, who)
        assert [i["title"] for i in seen["agenda"]] == ["Budget", "Delinquent accounts", "Personnel"]
    for owner in hoa.owners[1:]:
        seen = await hoa.ok(GET, {"id": meeting["id"]}, owner)
        assert [(i["title"], i["session"]) for i in seen["agenda"]] == [("Budget", "OPEN")]
    owner = hoa.owners[1]
    listed = await hoa.ok("governance/meeting/v1/list", {"association_id": hoa.association_id, "limit": 200}, owner)
    assert meeting["id"] in [item["id"] for item in listed["items"]]
    assert all(item["agenda"] == [] for item in listed["items"])
    await hoa.fails("governance/meeting/v1/removeAgendaItem", {"id": secret["id"]}, 404, "NOT_FOUND", who=owner)
    open_item = meeting["agenda"][0]["id"]
    await hoa.fails("governance/meeting/v1/removeAgendaItem", {"id": open_item}, 403, "FORBIDDEN", who=owner)
    await hoa.fails(
        "governance/meeting/v1/addAgendaItem",
        {"meeting_id": meeting["id"], "title": "Mine"},
        403,
        "FORBIDDEN",
        who=owner,
    )
    await hoa.fails("governance/meeting/v1/notices", {"meeting_id": meeting["id"]}, 403, "FORBIDDEN", who=owner)
    await hoa.fails("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "No"}, 403, "FORBIDDEN", who=owner)
    assert len((await hoa.ok(GET, {"id": meeting["id"]}))["agenda"]) == 3
    await hoa.ok("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "Test over"})


async def test_agenda_changes_only_while_upcoming(hoa: Community) -> None:
    meeting = await hoa.schedule(days=8, agenda=[{"title": "First"}])
    await hoa.until(meeting["id"], "NOTICED")
    added = await hoa.ok(
        "governance/meeting/v1/addAgendaItem", {"meeting_id": meeting["id"], "title": "Second", "item_type": "ACTION"}
    )
    assert added["position"] == 2
    extra = await hoa.ok("governance/meeting/v1/addAgendaItem", {"meeting_id": meeting["id"], "title": "Third"})
    assert extra["position"] == 3
    assert (await hoa.ok("governance/meeting/v1/removeAgendaItem", {"id": added["id"]})) == {"removed": True}
    got = await hoa.ok(GET, {"id": meeting["id"]})
    assert [i["title"] for i in got["agenda"]] == ["First", "Third"]
    renamed = await hoa.ok("governance/meeting/v1/update", {"id": meeting["id"], "title": "Renamed meeting"})
    assert renamed["title"] == "Renamed meeting"
    assert renamed["starts_at"] == meeting["starts_at"]
    # a resolution of another association cannot be on this agenda
    side = await annex(hoa)
    theirs = await hoa.ok(
        "governance/resolution/v1/propose",
        {"association_id": side.association_id, "title": "Theirs", "body": "Resolved."},
    )
    item = {"meeting_id": meeting["id"], "title": "X", "resolution_id": theirs["id"]}
    await hoa.fails("governance/meeting/v1/addAgendaItem", item, 422, RULE, "WRONG_ASSOCIATION")
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]})
    await hoa.fails(
        "governance/meeting/v1/addAgendaItem", {"meeting_id": meeting["id"], "title": "Late"}, 422, RULE, "NOT_EDITABLE"
    )
    await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting["id"]})
    await hoa.fails(
        "governance/meeting/v1/addAgendaItem",
        {"meeting_id": meeting["id"], "title": "Later"},
        422,
        RULE,
        "NOT_EDITABLE",
    )
    await hoa.fails("governance/meeting/v1/removeAgendaItem", {"id": extra["id"]}, 422, RULE, "NOT_EDITABLE")
    await hoa.fails("governance/meeting/v1/update", {"id": meeting["id"], "title": "Again"}, 422, RULE, "NOT_EDITABLE")
    assert [i["title"] for i in (await hoa.ok(GET, {"id": meeting["id"]}))["agenda"]] == ["First", "Third"]


# --- attendance and quorum ---------------------------------------------------------------------------------------


async def test_board_meeting_attendance_and_quorum(hoa: Community) -> None:
    meeting = await hoa.schedule(days=8)
    await hoa.until(meeting["id"], "NOTICED")
    await hoa.fails(ATTEND, {"meeting_id": meeting["id"], "seat_id": hoa.seats[0]}, 422, RULE, "NOT_IN_SESSION")
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]}, hoa.directors[0])
    quorum = await hoa.ok(QUORUM, {"meeting_id": meeting["id"]})
    assert quorum["basis"] == "SEATS"
    assert (Decimal(quorum["present"]), Decimal(quorum["total"]), Decimal(quorum["required"])) == (
        Decimal(0),
        Decimal(3),
        Decimal(2),
    )
    assert quorum["met"] is False
    first = await hoa.ok(ATTEND, {"meeting_id": meeting["id"], "seat_id": hoa.seats[0]}, hoa.directors[0])
    assert first["user_id"] == str(hoa.directors[0].user_id)
    assert Decimal(first["weight"]) == 1
    await hoa.fails(ATTEND, {"meeting_id": meeting["id"], "seat_id": hoa.seats[0]}, 422, RULE, "ALREADY_PRESENT")
    assert (await hoa.ok(QUORUM, {"meeting_id": meeting["id"]}))["met"] is False
    # a seat of another board, and a unit, do not attend a board meeting
    group = await hoa.ok(
        "governance/board/v1/create",
        {"association_id": hoa.association_id, "kind": "COMMITTEE", "name": f"Pool {suffix()}", "seat_count": 2},
    )
    other_seat = await hoa.ok(
        "governance/board/v1/fillSeat",
        {
            "board_id": group["id"],
            "position": "CHAIR",
            "user_id": str(hoa.owners[2].user_id),
            "term_start": "2025-01-01",
        },
    )
    await hoa.fails(ATTEND, {"meeting_id": meeting["id"], "seat_id": other_seat["id"]}, 422, RULE, "NOT_A_VOTER")
    await hoa.fails(ATTEND, {"meeting_id": meeting["id"], "unit_id": hoa.units[0]["id"]}, 422, RULE, "NOT_A_VOTER")
    second = await hoa.ok(ATTEND, {"meeting_id": meeting["id"], "seat_id": hoa.seats[1]})
    listed = await hoa.ok("governance/meeting/v1/attendance", {"meeting_id": meeting["id"]})
    assert sorted(a["seat_id"] for a in listed["items"]) == sorted(hoa.seats[:2])
    assert listed["quorum"]["met"] is True
    assert Decimal(listed["quorum"]["present"]) == 2
    await hoa.ok("governance/meeting/v1/removeAttendance", {"id": second["id"]})
    assert (await hoa.ok(QUORUM, {"meeting_id": meeting["id"]}))["met"] is False
    await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting["id"]})
    await hoa.fails(ATTEND, {"meeting_id": meeting["id"], "seat_id": hoa.seats[2]}, 422, RULE, "NOT_IN_SESSION")


async def test_owners_meeting_quorum_by_voting_weight_with_proxies(hoa: Community) -> None:
    meeting = await hoa.schedule("ANNUAL", days=15)
    await hoa.until(meeting["id"], "NOTICED")
    voters = await hoa.ok("governance/meeting/v1/voters", {"meeting_id": meeting["id"]})
    weights = [(v["unit_number"], int(Decimal(v["weight"]))) for v in voters["items"]]
    assert weights == [("101", 1), ("102", 2), ("103", 1), ("104", 3), ("105", 1)]
    assert Decimal(voters["total_weight"]) == 8
    assert voters["items"][0]["owner_names"] == "Owner 101"
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]})
    quorum = await hoa.ok(QUORUM, {"meeting_id": meeting["id"]})
    assert quorum["basis"] == "VOTING_WEIGHT"
    assert (Decimal(quorum["total"]), Decimal(quorum["required"]), quorum["met"]) == (Decimal(8), Decimal("1.6"), False)
    unit = {row["unit_number"]: row["id"] for row in hoa.units}
    present = await hoa.ok(ATTEND, {"meeting_id": meeting["id"], "unit_id": unit["101"]})
    assert present["attendee_name"] == "101: Owner 101"
    assert Decimal(present["weight"]) == 1
    quorum = await hoa.ok(QUORUM, {"meeting_id": meeting["id"]})
    assert (Decimal(quorum["present"]), quorum["met"]) == (Decimal(1), False)
    proxy = await hoa.ok(
        ATTEND, {"meeting_id": meeting["id"], "unit_id": unit["103"], "mode": "PROXY", "proxy_holder": "Neighbor Ned"}
    )
    assert proxy["mode"] == "PROXY"
    assert proxy["proxy_holder"] == "Neighbor Ned"
    quorum = await hoa.ok(QUORUM, {"meeting_id": meeting["id"]})
    assert (Decimal(quorum["present"]), quorum["met"], quorum["proxies"]) == (Decimal(2), True, 1)
    await hoa.fails(ATTEND, {"meeting_id": meeting["id"], "unit_id": unit["101"]}, 422, RULE, "ALREADY_PRESENT")
    await hoa.fails(ATTEND, {"meeting_id": meeting["id"], "seat_id": hoa.seats[0]}, 422, RULE, "NOT_A_VOTER")
    side = await annex(hoa, [("A1", None)])
    await hoa.fails(ATTEND, {"meeting_id": meeting["id"], "unit_id": side.units[0]["id"]}, 422, RULE, "NOT_A_VOTER")
    await hoa.ok(ATTEND, {"meeting_id": meeting["id"], "unit_id": unit["104"], "mode": "ELECTRONIC"})
    final = await hoa.ok("governance/meeting/v1/attendance", {"meeting_id": meeting["id"]})
    assert Decimal(final["quorum"]["present"]) == 5
    assert sorted(a["mode"] for a in final["items"]) == ["ELECTRONIC", "IN_PERSON", "PROXY"]
    await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting["id"]})


async def test_proxies_and_electronic_attendance_as_the_association_allows(hoa: Community) -> None:
    side: Annex = await annex(hoa)
    await hoa.ok(
        UPDATE_SETTINGS,
        {"association_id": side.association_id, "proxies_allowed": False, "electronic_voting_allowed": False},
    )
    meeting = await schedule_in(hoa, side.association_id, "BOARD", 8)
    await hoa.until(meeting["id"], "NOTICED")
    await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]})
    body = {"meeting_id": meeting["id"], "seat_id": side.seat_id}
    await hoa.fails(ATTEND, {**body, "mode": "PROXY", "proxy_holder": "Someone"}, 422, RULE, "PROXIES_NOT_ALLOWED")
    await hoa.fails(ATTEND, {**body, "mode": "ELECTRONIC"}, 422, RULE, "ELECTRONIC_NOT_ALLOWED")
    assert (await hoa.ok("governance/meeting/v1/attendance", {"meeting_id": meeting["id"]}))["items"] == []
    in_person = await hoa.ok(ATTEND, body)
    assert (await hoa.ok(QUORUM, {"meeting_id": meeting["id"]}))["met"] is True  # one seat of one
    await hoa.ok(UPDATE_SETTINGS, {"association_id": side.association_id, "proxies_allowed": True})
    await hoa.ok("governance/meeting/v1/removeAttendance", {"id": in_person["id"]})
    by_proxy = await hoa.ok(ATTEND, {**body, "mode": "PROXY", "proxy_holder": "Someone"})
    assert by_proxy["mode"] == "PROXY"


async def test_adjourning_lapses_an_open_vote(hoa: Community) -> None:
    meeting = await held_meeting(hoa, present=2)
    resolution = await hoa.ok(
        "governance/resolution/v1/propose",
        {"association_id": hoa.association_id, "title": f"Mower {meeting['id'][-6:]}", "body": "Buy a mower."},
    )
    vote = await hoa.ok(
        "governance/vote/v1/open",
        {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Buy a mower?", "resolution_id": resolution["id"]},
    )
    await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES"}, hoa.directors[0])
    adjourned = await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting["id"]})
    assert adjourned["status"] == "ADJOURNED"
    assert adjourned["adjourned_at"] is not None
    lapsed = await hoa.ok("governance/vote/v1/get", {"id": vote["id"]})
    assert (lapsed["status"], lapsed["result"], lapsed["tallies"]) == ("CLOSED", None, None)
    await hoa.fails("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES"}, 422, RULE, "VOTE_CLOSED")
    proposal = await hoa.ok("governance/resolution/v1/get", {"id": resolution["id"]})
    assert (proposal["status"], proposal["vote_id"], proposal["meeting_id"]) == ("PROPOSED", None, None)
    await hoa.fails("governance/meeting/v1/adjourn", {"id": meeting["id"]}, 409, "INVALID_STATE_TRANSITION")
    await hoa.fails("governance/meeting/v1/callToOrder", {"id": meeting["id"]}, 409, "INVALID_STATE_TRANSITION")


async def test_meeting_list_filters(hoa: Community) -> None:
    meeting = await hoa.schedule("SPECIAL", days=16)
    listed = await hoa.ok(
        "governance/meeting/v1/list", {"association_id": hoa.association_id, "kind": "SPECIAL", "limit": 200}
    )
    assert meeting["id"] in [m["id"] for m in listed["items"]]
    assert {m["kind"] for m in listed["items"]} == {"SPECIAL"}
    starts = at(meeting["starts_at"])

    async def window(starts_from: datetime, starts_before: datetime) -> list[str]:
        body = {"association_id": hoa.association_id, "starts_from": starts_from.isoformat(),
                "starts_before": starts_before.isoformat(), "limit": 200}  # fmt: skip
        found = await hoa.ok("governance/meeting/v1/list", body)
        assert all(starts_from <= at(m["starts_at"]) < starts_before for m in found["items"])
        return [m["id"] for m in found["items"]]

    assert meeting["id"] in await window(starts - timedelta(seconds=1), starts + timedelta(seconds=1))
    assert meeting["id"] in await window(starts, starts + timedelta(microseconds=1))  # from: inclusive
    assert meeting["id"] not in await window(starts - timedelta(seconds=1), starts)  # before: exclusive
    cancelled = await hoa.ok("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "Test over"})
    assert cancelled["status"] == "CANCELLED"
    by_status = await hoa.ok(
        "governance/meeting/v1/list", {"association_id": hoa.association_id, "status": "CANCELLED", "limit": 200}
    )
    assert meeting["id"] in [m["id"] for m in by_status["items"]]
    assert {m["status"] for m in by_status["items"]} == {"CANCELLED"}


async def test_an_owner_of_two_units_votes_for_each(hoa: Community) -> None:
    meeting = await hoa.schedule("SPECIAL", days=15)
    await hoa.until(meeting["id"], "NOTICED")
    ballot = await hoa.ok(
        "governance/vote/v1/open", {"meeting_id": meeting["id"], "kind": "BALLOT", "question": "New gate?"}
    )
    cast = "governance/vote/v1/cast"
    owner = hoa.owners[0]
    error = await hoa.fails(cast, {"vote_id": ballot["id"], "choice": "YES"}, 400, "VALIDATION_FAILED", who=owner)
    assert error["field_errors"][0]["field"] == "/unit_id"
    unit = {row["unit_number"]: row["id"] for row in hoa.units}
    first = await hoa.ok(cast, {"vote_id": ballot["id"], "choice": "YES", "unit_id": unit["101"]}, owner)
    second = await hoa.ok(cast, {"vote_id": ballot["id"], "choice": "NO", "unit_id": unit["105"]}, owner)
    assert (first["voter_name"], second["voter_name"]) == ("101: Owner 101", "105: Owner 101")
    await hoa.fails(
        cast, {"vote_id": ballot["id"], "choice": "NO", "unit_id": unit["105"]}, 422, RULE, "ALREADY_VOTED", who=owner
    )
    # (owner 0 is also the president, who may record others' ballots; owner 1 may not)
    await hoa.fails(
        cast, {"vote_id": ballot["id"], "choice": "NO", "unit_id": unit["104"]}, 422, RULE, "NOT_A_VOTER",
        who=hoa.owners[1],
    )  # fmt: skip
    quorum = await hoa.ok(QUORUM, {"meeting_id": meeting["id"]})
    assert Decimal(quorum["present"]) == 2


async def test_a_committee_meeting_is_noticed_to_its_members_only(hoa: Community) -> None:
    group = await hoa.ok(
        "governance/board/v1/create",
        {"association_id": hoa.association_id, "kind": "COMMITTEE", "name": f"Social {suffix()}", "seat_count": 3},
    )
    for holder in ({"user_id": str(hoa.owners[1].user_id)}, {"user_id": str(hoa.directors[2].user_id)},
                   {"holder_name": "No Account"}):  # fmt: skip
        await hoa.ok(
            "governance/board/v1/fillSeat",
            {"board_id": group["id"], "position": "MEMBER", "term_start": "2025-01-01", **holder},
        )
    meeting = await hoa.schedule("COMMITTEE", days=8, board_id=group["id"])
    assert meeting["board_id"] == group["id"]
    await hoa.until(meeting["id"], "NOTICED")
    notices = (await hoa.ok("governance/meeting/v1/notices", {"meeting_id": meeting["id"]}))["items"]
    assert sorted((n["user_id"], n["channel"]) for n in notices) == sorted(
        (str(member.user_id), channel)
        for member in (hoa.owners[1], hoa.directors[2])
        for channel in ("EMAIL", "PORTAL")
    )
    no_body = {
        "association_id": hoa.association_id,
        "kind": "COMMITTEE",
        "title": "No body",
        "starts_at": after_days(8),
    }
    await hoa.fails(SCHEDULE, no_body, 400, "VALIDATION_FAILED")
    await hoa.fails(
        SCHEDULE, {"association_id": hoa.association_id, "kind": "COMMITTEE", "title": "Board as committee",
                   "starts_at": after_days(8), "board_id": hoa.board_id},
        400, "VALIDATION_FAILED",
    )  # fmt: skip
    await hoa.ok("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "Test over"})


async def test_directors_are_told_of_owners_meetings_too(hoa: Community) -> None:
    meeting = await hoa.schedule("ANNUAL", days=15)
    await hoa.until(meeting["id"], "NOTICED")
    try:
        notices = (await hoa.ok("governance/meeting/v1/notices", {"meeting_id": meeting["id"]}))["items"]
        for director in hoa.directors[1:]:  # they own no unit: their account's email and the portal
            mine = [(n["channel"], n["address"]) for n in notices if n["user_id"] == str(director.user_id)]
            assert sorted(mine) == [("EMAIL", director.email), ("PORTAL", f"user:{director.user_id}")]
    finally:
        await hoa.ok("governance/meeting/v1/cancel", {"id": meeting["id"], "reason": "Test over"})

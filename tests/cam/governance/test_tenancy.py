"""Who reaches domain 8's records across organizations: another organization's manager finds none of this one's
boards, seats, meetings, agenda items, attendance, minutes, votes, resolutions or policies (NOT_FOUND on every
procedure taking their ids, exactly as for a random id, never FORBIDDEN), cannot use them from their own
association's records, and never sees them listed; and row-level security: the app role scoped to the other
organization reads none of this organization's rows in any governance table."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from hestami.core.config import Settings
from tests.cam.governance.conftest import DAY_SECONDS
from tests.cam.governance.helpers import Community, after_days, community
from tests.support.rpc import all_ids, post

TABLES = (
    "governance_settings",
    "boards",
    "board_seats",
    "meetings",
    "meeting_agenda_items",
    "meeting_attendance",
    "meeting_minutes",
    "meeting_voters",
    "meeting_notices",
    "votes",
    "vote_participations",
    "secret_ballots",
    "resolutions",
    "policies",
    "policy_versions",
)
LISTS = (
    "governance/board/v1/list",
    "governance/meeting/v1/list",
    "governance/vote/v1/list",
    "governance/resolution/v1/list",
    "governance/resolution/v1/listPolicies",
)


@dataclass
class Home:
    """This organization's governance records, one row in every governance table at least."""

    hoa: Community
    upcoming: dict[str, Any]  # a board meeting noticed, with an agenda item
    item: str  # its agenda item
    held: dict[str, Any]  # a board meeting adjourned, with draft minutes
    in_session: dict[str, Any]  # a board meeting in session: directors 0 and 1 present
    attendance: str  # director 0's attendance at it
    open_vote: str  # a motion open at it, director 0 has voted
    adopted: dict[str, Any]  # the POLICY resolution adopted at it
    policy: str  # the policy it adopted (version 1)
    proposed: dict[str, Any]  # a SPECIAL_ASSESSMENT resolution, proposed
    annual: dict[str, Any]  # an owners' meeting noticed (voter list, notices)
    ballot: str  # a secret ballot open for it, owner 1 has voted
    party: str  # the party owning unit 0


@dataclass
class Away:
    """Another organization's manager, with their own association (its board has a free seat), a board meeting in
    session with a motion open and an owners' meeting in session with a ballot open."""

    hoa: Community
    in_session: dict[str, Any]
    vote: str
    annual: dict[str, Any]
    ballot: str


@dataclass
class World:
    home: Home
    away: Away


@pytest.fixture(scope="module")
def short_days_for_the_module(settings: Settings) -> Iterator[None]:
    """The module's set-up holds meetings: governance days last DAY_SECONDS for it too (conftest's fixture covers
    each test, after the module's set-up)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "governance_day_seconds", DAY_SECONDS)
        yield


async def called_to_order(hoa: Community, kind: str = "BOARD", days: float = 4, **fields: Any) -> dict[str, Any]:
    meeting = await hoa.schedule(kind, days=days, **fields)
    await hoa.until(meeting["id"], "NOTICED")
    return dict(await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]}))


async def home(c: httpx.AsyncClient) -> Home:
    hoa = await community(c, "Home")
    aid = hoa.association_id
    await hoa.ok("governance/meeting/v1/updateSettings", {"association_id": aid, "proxies_allowed": True})
    upcoming = await hoa.schedule(days=30, agenda=[{"title": "Pool hours", "item_type": "DISCUSSION"}])
    held = await called_to_order(hoa)
    await hoa.ok("governance/meeting/v1/adjourn", {"id": held["id"]})
    await hoa.ok("governance/meeting/v1/draftMinutes", {"meeting_id": held["id"], "body": "Draft minutes."})
    meeting = await called_to_order(hoa)
    attendance = [
        await hoa.ok("governance/meeting/v1/recordAttendance", {"meeting_id": meeting["id"], "seat_id": seat})
        for seat in hoa.seats[:2]
    ]
    body = {
        "association_id": aid,
        "kind": "POLICY",
        "title": "Pet policy",
        "body": "Resolved.",
        "policy_title": "Pets",
        "policy_body": "Two pets per unit.",
    }
    resolution = await hoa.ok("governance/resolution/v1/propose", body)
    vote = await hoa.ok(
        "governance/vote/v1/open",
        {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Adopt?", "resolution_id": resolution["id"]},
    )
    for director in hoa.directors[:2]:
        await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES"}, director)
    assert (await hoa.ok("governance/vote/v1/close", {"id": vote["id"]}))["result"] == "PASSED"
    adopted = await hoa.ok("governance/resolution/v1/get", {"id": resolution["id"]})
    assert (adopted["status"], adopted["policy_version"]) == ("ADOPTED", 1)
    motion = await hoa.ok(
        "governance/vote/v1/open", {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Recess?"}
    )
    await hoa.ok("governance/vote/v1/cast", {"vote_id": motion["id"], "choice": "YES"}, hoa.directors[0])
    proposed = await hoa.ok(
        "governance/resolution/v1/propose",
        {
            "association_id": aid,
            "kind": "SPECIAL_ASSESSMENT",
            "title": "Roof",
            "body": "Resolved.",
            "assessment_total": "1000.00",
            "assessment_due_on": "2030-01-01",
            "assessment_fund": "RESERVE",
            "allocation": "BY_SHARE",
        },
    )
    annual = await hoa.schedule("ANNUAL", days=12)
    await hoa.until(annual["id"], "NOTICED")
    ballot = await hoa.ok(
        "governance/vote/v1/open", {"meeting_id": annual["id"], "kind": "BALLOT", "question": "Elect?", "secret": True}
    )
    await hoa.ok("governance/vote/v1/cast", {"vote_id": ballot["id"], "choice": "YES"}, hoa.owners[1])
    owners = await hoa.ok("ownership/v1/listByUnit", {"unit_id": hoa.units[0]["id"]})
    return Home(
        hoa,
        upcoming,
        upcoming["agenda"][0]["id"],
        held,
        meeting,
        attendance[0]["id"],
        motion["id"],
        adopted,
        adopted["policy_id"],
        proposed,
        annual,
        ballot["id"],
        owners["items"][0]["party_id"],
    )


async def away(c: httpx.AsyncClient) -> Away:
    hoa = await community(c, "Elsewhere")
    await hoa.ok("governance/board/v1/update", {"id": hoa.board_id, "seat_count": 4})  # a seat to fill
    meeting = await called_to_order(hoa)
    vote = await hoa.ok("governance/vote/v1/open", {"meeting_id": meeting["id"], "kind": "MOTION", "question": "Q?"})
    annual = await called_to_order(hoa, "ANNUAL", days=12)
    ballot = await hoa.ok("governance/vote/v1/open", {"meeting_id": annual["id"], "kind": "BALLOT", "question": "Q?"})
    return Away(hoa, meeting, vote["id"], annual, ballot["id"])


async def wind_up(hoa: Community, meeting_id: str, open_vote: str | None) -> None:
    """Ends a meeting in session (its open vote closed, adjourned, minutes drafted), so its lifecycle ends."""
    if open_vote is not None:
        await hoa.ok("governance/vote/v1/close", {"id": open_vote})
    await hoa.ok("governance/meeting/v1/adjourn", {"id": meeting_id})
    await hoa.ok("governance/meeting/v1/draftMinutes", {"meeting_id": meeting_id, "body": "Done."})


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient, short_days_for_the_module: None) -> AsyncIterator[World]:
    w = World(await home(shared_client), await away(shared_client))
    yield w
    h, a = w.home, w.away
    await wind_up(h.hoa, h.in_session["id"], h.open_vote)
    for seat in a.hoa.seats:  # 3 of 4 seats: quorum
        await a.hoa.ok("governance/meeting/v1/recordAttendance", {"meeting_id": a.in_session["id"], "seat_id": seat})
    await wind_up(a.hoa, a.in_session["id"], a.vote)
    # the owner of the heaviest unit (3 of 7) votes: quorum (20 %) for the count
    await a.hoa.ok("governance/vote/v1/cast", {"vote_id": a.ballot, "choice": "YES"}, a.hoa.owners[3])
    await wind_up(a.hoa, a.annual["id"], a.ballot)
    for hoa, meeting_id in ((h.hoa, h.upcoming["id"]), (h.hoa, h.annual["id"])):
        await hoa.ok("governance/meeting/v1/cancel", {"id": meeting_id, "reason": "End of the test"})


def record_calls(h: Home) -> list[tuple[str, dict[str, Any], str]]:
    """(procedure, body, the field holding this organization's id) for every governance procedure taking one."""
    hoa, today = h.hoa, date.today().isoformat()
    upcoming, held, meeting = h.upcoming["id"], h.held["id"], h.in_session["id"]
    return [
        (
            "governance/board/v1/create",
            {"association_id": hoa.association_id, "kind": "COMMITTEE", "name": "Ours", "seat_count": 1},
            "association_id",
        ),
        ("governance/board/v1/get", {"id": hoa.board_id}, "id"),
        ("governance/board/v1/update", {"id": hoa.board_id, "name": "Taken over"}, "id"),
        (
            "governance/board/v1/fillSeat",
            {"board_id": hoa.board_id, "position": "DIRECTOR", "holder_name": "Intruder", "term_start": "2025-01-01"},
            "board_id",
        ),
        ("governance/board/v1/endSeat", {"id": hoa.seats[0], "ended_on": today, "reason": "REMOVED"}, "id"),
        ("governance/board/v1/history", {"board_id": hoa.board_id}, "board_id"),
        ("governance/meeting/v1/getSettings", {"association_id": hoa.association_id}, "association_id"),
        (
            "governance/meeting/v1/updateSettings",
            {"association_id": hoa.association_id, "proxies_allowed": False},
            "association_id",
        ),
        (
            "governance/meeting/v1/schedule",
            {"association_id": hoa.association_id, "kind": "BOARD", "title": "Ours", "starts_at": after_days(30)},
            "association_id",
        ),
        ("governance/meeting/v1/get", {"id": upcoming}, "id"),
        ("governance/meeting/v1/update", {"id": upcoming, "title": "Renamed"}, "id"),
        ("governance/meeting/v1/addAgendaItem", {"meeting_id": upcoming, "title": "More"}, "meeting_id"),
        ("governance/meeting/v1/removeAgendaItem", {"id": h.item}, "id"),
        ("governance/meeting/v1/cancel", {"id": upcoming, "reason": "Not yours"}, "id"),
        ("governance/meeting/v1/callToOrder", {"id": upcoming}, "id"),
        ("governance/meeting/v1/recordAttendance", {"meeting_id": meeting, "seat_id": hoa.seats[2]}, "meeting_id"),
        ("governance/meeting/v1/removeAttendance", {"id": h.attendance}, "id"),
        ("governance/meeting/v1/attendance", {"meeting_id": meeting}, "meeting_id"),
        ("governance/meeting/v1/quorum", {"meeting_id": meeting}, "meeting_id"),
        ("governance/meeting/v1/adjourn", {"id": meeting}, "id"),
        ("governance/meeting/v1/draftMinutes", {"meeting_id": held, "body": "Ours."}, "meeting_id"),
        ("governance/meeting/v1/approveMinutes", {"meeting_id": meeting, "minutes_of_meeting_id": held}, "meeting_id"),
        ("governance/meeting/v1/getMinutes", {"meeting_id": held}, "meeting_id"),
        ("governance/meeting/v1/notices", {"meeting_id": h.annual["id"]}, "meeting_id"),
        ("governance/meeting/v1/voters", {"meeting_id": h.annual["id"]}, "meeting_id"),
        ("governance/vote/v1/open", {"meeting_id": meeting, "kind": "MOTION", "question": "Ours?"}, "meeting_id"),
        (
            "governance/vote/v1/cast",
            {"vote_id": h.open_vote, "choice": "NO", "seat_id": hoa.seats[1], "method": "IN_PERSON"},
            "vote_id",
        ),
        (
            "governance/vote/v1/cast",
            {"vote_id": h.ballot, "choice": "NO", "unit_id": hoa.units[2]["id"], "method": "IN_PERSON"},
            "vote_id",
        ),
        ("governance/vote/v1/close", {"id": h.open_vote}, "id"),
        ("governance/vote/v1/get", {"id": h.open_vote}, "id"),
        ("governance/vote/v1/get", {"id": h.ballot}, "id"),
        (
            "governance/resolution/v1/propose",
            {"association_id": hoa.association_id, "title": "Ours", "body": "No."},
            "association_id",
        ),
        ("governance/resolution/v1/get", {"id": h.proposed["id"]}, "id"),
        ("governance/resolution/v1/get", {"id": h.adopted["id"]}, "id"),
        ("governance/resolution/v1/withdraw", {"id": h.proposed["id"]}, "id"),
        ("governance/resolution/v1/previewAssessment", {"id": h.proposed["id"]}, "id"),
        ("governance/resolution/v1/getPolicy", {"id": h.policy}, "id"),
    ]


def borrowing_calls(h: Home, a: Away) -> list[tuple[str, dict[str, Any], str]]:
    """The other organization's own records, given one of this organization's ids."""
    theirs, hoa = a.hoa, h.hoa
    starts = after_days(30)
    return [
        (
            "governance/meeting/v1/schedule",
            {
                "association_id": theirs.association_id,
                "kind": "COMMITTEE",
                "board_id": hoa.board_id,
                "title": "Borrowed",
                "starts_at": starts,
            },
            "board_id",
        ),
        (
            "governance/meeting/v1/recordAttendance",
            {"meeting_id": a.in_session["id"], "seat_id": hoa.seats[2]},
            "seat_id",
        ),
        (
            "governance/meeting/v1/recordAttendance",
            {"meeting_id": a.annual["id"], "unit_id": hoa.units[2]["id"]},
            "unit_id",
        ),
        (
            "governance/meeting/v1/approveMinutes",
            {"meeting_id": a.in_session["id"], "minutes_of_meeting_id": h.held["id"]},
            "minutes_of_meeting_id",
        ),
        (
            "governance/vote/v1/open",
            {"meeting_id": a.in_session["id"], "kind": "MOTION", "question": "Q?", "resolution_id": h.proposed["id"]},
            "resolution_id",
        ),
        (
            "governance/vote/v1/cast",
            {"vote_id": a.vote, "choice": "YES", "seat_id": hoa.seats[2], "method": "IN_PERSON"},
            "seat_id",
        ),
        (
            "governance/vote/v1/cast",
            {"vote_id": a.ballot, "choice": "YES", "unit_id": hoa.units[2]["id"], "method": "IN_PERSON"},
            "unit_id",
        ),
        (
            "governance/resolution/v1/propose",
            {
                "association_id": theirs.association_id,
                "title": "Borrowed",
                "body": "No.",
                "supersedes_id": h.adopted["id"],
            },
            "supersedes_id",
        ),
        (
            "governance/resolution/v1/propose",
            {
                "association_id": theirs.association_id,
                "kind": "POLICY",
                "title": "Borrowed",
                "body": "No.",
                "policy_id": h.policy,
                "policy_body": "Ours now.",
            },
            "policy_id",
        ),
        (
            "governance/board/v1/fillSeat",
            {"board_id": theirs.board_id, "position": "DIRECTOR", "party_id": h.party, "term_start": "2025-01-01"},
            "party_id",
        ),
        (  # the seat of one of their members, on record as this organization's party
            "governance/board/v1/fillSeat",
            {
                "board_id": theirs.board_id,
                "position": "DIRECTOR",
                "user_id": str(theirs.manager.user_id),
                "party_id": h.party,
                "term_start": "2025-01-01",
            },
            "party_id",
        ),
    ]


async def answer(a: Away, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = await post(a.hoa.client, a.hoa.manager, a.hoa.org, path, body)
    payload = response.json()
    assert payload["ok"] is False, f"{path}: {response.text}"
    return response.status_code, payload["error"]


async def like_a_random_id(a: Away, path: str, body: dict[str, Any], field: str) -> tuple[int, dict[str, Any]]:
    """The answer to `body`, checked equal to the answer with `field` set to a random id (but for the id)."""
    status, error = await answer(a, path, body)
    random_status, random_error = await answer(a, path, {**body, field: str(uuid.uuid4())})
    assert status == random_status, (path, field, error, random_error)
    assert (error["code"], error["message"]) == (random_error["code"], random_error["message"]), (path, field)
    details, random_details = error.get("details") or {}, random_error.get("details") or {}
    assert {**details, "id": "-"} == {**random_details, "id": "-"}, (path, field, error, random_error)
    return status, error


async def unchanged(h: Home) -> None:
    hoa = h.hoa
    meeting = await hoa.ok("governance/meeting/v1/get", {"id": h.upcoming["id"]})
    assert (meeting["title"], meeting["status"]) == (h.upcoming["title"], "NOTICED")
    assert h.item in {item["id"] for item in meeting["agenda"]}
    board = await hoa.ok("governance/board/v1/get", {"id": hoa.board_id})
    assert (board["name"], sorted(seat["id"] for seat in board["seats"])) == ("Board of Directors", sorted(hoa.seats))
    assert (await hoa.ok("governance/meeting/v1/get", {"id": h.in_session["id"]}))["status"] == "IN_SESSION"
    present = await hoa.ok("governance/meeting/v1/attendance", {"meeting_id": h.in_session["id"]})
    assert {row["seat_id"] for row in present["items"]} == set(hoa.seats[:2])
    vote = await hoa.ok("governance/vote/v1/get", {"id": h.open_vote})
    assert (vote["status"], len(vote["participations"])) == ("OPEN", 1)
    ballot = await hoa.ok("governance/vote/v1/get", {"id": h.ballot})
    assert len(ballot["participations"]) == 1
    assert (await hoa.ok("governance/resolution/v1/get", {"id": h.proposed["id"]}))["status"] == "PROPOSED"
    assert (await hoa.ok("governance/meeting/v1/getMinutes", {"meeting_id": h.held["id"]}))["body"] == "Draft minutes."
    assert (await hoa.ok("governance/meeting/v1/getSettings", {"association_id": hoa.association_id}))[
        "proxies_allowed"
    ]
    policy = await hoa.ok("governance/resolution/v1/getPolicy", {"id": h.policy})
    assert [v["version"] for v in policy["versions"]] == [1]
    listed = await hoa.ok("governance/board/v1/list", {"association_id": hoa.association_id})
    assert [row["id"] for row in listed["items"]] == [hoa.board_id]


async def test_another_organizations_manager_finds_none_of_the_records(world: World) -> None:
    h, a = world.home, world.away
    for path, body, field in record_calls(h):
        status, error = await like_a_random_id(a, path, body, field)
        assert (status, error["code"]) == (404, "NOT_FOUND"), (path, field, error)
    await unchanged(h)


async def test_another_organizations_records_cannot_borrow_these_ids(world: World) -> None:
    h, a = world.home, world.away
    for path, body, field in borrowing_calls(h, a):
        status, error = await like_a_random_id(a, path, body, field)
        if field == "unit_id":  # a unit the meeting's voter list does not have, as for any unknown unit
            assert (status, (error.get("details") or {}).get("reason")) == (422, "NOT_A_VOTER"), (path, error)
        else:
            assert (status, error["code"]) == (404, "NOT_FOUND"), (path, field, error)
    mine = a.hoa
    assert await all_ids(mine.client, mine.manager, mine.org, "governance/resolution/v1/list") == set()
    board = await mine.ok("governance/board/v1/get", {"id": mine.board_id})
    assert all(seat["party_id"] != h.party for seat in board["seats"])
    await unchanged(h)


async def test_lists_never_include_another_organizations_records(world: World) -> None:
    h, a = world.home, world.away
    c, who, org = a.hoa.client, a.hoa.manager, a.hoa.org
    ours = {
        h.hoa.board_id,
        h.upcoming["id"],
        h.held["id"],
        h.in_session["id"],
        h.annual["id"],
        h.open_vote,
        h.ballot,
        h.adopted["id"],
        h.proposed["id"],
        h.policy,
    }
    seen: set[str] = set()
    for path in LISTS:
        seen |= await all_ids(c, who, org, path)
        assert await all_ids(c, who, org, path, {"association_id": h.hoa.association_id}) == set(), path
    assert seen, "their own records are listed"
    assert not seen & ours, seen & ours
    assert await all_ids(c, who, org, "governance/vote/v1/list", {"meeting_id": h.in_session["id"]}) == set()


async def rows(scope_org: str | None, statement: str, **params: Any) -> list[Any]:
    """A statement as the app role (row-level security on), scoped to `scope_org` (or to no organization)."""
    database = runtime.current().database
    scope = uuid.UUID(scope_org) if scope_org is not None else None
    async with database.transaction(organization_id=scope, user_id=None) as session:
        return list((await session.execute(text(statement), params)).all())


async def test_row_level_security_hides_every_governance_table(world: World) -> None:
    h, a = world.home, world.away
    home_org, away_org = h.hoa.org, a.hoa.org
    for table in TABLES:
        mine = await rows(home_org, f"SELECT count(*) FROM {table} WHERE organization_id = :org", org=home_org)
        assert mine[0][0] > 0, f"{table}: the home organization has rows (the check below means something)"
        theirs = await rows(away_org, f"SELECT organization_id FROM {table}")
        assert all(str(row[0]) == away_org for row in theirs), table
        asked = await rows(away_org, f"SELECT count(*) FROM {table} WHERE organization_id = :org", org=home_org)
        assert asked[0][0] == 0, table
        unscoped = await rows(None, f"SELECT count(*) FROM {table} WHERE organization_id = :org", org=home_org)
        assert unscoped[0][0] == 0, table
        update = f"UPDATE {table} SET organization_id = organization_id WHERE organization_id = :org RETURNING id"
        touched = await rows(away_org, update, org=home_org)
        assert touched == [], table

"""A BOARD_MEMBER's view follows their seat on an association's board of directors (migration 0020's
`app_enter_scope`, the `org_board_member` derived role): in one management company with associations A and B, a
board member seated on A's board sees A's records (the association, units, work orders, BOARD documents, violations,
meetings, proposed resolutions) while B's answer NOT_FOUND exactly as a random id would and are left out of lists;
a BOARD_MEMBER without a seat sees no association's records; a seat ended today takes the view away on the next
request, a seat starting tomorrow gives none yet, and the unit the member owns stays theirs to see. An owner of A
sees A's meetings and adopted resolutions, never B's meetings, proposed resolutions or draft minutes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from hestami.core.config import Settings
from tests.cam.association.helpers import own, property_, unit
from tests.cam.governance.conftest import DAY_SECONDS
from tests.cam.governance.helpers import after_days
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import all_ids, fails, ok, post, suffix

GETS = (
    "association",
    "unit",
    "work_order",
    "document",
    "violation",
    "board",
    "meeting",
    "resolution",
)
PATHS = {
    "association": "association/v1/get",
    "unit": "unit/v1/get",
    "work_order": "workOrder/v1/get",
    "document": "document/v1/get",
    "violation": "violation/v1/get",
    "board": "governance/board/v1/get",
    "meeting": "governance/meeting/v1/get",
    "resolution": "governance/resolution/v1/get",
}
LISTS = {
    "association": "association/v1/list",
    "unit": "unit/v1/list",
    "work_order": "workOrder/v1/list",
    "document": "document/v1/list",
    "violation": "violation/v1/list",
    "board": "governance/board/v1/list",
    "meeting": "governance/meeting/v1/list",
    "resolution": "governance/resolution/v1/list",
}


@dataclass
class Side:
    """One association's records: `ids[kind]` is the id of its record of that kind (`unit`: a unit the caller under
    test does not own; `resolution`: a PROPOSED one)."""

    association_id: str
    ids: dict[str, str]
    units: list[dict[str, Any]]
    board_id: str
    adopted_id: str | None = None  # an ADOPTED resolution
    minuted_meeting_id: str | None = None  # a meeting held, with draft minutes


@dataclass
class World:
    client: httpx.AsyncClient
    manager: Account  # ADMIN of the management company
    org: str
    a: Side
    b: Side
    seated: Account  # BOARD_MEMBER seated on A's board; owns a unit of A
    seated_unit: str
    unseated: Account  # BOARD_MEMBER with no seat
    owner: Account  # OWNER of a unit of A

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await ok(self.client, who or self.manager, self.org, path, body)


@pytest.fixture(scope="module")
def short_days_for_the_module(settings: Settings) -> Iterator[None]:
    """The module's set-up schedules meetings: governance days last DAY_SECONDS for it too (conftest's fixture
    covers each test, after the module's set-up)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "governance_day_seconds", DAY_SECONDS)
        yield


async def until_status(w: World, meeting_id: str, status: str, seconds: float = 20.0) -> None:
    deadline = datetime.now(UTC) + timedelta(seconds=seconds)
    while (await w.ok("governance/meeting/v1/get", {"id": meeting_id}))["status"] != status:
        assert datetime.now(UTC) < deadline, f"meeting {meeting_id} never {status}"
        await asyncio.sleep(0.1)


async def side(w: World, name: str, owners: list[Account]) -> Side:
    """An association with one unit per owner plus one nobody here owns, a work order, a BOARD document, a violation,
    a board of directors with two seats held by name (of three), a board meeting and a proposed resolution."""
    c, m, org = w.client, w.manager, w.org
    assoc = await w.ok("association/v1/create", {"name": f"{name} {suffix()}"})
    aid = assoc["id"]
    prop = await property_(c, m, org, aid)
    units = []
    for index, who in enumerate(owners):
        row = await unit(c, m, org, prop["id"], f"{index + 1}")
        party = await w.ok(
            "party/v1/create",
            {
                "party_type": "INDIVIDUAL",
                "first_name": "Unit",
                "last_name": f"Owner {index}",
                "user_id": str(who.user_id),
            },
        )
        await own(c, m, org, row["id"], party["id"])
        units.append(row)
    nobodys = await unit(c, m, org, prop["id"], "99")
    order = await w.ok(
        "workOrder/v1/create", {"association_id": aid, "title": f"Leak {suffix()}", "description": "Drip"}
    )
    document = await w.ok(
        "document/v1/upload",
        {
            "title": f"Board memo {suffix()}",
            "category": "RULES",
            "visibility": "BOARD",
            "scope": {"type": "ASSOCIATION", "association_id": aid},
        },
    )
    vtype = await w.ok(
        "violationType/v1/create",
        {"association_id": aid, "code": "TRASH_CANS", "name": "Trash cans", "category": "MAINTENANCE"},
    )
    violation = await w.ok(
        "violation/v1/create",
        {
            "association_id": aid,
            "unit_id": nobodys["id"],
            "violation_type_id": vtype["id"],
            "description": "Cans out",
            "observed_at": datetime.now(UTC).isoformat(),
        },
    )
    board = await w.ok(
        "governance/board/v1/create", {"association_id": aid, "name": "Board of Directors", "seat_count": 3}
    )
    for position, holder in (("PRESIDENT", "Pat Chair"), ("TREASURER", "Quinn Cash")):
        await w.ok(
            "governance/board/v1/fillSeat",
            {"board_id": board["id"], "position": position, "holder_name": holder, "term_start": "2024-01-01"},
        )
    meeting = await w.ok(
        "governance/meeting/v1/schedule",
        {
            "association_id": aid,
            "kind": "BOARD",
            "title": "Upcoming",
            "starts_at": after_days(30),
            "location": "Clubhouse",
        },
    )
    proposed = await w.ok(
        "governance/resolution/v1/propose", {"association_id": aid, "title": "Paint the gate", "body": "Resolved."}
    )
    ids = {
        "association": aid,
        "unit": nobodys["id"],
        "work_order": order["id"],
        "document": document["id"],
        "violation": violation["id"],
        "board": board["id"],
        "meeting": meeting["id"],
        "resolution": proposed["id"],
    }
    return Side(aid, ids, [*units, nobodys], board["id"])


async def adopt_and_minute(w: World, s: Side) -> None:
    """A board meeting held with the two named directors present adopts a resolution; adjourned, its minutes drafted
    (not approved)."""
    held = await w.ok(
        "governance/meeting/v1/schedule",
        {"association_id": s.association_id, "kind": "BOARD", "title": "Held", "starts_at": after_days(4)},
    )
    await until_status(w, held["id"], "NOTICED")
    await w.ok("governance/meeting/v1/callToOrder", {"id": held["id"]})
    board = await w.ok("governance/board/v1/get", {"id": s.board_id})
    seats = [seat["id"] for seat in board["seats"] if seat["user_id"] is None]
    for seat in seats:
        await w.ok("governance/meeting/v1/recordAttendance", {"meeting_id": held["id"], "seat_id": seat})
    resolution = await w.ok(
        "governance/resolution/v1/propose",
        {"association_id": s.association_id, "title": "Reseal the pool", "body": "Resolved."},
    )
    vote = await w.ok(
        "governance/vote/v1/open",
        {"meeting_id": held["id"], "kind": "MOTION", "question": "Adopt?", "resolution_id": resolution["id"]},
    )
    for seat in seats:
        await w.ok(
            "governance/vote/v1/cast", {"vote_id": vote["id"], "choice": "YES", "seat_id": seat, "method": "IN_PERSON"}
        )
    assert (await w.ok("governance/vote/v1/close", {"id": vote["id"]}))["result"] == "PASSED"
    assert (await w.ok("governance/resolution/v1/get", {"id": resolution["id"]}))["status"] == "ADOPTED"
    await w.ok("governance/meeting/v1/adjourn", {"id": held["id"]})
    await w.ok("governance/meeting/v1/draftMinutes", {"meeting_id": held["id"], "body": "Draft minutes."})
    s.adopted_id, s.minuted_meeting_id = resolution["id"], held["id"]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient, short_days_for_the_module: None) -> AsyncIterator[World]:
    c = shared_client
    manager = await account(c)
    org = (await organization(c, manager, f"Scope Mgmt {suffix()}", "MANAGEMENT_COMPANY"))["id"]
    seated = await member_account(c, manager, org, ["BOARD_MEMBER"])
    unseated = await member_account(c, manager, org, ["BOARD_MEMBER"])
    owner = await member_account(c, manager, org, ["OWNER"])
    w = World(c, manager, org, Side("", {}, [], ""), Side("", {}, [], ""), seated, "", unseated, owner)
    w.a = await side(w, "Aspen", [owner, seated])
    w.b = await side(w, "Birch", [])
    w.seated_unit = w.a.units[1]["id"]
    await seat_on_board(c, manager, org, w.a.association_id, seated)
    await adopt_and_minute(w, w.a)
    await adopt_and_minute(w, w.b)
    yield w
    for s in (w.a, w.b):  # the upcoming meetings' lifecycles end
        await w.ok("governance/meeting/v1/cancel", {"id": s.ids["meeting"], "reason": "End of the test"})


async def hidden(w: World, who: Account, path: str, record_id: str) -> None:
    """NOT_FOUND exactly as for a random id: same status, code, message and details but the id."""
    answers = []
    for some_id in (record_id, str(uuid.uuid4())):
        response = await post(w.client, who, w.org, path, {"id": some_id})
        assert response.status_code == 404, f"{path}: {response.text}"
        answers.append(response.json()["error"])
    seen, random = answers
    assert seen["code"] == random["code"] == "NOT_FOUND"
    assert seen["message"] == random["message"], (path, seen, random)
    assert {**seen["details"], "id": "-"} == {**random["details"], "id": "-"}, (path, seen, random)


async def listed(w: World, who: Account, kind: str) -> set[str]:
    return await all_ids(w.client, who, w.org, LISTS[kind])


async def sees(w: World, who: Account, s: Side, kinds: tuple[str, ...] = GETS) -> None:
    for kind in kinds:
        record_id = s.ids[kind]
        assert (await w.ok(PATHS[kind], {"id": record_id}, who))["id"] == record_id, kind
        assert record_id in await listed(w, who, kind), kind


async def sees_none_of(w: World, who: Account, s: Side, kinds: tuple[str, ...] = GETS) -> None:
    for kind in kinds:
        await hidden(w, who, PATHS[kind], s.ids[kind])
        assert s.ids[kind] not in await listed(w, who, kind), kind


# --- a seated board member --------------------------------------------------------------------------------------


async def test_the_seated_board_member_sees_their_association(world: World) -> None:
    w = world
    await sees(w, w.seated, w.a)
    assert w.a.adopted_id in await listed(w, w.seated, "resolution")
    minutes = await w.ok("governance/meeting/v1/getMinutes", {"meeting_id": w.a.minuted_meeting_id}, w.seated)
    assert minutes["status"] == "DRAFT"
    settings = await w.ok("governance/meeting/v1/getSettings", {"association_id": w.a.association_id}, w.seated)
    assert settings["association_id"] == w.a.association_id
    units = await all_ids(w.client, w.seated, w.org, "unit/v1/list", {"association_id": w.a.association_id})
    assert {row["id"] for row in w.a.units} <= units
    assert not units & {row["id"] for row in w.b.units}
    # and runs its meetings
    agenda = {"meeting_id": w.a.ids["meeting"], "title": f"Item {suffix()}"}
    assert (await w.ok("governance/meeting/v1/addAgendaItem", agenda, w.seated))["meeting_id"] == w.a.ids["meeting"]


async def test_the_other_associations_records_answer_like_random_ids(world: World) -> None:
    w = world
    await sees_none_of(w, w.seated, w.b)
    assert w.b.adopted_id not in await listed(w, w.seated, "resolution")
    for path, body in (
        ("governance/meeting/v1/getSettings", {"association_id": w.b.association_id}),
        ("governance/meeting/v1/getMinutes", {"meeting_id": w.b.minuted_meeting_id}),
        ("governance/meeting/v1/addAgendaItem", {"meeting_id": w.b.ids["meeting"], "title": "Sneaked in"}),
        (
            "governance/resolution/v1/propose",
            {"association_id": w.b.association_id, "title": "Ours now", "body": "No."},
        ),
    ):
        await fails(w.client, w.seated, w.org, path, body, 404, "NOT_FOUND")
    body = {"association_id": w.b.association_id}
    for kind in ("unit", "meeting", "resolution", "board"):
        assert await all_ids(w.client, w.seated, w.org, LISTS[kind], body) == set(), kind
    assert await listed(w, w.seated, "association") == {w.a.association_id}


# --- no seat, a seat ended today, a seat from tomorrow ----------------------------------------------------------


async def test_a_board_member_without_a_seat_sees_no_association(world: World) -> None:
    w = world
    for s in (w.a, w.b):
        await sees_none_of(w, w.unseated, s)
    for kind in LISTS:
        assert await listed(w, w.unseated, kind) == set(), kind


async def test_ending_the_seat_ends_the_view_on_the_next_request(world: World) -> None:
    w = world
    leaving = await member_account(w.client, w.manager, w.org, ["BOARD_MEMBER"])
    own_unit = await unit(w.client, w.manager, w.org, w.a.units[0]["property_id"], f"L{suffix()[:4]}")
    person = await w.ok(
        "party/v1/create",
        {"party_type": "INDIVIDUAL", "first_name": "Lee", "last_name": "Leaving", "user_id": str(leaving.user_id)},
    )
    await own(w.client, w.manager, w.org, own_unit["id"], person["id"])
    seat = await seat_on_board(w.client, w.manager, w.org, w.a.association_id, leaving)
    await sees(w, leaving, w.a)
    ended = await w.ok(
        "governance/board/v1/endSeat", {"id": seat["id"], "ended_on": date.today().isoformat(), "reason": "RESIGNED"}
    )
    assert ended["current"] is False
    await sees_none_of(w, leaving, w.a, ("association", "unit", "work_order", "document", "violation", "resolution"))
    assert await listed(w, leaving, "association") == set()
    # They still own their unit: they see it (and only it), and A's meetings and adopted resolutions as its owner.
    assert (await w.ok("unit/v1/get", {"id": own_unit["id"]}, leaving))["id"] == own_unit["id"]
    assert await listed(w, leaving, "unit") == {own_unit["id"]}
    assert (await w.ok("governance/meeting/v1/get", {"id": w.a.ids["meeting"]}, leaving))["id"] == w.a.ids["meeting"]
    assert (await w.ok("governance/resolution/v1/get", {"id": w.a.adopted_id}, leaving))["status"] == "ADOPTED"
    await fails(
        w.client,
        leaving,
        w.org,
        "governance/meeting/v1/getMinutes",
        {"meeting_id": w.a.minuted_meeting_id},
        404,
        "NOT_FOUND",
    )
    await fails(
        w.client,
        leaving,
        w.org,
        "governance/meeting/v1/addAgendaItem",
        {"meeting_id": w.a.ids["meeting"], "title": "Too late"},
        403,
        "FORBIDDEN",
    )


async def test_a_seat_starting_tomorrow_gives_no_view_yet(world: World) -> None:
    w = world
    incoming = await member_account(w.client, w.manager, w.org, ["BOARD_MEMBER"])
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    seat = await seat_on_board(w.client, w.manager, w.org, w.a.association_id, incoming, term_start=tomorrow)
    assert seat["current"] is False
    await sees_none_of(w, incoming, w.a)
    assert await listed(w, incoming, "association") == set()
    # The seat is on the board's record, not among the seats held today.
    history = await w.ok("governance/board/v1/history", {"board_id": w.a.board_id})
    assert seat["id"] in {row["id"] for row in history["items"]}
    board = await w.ok("governance/board/v1/get", {"id": w.a.board_id})
    assert seat["id"] not in {row["id"] for row in board["seats"]}


async def test_the_seated_board_member_keeps_the_owners_view_of_their_unit(world: World) -> None:
    w = world
    assert (await w.ok("unit/v1/get", {"id": w.seated_unit}, w.seated))["id"] == w.seated_unit
    assert w.seated_unit in await listed(w, w.seated, "unit")


# --- owners -----------------------------------------------------------------------------------------------------


async def test_an_owner_sees_their_associations_meetings_and_adopted_resolutions_only(world: World) -> None:
    w, owner = world, world.owner
    for meeting_id in (w.a.ids["meeting"], w.a.minuted_meeting_id):
        assert (await w.ok("governance/meeting/v1/get", {"id": meeting_id}, owner))["id"] == meeting_id
    assert (await w.ok("governance/resolution/v1/get", {"id": w.a.adopted_id}, owner))["status"] == "ADOPTED"
    meetings = await listed(w, owner, "meeting")
    assert {w.a.ids["meeting"], w.a.minuted_meeting_id} <= meetings
    resolutions = await listed(w, owner, "resolution")
    assert w.a.adopted_id in resolutions
    # B's meetings; anyone's proposals; draft minutes: like a random id, and out of the lists
    for meeting_id in (w.b.ids["meeting"], w.b.minuted_meeting_id):
        await hidden(w, owner, "governance/meeting/v1/get", str(meeting_id))
        assert meeting_id not in meetings
    for resolution_id in (w.a.ids["resolution"], w.b.ids["resolution"], w.b.adopted_id):
        await hidden(w, owner, "governance/resolution/v1/get", str(resolution_id))
        assert resolution_id not in resolutions
    proposed = await all_ids(w.client, owner, w.org, LISTS["resolution"], {"status": "PROPOSED"})
    assert proposed == set()
    for meeting_id in (w.a.minuted_meeting_id, w.b.minuted_meeting_id):
        await fails(
            w.client, owner, w.org, "governance/meeting/v1/getMinutes", {"meeting_id": meeting_id}, 404, "NOT_FOUND"
        )

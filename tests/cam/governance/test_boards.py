"""Boards and committees through HTTP: one board of directors per association, unique names, seats (officers one
at a time, as many directors as seats, nobody twice, members only, who gain BOARD_MEMBER), ending seats, the
history newest first, resizing, and what owners and directors may do."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.cam.governance.helpers import Community, community
from tests.support.accounts import account, member_account, organization
from tests.support.rpc import fails, ids, ok, suffix

CREATE = "governance/board/v1/create"
FILL = "governance/board/v1/fillSeat"
END = "governance/board/v1/endSeat"
UPDATE = "governance/board/v1/update"
HISTORY = "governance/board/v1/history"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Boards")


async def committee(hoa: Community, seats: int = 3, name: str | None = None) -> dict[str, Any]:
    body = {"association_id": hoa.association_id, "kind": "COMMITTEE", "name": name or f"Committee {suffix()}",
            "seat_count": seats, "purpose": "Looks after things."}  # fmt: skip
    return dict(await hoa.ok(CREATE, body))


def seat_body(board_id: str, position: str, start: str = "2025-01-01", **holder: Any) -> dict[str, Any]:
    return {"board_id": board_id, "position": position, "term_start": start, **holder}


async def test_one_board_of_directors_per_association(hoa: Community) -> None:
    board = await hoa.ok("governance/board/v1/get", {"id": hoa.board_id})
    assert board["kind"] == "BOARD"
    assert board["seat_count"] == 3
    assert {seat["position"] for seat in board["seats"]} == {"PRESIDENT", "TREASURER", "SECRETARY"}
    assert all(seat["current"] for seat in board["seats"])
    await hoa.fails(
        CREATE, {"association_id": hoa.association_id, "name": "Second Board", "seat_count": 5},
        422, "BUSINESS_RULE_VIOLATION", "BOARD_EXISTS",
    )  # fmt: skip
    listed = await hoa.ok("governance/board/v1/list", {"association_id": hoa.association_id, "kind": "BOARD"})
    assert ids(listed) == [hoa.board_id]


async def test_names_are_unique_in_the_association(hoa: Community) -> None:
    named = {"association_id": hoa.association_id, "kind": "COMMITTEE", "seat_count": 3}
    await hoa.fails(CREATE, {**named, "name": "board of directors"}, 422, "BUSINESS_RULE_VIOLATION", "DUPLICATE_NAME")
    first = await committee(hoa, name=f"Landscaping {suffix()}")
    assert first["kind"] == "COMMITTEE"
    assert first["seats"] == []
    assert first["purpose"] == "Looks after things."
    await hoa.fails(CREATE, {**named, "name": first["name"].upper()}, 422, "BUSINESS_RULE_VIOLATION", "DUPLICATE_NAME")
    committees = await hoa.ok("governance/board/v1/list", {"association_id": hoa.association_id, "kind": "COMMITTEE"})
    assert first["id"] in ids(committees)
    assert all(item["kind"] == "COMMITTEE" for item in committees["items"])


async def test_officer_positions_are_held_one_at_a_time(hoa: Community) -> None:
    group = await committee(hoa, seats=4)
    chair = await hoa.ok(FILL, seat_body(group["id"], "CHAIR", holder_name="Chris Chair"))
    assert chair["holder_name"] == "Chris Chair"
    assert chair["current"] is True
    error = await hoa.fails(
        FILL,
        seat_body(group["id"], "CHAIR", holder_name="Other Chair"),
        422,
        "BUSINESS_RULE_VIOLATION",
        "POSITION_TAKEN",
    )
    assert error["details"]["seat_id"] == chair["id"]
    # an officer's term that overlaps only partly is refused too; one after the seat ended is not
    await hoa.ok(END, {"id": chair["id"], "ended_on": "2025-06-30", "reason": "RESIGNED"})
    await hoa.fails(
        FILL, seat_body(group["id"], "CHAIR", "2025-06-01", holder_name="Too Early"), 422, "BUSINESS_RULE_VIOLATION",
        "POSITION_TAKEN",
    )  # fmt: skip
    successor = await hoa.ok(FILL, seat_body(group["id"], "CHAIR", "2025-06-30", holder_name="Next Chair"))
    assert successor["current"] is True


async def test_directors_up_to_the_seat_count(hoa: Community) -> None:
    group = await committee(hoa, seats=3)
    for index in range(3):
        seat = await hoa.ok(FILL, seat_body(group["id"], "DIRECTOR", holder_name=f"Director {index}"))
        assert seat["position"] == "DIRECTOR"
    error = await hoa.fails(
        FILL, seat_body(group["id"], "MEMBER", holder_name="One Too Many"), 422, "BUSINESS_RULE_VIOLATION", "BOARD_FULL"
    )
    assert "3 seats" in error["message"]
    got = await hoa.ok("governance/board/v1/get", {"id": group["id"]})
    assert [seat["holder_name"] for seat in got["seats"]].count("One Too Many") == 0
    assert len(got["seats"]) == 3
    # a term that starts after one of them ends fits
    await hoa.ok(END, {"id": got["seats"][0]["id"], "ended_on": "2025-12-31", "reason": "TERM_ENDED"})
    await hoa.fails(
        FILL, seat_body(group["id"], "DIRECTOR", "2025-12-30", holder_name="Early"), 422, "BUSINESS_RULE_VIOLATION",
        "BOARD_FULL",
    )  # fmt: skip
    await hoa.ok(FILL, seat_body(group["id"], "DIRECTOR", "2025-12-31", holder_name="On Time"))


async def test_nobody_holds_two_seats_of_a_board(hoa: Community) -> None:
    group = await committee(hoa, seats=5)
    person = hoa.owners[1]
    await hoa.ok(FILL, seat_body(group["id"], "MEMBER", user_id=str(person.user_id)))
    await hoa.fails(
        FILL, seat_body(group["id"], "CHAIR", user_id=str(person.user_id)), 422, "BUSINESS_RULE_VIOLATION",
        "ALREADY_SEATED",
    )  # fmt: skip
    party = await hoa.ok("party/v1/create", {"party_type": "INDIVIDUAL", "first_name": "Pat", "last_name": "Party"})
    by_party = await hoa.ok(FILL, seat_body(group["id"], "MEMBER", party_id=party["id"]))
    assert by_party["holder_name"] == party["display_name"] == "Pat Party"
    assert by_party["party_id"] == party["id"]
    await hoa.fails(
        FILL, seat_body(group["id"], "DIRECTOR", party_id=party["id"]), 422, "BUSINESS_RULE_VIOLATION", "ALREADY_SEATED"
    )
    # the same person may sit on another committee at once
    other = await committee(hoa, seats=1)
    await hoa.ok(FILL, seat_body(other["id"], "MEMBER", user_id=str(person.user_id)))


async def test_only_members_are_seated_by_user(hoa: Community) -> None:
    group = await committee(hoa, seats=3)
    stranger = await account(hoa.client)  # registered, not a member of the organization
    await hoa.fails(
        FILL, seat_body(group["id"], "MEMBER", user_id=str(stranger.user_id)), 422, "BUSINESS_RULE_VIOLATION",
        "NOT_A_MEMBER",
    )  # fmt: skip
    got = await hoa.ok("governance/board/v1/get", {"id": group["id"]})
    assert got["seats"] == []


async def test_a_seated_member_gains_the_board_member_role(hoa: Community) -> None:
    newcomer = await member_account(hoa.client, hoa.manager, hoa.org, ["OWNER"])

    async def roles() -> list[str]:
        members = await hoa.ok("organization/v1/listMembers", {"limit": 200})
        return next(m["roles"] for m in members["items"] if m["user_id"] == str(newcomer.user_id))

    assert "BOARD_MEMBER" not in await roles()
    group = await committee(hoa, seats=2)
    seat = await hoa.ok(FILL, seat_body(group["id"], "MEMBER", user_id=str(newcomer.user_id)))
    assert seat["user_id"] == str(newcomer.user_id)
    assert seat["holder_name"]  # the member's name (or email) by default
    assert sorted(await roles()) == ["BOARD_MEMBER", "OWNER"]
    # the directors the community seated have it too
    members = await hoa.ok("organization/v1/listMembers", {"limit": 200})
    by_user = {m["user_id"]: m["roles"] for m in members["items"]}
    assert all("BOARD_MEMBER" in by_user[str(d.user_id)] for d in hoa.directors)


async def test_end_seat(hoa: Community) -> None:
    group = await committee(hoa, seats=2)
    seat = await hoa.ok(FILL, seat_body(group["id"], "CHAIR", "2025-03-01", holder_name="Leaving Soon"))
    await hoa.fails(
        END, {"id": seat["id"], "ended_on": "2025-02-28", "reason": "RESIGNED"}, 422, "BUSINESS_RULE_VIOLATION",
        "INVALID_MOVE",
    )  # fmt: skip
    still = await hoa.ok("governance/board/v1/get", {"id": group["id"]})
    assert [s["id"] for s in still["seats"]] == [seat["id"]]
    ended = await hoa.ok(END, {"id": seat["id"], "ended_on": "2025-04-01", "reason": "RESIGNED"})
    assert ended["ended_on"] == "2025-04-01"
    assert ended["end_reason"] == "RESIGNED"
    assert ended["current"] is False
    error = await hoa.fails(
        END, {"id": seat["id"], "ended_on": "2025-05-01", "reason": "REMOVED"}, 422, "BUSINESS_RULE_VIOLATION",
        "SEAT_ENDED",
    )  # fmt: skip
    assert error["details"]["ended_on"] == "2025-04-01"
    after = await hoa.ok("governance/board/v1/get", {"id": group["id"]})
    assert after["seats"] == []
    # a seat ending in the future is current until then
    later = await hoa.ok(FILL, seat_body(group["id"], "CHAIR", "2025-04-01", holder_name="Stays A While"))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    ending = await hoa.ok(END, {"id": later["id"], "ended_on": tomorrow, "reason": "TERM_ENDED"})
    assert ending["current"] is True


async def test_history_newest_term_first(hoa: Community) -> None:
    group = await committee(hoa, seats=1)
    first = await hoa.ok(FILL, seat_body(group["id"], "CHAIR", "2019-01-01", holder_name="First"))
    await hoa.ok(END, {"id": first["id"], "ended_on": "2021-01-01", "reason": "TERM_ENDED"})
    second = await hoa.ok(FILL, seat_body(group["id"], "CHAIR", "2021-01-01", holder_name="Second"))
    await hoa.ok(END, {"id": second["id"], "ended_on": "2023-06-01", "reason": "DECEASED"})
    third = await hoa.ok(FILL, seat_body(group["id"], "CHAIR", "2023-06-01", holder_name="Third"))
    history = await hoa.ok(HISTORY, {"board_id": group["id"]})
    assert ids(history) == [third["id"], second["id"], first["id"]]
    assert [s["end_reason"] for s in history["items"]] == [None, "DECEASED", "TERM_ENDED"]
    assert [s["current"] for s in history["items"]] == [True, False, False]
    board = await hoa.ok("governance/board/v1/get", {"id": group["id"]})
    assert [s["id"] for s in board["seats"]] == [third["id"]]  # the board shows today's seats only


async def test_update_board(hoa: Community) -> None:
    group = await committee(hoa, seats=3)
    for name in ("A", "B"):
        await hoa.ok(FILL, seat_body(group["id"], "MEMBER", holder_name=name))
    error = await hoa.fails(UPDATE, {"id": group["id"], "seat_count": 1}, 422, "BUSINESS_RULE_VIOLATION", "BOARD_FULL")
    assert error["details"]["held"] == 2
    resized = await hoa.ok(UPDATE, {"id": group["id"], "seat_count": 2})
    assert resized["seat_count"] == 2
    assert len(resized["seats"]) == 2
    await hoa.fails(
        FILL, seat_body(group["id"], "MEMBER", holder_name="C"), 422, "BUSINESS_RULE_VIOLATION", "BOARD_FULL"
    )
    await hoa.fails(
        UPDATE, {"id": group["id"], "name": "Board of Directors"}, 422, "BUSINESS_RULE_VIOLATION", "DUPLICATE_NAME"
    )
    renamed = await hoa.ok(UPDATE, {"id": group["id"], "name": group["name"].upper()})  # its own name, recased
    assert renamed["name"] == group["name"].upper()
    main = await hoa.fails(UPDATE, {"id": hoa.board_id, "seat_count": 2}, 422, "BUSINESS_RULE_VIOLATION", "BOARD_FULL")
    assert main["details"]["held"] == 3
    inactive = await hoa.ok(UPDATE, {"id": group["id"], "active": False})
    assert inactive["active"] is False
    await hoa.fails(
        FILL, seat_body(group["id"], "MEMBER", "2030-01-01", holder_name="D"), 422, "BUSINESS_RULE_VIOLATION",
        "NOT_EDITABLE",
    )  # fmt: skip


async def test_owners_see_the_board_but_do_not_run_it(hoa: Community) -> None:
    owner = hoa.owners[2]
    board = await hoa.ok("governance/board/v1/get", {"id": hoa.board_id}, owner)
    assert len(board["seats"]) == 3
    listed = await hoa.ok("governance/board/v1/list", {"association_id": hoa.association_id}, owner)
    assert hoa.board_id in ids(listed)
    history = await hoa.ok(HISTORY, {"board_id": hoa.board_id}, owner)
    assert len(history["items"]) == 3
    create = {
        "association_id": hoa.association_id,
        "kind": "COMMITTEE",
        "name": f"Owners' own {suffix()}",
        "seat_count": 3,
    }
    await hoa.fails(CREATE, create, 403, "FORBIDDEN", who=owner)
    await hoa.fails(UPDATE, {"id": hoa.board_id, "name": "Owners' board"}, 403, "FORBIDDEN", who=owner)
    await hoa.fails(FILL, seat_body(hoa.board_id, "DIRECTOR", holder_name="Me"), 403, "FORBIDDEN", who=owner)
    await hoa.fails(
        END, {"id": hoa.seats[1], "ended_on": "2025-06-01", "reason": "REMOVED"}, 403, "FORBIDDEN", who=owner
    )
    unchanged = await hoa.ok("governance/board/v1/get", {"id": hoa.board_id})
    assert unchanged["name"] == "Board of Directors"
    assert all(seat["ended_on"] is None for seat in unchanged["seats"])


async def test_directors_see_the_board_but_managers_keep_it(hoa: Community) -> None:
    director = hoa.directors[1]
    board = await hoa.ok("governance/board/v1/get", {"id": hoa.board_id}, director)
    assert board["id"] == hoa.board_id
    create = {
        "association_id": hoa.association_id,
        "kind": "COMMITTEE",
        "name": f"Directors' {suffix()}",
        "seat_count": 3,
    }
    await hoa.fails(CREATE, create, 403, "FORBIDDEN", who=director)
    await hoa.fails(FILL, seat_body(hoa.board_id, "DIRECTOR", holder_name="Friend"), 403, "FORBIDDEN", who=director)


async def test_other_organizations_see_nothing(hoa: Community) -> None:
    stranger = await account(hoa.client)
    their_org = (await organization(hoa.client, stranger, f"Elsewhere {suffix()}"))["id"]
    await fails(hoa.client, stranger, their_org, "governance/board/v1/get", {"id": hoa.board_id}, 404, "NOT_FOUND")
    await fails(hoa.client, stranger, their_org, HISTORY, {"board_id": hoa.board_id}, 404, "NOT_FOUND")
    listed = await ok(hoa.client, stranger, their_org, "governance/board/v1/list", {})
    assert listed["items"] == []


async def test_a_board_seat_is_what_shows_the_association_to_a_board_member(hoa: Community) -> None:
    """A BOARD_MEMBER sees the association from the start of a current seat on its board of directors until the
    seat ends; a committee seat or a seat starting tomorrow shows nothing."""
    newcomer = await member_account(hoa.client, hoa.manager, hoa.org, ["BOARD_MEMBER"])
    later = await member_account(hoa.client, hoa.manager, hoa.org, ["BOARD_MEMBER"])
    probe = {"id": hoa.board_id}
    await hoa.fails("governance/board/v1/get", probe, 404, "NOT_FOUND", who=newcomer)
    group = await committee(hoa, seats=1)
    await hoa.ok(FILL, seat_body(group["id"], "MEMBER", user_id=str(newcomer.user_id)))
    await hoa.fails("governance/board/v1/get", probe, 404, "NOT_FOUND", who=newcomer)
    today, tomorrow = date.today().isoformat(), (date.today() + timedelta(days=1)).isoformat()
    await hoa.ok(UPDATE, {"id": hoa.board_id, "seat_count": 5})
    try:
        future = await hoa.ok(FILL, seat_body(hoa.board_id, "DIRECTOR", tomorrow, user_id=str(later.user_id)))
        assert future["current"] is False
        await hoa.fails("governance/board/v1/get", probe, 404, "NOT_FOUND", who=later)
        seat = await hoa.ok(FILL, seat_body(hoa.board_id, "DIRECTOR", today, user_id=str(newcomer.user_id)))
        assert seat["current"] is True
        seen = await hoa.ok("governance/board/v1/get", probe, newcomer)
        assert seat["id"] in [s["id"] for s in seen["seats"]]
        assert future["id"] not in [s["id"] for s in seen["seats"]]
        assert (await hoa.ok("association/v1/get", {"id": hoa.association_id}, newcomer))["id"] == hoa.association_id
        await hoa.ok(END, {"id": seat["id"], "ended_on": today, "reason": "RESIGNED"})
        await hoa.fails("governance/board/v1/get", probe, 404, "NOT_FOUND", who=newcomer)
        await hoa.fails("association/v1/get", {"id": hoa.association_id}, 404, "NOT_FOUND", who=newcomer)
        await hoa.ok(END, {"id": future["id"], "ended_on": tomorrow, "reason": "REPLACED"})
    finally:
        await hoa.ok(UPDATE, {"id": hoa.board_id, "seat_count": 3})

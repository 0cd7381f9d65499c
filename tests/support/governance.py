"""Board seats for tests of other domains: a BOARD_MEMBER sees an association's records only while they hold a
current seat on its board of directors (migration 0020's `app_enter_scope`, the `org_board_member` derived role),
so a test that makes a board member of an association seats them with `seat_on_board`."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.accounts import Account
from tests.support.rpc import ok

SEATS = 9
"""Seats of a board of directors `seat_on_board` creates (grown by one when a test needs more)."""
TERM_START = "2020-01-01"
"""A term that started long ago: the seat is current whatever today is."""


async def board_of_directors(
    client: httpx.AsyncClient, manager: Account, org: str, association_id: str
) -> dict[str, Any]:
    """The association's board of directors (`kind` BOARD), created with SEATS seats when it has none."""
    page = await ok(client, manager, org, "governance/board/v1/list",
                    {"association_id": association_id, "kind": "BOARD", "limit": 200})  # fmt: skip
    if page["items"]:
        board: dict[str, Any] = page["items"][0]
        return board
    created: dict[str, Any] = await ok(client, manager, org, "governance/board/v1/create",
                                       {"association_id": association_id, "kind": "BOARD",
                                        "name": "Board of Directors", "seat_count": SEATS})  # fmt: skip
    return created


async def seat_on_board(
    client: httpx.AsyncClient,
    manager: Account,
    org: str,
    association_id: str,
    person: Account,
    position: str = "DIRECTOR",
    term_start: str = TERM_START,
    term_end: str | None = None,
) -> dict[str, Any]:
    """Seats `person` (a member of `org`) on the board of directors of `association_id` from `term_start`, creating
    the board if the association has none (and adding a seat if every seat is held); they gain BOARD_MEMBER. As
    `manager` (an ADMIN or MANAGER of `org`). Returns the seat."""
    board = await board_of_directors(client, manager, org, association_id)
    if len(board["seats"]) >= board["seat_count"]:
        await ok(client, manager, org, "governance/board/v1/update",
                 {"id": board["id"], "seat_count": len(board["seats"]) + 1})  # fmt: skip
    body = {"board_id": board["id"], "position": position, "user_id": str(person.user_id), "term_start": term_start}
    if term_end is not None:
        body["term_end"] = term_end
    seat: dict[str, Any] = await ok(client, manager, org, "governance/board/v1/fillSeat", body)
    return seat

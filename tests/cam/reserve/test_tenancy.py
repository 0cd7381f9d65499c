"""Who reaches the reserve records: another organization's manager finds none of this one's components or studies
(NOT_FOUND on every procedure, never FORBIDDEN, and empty lists); an owner reads the inventory, the studies and
their funding analysis but records nothing (FORBIDDEN)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from tests.cam.reserve.helpers import PAINT, ROOF, Reserve, reserve
from tests.support.accounts import Account, member_account
from tests.support.governance import seat_on_board
from tests.support.rpc import all_ids


@dataclass
class World:
    hoa: Reserve
    component: dict
    study: dict
    stranger: Reserve  # the manager of another organization, with its own association
    owner: Account
    board: Account


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    hoa = await reserve(shared_client, "Home")
    component = await hoa.component(**ROOF)
    await hoa.component(**PAINT)
    study = await hoa.study()
    stranger = await reserve(shared_client, "Elsewhere")
    owner = await member_account(shared_client, hoa.manager, hoa.org, ["OWNER"])
    board = await member_account(shared_client, hoa.manager, hoa.org, ["BOARD_MEMBER"])
    await seat_on_board(shared_client, hoa.manager, hoa.org, hoa.association_id, board)
    return World(hoa, component, study, stranger, owner, board)


async def test_another_organizations_manager_finds_nothing(world: World) -> None:
    hoa, stranger, cid, sid = world.hoa, world.stranger, world.component["id"], world.study["id"]
    calls = [
        ("reserve/component/v1/get", {"id": cid}),
        ("reserve/component/v1/update", {"id": cid, "name": "Renamed from elsewhere"}),
        ("reserve/component/v1/retire", {"id": cid}),
        ("reserve/study/v1/get", {"id": sid}),
        ("reserve/study/v1/update", {"id": sid, "notes": "Changed from elsewhere"}),
        ("reserve/funding/v1/analyze", {"study_id": sid}),
        ("reserve/funding/v1/analyze", {"study_id": sid, "balance": "1.00"}),
        ("reserve/component/v1/create", {"association_id": hoa.association_id, **ROOF}),
        ("reserve/study/v1/create", hoa.study_body()),
        # their own association, with this organization's account
        ("reserve/component/v1/create",
         {"association_id": stranger.association_id, **ROOF, "expense_account_id": hoa.chart["7100"]}),
    ]  # fmt: skip
    for path, body in calls:
        await stranger.fails(path, body, 404, "NOT_FOUND")
    for path in ("reserve/component/v1/list", "reserve/study/v1/list"):
        assert await all_ids(stranger.client, stranger.manager, stranger.org, path) == set()
        body = {"association_id": hoa.association_id}
        assert await all_ids(stranger.client, stranger.manager, stranger.org, path, body) == set()
    # Nothing changed at home.
    found = await hoa.ok("reserve/component/v1/get", {"id": cid})
    assert found["name"] == "Roof"
    assert found["active"] is True
    assert (await hoa.ok("reserve/study/v1/get", {"id": sid}))["notes"] is None


async def test_an_owner_reads_but_records_nothing(world: World) -> None:
    hoa, owner, cid, sid = world.hoa, world.owner, world.component["id"], world.study["id"]
    assert (await hoa.ok("reserve/component/v1/get", {"id": cid}, owner))["id"] == cid
    assert cid in await all_ids(hoa.client, owner, hoa.org, "reserve/component/v1/list")
    assert (await hoa.ok("reserve/study/v1/get", {"id": sid}, owner))["id"] == sid
    assert sid in await all_ids(hoa.client, owner, hoa.org, "reserve/study/v1/list")
    analysis = await hoa.ok("reserve/funding/v1/analyze", {"study_id": sid, "balance": "30000.00"}, owner)
    assert analysis["percent_funded"] == "40.00"
    for path, body in (
        ("reserve/component/v1/create", {"association_id": hoa.association_id, **ROOF}),
        ("reserve/component/v1/update", {"id": cid, "name": "Renamed by an owner"}),
        ("reserve/component/v1/retire", {"id": cid}),
        ("reserve/study/v1/create", hoa.study_body()),
        ("reserve/study/v1/update", {"id": sid, "notes": "Changed by an owner"}),
    ):
        await hoa.fails(path, body, 403, "FORBIDDEN", who=owner)


async def test_the_board_reads_and_analyzes_but_records_nothing(world: World) -> None:
    hoa, board, sid = world.hoa, world.board, world.study["id"]
    assert (await hoa.ok("reserve/funding/v1/analyze", {"study_id": sid}, board))["balance_source"] == "LEDGER"
    await hoa.fails("reserve/study/v1/create", hoa.study_body(), 403, "FORBIDDEN", who=board)
    await hoa.fails("reserve/component/v1/retire", {"id": world.component["id"]}, 403, "FORBIDDEN", who=board)

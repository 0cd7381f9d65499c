"""The bulletin's "not twice" rules under races (`tests.support.race`: the requests are held at a lock they need
after their reads): two people reading at once and one person reading twice at once leave one read each, and two
managers publishing one draft at once publish it once and tell each owner once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.cam.bulletin.helpers import ANNOUNCEMENT, Community, community, outbound, sql
from tests.support.accounts import Account, member_account
from tests.support.race import Held, race
from tests.support.rpc import post


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Races")


async def call(hoa: Community, path: str, body: dict[str, Any], who: Account | None = None) -> httpx.Response:
    return await post(hoa.client, who or hoa.manager, hoa.org, path, body)


async def test_reading_at_once_records_one_read(hoa: Community) -> None:
    notice = await hoa.announcement()
    owner = hoa.owners[2]
    held = Held(
        hoa.org,
        "INSERT INTO announcement_reads (id, organization_id, announcement_id, user_id, email, read_at) "
        "VALUES (gen_random_uuid(), :org, :id, :user, 'held@example.com', now()) RETURNING id",
        {"org": hoa.org, "id": notice["id"], "user": str(owner.user_id)},
    )
    responses = await race(held, *(call(hoa, f"{ANNOUNCEMENT}/markRead", {"id": notice["id"]}, owner) for _ in "ab"))
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    first, second = (r.json()["data"]["read_at"] for r in responses)
    assert first == second
    reads = await sql(hoa.org, "SELECT email FROM announcement_reads WHERE announcement_id = :id", id=notice["id"])
    assert [row[0] for row in reads] == [owner.email]


async def test_publishing_at_once_publishes_and_tells_once(hoa: Community) -> None:
    draft = await hoa.announcement(publish=False)
    other_manager = await member_account(hoa.client, hoa.manager, hoa.org, ["MANAGER"])
    held = Held(hoa.org, "SELECT id FROM announcements WHERE id = :id FOR NO KEY UPDATE", {"id": draft["id"]})
    responses = await race(
        held,
        call(hoa, f"{ANNOUNCEMENT}/publish", {"id": draft["id"]}),
        call(hoa, f"{ANNOUNCEMENT}/publish", {"id": draft["id"]}, other_manager),
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()["error"]
    assert (refused["code"], refused["details"]["from"]) == ("INVALID_STATE_TRANSITION", "PUBLISHED")
    sent = await outbound(hoa.org, draft["id"])
    assert sorted(m["user_id"] for m in sent) == sorted(str(owner.user_id) for owner in hoa.owners)

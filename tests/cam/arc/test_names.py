"""An ARC request names its unit as it is now, on list, get and the moves that answer it."""

from __future__ import annotations

import httpx

from tests.cam.arc.helpers import community, draft
from tests.support.rpc import ok


async def test_requests_name_their_unit(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    w = await community(c)
    drafted = await draft(c, w)
    assert drafted["unit_number"] == "21"

    await ok(c, w.manager, w.org, "unit/v1/update", {"id": w.unit["id"], "unit_number": "21C"})
    listed = await ok(c, w.manager, w.org, "arc/request/v1/list", {"association_id": w.association["id"]})
    assert [r["unit_number"] for r in listed["items"]] == ["21C"]
    mine = await ok(c, w.owner, w.org, "arc/request/v1/list", {})
    assert [r["unit_number"] for r in mine["items"]] == ["21C"]
    got = await ok(c, w.owner, w.org, "arc/request/v1/get", {"id": drafted["id"]})
    assert (got["unit_number"], bool(got["history"])) == ("21C", True)
    changed = await ok(c, w.owner, w.org, "arc/request/v1/update", {"id": drafted["id"], "title": "Cedar fence, 6 ft"})
    assert changed["unit_number"] == "21C"

"""A violation names its unit and its type as they are now, on list, get and the moves that answer it; the type's
terms as recorded stay in its settings."""

from __future__ import annotations

import httpx

from tests.cam.violations.helpers import community
from tests.support.rpc import ok


async def test_violations_name_their_unit_and_type(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    w = await community(c)
    body = w.sighting("Cans at the curb")
    created = await ok(c, w.manager, w.org, "violation/v1/create", body)
    assert (created["unit_number"], created["violation_type_name"]) == ("12", "Trash cans left out")

    await ok(c, w.manager, w.org, "unit/v1/update", {"id": w.unit["id"], "unit_number": "12B"})
    await ok(c, w.manager, w.org, "violationType/v1/update", {"id": w.vtype["id"], "name": "Bins left out"})
    listed = await ok(c, w.manager, w.org, "violation/v1/list", {"association_id": w.association["id"]})
    assert [(v["unit_number"], v["violation_type_name"]) for v in listed["items"]] == [("12B", "Bins left out")]
    mine = await ok(c, w.owner, w.org, "violation/v1/list", {})
    assert [(v["unit_number"], v["violation_type_name"]) for v in mine["items"]] == [("12B", "Bins left out")]
    got = await ok(c, w.owner, w.org, "violation/v1/get", {"id": created["id"]})
    assert (got["unit_number"], got["violation_type_name"]) == ("12B", "Bins left out")
    assert got["settings"]["type"]["name"] == "Trash cans left out"
    assert got["history"]
    resolved = await ok(c, w.manager, w.org, "violation/v1/resolve", {"id": created["id"], "resolution": "DISMISSED"})
    assert (resolved["unit_number"], resolved["violation_type_name"]) == ("12B", "Bins left out")

"""The demo bulletin: after the identity and association seeders, Sunset Ridge's owners see the current
announcements (the pool season's pinned first, already read by Olivia Owner; not the expired, scheduled, board or
draft ones) and the calendar (the monthly board meeting, the pool closure at the pool, the cook-off, weekly trash
pickup with one week cancelled; not the board's workshop); the manager sees all of it; a second run adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from hestami.cam.association.demo import seed_associations
from hestami.cam.bulletin.demo import seed_bulletin
from hestami.cam.bulletin.demo_data import EVENTS, NOTICES
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.accounts import Account
from tests.support.demo import demo_login
from tests.support.rpc import ok


async def test_sunset_ridge_has_a_bulletin_and_a_calendar(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_associations):
        await seed(run)
    first, again = await seed_bulletin(run), await seed_bulletin(run)
    assert "7 announcements" in first[1], first
    assert "already loaded" in again[1], again

    olivia, orgs = await demo_login(shared_client, "owner")
    manager, _ = await demo_login(shared_client, "manager")
    org = orgs["sunset-ridge-hoa"]

    async def call(who: Account, path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, who, org, path, body)

    everything = await call(manager, "communication/announcement/v1/list", {"limit": 200})
    assert sorted(item["title"] for item in everything["items"]) == sorted(notice.title for notice in NOTICES)
    states = {item["title"]: item["state"] for item in everything["items"]}
    assert states["Holiday lights contest winners"] == "EXPIRED"
    assert states["Annual meeting packet"] == "SCHEDULED"
    assert states["Gate code change (draft)"] == "DRAFT"
    association_id = everything["items"][0]["association_id"]

    mine = await call(olivia, "communication/announcement/v1/list", {"association_id": association_id})
    titles = [item["title"] for item in mine["items"]]
    assert titles == ["Pool season opens Memorial Day weekend", "Landscaping crew on Canyon Mesa this week",
                      "Spring newsletter"]  # fmt: skip
    assert mine["items"][0]["pinned"] is True
    assert mine["items"][0]["read_at"] is not None
    assert mine["items"][1]["read_at"] is None

    now = datetime.now(UTC)
    window = {"association_id": association_id, "from": now.isoformat(), "to": (now + timedelta(days=45)).isoformat()}
    seen = await call(olivia, "calendar/event/v1/occurrences", window)
    kinds = {o["title"] for o in seen["items"]}
    assert kinds == {e.title for e in EVENTS if e.visibility == "OWNERS"}
    trash = [o for o in seen["items"] if o["title"] == "Trash and recycling pickup"]
    assert 5 <= len(trash) <= 6  # weekly for 45 days, one week cancelled
    board = await call(manager, "calendar/event/v1/occurrences", window)
    assert "Budget workshop" in {o["title"] for o in board["items"]}
    closure = next(o for o in seen["items"] if o["title"] == "Pool closed: deck resurfacing")
    assert closure["event_type"] == "AMENITY_CLOSURE"
    assert closure["common_area_id"] is not None

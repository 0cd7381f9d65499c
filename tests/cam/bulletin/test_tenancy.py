"""Who reaches the bulletin's records across organizations: another organization's manager finds none of this one's
announcements or events (NOT_FOUND on every procedure taking their ids, exactly as for a random id, never
FORBIDDEN), cannot use this organization's association or common area for their own records, and never sees them
listed; and row-level security: the app role scoped to the other organization reads none of the bulletin's rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.bulletin.helpers import ANNOUNCEMENT, EVENT, Community, community
from tests.support.rpc import all_ids, post

TABLES = ("announcements", "announcement_reads", "calendar_events")
START = datetime(2030, 5, 7, 18, tzinfo=UTC)


@dataclass
class World:
    home: Community
    away: Community
    notice: dict[str, Any]  # published, read by owner 0
    draft: dict[str, Any]
    series: dict[str, Any]  # a weekly event at the pool


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home = await community(shared_client, "Home")
    away = await community(shared_client, "Away")
    notice = await home.announcement(title="Home notice")
    await home.ok(f"{ANNOUNCEMENT}/markRead", {"id": notice["id"]}, home.owners[0])
    draft = await home.announcement(publish=False)
    series = await home.event(rrule="FREQ=WEEKLY", common_area_id=home.area_id, starts_at=START.isoformat(),
                              ends_at=(START + timedelta(hours=1)).isoformat())  # fmt: skip
    return World(home, away, notice, draft, series)


def record_calls(w: World) -> list[tuple[str, dict[str, Any], str]]:
    """(procedure, body, the field holding the home organization's id) for every bulletin procedure taking one,
    sent by the other organization's manager."""
    h, a = w.home, w.away
    later = (START + timedelta(days=1)).isoformat()
    event = {"title": "Ours", "event_type": "SOCIAL", "starts_at": START.isoformat(), "ends_at": later}
    return [
        (f"{ANNOUNCEMENT}/create", {"association_id": h.association_id, "title": "Ours", "body": "Text"},
         "association_id"),
        (f"{ANNOUNCEMENT}/get", {"id": w.notice["id"]}, "id"),
        (f"{ANNOUNCEMENT}/update", {"id": w.notice["id"], "title": "Taken over"}, "id"),
        (f"{ANNOUNCEMENT}/publish", {"id": w.draft["id"]}, "id"),
        (f"{ANNOUNCEMENT}/withdraw", {"id": w.notice["id"]}, "id"),
        (f"{ANNOUNCEMENT}/markRead", {"id": w.notice["id"]}, "id"),
        (f"{ANNOUNCEMENT}/readers", {"id": w.notice["id"]}, "id"),
        (f"{EVENT}/create", {"association_id": h.association_id, **event}, "association_id"),
        (f"{EVENT}/create", {"association_id": a.association_id, "common_area_id": h.area_id, **event},
         "common_area_id"),
        (f"{EVENT}/get", {"id": w.series["id"]}, "id"),
        (f"{EVENT}/update", {"id": w.series["id"], "title": "Taken over"}, "id"),
        (f"{EVENT}/cancel", {"id": w.series["id"]}, "id"),
        (f"{EVENT}/cancelOccurrence", {"id": w.series["id"], "occurrence_starts_at": START.isoformat()}, "id"),
        (f"{EVENT}/occurrences", {"association_id": h.association_id, "from": START.isoformat(), "to": later},
         "association_id"),
    ]  # fmt: skip


async def answer(a: Community, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = await post(a.client, a.manager, a.org, path, body)
    payload = response.json()
    assert payload["ok"] is False, f"{path}: {response.text}"
    return response.status_code, payload["error"]


async def test_another_organizations_manager_finds_none_of_the_records(world: World) -> None:
    a = world.away
    for path, body, field in record_calls(world):
        status, error = await answer(a, path, body)
        random_status, random_error = await answer(a, path, {**body, field: str(uuid.uuid4())})
        assert (status, error["code"]) == (404, "NOT_FOUND"), (path, field, error)
        assert status == random_status, (path, field)
        assert (error["message"], {**error["details"], "id": "-"}) == (
            random_error["message"], {**random_error["details"], "id": "-"},
        ), (path, field)  # fmt: skip
    h = world.home
    notice = await h.ok(f"{ANNOUNCEMENT}/get", {"id": world.notice["id"]})
    assert (notice["title"], notice["status"], notice["read_count"]) == ("Home notice", "PUBLISHED", 1)
    series = await h.ok(f"{EVENT}/get", {"id": world.series["id"]})
    assert series == world.series
    assert (await h.ok(f"{ANNOUNCEMENT}/get", {"id": world.draft["id"]}))["status"] == "DRAFT"


async def test_lists_never_include_another_organizations_records(world: World) -> None:
    h, a = world.home, world.away
    ours = {world.notice["id"], world.draft["id"], world.series["id"]}
    for path in (f"{ANNOUNCEMENT}/list", f"{EVENT}/list"):
        theirs = await all_ids(a.client, a.manager, a.org, path)
        assert not theirs & ours, path
        assert await all_ids(a.client, a.manager, a.org, path, {"association_id": h.association_id}) == set(), path
    assert ours <= await all_ids(h.client, h.manager, h.org, f"{ANNOUNCEMENT}/list") | await all_ids(
        h.client, h.manager, h.org, f"{EVENT}/list"
    )


async def rows(scope_org: str | None, statement: str, **params: Any) -> list[Any]:
    """A statement as the app role (row-level security on), scoped to `scope_org` (or to no organization)."""
    database = runtime.current().database
    scope = uuid.UUID(scope_org) if scope_org is not None else None
    async with database.transaction(organization_id=scope, user_id=None) as session:
        return list((await session.execute(text(statement), params)).all())


async def test_row_level_security_hides_every_bulletin_table(world: World) -> None:
    home, away = world.home.org, world.away.org
    for table in TABLES:
        mine = await rows(home, f"SELECT count(*) FROM {table} WHERE organization_id = :org", org=home)
        assert mine[0][0] > 0, f"{table}: the home organization has rows (the checks below mean something)"
        theirs = await rows(away, f"SELECT organization_id FROM {table}")
        assert all(str(row[0]) == away for row in theirs), table
        asked = await rows(away, f"SELECT count(*) FROM {table} WHERE organization_id = :org", org=home)
        assert asked[0][0] == 0, table
        unscoped = await rows(None, f"SELECT count(*) FROM {table} WHERE organization_id = :org", org=home)
        assert unscoped[0][0] == 0, table
        update = f"UPDATE {table} SET organization_id = organization_id WHERE organization_id = :org RETURNING id"
        assert await rows(away, update, org=home) == [], table

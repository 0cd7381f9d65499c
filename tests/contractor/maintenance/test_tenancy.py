"""Who reaches maintenance agreements. Another contractor's agreement (or customer) is NOT_FOUND on every procedure
that takes one (lists show none), exactly like a random id, and changes nothing. Within the contractor: ADMIN and
MANAGER manage; DISPATCHER reads (making or moving one: FORBIDDEN); VENDOR and TECHNICIAN members see nothing
(NOT_FOUND, empty lists; making one: FORBIDDEN). The tables are row-level secured: another organization's rows are
not there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.contractor.maintenance.helpers import Plan, count_rows, draft, local_today, plan

pytestmark = pytest.mark.usefixtures("unthrottled")
TABLES = ("maintenance_agreements", "maintenance_agreement_terms", "maintenance_scheduled_visits",
          "maintenance_agreement_history", "maintenance_agreement_services")  # fmt: skip


@dataclass
class World:
    home: Plan
    stranger: Plan
    ids: dict[str, str]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home = await plan(shared_client, "Home Agreements")
    active = await draft(home)
    await home.ok("maintenance/v1/activate", {"id": active["id"]})
    waiting = await draft(home)
    ids = {"active": active["id"], "draft": waiting["id"], "customer": active["customer_id"]}
    return World(home, await plan(shared_client, "Stranger Agreements"), ids)


def calls(ids: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    a, d = ids["active"], ids["draft"]
    return [
        ("maintenance/v1/get", {"id": a}),
        ("maintenance/v1/update", {"id": a, "name": "Mine now"}),
        ("maintenance/v1/activate", {"id": d}),
        ("maintenance/v1/renew", {"id": a}),
        ("maintenance/v1/cancel", {"id": a, "reason": "Not yours"}),
        ("maintenance/v1/listVisits", {"id": a}),
        ("maintenance/v1/slaReport", {"id": a}),
        ("maintenance/v1/history", {"id": a}),
        ("maintenance/v1/create", {"name": "Theirs", "trade": "HVAC", "customer_id": ids["customer"],
                                   "term_start": local_today().isoformat(), "price": "10.00",
                                   "schedule_rrule": "FREQ=YEARLY"}),
    ]  # fmt: skip


async def test_another_contractors_agreements_are_not_found(world: World) -> None:
    before = {t: await count_rows(world.home.org, t) for t in TABLES}
    for path, body in calls(world.ids):
        await world.stranger.fails(path, body, 404, "NOT_FOUND")
    listed = await world.stranger.ok("maintenance/v1/list", {})
    assert listed["items"] == []
    assert {t: await count_rows(world.home.org, t) for t in TABLES} == before
    assert (await world.home.get(world.ids["active"]))["name"] != "Mine now"


async def test_a_random_id_is_not_found_like_another_organizations(world: World) -> None:
    await world.home.fails("maintenance/v1/get", {"id": str(uuid.uuid4())}, 404, "NOT_FOUND")


async def test_row_level_security_hides_other_organizations_rows(world: World) -> None:
    for table in TABLES:
        assert await count_rows(world.stranger.org, table) == 0
        assert await count_rows(world.home.org, table) > 0


async def test_a_dispatcher_reads_but_does_not_manage(world: World) -> None:
    who = world.home.members["DISPATCHER"]
    a = world.ids["active"]
    assert (await world.home.ok("maintenance/v1/get", {"id": a}, who))["id"] == a
    assert len((await world.home.ok("maintenance/v1/listVisits", {"id": a}, who))["items"]) == 4
    assert (await world.home.ok("maintenance/v1/list", {}, who))["items"]
    await world.home.ok("maintenance/v1/slaReport", {"id": a}, who)
    await world.home.ok("maintenance/v1/history", {"id": a}, who)
    for path, body in calls(world.ids):
        if path.split("/")[-1] in ("update", "activate", "renew", "cancel", "create"):
            await world.home.fails(path, body, 403, "FORBIDDEN", who=who)


@pytest.mark.parametrize("role", ["VENDOR", "TECHNICIAN"])
async def test_vendor_and_technician_members_see_nothing(world: World, role: str) -> None:
    who = world.home.members[role]
    for path, body in calls(world.ids):
        status, code = (403, "FORBIDDEN") if path.endswith("create") else (404, "NOT_FOUND")
        await world.home.fails(path, body, status, code, who=who)
    assert (await world.home.ok("maintenance/v1/list", {}, who))["items"] == []


async def test_a_manager_manages(world: World) -> None:
    who = world.home.members["MANAGER"]
    renamed = await world.home.ok("maintenance/v1/update", {"id": world.ids["draft"], "name": "Managed"}, who)
    assert renamed["name"] == "Managed"

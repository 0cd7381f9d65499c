"""Who reaches technicians: another contractor's id is NOT_FOUND on every procedure that takes one (never
FORBIDDEN, and lists show none of them); within the contractor, management keeps technicians, a DISPATCHER reads
them and checks eligibility, a VENDOR member reads them, and a TECHNICIAN reads their own record only (another
technician's is NOT_FOUND, like a random id). Refusals change nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest

from tests.contractor.technician.helpers import Workforce, contractor
from tests.support.accounts import Account
from tests.support.rpc import all_ids, fails, ok

WINDOW = {"starts_at": "2030-06-12T09:00:00-05:00", "ends_at": "2030-06-12T11:00:00-05:00"}


@dataclass
class World:
    home: Workforce
    tech: dict  # a technician of home, with a certification and time off
    own: Account  # tech's own account (TECHNICIAN)
    colleague: Account  # another TECHNICIAN of home, with a record of their own
    colleague_tech: dict
    dispatcher: Account
    vendor: Account
    stranger: Workforce  # another contractor, its admin


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home = await contractor(shared_client, "Home")
    own = await home.member(["TECHNICIAN"])
    tech = await home.technician(own)
    await home.ok("technician/v1/addSkill", {"id": tech["id"], "trade": "PLUMBING", "level": "MASTER"})
    await home.ok("technician/v1/addCertification", {"id": tech["id"], "name": "Backflow", "trade": "PLUMBING"})
    tech = await home.ok("technician/v1/addTimeOff", {"id": tech["id"], **WINDOW})
    colleague = await home.member(["TECHNICIAN"])
    colleague_tech = await home.technician(colleague)
    dispatcher, vendor = await home.member(["DISPATCHER"]), await home.member(["VENDOR"])
    stranger = await contractor(shared_client, "Stranger")
    return World(home, tech, own, colleague, colleague_tech, dispatcher, vendor, stranger)


def calls(w: World, technician_id: str) -> list[tuple[str, dict]]:
    """Every procedure that takes a technician, with an otherwise valid body."""
    cert, period = w.tech["certifications"][0]["id"], w.tech["time_off"][0]["id"]
    i = technician_id
    return [
        ("technician/v1/get", {"id": i}),
        ("technician/v1/update", {"id": i, "display_name": "Renamed"}),
        ("technician/v1/deactivate", {"id": i}),
        ("technician/v1/activate", {"id": i}),
        ("technician/v1/addSkill", {"id": i, "trade": "HVAC", "level": "MASTER"}),
        ("technician/v1/removeSkill", {"id": i, "trade": "PLUMBING"}),
        ("technician/v1/addCertification", {"id": i, "name": "EPA 608"}),
        ("technician/v1/removeCertification", {"id": i, "certification_id": cert}),
        ("technician/v1/setShifts", {"id": i, "shifts": []}),
        ("technician/v1/addTimeOff", {"id": i, "starts_at": "2031-01-01T00:00:00Z", "ends_at": "2031-01-02T00:00:00Z"}),
        ("technician/v1/cancelTimeOff", {"id": i, "time_off_id": period}),
        ("technician/v1/setTerritory", {"id": i, "zip_codes": ["78701"]}),
        (
            "technician/v1/checkEligibility",
            {"technician_id": i, "trade": "PLUMBING", "zip_code": "78258", **WINDOW},
        ),
        ("technician/v1/kpis", {"technician_id": i}),
    ]


async def unchanged(w: World) -> None:
    now = await w.home.ok("technician/v1/get", {"id": w.tech["id"]})
    assert now == w.tech
    assert await w.home.audit_actions(w.tech["id"]) == [
        "technician.created", "technician.skill_added", "technician.certification_added", "technician.time_off_added",
    ]  # fmt: skip


async def test_another_contractors_technician_is_not_found_everywhere(world: World) -> None:
    w = world
    for path, body in calls(w, w.tech["id"]):
        error = await w.stranger.fails(path, body, 404, "NOT_FOUND")
        assert error["details"] == {"kind": "technician", "id": w.tech["id"]}, path
        random = await w.stranger.fails(path, {**body, **_retarget(body, str(uuid.uuid4()))}, 404, "NOT_FOUND")
        assert random["message"] == error["message"], path
    assert w.tech["id"] not in await all_ids(
        w.stranger.client, w.stranger.manager, w.stranger.org, "technician/v1/list"
    )
    await unchanged(w)


def _retarget(body: dict, technician_id: str) -> dict:
    return {"technician_id": technician_id} if "technician_id" in body else {"id": technician_id}


async def test_a_technician_reads_only_their_own_record(world: World) -> None:
    w, c = world, world.home.client
    assert (await ok(c, w.own, w.home.org, "technician/v1/get", {"id": w.tech["id"]}))["id"] == w.tech["id"]
    assert await all_ids(c, w.own, w.home.org, "technician/v1/list") == {w.tech["id"]}
    assert await ok(c, w.own, w.home.org, "technician/v1/kpis", {"technician_id": w.tech["id"]})
    for path, body in calls(w, w.colleague_tech["id"]):
        error = await fails(c, w.own, w.home.org, path, body, 404, "NOT_FOUND")
        assert error["details"]["id"] == w.colleague_tech["id"], path
    for path, body in calls(w, w.tech["id"]):
        if path not in ("technician/v1/get", "technician/v1/kpis"):
            await fails(c, w.own, w.home.org, path, body, 403, "FORBIDDEN")
    await fails(c, w.own, w.home.org, "technician/v1/create",
                {"user_id": str(w.own.user_id), "display_name": "Me again"}, 403, "FORBIDDEN")  # fmt: skip
    await unchanged(w)


async def test_dispatchers_read_and_check_eligibility(world: World) -> None:
    w, c = world, world.home.client
    listed = await all_ids(c, w.dispatcher, w.home.org, "technician/v1/list")
    assert {w.tech["id"], w.colleague_tech["id"]} <= listed
    for path, body in calls(w, w.tech["id"]):
        if path in ("technician/v1/get", "technician/v1/checkEligibility", "technician/v1/kpis"):
            await ok(c, w.dispatcher, w.home.org, path, body)
        else:
            await fails(c, w.dispatcher, w.home.org, path, body, 403, "FORBIDDEN")
    await unchanged(w)


async def test_vendor_members_read(world: World) -> None:
    w, c = world, world.home.client
    assert w.tech["id"] in await all_ids(c, w.vendor, w.home.org, "technician/v1/list")
    for path, body in calls(w, w.tech["id"]):
        if path in ("technician/v1/get", "technician/v1/kpis"):
            await ok(c, w.vendor, w.home.org, path, body)
        else:
            await fails(c, w.vendor, w.home.org, path, body, 403, "FORBIDDEN")
    await unchanged(w)


async def test_a_manager_keeps_technicians(world: World) -> None:
    w = world
    manager = await w.home.member(["MANAGER"])
    person = await w.home.member(["TECHNICIAN"])
    body = {"user_id": str(person.user_id), "display_name": "By the manager"}
    created = await ok(w.home.client, manager, w.home.org, "technician/v1/create", body)
    await ok(w.home.client, manager, w.home.org, "technician/v1/addSkill",
             {"id": created["id"], "trade": "HVAC", "level": "JOURNEYMAN"})  # fmt: skip

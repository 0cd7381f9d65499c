"""Who reaches dispatch: another contractor's visit, technician, assignment, branch or plan is NOT_FOUND on every
procedure that takes one (never FORBIDDEN), like a random id, and lists show none of them; an organization that is
no contractor is refused. Refusals change nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.contractor.dispatch.helpers import DAY, Workforce, assign, at, contractor, visit
from tests.support.accounts import organization
from tests.support.rpc import fails

pytestmark = pytest.mark.usefixtures("unthrottled")


@dataclass
class World:
    home: Workforce
    away: Workforce
    ids: dict[str, str]
    """Away's records: a visit, a technician, an assignment, a branch, a plan."""


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home, away = await contractor(shared_client, "Home Dispatch"), await contractor(shared_client, "Away Dispatch")
    tech = await away.ready()
    stop = await visit(away)
    made = await assign(away, stop["id"], tech["id"], "09:00")
    plan = await away.ok("dispatch/v1/optimizeRoute", {"date": DAY, "technician_ids": [tech["id"]]})
    ids = {"visit": stop["id"], "technician": tech["id"], "assignment": made["id"], "branch": away.branches["North"],
           "plan": plan["id"], "job": stop["job"]["id"]}  # fmt: skip
    return World(home, away, ids)


def calls(ids: dict[str, str], home_tech: str, home_visit: str) -> list[tuple[str, dict[str, Any]]]:
    nine = at("09:00")
    return [
        ("dispatch/v1/assignTech", {"visit_id": ids["visit"], "technician_id": home_tech, "starts_at": nine}),
        ("dispatch/v1/assignTech", {"visit_id": home_visit, "technician_id": ids["technician"], "starts_at": nine}),
        ("dispatch/v1/unassignTech", {"assignment_id": ids["assignment"], "reason": "Mine now"}),
        ("dispatch/v1/reschedule", {"assignment_id": ids["assignment"], "starts_at": at("10:00")}),
        ("dispatch/v1/markEnRoute", {"assignment_id": ids["assignment"]}),
        ("dispatch/v1/getAssignment", {"id": ids["assignment"]}),
        ("dispatch/v1/reportSick", {"technician_id": ids["technician"], "date": DAY}),
        ("dispatch/v1/getBoard", {"date": DAY, "branch_id": ids["branch"]}),
        ("dispatch/v1/optimizeRoute", {"date": DAY, "technician_ids": [ids["technician"]]}),
        ("dispatch/v1/getRoutePlan", {"id": ids["plan"]}),
        ("dispatch/v1/applyRoute", {"plan_id": ids["plan"]}),
        ("dispatch/v1/discardRoute", {"plan_id": ids["plan"]}),
    ]  # fmt: skip


async def test_another_contractors_records_are_not_found(world: World) -> None:
    home = world.home
    tech = await home.ready()
    stop = await visit(home)
    random = {name: str(uuid.uuid4()) for name in world.ids}
    for (path, body), (_, blind) in zip(calls(world.ids, tech["id"], stop["id"]),
                                        calls(random, tech["id"], stop["id"]), strict=True):  # fmt: skip
        theirs = await home.fails(path, body, 404, "NOT_FOUND")
        unknown = await home.fails(path, blind, 404, "NOT_FOUND")
        assert theirs["details"]["kind"] == unknown["details"]["kind"], path
    for body in ({"technician_id": world.ids["technician"]}, {"job_id": world.ids["job"]}):
        assert (await home.ok("dispatch/v1/listAssignments", body))["items"] == []
    still = await world.away.ok("dispatch/v1/getAssignment", {"id": world.ids["assignment"]})
    assert still["status"] == "ASSIGNED"
    assert still["starts_at"] == "2030-06-12T14:00:00Z"
    assert (await world.away.ok("dispatch/v1/getRoutePlan", {"id": world.ids["plan"]}))["status"] == "PROPOSED"


async def test_an_organization_that_is_no_contractor_is_refused(world: World) -> None:
    hoa = str((await organization(world.home.client, world.home.manager, "Not A Contractor"))["id"])
    await fails(world.home.client, world.home.manager, hoa, "dispatch/v1/getBoard", {"date": DAY}, 422,
                "BUSINESS_RULE_VIOLATION", "NOT_A_CONTRACTOR")  # fmt: skip
    await fails(world.home.client, world.home.manager, hoa, "dispatch/v1/listSLAWindows", {}, 422,
                reason="NOT_A_CONTRACTOR")  # fmt: skip

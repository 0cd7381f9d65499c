"""Route optimization (`optimizeRoute`): a plan for review in which every stop lies inside its visit's arrival window
and every technician has the visit's trade and territory; visits no technician can take are left out with a reason.
`applyRoute` assigns through the same checks as `assignTech`, all or nothing; a plan is decided once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.contractor.dispatch.helpers import DAY, Workforce, assign, contractor, visit

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Routes")


async def hvac(force: Workforce, name: str) -> dict[str, Any]:
    tech = await force.ready(display_name=name)
    await force.ok("technician/v1/removeSkill", {"id": tech["id"], "trade": "PLUMBING"})
    await force.ok("technician/v1/addSkill", {"id": tech["id"], "trade": "HVAC", "level": "MASTER"})
    return tech


async def test_a_plan_keeps_windows_skills_and_territories(force: Workforce) -> None:
    plumbers = [await force.ready(display_name=f"Plumber {n}") for n in (1, 2)]
    heating = await hvac(force, "Heating 1")
    techs = {t["id"]: t for t in [*plumbers, heating]}
    skills = {plumbers[0]["id"]: "PLUMBING", plumbers[1]["id"]: "PLUMBING", heating["id"]: "HVAC"}
    windows = [("08:00", "10:00"), ("08:00", "12:00"), ("10:00", "12:00"), ("12:00", "14:00"), ("13:00", "16:00")]
    stops = [await visit(force, starts=s, ends=e, minutes=60) for s, e in windows]
    stops += [await visit(force, starts=s, ends=e, minutes=45, trade="HVAC") for s, e in windows[:3]]
    wired = await visit(force, trade="ELECTRICAL")
    outside = await visit(force, zip_code="78209")
    visits = {v["id"]: v for v in stops}

    plan = await force.ok("dispatch/v1/optimizeRoute", {"date": DAY, "technician_ids": list(techs)})
    assert plan["status"] == "PROPOSED"
    assert sorted(plan["technician_ids"]) == sorted(techs)
    placed = []
    for route in plan["routes"]:
        for stop in route["stops"]:
            spec = visits[stop["visit_id"]]
            starts = datetime.fromisoformat(stop["starts_at"])
            assert datetime.fromisoformat(spec["window_start"]) <= starts <= datetime.fromisoformat(spec["window_end"])
            assert datetime.fromisoformat(stop["ends_at"]) - starts == timedelta(minutes=spec["duration_minutes"])
            assert skills[route["technician_id"]] == spec["job"]["trade"]
            placed.append(stop["visit_id"])
    assert sorted(placed) == sorted(visits)
    left = {u["visit_id"]: u["code"] for u in plan["unassigned"]}
    assert left == {wired["id"]: "NO_SKILL", outside["id"]: "OUT_OF_TERRITORY"}
    assert await force.ok("dispatch/v1/getRoutePlan", {"id": plan["id"]}) == plan

    applied = await force.ok("dispatch/v1/applyRoute", {"plan_id": plan["id"]})
    assert applied["status"] == "APPLIED"
    assert len(applied["assignments"]) == len(visits)
    assert {(a["visit_id"], a["technician_id"]) for a in applied["assignments"]} == {
        (stop["visit_id"], route["technician_id"]) for route in plan["routes"] for stop in route["stops"]
    }
    await force.fails("dispatch/v1/applyRoute", {"plan_id": plan["id"]}, 422, reason="PLAN_DECIDED")
    await force.fails("dispatch/v1/discardRoute", {"plan_id": plan["id"]}, 422, reason="PLAN_DECIDED")
    again = await force.ok("dispatch/v1/optimizeRoute", {"date": DAY, "technician_ids": list(techs)})
    assert {u["visit_id"] for u in again["unassigned"]} == {wired["id"], outside["id"]}


async def test_a_plan_the_day_no_longer_fits_is_refused_whole(force: Workforce) -> None:
    plumber = await force.ready(display_name="Solo Plumber")
    first, second = await visit(force, starts="08:00", ends="09:00"), await visit(force, starts="10:00", ends="11:00")
    plan = await force.ok("dispatch/v1/optimizeRoute", {"date": DAY, "technician_ids": [plumber["id"]]})
    assert sorted(s["visit_id"] for r in plan["routes"] for s in r["stops"]) == sorted([first["id"], second["id"]])
    blocker = await visit(force, starts="10:00", ends="11:00")
    await assign(force, blocker["id"], plumber["id"], "10:00", "11:00")  # the day changed since the plan
    error = await force.fails("dispatch/v1/applyRoute", {"plan_id": plan["id"]}, 422, reason="DOUBLE_BOOKED")
    assert error["details"]["conflicting_assignment"]["visit_id"] == blocker["id"]
    listed = await force.ok("dispatch/v1/listAssignments", {"technician_id": plumber["id"]})
    assert [a["visit_id"] for a in listed["items"]] == [blocker["id"]]  # nothing of the plan was written
    assert (await force.ok("dispatch/v1/getRoutePlan", {"id": plan["id"]}))["status"] == "PROPOSED"
    discarded = await force.ok("dispatch/v1/discardRoute", {"plan_id": plan["id"]})
    assert discarded["status"] == "DISCARDED"
    assert discarded["decided_by"] == str(force.manager.user_id)


async def test_a_plan_moves_assignments_and_keeps_pinned_ones(force: Workforce) -> None:
    one, two = await force.ready(display_name="Swap One"), await force.ready(display_name="Swap Two")
    pinned = await visit(force, starts="08:00", ends="12:00")
    loose = await visit(force, starts="08:00", ends="12:00")
    fixed = await assign(force, pinned["id"], one["id"], "11:00", pinned=True)
    movable = await assign(force, loose["id"], one["id"], "09:00")
    plan = await force.ok("dispatch/v1/optimizeRoute", {"date": DAY, "technician_ids": [one["id"], two["id"]]})
    where = {s["visit_id"]: (r["technician_id"], s["starts_at"]) for r in plan["routes"] for s in r["stops"]}
    assert where[pinned["id"]] == (one["id"], fixed["starts_at"])
    applied = await force.ok("dispatch/v1/applyRoute", {"plan_id": plan["id"]})
    after = {a["visit_id"]: a for a in (await force.ok("dispatch/v1/listAssignments", {"date": DAY}))["items"]}
    assert after[pinned["id"]]["id"] == fixed["id"]
    assert after[pinned["id"]]["starts_at"] == fixed["starts_at"]
    assert after[loose["id"]]["id"] == movable["id"]  # moved in place, not made anew
    assert applied["status"] == "APPLIED"

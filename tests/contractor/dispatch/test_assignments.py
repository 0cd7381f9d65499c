"""Assigning technicians to visits (journey 5's dispatch step): an eligible technician is assigned (the visit and the
job SCHEDULED); an ineligible one is refused with every reason; a second overlapping assignment of the same
technician is refused naming the first; the slot must lie in the visit's arrival window; a visit is assigned once;
reschedule applies the same checks atomically; unassign puts the visit and the job back; the technician reports
being on the way for their own assignment, and sees the job assigned to them. Refusals change nothing."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from tests.contractor.dispatch.helpers import DAY, Workforce, assign, at, contractor, dispatcher, visit

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Dispatching")


async def test_an_eligible_technician_is_assigned(force: Workforce) -> None:
    tech = await force.ready()
    stop = await visit(force, starts="08:00", ends="12:00", minutes=90)
    made = await assign(force, stop["id"], tech["id"], "09:00", reason="Closest plumber")
    assert (made["status"], made["technician_id"], made["visit_id"], made["job_id"]) == (
        "ASSIGNED", tech["id"], stop["id"], stop["job"]["id"],
    )  # fmt: skip
    assert (made["starts_at"], made["ends_at"]) == ("2030-06-12T14:00:00Z", "2030-06-12T15:30:00Z")
    assert (made["window_start"], made["window_end"]) == ("2030-06-12T13:00:00Z", "2030-06-12T17:00:00Z")
    assert made["technician_user_id"] == tech["user_id"]
    assert made["assigned_by"] == str(force.manager.user_id)
    job = await force.ok("job/v1/get", {"id": stop["job"]["id"]})
    assert job["status"] == "SCHEDULED"
    assert [v["status"] for v in job["visits"]] == ["SCHEDULED"]
    assert await force.ok("dispatch/v1/getAssignment", {"id": made["id"]}) == made


async def test_an_ineligible_technician_is_refused_with_every_reason(force: Workforce) -> None:
    tech = await force.ready()
    stop = await visit(force, starts="16:00", ends="18:00", minutes=120, trade="HVAC", zip_code="78209")
    body = {"visit_id": stop["id"], "technician_id": tech["id"], "starts_at": at("16:30")}
    error = await force.fails("dispatch/v1/assignTech", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_ELIGIBLE")
    assert [r["code"] for r in error["details"]["reasons"]] == ["NO_SKILL", "OUT_OF_TERRITORY", "OUTSIDE_SHIFT"]
    assert all(r["message"] for r in error["details"]["reasons"])
    assert (await force.ok("dispatch/v1/listAssignments", {"job_id": stop["job"]["id"]}))["items"] == []
    job = await force.ok("job/v1/get", {"id": stop["job"]["id"]})
    assert job["status"] == "JOB_CREATED"
    assert job["visits"][0]["status"] == "SCHEDULED"


async def test_a_second_overlapping_assignment_is_refused(force: Workforce) -> None:
    tech = await force.ready()
    first, second = await visit(force), await visit(force)
    made = await assign(force, first["id"], tech["id"], "09:00", "10:30")
    body = {"visit_id": second["id"], "technician_id": tech["id"], "starts_at": at("10:00")}
    error = await force.fails("dispatch/v1/assignTech", body, 422, "BUSINESS_RULE_VIOLATION", "DOUBLE_BOOKED")
    conflicting = error["details"]["conflicting_assignment"]
    assert (conflicting["id"], conflicting["visit_id"]) == (made["id"], first["id"])
    touching = await assign(force, second["id"], tech["id"], "10:30")  # half-open: ending at 10:30 frees 10:30
    assert touching["starts_at"] == "2030-06-12T15:30:00Z"


async def test_the_slot_lies_in_the_arrival_window(force: Workforce) -> None:
    tech = await force.ready()
    stop = await visit(force, starts="08:00", ends="10:00", minutes=60)
    for starts, ends in (("07:30", None), ("10:15", None), ("09:30", "11:30")):
        body = {"visit_id": stop["id"], "technician_id": tech["id"], "starts_at": at(starts)}
        if ends:
            body["ends_at"] = at(ends)
        error = await force.fails("dispatch/v1/assignTech", body, 422, reason="OUTSIDE_WINDOW")
        assert datetime.fromisoformat(error["details"]["latest_end"]) == datetime.fromisoformat(at("11:00"))
    late = await assign(force, stop["id"], tech["id"], "10:00", "11:00")  # the latest arrival, the latest end
    assert late["status"] == "ASSIGNED"


async def test_a_visit_without_a_window_takes_the_slot(force: Workforce) -> None:
    tech = await force.ready()
    stop = await visit(force, starts=None, ends=None, minutes=45)
    assert stop["status"] == "UNSCHEDULED"
    made = await assign(force, stop["id"], tech["id"], "13:00")
    assert (made["window_start"], made["window_end"]) == ("2030-06-12T18:00:00Z", "2030-06-12T18:45:00Z")
    job = await force.ok("job/v1/get", {"id": stop["job"]["id"]})
    assert [(v["status"], v["window_start"]) for v in job["visits"]] == [("SCHEDULED", "2030-06-12T18:00:00Z")]
    moved = await force.ok("dispatch/v1/reschedule", {"assignment_id": made["id"], "starts_at": at("15:00")})
    assert (moved["window_start"], moved["ends_at"]) == ("2030-06-12T20:00:00Z", "2030-06-12T20:45:00Z")
    await force.ok("dispatch/v1/unassignTech", {"assignment_id": made["id"], "reason": "Customer rescheduling"})
    job = await force.ok("job/v1/get", {"id": stop["job"]["id"]})
    assert [(v["status"], v["window_start"]) for v in job["visits"]] == [("UNSCHEDULED", None)]


async def test_a_visit_is_assigned_once(force: Workforce) -> None:
    one, other = await force.ready(), await force.ready()
    stop = await visit(force)
    made = await assign(force, stop["id"], one["id"], "08:00")
    body = {"visit_id": stop["id"], "technician_id": other["id"], "starts_at": at("09:00")}
    error = await force.fails("dispatch/v1/assignTech", body, 422, reason="VISIT_ASSIGNED")
    assert error["details"]["assignment_id"] == made["id"]


async def test_reschedule_checks_again_and_changes_nothing_when_refused(force: Workforce) -> None:
    tech, other = await force.ready(), await force.ready()
    first, second = await visit(force, ends="16:00"), await visit(force, ends="16:00")
    made = await assign(force, first["id"], tech["id"], "08:00")
    busy = await assign(force, second["id"], other["id"], "11:00")
    clash = {"assignment_id": made["id"], "starts_at": at("11:30"), "technician_id": other["id"]}
    error = await force.fails("dispatch/v1/reschedule", clash, 422, reason="DOUBLE_BOOKED")
    assert error["details"]["conflicting_assignment"]["id"] == busy["id"]
    await force.ok("technician/v1/removeSkill", {"id": other["id"], "trade": "PLUMBING"})
    error = await force.fails("dispatch/v1/reschedule", {**clash, "starts_at": at("14:00")}, 422, reason="NOT_ELIGIBLE")
    assert [r["code"] for r in error["details"]["reasons"]] == ["NO_SKILL"]
    assert await force.ok("dispatch/v1/getAssignment", {"id": made["id"]}) == made
    moved = await force.ok("dispatch/v1/reschedule", {"assignment_id": made["id"], "starts_at": at("09:15")})
    assert (moved["id"], moved["technician_id"], moved["starts_at"]) == (made["id"], tech["id"], "2030-06-12T14:15:00Z")


async def test_unassign_puts_the_visit_and_the_job_back(force: Workforce) -> None:
    tech = await force.ready()
    stop = await visit(force)
    made = await assign(force, stop["id"], tech["id"], "08:00")
    await force.fails("dispatch/v1/unassignTech", {"assignment_id": made["id"]}, 400, "VALIDATION_FAILED")
    gone = await force.ok("dispatch/v1/unassignTech", {"assignment_id": made["id"], "reason": "Customer cancelled"})
    assert (gone["status"], gone["reason"]) == ("CANCELLED", "Customer cancelled")
    job = await force.ok("job/v1/get", {"id": stop["job"]["id"]})
    assert job["status"] == "JOB_CREATED"
    assert job["visits"][0]["status"] == "UNSCHEDULED"
    again = {"assignment_id": made["id"], "reason": "Twice"}
    await force.fails("dispatch/v1/unassignTech", again, 409, "INVALID_STATE_TRANSITION")
    back = await assign(force, stop["id"], tech["id"], "08:00")  # the slot is free again
    assert back["id"] != made["id"]


async def test_the_technician_is_on_the_way_for_their_own_assignment(force: Workforce) -> None:
    own = await force.member(["TECHNICIAN"])
    tech = await force.ready(who=own)
    colleague = await force.member(["TECHNICIAN"])
    stop = await visit(force)
    made = await assign(force, stop["id"], tech["id"], "08:00")
    body = {"assignment_id": made["id"]}
    await force.fails("dispatch/v1/markEnRoute", body, 404, "NOT_FOUND", who=colleague)
    job = await force.ok("job/v1/get", {"id": stop["job"]["id"]}, who=own)  # the job assigned to them
    assert job["id"] == stop["job"]["id"]
    await force.fails("job/v1/get", {"id": stop["job"]["id"]}, 404, "NOT_FOUND", who=colleague)
    on_the_way = await force.ok("dispatch/v1/markEnRoute", body, who=own)
    assert on_the_way["status"] == "EN_ROUTE"
    assert on_the_way["en_route_at"]
    job = await force.ok("job/v1/get", {"id": stop["job"]["id"]})
    assert job["status"] == "DISPATCHED"
    assert job["visits"][0]["status"] == "DISPATCHED"
    await force.fails("dispatch/v1/markEnRoute", body, 409, "INVALID_STATE_TRANSITION", who=own)
    await force.fails("dispatch/v1/reschedule", {**body, "starts_at": at("09:00")}, 422, reason="ASSIGNMENT_CLOSED")
    mine = await force.ok("dispatch/v1/listAssignments", {"date": DAY}, who=own)
    assert [a["id"] for a in mine["items"]] == [made["id"]]
    other_visit = {"visit_id": stop["id"], "technician_id": tech["id"], "starts_at": at("09:00")}
    await force.fails("dispatch/v1/assignTech", other_visit, 404, "NOT_FOUND", who=colleague)


async def test_a_dispatcher_assigns_and_a_vendor_member_reads(force: Workforce) -> None:
    tech = await force.ready()
    stop = await visit(force)
    desk = await dispatcher(force)
    vendor = await force.member(["VENDOR"])
    body = {"visit_id": stop["id"], "technician_id": tech["id"], "starts_at": at("08:00")}
    await force.fails("dispatch/v1/assignTech", body, 403, "FORBIDDEN", who=vendor)
    made = await force.ok("dispatch/v1/assignTech", body, who=desk)
    assert made["assigned_by"] == str(desk.user_id)
    assert (await force.ok("dispatch/v1/getAssignment", {"id": made["id"]}, who=vendor))["id"] == made["id"]
    cancel = {"assignment_id": made["id"], "reason": "No"}
    await force.fails("dispatch/v1/unassignTech", cancel, 403, "FORBIDDEN", who=vendor)

"""Time on a visit: the technician sets off (travel), starts work (the travel entry closes at that moment; the visit
and the job IN_PROGRESS, the assignment ON_SITE) and stops; one timer runs per technician, and a second device
racing cannot start another; minutes are rounded up; only the visit's technician (or a dispatcher or manager)
records, and only managers and dispatchers correct, with the reason audited. Refusals change nothing."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.contractor.field.helpers import Crew, crew

pytestmark = pytest.mark.usefixtures("unthrottled")
RULE = "BUSINESS_RULE_VIOLATION"


@pytest.fixture(scope="module")
async def team(shared_client: httpx.AsyncClient) -> Crew:
    return await crew(shared_client, "Field Time")


async def test_travel_then_work_then_stop(team: Crew) -> None:
    stop = await team.stop()
    travel = await team.ok("fieldTech/v1/startTravel", {"visit_id": stop.id, "at": stop.at("08:40")})
    assert (travel["kind"], travel["ended_at"], travel["minutes"]) == ("TRAVEL", None, None)
    assert travel["technician_id"] == stop.technician_id
    job = await team.job(stop.job_id)
    assert (job["status"], job["visits"][0]["status"]) == ("DISPATCHED", "DISPATCHED")
    work = await team.ok("fieldTech/v1/startWork", {"visit_id": stop.id, "at": stop.at("09:05")})
    entries = (await team.ok("fieldTech/v1/listTimeEntries", {"job_id": stop.job_id}))["items"]
    assert [(e["kind"], e["minutes"]) for e in entries] == [("TRAVEL", 25), ("WORK", None)]
    job = await team.job(stop.job_id)
    assert (job["status"], job["visits"][0]["status"]) == ("IN_PROGRESS", "IN_PROGRESS")
    assignment = await team.force.ok("dispatch/v1/getAssignment", {"id": stop.assignment_id})
    assert assignment["status"] == "ON_SITE"
    stopped = await team.ok("fieldTech/v1/stop", {"visit_id": stop.id, "at": f"{stop.day}T10:17:30-05:00"})
    assert (stopped["id"], stopped["minutes"]) == (work["id"], 73)


async def test_one_timer_per_technician(team: Crew) -> None:
    first, second = await team.stop(), await team.stop()
    await team.ok("fieldTech/v1/startWork", {"visit_id": first.id, "at": first.at("09:00")})
    await team.fails("fieldTech/v1/startWork", {"visit_id": first.id}, 422, RULE, "TIMER_RUNNING")
    await team.ok("fieldTech/v1/startTravel", {"visit_id": second.id, "at": second.at("08:30")})
    open_entries = [
        e
        for s in (first, second)
        for e in (await team.ok("fieldTech/v1/listTimeEntries", {"job_id": s.job_id}))["items"]
        if e["ended_at"] is None
    ]
    assert [e["visit_id"] for e in open_entries] == [second.id]
    await team.fails("fieldTech/v1/stop", {"visit_id": first.id}, 422, RULE, "NO_TIMER")


async def test_two_devices_racing_start_one_timer(team: Crew) -> None:
    who, technician = await team.newcomer()
    stop = await team.stop(technician)
    body = {"visit_id": stop.id, "at": stop.at("09:00")}
    answers = await asyncio.gather(
        *(team.force.client.post("/api/v1/rpc/fieldTech/v1/startWork", json=body, headers=who.headers(team.org))
          for _ in range(4))
    )  # fmt: skip
    assert sorted(r.status_code for r in answers).count(200) == 1, [r.text for r in answers]
    entries = (await team.ok("fieldTech/v1/listTimeEntries", {"job_id": stop.job_id}, who=who))["items"]
    assert len(entries) == 1


async def test_only_the_visits_technician_records_and_managers_correct(team: Crew) -> None:
    stop = await team.stop()
    other = await team.force.member(["TECHNICIAN"])
    await team.force.ready(who=other)
    before = await team.counts()
    await team.fails("fieldTech/v1/startWork", {"visit_id": stop.id}, 404, "NOT_FOUND", who=other)
    assert await team.counts() == before
    made = await team.ok("fieldTech/v1/startWork", {"visit_id": stop.id, "at": stop.at("09:00")})
    await team.ok("fieldTech/v1/stop", {"visit_id": stop.id, "at": stop.at("10:00")})
    fix = {"id": made["id"], "ended_at": stop.at("09:45"), "reason": "Forgot to stop the timer"}
    await team.fails("fieldTech/v1/correctTimeEntry", fix, 403, "FORBIDDEN")
    corrected = await team.ok("fieldTech/v1/correctTimeEntry", fix, who=team.force.manager)
    assert (corrected["minutes"], corrected["correction_reason"]) == (45, "Forgot to stop the timer")
    assert corrected["corrected_by"] == str(team.force.manager.user_id)
    assert "field_time_entry.corrected" in await team.force.audit_actions(made["id"])
    dispatcher = await team.force.member(["DISPATCHER"])
    travel = await team.ok("fieldTech/v1/startTravel", {"visit_id": stop.id}, who=dispatcher)
    assert travel["technician_id"] == stop.technician_id


async def test_a_closed_visit_or_unassigned_visit_takes_no_time(team: Crew) -> None:
    stop = await team.stop()
    await team.force.ok("dispatch/v1/unassignTech", {"assignment_id": stop.assignment_id, "reason": "Moved"})
    error = await team.fails("fieldTech/v1/startWork", {"visit_id": stop.id}, 409, "CONFLICT", "VISIT_REASSIGNED")
    assert error["details"]["visit_id"] == stop.id
    await team.fails("fieldTech/v1/startWork", {"visit_id": stop.id}, 422, RULE, "NOT_ASSIGNED",
                     who=team.force.manager)  # fmt: skip

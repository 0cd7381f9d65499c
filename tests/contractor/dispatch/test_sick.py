"""A technician calls in sick (`reportSick`): the day becomes time off, each of their assignments that day goes to a
colleague who passes every check in the same slot, and one nobody can take is unassigned and listed with why."""

from __future__ import annotations

import httpx
import pytest

from tests.contractor.dispatch.helpers import DAY, Workforce, assign, contractor, visit

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Sick Day")


async def test_a_sick_call_reassigns_the_day(force: Workforce) -> None:
    sick = await force.ready(display_name="Sam Sick")
    await force.ok("technician/v1/setTerritory", {"id": sick["id"], "zip_codes": ["78258", "78701", "78209"]})
    spare = await force.ready(display_name="Pat Spare")
    busy = await force.ready(display_name="Bea Busy")
    near, far, other = await visit(force), await visit(force, zip_code="78209"), await visit(force)
    morning = await assign(force, near["id"], sick["id"], "09:00")
    remote = await assign(force, far["id"], sick["id"], "11:00")
    await assign(force, other["id"], busy["id"], "09:00")  # Bea is busy when Sam's first visit is
    tomorrow = await visit(force, day="2030-06-13")
    kept = await force.ok("dispatch/v1/assignTech", {"visit_id": tomorrow["id"], "technician_id": sick["id"],
                                                     "starts_at": "2030-06-13T09:00:00-05:00"})  # fmt: skip
    desk = await force.member(["DISPATCHER"])

    report = await force.ok("dispatch/v1/reportSick", {"technician_id": sick["id"], "date": DAY, "reason": "Flu"},
                            who=desk)  # fmt: skip
    assert report["time_off_added"] == 1
    (moved,) = report["reassigned"]
    assert (moved["id"], moved["technician_id"], moved["starts_at"]) == (
        morning["id"],
        spare["id"],
        morning["starts_at"],
    )
    (left,) = report["unassigned"]
    assert (left["visit_id"], left["cancelled_assignment_id"]) == (far["id"], remote["id"])
    why = {r["technician_id"]: r["code"] for r in left["reasons"]}
    assert why == {spare["id"]: "OUT_OF_TERRITORY", busy["id"]: "OUT_OF_TERRITORY"}
    job = await force.ok("job/v1/get", {"id": far["job"]["id"]})
    assert job["status"] == "JOB_CREATED"
    assert job["visits"][0]["status"] == "UNSCHEDULED"
    record = await force.ok("technician/v1/get", {"id": sick["id"]})
    assert [(t["starts_at"], t["ends_at"]) for t in record["time_off"]] == [
        ("2030-06-12T05:00:00Z", "2030-06-13T05:00:00Z")
    ]
    assert (await force.ok("dispatch/v1/getAssignment", {"id": kept["id"]}))["technician_id"] == sick["id"]
    again = await force.ok("dispatch/v1/reportSick", {"technician_id": sick["id"], "date": DAY})
    assert (again["time_off_added"], again["reassigned"], again["unassigned"]) == (0, [], [])
    technician = await force.member(["TECHNICIAN"])
    await force.fails("dispatch/v1/reportSick", {"technician_id": sick["id"], "date": DAY}, 404, "NOT_FOUND",
                      who=technician)  # fmt: skip

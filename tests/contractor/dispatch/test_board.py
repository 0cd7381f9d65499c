"""The dispatch board of a day: the active technicians (of a branch) with their live assignments and the capacity left
(the day's shifts less time off, less booked minutes), the day's visits no live assignment holds (EMERGENCY first),
and the open jobs with no visit planned (EMERGENCY first). Another organization's branch is NOT_FOUND; a technician
has no board."""

from __future__ import annotations

import httpx
import pytest

from tests.contractor.dispatch.helpers import DAY, Workforce, assign, at, contractor, visit
from tests.contractor.job.helpers import job_in

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Board")


async def test_the_board_of_a_day(force: Workforce) -> None:
    busy, idle = await force.ready(display_name="Alma Busy"), await force.ready(display_name="Bo Idle")
    south = await force.ready(display_name="Cy South", branch_id=force.branches["South"])
    off = {"id": idle["id"], "starts_at": at("08:00"), "ends_at": at("10:00")}
    await force.ok("technician/v1/addTimeOff", off)
    inactive = await force.ready(display_name="Di Gone")
    await force.ok("technician/v1/deactivate", {"id": inactive["id"]})
    north = force.branches["North"]
    morning = await visit(force, branch_id=north, minutes=90, title="Leak under the sink")
    afternoon = await visit(force, starts="12:00", ends="16:00", branch_id=north)
    waiting = await visit(force, starts="12:00", ends="14:00", branch_id=north, priority="LOW")
    urgent = await visit(force, starts="13:00", ends="15:00", branch_id=north, priority="EMERGENCY")
    elsewhere = await visit(force, branch_id=force.branches["South"])
    tomorrow = await visit(force, branch_id=north, day="2030-06-13")
    made = await assign(force, morning["id"], busy["id"], "09:00")
    later = await assign(force, afternoon["id"], busy["id"], "13:00")
    burst = await job_in(force, "JOB_CREATED", priority="EMERGENCY", branch_id=north, title="Burst pipe")
    drip = await job_in(force, "JOB_CREATED", priority="LOW", branch_id=north, title="Dripping tap")

    board = await force.ok("dispatch/v1/getBoard", {"date": DAY, "branch_id": north})
    assert (board["date"], board["time_zone"], board["branch_id"]) == (DAY, "America/Chicago", north)
    rows = {t["display_name"]: t for t in board["technicians"]}
    assert list(rows) == ["Alma Busy", "Bo Idle"]  # by name: the branch's active technicians only
    alma = rows["Alma Busy"]
    assert [a["assignment_id"] for a in alma["assignments"]] == [made["id"], later["id"]]
    first = alma["assignments"][0]
    assert (first["job_number"], first["title"], first["priority"], first["zip_code"], first["status"]) == (
        morning["job"]["number"], "Leak under the sink", "MEDIUM", "78258", "ASSIGNED",
    )  # fmt: skip
    assert (first["starts_at"], first["window_start"]) == ("2030-06-12T14:00:00Z", "2030-06-12T13:00:00Z")
    assert (alma["shift_minutes"], alma["booked_minutes"], alma["capacity_left_minutes"]) == (540, 150, 390)
    assert (rows["Bo Idle"]["shift_minutes"], rows["Bo Idle"]["capacity_left_minutes"]) == (420, 420)
    free = [v["visit_id"] for v in board["unassigned_visits"]]
    assert free[:2] == [urgent["id"], waiting["id"]]
    assert elsewhere["id"] not in free
    assert tomorrow["id"] not in free
    assert morning["id"] not in free
    jobs = [j["job_id"] for j in board["unassigned_jobs"]]
    assert jobs.index(burst["id"]) < jobs.index(drip["id"])
    assert board["unassigned_jobs"][0]["priority"] == "EMERGENCY"

    everyone = await force.ok("dispatch/v1/getBoard", {"date": DAY})
    assert {t["display_name"] for t in everyone["technicians"]} >= {"Alma Busy", "Bo Idle", "Cy South"}
    assert elsewhere["id"] in [v["visit_id"] for v in everyone["unassigned_visits"]]
    assert south["id"] in [t["technician_id"] for t in everyone["technicians"]]


async def test_who_reads_the_board(force: Workforce) -> None:
    vendor = await force.member(["VENDOR"])
    technician = await force.member(["TECHNICIAN"])
    assert (await force.ok("dispatch/v1/getBoard", {"date": DAY}, who=vendor))["date"] == DAY
    await force.fails("dispatch/v1/getBoard", {"date": DAY}, 403, "FORBIDDEN", who=technician)
    stranger = await contractor(force.client, "Other Board")
    body = {"date": DAY, "branch_id": stranger.branches["North"]}
    await force.fails("dispatch/v1/getBoard", body, 404, "NOT_FOUND")

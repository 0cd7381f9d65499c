"""The dispatch board of a day: the active technicians (of a branch) with their live assignments and the capacity left
(the day's shifts less time off, less booked minutes), the day's visits no live assignment holds (EMERGENCY first),
and the open jobs with no visit planned (EMERGENCY first), each naming whom its job is for (a customer, an HOA work
order's association) and where. Another organization's branch is NOT_FOUND; a technician has no board."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.cam.work_order.helpers import community, link, new_order
from tests.contractor.dispatch.helpers import DAY, Workforce, assign, at, contractor, visit
from tests.contractor.job.helpers import customer, job_in
from tests.contractor.job.test_handoff import until
from tests.support.rpc import ok, suffix

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


async def test_the_board_names_whom_each_job_is_for_and_where(force: Workforce) -> None:
    busy = await force.ready(display_name="Ed Named")
    home = await customer(force, name=f"Nadia Named {suffix()}", address="12 Oak Ln\nApt 3\n", zip_code="78704")
    assigned = await visit(force, customer_id=home["id"], title="Named and assigned")
    made = await assign(force, assigned["id"], busy["id"], "09:00")
    site = {"address": "9 Pine Rd", "zip_code": "78701"}
    waiting = await visit(force, customer_id=home["id"], starts="12:00", ends="14:00", **site)
    walk_in = await visit(force, customer_id=None, zip_code=None, starts="13:00", ends="15:00")
    no_visit = await job_in(force, "JOB_CREATED", customer_id=home["id"], title="Named, no visit")
    manager, hoa, association, _ = await community(force.client)
    await link(force.client, manager, hoa, association["id"], force.org)
    order = await new_order(force.client, manager, hoa, association["id"], category="PLUMBING")
    await ok(force.client, manager, hoa, "workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    body = {"id": order["id"], "provider_organization_id": force.org}
    await ok(force.client, manager, hoa, "workOrder/v1/assignVendor", body)

    async def hoa_job() -> Any:
        return (await force.ok("job/v1/list", {"work_order_id": order["id"]}))["items"]

    (work,) = await until(hoa_job, "the work order's job")
    hoa_name = (await ok(force.client, manager, hoa, "organization/v1/get", {}))["organization"]["name"]

    board = await force.ok("dispatch/v1/getBoard", {"date": DAY})
    lane = next(t for t in board["technicians"] if t["technician_id"] == busy["id"])
    (card,) = [a for a in lane["assignments"] if a["assignment_id"] == made["id"]]
    named = ("customer_name", "site_address", "site_postal_code")
    assert [card[k] for k in named] == [home["name"], "12 Oak Ln, Apt 3", "78258"]
    assert (card["job_number"], card["title"]) == (assigned["job"]["number"], "Named and assigned")
    free = {v["visit_id"]: v for v in board["unassigned_visits"]}
    assert [free[waiting["id"]][k] for k in named] == [home["name"], "9 Pine Rd", "78701"]
    assert [free[walk_in["id"]][k] for k in named] == [None, None, None]
    jobs = {j["job_id"]: j for j in board["unassigned_jobs"]}
    assert [jobs[no_visit["id"]][k] for k in named] == [home["name"], "12 Oak Ln, Apt 3", "78704"]
    assert jobs[work["id"]]["customer_name"] == f"{association['name']} ({hoa_name})"
    assert [jobs[work["id"]][k] for k in named[1:]] == [work["address"], work["zip_code"]]

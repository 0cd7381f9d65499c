"""What the customer hears (`dispatch_assignment_v1`): the arrival window when a technician is assigned, again only
when the window changes, and "on the way" once when the technician sets off; a DIRECT job's customer by email (or
SMS), a work order's job the HOA's organization (`hoa:<organization>`). The run follows the job: it ends when the
assignment is cancelled or the job is done."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hestami.contractor.dispatch import workflows
from hestami.contractor.dispatch.services import notices
from hestami.contractor.job import api as jobs
from tests.contractor.dispatch.helpers import Workforce, assign, at, contractor, eventually, messages, visit
from tests.contractor.job.helpers import customer
from tests.support.workflows import ended

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Notices")


async def sent(force: Workforce, job_id: str, template: str, count: int) -> list[dict[str, Any]]:
    async def found() -> list[dict[str, Any]]:
        these = [m for m in await messages(force.org, job_id) if m["template"] == template]
        return these if len(these) >= count else []

    return await eventually(found)


async def test_the_window_once_per_window_and_on_the_way_once(force: Workforce) -> None:
    own = await force.member(["TECHNICIAN"])
    tech = await force.ready(who=own)
    person = await customer(force, email="maria@example.com")
    stop = await visit(force, customer_id=person["id"])
    made = await assign(force, stop["id"], tech["id"], "09:00")
    (window,) = await sent(force, stop["job"]["id"], notices.WINDOW_TEMPLATE, 1)
    assert (window["recipient"], window["channel"]) == ("maria@example.com", "EMAIL")
    assert (window["payload"]["window_start"], window["payload"]["job"]) == (
        "2030-06-12T13:00:00+00:00", stop["job"]["number"],
    )  # fmt: skip
    await force.ok("dispatch/v1/reschedule", {"assignment_id": made["id"], "starts_at": at("10:00")})
    await force.ok("dispatch/v1/markEnRoute", {"assignment_id": made["id"]}, who=own)
    (on_the_way,) = await sent(force, stop["job"]["id"], notices.ON_THE_WAY_TEMPLATE, 1)
    assert on_the_way["recipient"] == "maria@example.com"
    all_of_them = await messages(force.org, stop["job"]["id"])
    assert [m["template"] for m in all_of_them] == [notices.WINDOW_TEMPLATE, notices.ON_THE_WAY_TEMPLATE]
    await force.ok("dispatch/v1/unassignTech", {"assignment_id": made["id"], "reason": "Truck broke down"})
    status = await ended(workflows.assignment_workflow_id(made["id"]))
    assert (status.status, status.output) == ("SUCCESS", "CANCELLED")
    assert len(await messages(force.org, stop["job"]["id"])) == 2


async def test_a_new_window_is_announced_again(force: Workforce) -> None:
    tech = await force.ready()
    person = await customer(force, email=None, phone="(512) 555-0142")
    stop = await visit(force, starts=None, ends=None, customer_id=person["id"])
    made = await assign(force, stop["id"], tech["id"], "09:00")
    await sent(force, stop["job"]["id"], notices.WINDOW_TEMPLATE, 1)
    await force.ok("dispatch/v1/reschedule", {"assignment_id": made["id"], "starts_at": at("14:00")})
    first, second = await sent(force, stop["job"]["id"], notices.WINDOW_TEMPLATE, 2)
    assert (first["channel"], first["recipient"]) == ("SMS", "(512) 555-0142")
    assert (first["payload"]["window_start"], second["payload"]["window_start"]) == (
        "2030-06-12T14:00:00+00:00", "2030-06-12T19:00:00+00:00",
    )  # fmt: skip


async def test_the_run_follows_the_job_to_its_end(force: Workforce) -> None:
    tech = await force.ready()
    stop = await visit(force)
    made = await assign(force, stop["id"], tech["id"], "09:00")
    await force.ok("dispatch/v1/markEnRoute", {"assignment_id": made["id"]})
    await force.ok("job/v1/transition", {"id": stop["job"]["id"], "to": "IN_PROGRESS"})

    async def on_site() -> bool:
        found = await force.ok("dispatch/v1/getAssignment", {"id": made["id"]})
        return bool(found["status"] == "ON_SITE")

    await eventually(on_site)
    await force.ok("job/v1/transition", {"id": stop["job"]["id"], "to": "COMPLETED"})
    status = await ended(workflows.assignment_workflow_id(made["id"]))
    assert status.output == "COMPLETED"
    done = await force.ok("dispatch/v1/getAssignment", {"id": made["id"]})
    assert done["status"] == "COMPLETED"
    assert done["finished_at"]
    figures = await force.ok("technician/v1/kpis", {"technician_id": tech["id"]})  # the KPIs read dispatch's jobs
    assert (figures["jobs_completed"], figures["first_time_fix_rate"]) == (1, "1.0000")


async def test_a_work_orders_job_is_announced_to_the_hoa() -> None:
    hoa = uuid.uuid4()
    job = jobs.JobRef(
        id=uuid.uuid4(), number="JOB-000001", status="SCHEDULED", trade="PLUMBING", priority="HIGH",
        zip_code="78258", branch_id=None, work_order_id=uuid.uuid4(), hoa_organization_id=hoa,
        association_id=uuid.uuid4(), sla_due_at=datetime.now(UTC),
    )  # fmt: skip
    assert await notices.recipient(None, job) == ("EMAIL", f"hoa:{hoa}")  # type: ignore[arg-type]

"""The hand-off (journey 5): the HOA manager assigns a contractor to a work order → a job appears in the contractor's
organization, linked to it → the contractor's progress moves the work order on the HOA side, each move once; the
association cancelling the work order cancels the job. Through `job_lifecycle_v1`."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from dbos import DBOS

from hestami.contractor.dispatch.workflows import sla_workflow_id
from tests.cam.work_order.helpers import community, link, new_order
from tests.support.accounts import Account, account, organization
from tests.support.contractors import contractor_profile
from tests.support.rpc import fails, ok, suffix


@dataclass
class Handoff:
    client: httpx.AsyncClient
    manager: Account
    hoa: str
    association_id: str
    contractor_admin: Account
    contractor: str


@pytest.fixture(scope="module")
async def w(shared_client: httpx.AsyncClient) -> Handoff:
    manager, hoa, association, _ = await community(shared_client)
    admin = await account(shared_client)
    contractor = (await organization(shared_client, admin, f"Handoff Plumbing {suffix()}", "SERVICE_PROVIDER"))["id"]
    await contractor_profile(shared_client, admin, contractor, trades=("PLUMBING",), zip_codes=("78750",))
    await link(shared_client, manager, hoa, association["id"], contractor)
    return Handoff(shared_client, manager, hoa, association["id"], admin, contractor)


async def until(probe: Callable[[], Awaitable[Any]], what: str, seconds: float = 30) -> Any:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await probe()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def assigned_order(w: Handoff) -> dict[str, Any]:
    order = await new_order(w.client, w.manager, w.hoa, w.association_id, category="PLUMBING")
    await ok(w.client, w.manager, w.hoa, "workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    body = {"id": order["id"], "provider_organization_id": w.contractor}
    return dict(await ok(w.client, w.manager, w.hoa, "workOrder/v1/assignVendor", body))


async def job_of(w: Handoff, work_order_id: str) -> dict[str, Any]:
    async def found() -> dict[str, Any] | None:
        page = await ok(w.client, w.contractor_admin, w.contractor, "job/v1/list", {"work_order_id": work_order_id})
        return page["items"][0] if page["items"] else None

    return dict(await until(found, "the job"))


async def order_status(w: Handoff, order_id: str, status: str) -> dict[str, Any]:
    async def there() -> dict[str, Any] | None:
        order = await ok(w.client, w.manager, w.hoa, "workOrder/v1/get", {"id": order_id})
        return order if order["status"] == status else None

    return dict(await until(there, f"the work order {status}"))


async def move(w: Handoff, job_id: str, to: str) -> None:
    await ok(w.client, w.contractor_admin, w.contractor, "job/v1/transition", {"id": job_id, "to": to})


async def test_an_assigned_work_order_becomes_the_job_and_its_progress_comes_back(w: Handoff) -> None:
    order = await assigned_order(w)
    job = await job_of(w, order["id"])
    assert (job["source"], job["status"], job["work_order_id"]) == ("WORK_ORDER", "JOB_CREATED", order["id"])
    assert (job["trade"], job["zip_code"], job["priority"]) == ("PLUMBING", "78750", order["priority"])
    assert job["title"].startswith(order["number"])
    assert job["sla_due_at"] == order["sla_due_at"]  # the association's clock

    async def sla_clock() -> Any:
        return await DBOS.get_workflow_status_async(sla_workflow_id(uuid.UUID(job["id"])))

    await until(sla_clock, "the job's SLA run (dispatchSla_v1, started by the hand-off)")
    start = (datetime.now(UTC) + timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)
    visit = {"job_id": job["id"], "window_start": start.isoformat(),
             "window_end": (start + timedelta(hours=4)).isoformat(), "duration_minutes": 90}  # fmt: skip
    await ok(w.client, w.contractor_admin, w.contractor, "job/v1/addVisit", visit)
    await move(w, job["id"], "SCHEDULED")
    scheduled = await order_status(w, order["id"], "SCHEDULED")
    assert datetime.fromisoformat(scheduled["scheduled_start"]) == start
    for to in ("DISPATCHED", "IN_PROGRESS"):
        await move(w, job["id"], to)
    await order_status(w, order["id"], "IN_PROGRESS")
    await move(w, job["id"], "COMPLETED")
    await order_status(w, order["id"], "COMPLETED")
    history = await ok(w.client, w.manager, w.hoa, "workOrder/v1/getStatusHistory", {"id": order["id"]})
    moves = Counter(h["to_status"] for h in history["items"])
    assert moves == Counter(["DRAFT", "SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED", "IN_PROGRESS", "COMPLETED"]), (
        moves
    )
    notes = [h["note"] for h in history["items"] if h["to_status"] in ("SCHEDULED", "COMPLETED")]
    assert all(job["number"] in (note or "") for note in notes), notes


async def test_the_association_cancelling_the_work_order_cancels_the_job(w: Handoff) -> None:
    order = await assigned_order(w)
    job = await job_of(w, order["id"])
    await ok(w.client, w.manager, w.hoa, "workOrder/v1/updateStatus", {"id": order["id"], "status": "CANCELLED"})

    async def cancelled() -> dict[str, Any] | None:
        got = await ok(w.client, w.contractor_admin, w.contractor, "job/v1/get", {"id": job["id"]})
        return got if got["status"] == "CANCELLED" else None

    await until(cancelled, "the job cancelled")


async def test_the_hoa_sees_its_work_order_not_the_contractors_job(
    w: Handoff, shared_client: httpx.AsyncClient
) -> None:
    order = await assigned_order(w)
    job = await job_of(w, order["id"])
    await fails(shared_client, w.manager, w.hoa, "job/v1/get", {"id": job["id"]}, 422, "BUSINESS_RULE_VIOLATION",
                "NOT_A_CONTRACTOR")  # fmt: skip
    stranger = await account(shared_client)
    other = (await organization(shared_client, stranger, f"Other Plumbing {suffix()}", "SERVICE_PROVIDER"))["id"]
    await contractor_profile(shared_client, stranger, other)
    await fails(shared_client, stranger, other, "job/v1/get", {"id": job["id"]}, 404, "NOT_FOUND")


async def test_a_work_order_moved_on_without_the_job_brings_the_job_forward(w: Handoff) -> None:
    """The association moves its work order itself (through a hold and back): the job follows, forward only, and
    the job's catching up is never mirrored back onto the work order."""
    order = await assigned_order(w)
    job = await job_of(w, order["id"])
    oid = order["id"]

    async def job_at(status: str) -> dict[str, Any] | None:
        got = await ok(w.client, w.contractor_admin, w.contractor, "job/v1/get", {"id": job["id"]})
        return got if got["status"] == status else None

    start = datetime.now(UTC) + timedelta(hours=2)
    window = {"scheduled_start": start.isoformat(), "scheduled_end": (start + timedelta(hours=1)).isoformat()}
    await ok(w.client, w.manager, w.hoa, "workOrder/v1/schedule", {"id": oid, **window})
    await ok(w.client, w.manager, w.hoa, "workOrder/v1/updateStatus", {"id": oid, "status": "IN_PROGRESS"})
    await until(lambda: job_at("IN_PROGRESS"), "the job in progress")
    await ok(w.client, w.manager, w.hoa, "workOrder/v1/updateStatus", {"id": oid, "status": "ON_HOLD"})
    await ok(w.client, w.manager, w.hoa, "workOrder/v1/updateStatus", {"id": oid, "status": "IN_PROGRESS"})
    body = {"id": oid, "completion_notes": "Done", "actual_cost": "100.00"}
    await ok(w.client, w.manager, w.hoa, "workOrder/v1/complete", body)
    await until(lambda: job_at("COMPLETED"), "the job completed")

    history = await ok(w.client, w.contractor_admin, w.contractor, "job/v1/history", {"id": job["id"]})
    assert [h["to_status"] for h in history["items"]][-4:] == ["SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED"]
    moves = await ok(w.client, w.manager, w.hoa, "workOrder/v1/getStatusHistory", {"id": oid})
    after_assignment = [h["to_status"] for h in moves["items"]][-5:]
    assert after_assignment == ["SCHEDULED", "IN_PROGRESS", "ON_HOLD", "IN_PROGRESS", "COMPLETED"]
    actors = {h["actor_user_id"] for h in moves["items"][-5:]}
    assert actors == {str(w.manager.user_id)}, "the job's catching up mirrored nothing back"

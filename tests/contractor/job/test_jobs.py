"""Jobs through the API: a DIRECT job for a customer (its address by default) or a walk-in, numbered JOB-000001 up
per organization; updates while open; convert and cancel through the one transition path (a cancelled job's visits
are cancelled with it); the history and audit trail of every move; the hooks other modules register; a contractor
of another kind of organization is refused."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from hestami.contractor.job import api
from hestami.contractor.job.models import Job
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError
from tests.contractor.job.helpers import Workforce, contractor, customer, history, job_in, new_job
from tests.support.accounts import account, organization
from tests.support.rpc import fails, ok

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Jobs")


async def test_a_job_for_a_customer_starts_from_its_address(force: Workforce) -> None:
    client = await customer(force, address="1804 S 5th St, Austin, TX", zip_code="78704")
    job = await new_job(force, customer_id=client["id"], priority="HIGH", branch_id=force.branches["South"],
                        trade=" hvac ", description="No cooling upstairs")  # fmt: skip
    assert (job["source"], job["status"], job["trade"], job["priority"]) == ("DIRECT", "TICKET", "HVAC", "HIGH")
    assert (job["address"], job["zip_code"], job["customer_id"]) == ("1804 S 5th St, Austin, TX", "78704", client["id"])
    assert job["number"].startswith("JOB-")
    assert len(job["number"]) == 10
    assert await history(force, job["id"]) == [(None, "TICKET")]
    own = await new_job(force, customer_id=client["id"], address="9 Oak Ct", zip_code="78745")
    assert (own["address"], own["zip_code"]) == ("9 Oak Ct", "78745")


async def test_numbers_follow_each_other_per_organization(shared_client: httpx.AsyncClient) -> None:
    fresh = await contractor(shared_client, "Numbers")
    made = [await new_job(fresh) for _ in range(3)]
    assert [j["number"] for j in made] == ["JOB-000001", "JOB-000002", "JOB-000003"]
    lead = await new_job(fresh, status="LEAD")
    assert (lead["number"], lead["status"]) == ("JOB-000004", "LEAD")


async def test_a_walk_in_job_and_the_references_it_names(force: Workforce) -> None:
    walk_in = await new_job(force, address="611 W 6th St", zip_code="78701")
    assert walk_in["customer_id"] is None
    missing = str(uuid.uuid4())
    error = await force.fails("job/v1/create", {"title": "X", "trade": "PLUMBING", "customer_id": missing}, 404,
                              "NOT_FOUND")  # fmt: skip
    assert error["details"] == {"kind": "customer", "id": missing}
    await force.fails("job/v1/create", {"title": "X", "trade": "PLUMBING", "branch_id": missing}, 404, "NOT_FOUND")
    gone = await customer(force)
    await force.ok("customer/v1/delete", {"id": gone["id"]})
    await force.fails("job/v1/create", {"title": "X", "trade": "PLUMBING", "customer_id": gone["id"]}, 404)
    for bad in ({"status": "JOB_CREATED"}, {"zip_code": "7870"}, {"trade": " "}, {"priority": "URGENT"},
                {"title": "  "}):  # fmt: skip
        await force.fails("job/v1/create", {"title": "X", "trade": "PLUMBING", **bad}, 400, "VALIDATION_FAILED")


async def test_an_open_job_changes_and_a_finished_one_does_not(force: Workforce) -> None:
    job = await new_job(force, description="Drip")
    changed = await force.ok("job/v1/update", {"id": job["id"], "title": "Faucet drips", "description": None,
                                               "priority": "LOW", "branch_id": force.branches["North"]})  # fmt: skip
    assert (changed["title"], changed["description"], changed["priority"]) == ("Faucet drips", None, "LOW")
    assert changed["branch_id"] == force.branches["North"]
    kept = await force.ok("job/v1/update", {"id": job["id"], "title": None, "trade": None})
    assert (kept["title"], kept["trade"]) == ("Faucet drips", "PLUMBING")
    done = await job_in(force, "COMPLETED")
    error = await force.fails("job/v1/update", {"id": done["id"], "title": "Late"}, 422, reason="JOB_CLOSED")
    assert error["details"]["status"] == "COMPLETED"
    actions = await force.audit_actions(job["id"])
    assert actions == ["job.created", "job.updated"]


async def test_convert_and_cancel_go_through_the_transition(force: Workforce) -> None:
    ticket = await new_job(force)
    converted = await force.ok("job/v1/convert", {"id": ticket["id"], "note": "Customer approved"})
    assert converted["status"] == "JOB_CREATED"
    lead = await new_job(force, status="LEAD")
    error = await force.fails("job/v1/convert", {"id": lead["id"]}, 409, "INVALID_STATE_TRANSITION")
    assert (error["details"]["from"], error["details"]["to"]) == ("LEAD", "JOB_CREATED")

    visit = await force.ok("job/v1/addVisit", {"job_id": ticket["id"], "window_start": "2030-05-01T08:00:00-05:00",
                                               "window_end": "2030-05-01T12:00:00-05:00"})  # fmt: skip
    cancelled = await force.ok("job/v1/cancel", {"id": ticket["id"], "reason": "Customer fixed it"})
    assert cancelled["status"] == "CANCELLED"
    detail = await force.ok("job/v1/get", {"id": ticket["id"]})
    assert [v["status"] for v in detail["visits"]] == ["CANCELLED"]
    assert detail["visits"][0]["id"] == visit["id"]
    found = await force.ok("job/v1/history", {"id": ticket["id"]})
    assert [(h["from_status"], h["to_status"], h["note"]) for h in found["items"]] == [
        (None, "TICKET", None), ("TICKET", "JOB_CREATED", "Customer approved"),
        ("JOB_CREATED", "CANCELLED", "Customer fixed it"),
    ]  # fmt: skip
    assert {h["actor_user_id"] for h in found["items"]} == {str(force.manager.user_id)}
    await force.fails("job/v1/cancel", {"id": ticket["id"], "reason": "Again"}, 409, "INVALID_STATE_TRANSITION")
    await force.fails("job/v1/cancel", {"id": ticket["id"], "reason": " "}, 400, "VALIDATION_FAILED")
    moves = [a for a in await force.audit_actions(ticket["id"]) if a in ("job.created", "job.status_changed")]
    assert moves == ["job.created", "job.status_changed", "job.status_changed"]  # other modules' hooks may add more


async def test_lists_filter(force: Workforce) -> None:
    client = await customer(force)
    mine = await new_job(force, customer_id=client["id"], trade="ELECTRICAL", branch_id=force.branches["South"])
    other = await new_job(force, trade="ELECTRICAL")

    async def listed(**filters: Any) -> set[str]:
        page = await force.ok("job/v1/list", {"limit": 200, **filters})
        return {j["id"] for j in page["items"]}

    assert await listed(customer_id=client["id"]) == {mine["id"]}
    assert {mine["id"], other["id"]} <= await listed(trade="electrical")
    assert mine["id"] in await listed(branch_id=force.branches["South"])
    assert other["id"] not in await listed(branch_id=force.branches["South"])
    assert mine["id"] in await listed(source="DIRECT", status="TICKET")
    assert await listed(source="WORK_ORDER") == set()
    assert await listed(work_order_id=str(uuid.uuid4())) == set()


async def test_hooks_run_after_each_move_in_its_transaction(force: Workforce) -> None:
    seen: list[tuple[str, str, str, str | None]] = []

    @api.when_transitioned
    async def remember(ctx: RequestContext, job: Job, from_status: str, to_status: str, note: str | None) -> None:
        if str(job.organization_id) == force.org:
            seen.append((str(job.id), from_status, to_status, note))
            if note == "refuse":
                raise HestamiError(ErrorCode.CONFLICT, "The hook refuses: the move rolls back.")

    job = await new_job(force)
    await force.ok("job/v1/transition", {"id": job["id"], "to": "ESTIMATE_REQUIRED", "note": "Site visit first"})
    assert seen == [(job["id"], "TICKET", "ESTIMATE_REQUIRED", "Site visit first")]
    await force.fails("job/v1/transition", {"id": job["id"], "to": "JOB_CREATED", "note": "refuse"}, 409, "CONFLICT")
    assert (await force.ok("job/v1/get", {"id": job["id"]}))["status"] == "ESTIMATE_REQUIRED"
    assert await history(force, job["id"]) == [(None, "TICKET"), ("TICKET", "ESTIMATE_REQUIRED")]


async def test_only_a_contractor_has_jobs(shared_client: httpx.AsyncClient) -> None:
    admin = await account(shared_client)
    hoa = (await organization(shared_client, admin, "Not A Contractor HOA"))["id"]
    for path, body in (
        ("job/v1/list", {}),
        ("job/v1/create", {"title": "X", "trade": "PLUMBING"}),
        ("customer/v1/create", {"name": "X"}),
        ("job/v1/get", {"id": str(uuid.uuid4())}),
    ):
        await fails(shared_client, admin, hoa, path, body, 422, "BUSINESS_RULE_VIOLATION", "NOT_A_CONTRACTOR")
    assert admin
    assert await ok(shared_client, admin, hoa, "organization/v1/current", {})

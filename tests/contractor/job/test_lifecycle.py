"""The transition table walked through `job/v1/transition`: every move the table allows works from a job in its
source state and adds exactly one history row (from, to, who, note) and one audit event; every other move is
INVALID_STATE_TRANSITION with from/to/allowed and leaves the job, its history and its audit trail as they were.
Moves the caller may not make are FORBIDDEN before the table is read."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from hestami.contractor.job import lifecycle
from tests.contractor.job.helpers import Workforce, contractor, history, job_in
from tests.support.rpc import fails

pytestmark = pytest.mark.usefixtures("unthrottled")

ALLOWED = [(source, target) for source, targets in lifecycle.TRANSITIONS.items() for target in sorted(targets)]


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Lifecycle")


async def test_every_allowed_move_works_once_in_the_history(force: Workforce) -> None:
    lanes = asyncio.Semaphore(4)

    async def move(source: str, target: str) -> None:
        async with lanes:
            job = await job_in(force, source)
            before = await history(force, job["id"])  # the opening row, then one row per move
            moved = await force.ok("job/v1/transition", {"id": job["id"], "to": target, "note": f"to {target}"})
            assert moved["status"] == target, (source, target)
            if target == "COMPLETED":
                assert moved["completed_at"] is not None
            after = await force.ok("job/v1/history", {"id": job["id"]})
            assert [(h["from_status"], h["to_status"]) for h in after["items"]] == [*before, (source, target)]
            last = after["items"][-1]
            assert (last["note"], last["actor_user_id"]) == (f"to {target}", str(force.manager.user_id))
            assert (await force.audit_actions(job["id"])).count("job.status_changed") == len(before)

    await asyncio.gather(*(move(source, target) for source, target in ALLOWED))


@pytest.mark.parametrize("source", lifecycle.STATUSES)
async def test_every_other_move_is_refused_and_leaves_no_trace(force: Workforce, source: str) -> None:
    job = await job_in(force, source)
    before = (await history(force, job["id"]), await force.audit_actions(job["id"]))
    allowed = lifecycle.TRANSITIONS[source]
    for target in lifecycle.STATUSES:
        if target in allowed:
            continue
        error = await force.fails("job/v1/transition", {"id": job["id"], "to": target}, 409,
                                  "INVALID_STATE_TRANSITION")  # fmt: skip
        assert error["details"] == {"from": source, "to": target, "allowed": sorted(allowed)}
    assert (await force.ok("job/v1/get", {"id": job["id"]}))["status"] == source
    assert (await history(force, job["id"]), await force.audit_actions(job["id"])) == before


async def test_a_vendor_member_may_not_move_a_job(force: Workforce) -> None:
    vendor = await force.member(["VENDOR"])
    job = await job_in(force, "TICKET")
    for target in ("JOB_CREATED", "CLOSED", "CANCELLED"):  # allowed by the table or not: FORBIDDEN first
        await fails(force.client, vendor, force.org, "job/v1/transition", {"id": job["id"], "to": target}, 403,
                    "FORBIDDEN")  # fmt: skip
    assert await history(force, job["id"]) == [(None, "TICKET")]

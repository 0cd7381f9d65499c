"""QA and warranty checkpoints: a job cannot close while a QA checkpoint is PENDING or FAILED
(BUSINESS_RULE_VIOLATION, CHECKPOINT_OPEN, naming them), and closes once it passed; a failed checkpoint is checked
again after the rework, a passed one is done for good; a warranty checkpoint never blocks; a job over takes none."""

from __future__ import annotations

import httpx
import pytest

from tests.contractor.job.helpers import Workforce, contractor, history, job_in

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Checkpoints")


async def qa(force: Workforce, job: dict, title: str = "Final walk-through") -> dict:
    return dict(await force.ok("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "QA", "title": title,
                                                        "due_on": "2030-06-15"}))  # fmt: skip


async def test_a_qa_checkpoint_not_passed_blocks_closing(force: Workforce) -> None:
    job = await job_in(force, "IN_PROGRESS")
    check = await qa(force, job)
    assert (check["status"], check["kind"], check["due_on"]) == ("PENDING", "QA", "2030-06-15")
    await force.ok("job/v1/transition", {"id": job["id"], "to": "COMPLETED"})
    error = await force.fails("job/v1/transition", {"id": job["id"], "to": "CLOSED"}, 422,
                              "BUSINESS_RULE_VIOLATION", "CHECKPOINT_OPEN")  # fmt: skip
    assert error["details"]["checkpoint_ids"] == [check["id"]]

    failed = await force.ok("job/v1/completeCheckpoint", {"id": check["id"], "passed": False, "notes": "Drip"})
    assert (failed["status"], failed["result_notes"]) == ("FAILED", "Drip")
    assert failed["completed_at"]
    await force.fails("job/v1/transition", {"id": job["id"], "to": "CLOSED"}, 422, reason="CHECKPOINT_OPEN")
    passed = await force.ok("job/v1/completeCheckpoint", {"id": check["id"], "passed": True, "notes": "Dry"})
    assert passed["status"] == "PASSED"
    await force.fails("job/v1/completeCheckpoint", {"id": check["id"], "passed": False}, 422,
                      reason="CHECKPOINT_DONE")  # fmt: skip
    closed = await force.ok("job/v1/transition", {"id": job["id"], "to": "CLOSED"})
    assert closed["status"] == "CLOSED"
    assert (await history(force, job["id"]))[-2:] == [("IN_PROGRESS", "COMPLETED"), ("COMPLETED", "CLOSED")]
    actions = await force.audit_actions(check["id"])
    assert actions == ["job_checkpoint.created", "job_checkpoint.completed", "job_checkpoint.completed"]


async def test_every_open_qa_checkpoint_is_named_and_warranty_ones_do_not_block(force: Workforce) -> None:
    job = await job_in(force, "WARRANTY")
    first, second = await qa(force, job, "Pressure test"), await qa(force, job, "Customer sign-off")
    warranty = await force.ok("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "WARRANTY", "title": "1 year"})
    error = await force.fails("job/v1/transition", {"id": job["id"], "to": "CLOSED"}, 422, reason="CHECKPOINT_OPEN")
    assert error["details"]["checkpoint_ids"] == [first["id"], second["id"]]
    for check in (first, second):
        await force.ok("job/v1/completeCheckpoint", {"id": check["id"], "passed": True})
    await force.ok("job/v1/transition", {"id": job["id"], "to": "CLOSED"})
    detail = await force.ok("job/v1/get", {"id": job["id"]})
    assert [(c["id"], c["status"]) for c in detail["checkpoints"]] == [
        (first["id"], "PASSED"), (second["id"], "PASSED"), (warranty["id"], "PENDING")]  # fmt: skip


@pytest.mark.parametrize("status", ["CLOSED", "CANCELLED"])
async def test_a_job_over_takes_no_checkpoint(force: Workforce, status: str) -> None:
    job = await job_in(force, status)
    await force.fails("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "WARRANTY", "title": "Late"}, 422,
                      reason="JOB_CLOSED")  # fmt: skip


async def test_a_completed_job_takes_a_warranty_checkpoint(force: Workforce) -> None:
    job = await job_in(force, "COMPLETED")
    made = await force.ok("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "WARRANTY", "title": "90 days"})
    assert made["status"] == "PENDING"
    await force.fails("job/v1/addCheckpoint", {"job_id": job["id"], "kind": "OTHER", "title": "X"}, 400,
                      "VALIDATION_FAILED")  # fmt: skip

"""QA and warranty checkpoints of a job: the forms that must be done before the job is over. Each starts PENDING
and is completed PASSED or FAILED; a failed one is checked again after the rework (completed again: its audit trail
keeps the failure), a passed one is done for good. A QA checkpoint not PASSED keeps its job from CLOSED
(`jobs.transition`)."""

from __future__ import annotations

from datetime import UTC, datetime

from hestami.contractor.job import kinds
from hestami.contractor.job.errors import JobReason, rule
from hestami.contractor.job.models import JobCheckpoint
from hestami.contractor.job.schemas import AddCheckpoint, CheckpointOut, CompleteCheckpoint
from hestami.contractor.job.services import jobs
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext


async def add(ctx: RequestContext, data: AddCheckpoint) -> CheckpointOut:
    """A checkpoint of a job not cancelled nor closed (a warranty checkpoint comes after completion)."""
    job = await jobs.load(ctx, data.job_id)
    await records.authorize_new(ctx, kinds.JOB_CHECKPOINT, "create")
    if job.status in ("CANCELLED", "CLOSED"):
        jobs.require_open(job, "add a checkpoint to")
    checkpoint = JobCheckpoint(**data.model_dump(), status="PENDING")
    made = await records.create(ctx, kinds.JOB_CHECKPOINT, checkpoint)
    return records.output(CheckpointOut, made)


async def complete(ctx: RequestContext, data: CompleteCheckpoint) -> CheckpointOut:
    await profile.require_contractor(ctx)
    checkpoint = await records.load(ctx, kinds.JOB_CHECKPOINT, data.id, "complete", lock=True)
    if checkpoint.status == "PASSED":
        message = f"The checkpoint {checkpoint.title} is PASSED already."
        raise rule(JobReason.CHECKPOINT_DONE, message, status=checkpoint.status)
    changes = {
        "status": "PASSED" if data.passed else "FAILED",
        "result_notes": data.notes,
        "completed_at": datetime.now(UTC),
    }
    await records.change(ctx, kinds.JOB_CHECKPOINT, checkpoint, changes, action="completed")
    return records.output(CheckpointOut, checkpoint)

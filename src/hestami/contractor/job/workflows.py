"""`job_lifecycle_v1`: the hand-off of an HOA work order to its contractor, for the life of the job
(`services/handoff.py` says what moves where).

Started by the work order's assignment (`cam.work_order.api.when_status_changed`), in that transaction: its id comes
from the work order and the contractor (`workOrder:<id>:job:<contractor>:v1`), so assigning twice hands off once.
The first step opens the job (waiting, retrying, until the assignment is committed and visible in the contractor's
scope); then each `sync` step mirrors what happened since the last (a cursor into the job's status history, carried
by the workflow), and the workflow waits for a wake-up (a job move, the work order cancelled) or JOB_SYNC_POLL_SECONDS
(recorded when the workflow starts), until the job or the work order ends. Every step acts as the system in the
contractor's organization."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from dbos import DBOS, SetWorkflowID

from hestami.cam.work_order import api as work_orders
from hestami.contractor.job import lifecycle
from hestami.contractor.job.models import Job
from hestami.contractor.job.services import handoff, jobs
from hestami.core import runtime, workflows
from hestami.core.acting import acting
from hestami.core.context import RequestContext

TOPIC = "job"
RETRIES = workflows.step_retries(handoff.AssignmentNotVisibleError)
HandedOff = Callable[[str, str], Awaitable[None]]
_when_handed_off: list[HandedOff] = []


def when_handed_off(hook: HandedOff) -> HandedOff:
    """Registers `hook(contractor_id, job_id)`, awaited in the body of `job_lifecycle_v1` once the job is open (so it
    may start workflows of its own: dispatch starts the job's SLA clock). Registered at import, the same in every
    process, so a recovered workflow replays the same calls."""
    _when_handed_off.append(hook)
    return hook


def workflow_id(work_order_id: uuid.UUID | str, contractor_id: uuid.UUID | str) -> str:
    return f"workOrder:{work_order_id}:job:{contractor_id}:v1"


@DBOS.step(name="jobHandoffOpen", **RETRIES)
async def open_job(contractor_id: str, work_order_id: str, site_postal_code: str | None) -> str:
    org = uuid.UUID(contractor_id)
    async with acting(runtime.current(), procedure=lifecycle.LIFECYCLE_WORKFLOW, organization_id=org) as ctx:
        job = await handoff.open_from_work_order(ctx, uuid.UUID(work_order_id), site_postal_code)
        return str(job.id)


@DBOS.step(name="jobHandoffSync", **RETRIES)
async def sync(contractor_id: str, job_id: str, cursor: str | None) -> dict[str, Any]:
    org = uuid.UUID(contractor_id)
    async with acting(runtime.current(), procedure=lifecycle.LIFECYCLE_WORKFLOW, organization_id=org) as ctx:
        return await handoff.sync(ctx, uuid.UUID(job_id), cursor)


@DBOS.workflow(name=lifecycle.LIFECYCLE_WORKFLOW, max_recovery_attempts=100_000)
async def job_lifecycle_v1(contractor_id: str, work_order_id: str, site_postal_code: str | None) -> str:
    poll = await workflows.recorded_setting("job_sync_poll_seconds")
    job_id = await open_job(contractor_id, work_order_id, site_postal_code)
    for hook in _when_handed_off:
        await hook(contractor_id, job_id)
    cursor: str | None = None
    while True:
        state = await sync(contractor_id, job_id, cursor)
        cursor = state["cursor"]
        if state["done"]:
            return str(state["job_status"])
        await DBOS.recv_async(TOPIC, timeout_seconds=poll)


async def wake(work_order_id: uuid.UUID, contractor_id: uuid.UUID) -> None:
    """Wakes the hand-off of the work order (a lost wake-up only delays it: each step reads committed state)."""
    workflows.wakeups.post(workflow_id(work_order_id, contractor_id), TOPIC, {"wake": True})


async def _work_order_moved(ctx: RequestContext, work: work_orders.AssignedWork, _from: str, to: str) -> None:
    """ASSIGNED (in the association's transaction): the hand-off starts, durable with the assignment. Any other move
    of an assigned work order wakes it (after commit): a cancellation, or a move made without the job."""
    contractor = work.provider_organization_id
    if contractor is None:
        return
    if to == "ASSIGNED":
        with SetWorkflowID(workflow_id(work.work_order_id, contractor)):
            await DBOS.start_workflow_async(
                job_lifecycle_v1, str(contractor), str(work.work_order_id), work.site_postal_code
            )
    else:  # cancelled, or moved on by another path: the hand-off looks again
        ctx.after_commit(lambda: wake(work.work_order_id, contractor))


async def _job_moved(ctx: RequestContext, job: Job, _from: str, _to: str, _note: str | None) -> None:
    """A job of a work order moved: its hand-off mirrors it (after commit)."""
    if job.work_order_id is not None:
        work_order_id, contractor = job.work_order_id, job.organization_id
        ctx.after_commit(lambda: wake(work_order_id, contractor))


work_orders.when_status_changed(_work_order_moved)
jobs.when_transitioned(_job_moved)

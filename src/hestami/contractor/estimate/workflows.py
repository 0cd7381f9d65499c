"""`estimate_generation_v1` (id `estimate:<estimate id>:generation:v1`): one run per estimate, started in the
transaction that generates it (its first turn retries until that is committed). Each turn is one step on the locked
estimate (`services.turns.take_turn`): it waits durably while the estimate is a DRAFT or PENDING_APPROVAL (for the
manager's decision), sends it once APPROVED with a sending asked for, records the expiry reminder
ESTIMATE_REMINDER_DAYS before the expiry and moves it to EXPIRED at its expiry (times in ESTIMATE_DAY_SECONDS-long
days, so tests run fast). Between turns it waits for a wake-up (an edit, a decision, an acceptance) or until the next
time due, at most ESTIMATE_POLL_SECONDS (recorded when the run starts); it ends once the estimate is ACCEPTED,
DECLINED, EXPIRED or VOID. A turn that committed but whose completion DBOS had not recorded runs again and finds
nothing to do: the statuses, `reminded_at` and the outbox's dedupe keys say so.

The hand-off of an HOA work order (`job_lifecycle_v1`) calls `_handed_off` once the contractor's job is open: the
estimate accepted for that work order's bid then names the job (`job_id`), and the job's description its option."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.contractor.estimate import lifecycle, signals
from hestami.contractor.estimate.services import decisions, turns
from hestami.contractor.job import api as jobs
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.estimate")


class EstimateNotVisibleError(workflows.NotCommittedYet):
    """The request that generated the estimate has not committed (yet); the step retries."""


@DBOS.step(name="estimateGenerationTurn", **workflows.step_retries(EstimateNotVisibleError))
async def turn(organization_id: str, estimate_id: str) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=lifecycle.GENERATION_WORKFLOW, organization_id=org) as ctx:
        found = await turns.take_turn(ctx, uuid.UUID(estimate_id), datetime.now(UTC))
        if found is None:
            raise EstimateNotVisibleError(estimate_id)
    if found.happened:
        log.info("estimate_turn", estimate_id=estimate_id, happened=list(found.happened))
    next_at = found.next_at.isoformat() if found.next_at is not None else None
    return {"status": found.status, "finished": found.finished, "next_at": next_at}


@DBOS.workflow(name=lifecycle.GENERATION_WORKFLOW, max_recovery_attempts=100_000)
async def estimate_generation_v1(organization_id: str, estimate_id: str) -> str:
    poll = await workflows.recorded_setting("estimate_poll_seconds")
    while True:
        state = await turn(organization_id, estimate_id)
        if state["finished"]:
            return str(state["status"])
        wait = poll
        if state["next_at"] is not None:
            until = (datetime.fromisoformat(state["next_at"]) - datetime.now(UTC)).total_seconds()
            wait = min(poll, max(0.0, until))
        await DBOS.recv_async(signals.TOPIC, timeout_seconds=wait)


async def start(organization_id: uuid.UUID, estimate_id: uuid.UUID) -> None:
    """Idempotent: one run per estimate (the workflow id is derived from it)."""
    with SetWorkflowID(lifecycle.workflow_id(estimate_id)):
        await DBOS.start_workflow_async(estimate_generation_v1, str(organization_id), str(estimate_id))


@DBOS.step(name="estimateHandedOffJob", **workflows.step_retries())
async def link_job(contractor_id: str, job_id: str) -> bool:
    org = uuid.UUID(contractor_id)
    async with acting(runtime.current(), procedure=lifecycle.GENERATION_WORKFLOW, organization_id=org) as ctx:
        return await decisions.link_handed_off_job(ctx, uuid.UUID(job_id))


async def _handed_off(contractor_id: str, job_id: str) -> None:
    """`job.api.when_handed_off`: in `job_lifecycle_v1`'s body, a work order's job just opened becomes the job of the
    estimate accepted for that work order (in a step: a recovered run replays its answer)."""
    await link_job(contractor_id, job_id)


jobs.when_handed_off(_handed_off)

"""Dispatch's durable work.

`dispatch_assignment_v1` (id `dispatchAssignment:<assignment id>:v1`): one run per assignment, started when the
assignment is made (once the request has committed). Each turn is one step in one transaction on the locked
assignment (`services.progress.take_turn`): the assignment follows its job and visit (on site, completed,
cancelled), and the customer's notices due are recorded, each once (the arrival window per window, "on the way"
once). Between turns it waits for a wake-up (rescheduled, on the way, unassigned, its job moved) or
`DISPATCH_POLL_SECONDS`; it ends once the assignment is COMPLETED or CANCELLED. A turn that committed but whose
completion DBOS had not recorded runs again and finds nothing to do: the statuses and the outbox's dedupe keys say so.

`dispatchSla_v1` (id `dispatchSla:<job id>:v1`): a job's SLA as a durable timer, started in the transaction that
gives the job its due time (its first look retries until that is committed). It sleeps until the due time (waking
early when the job is responded to), then marks the job breached unless it was met (`services.sla_clock.look`).

`routeOptimization_v1` (id `routePlan:<plan id>:v1`): the day's route optimization, `routing.solve` in one step
(in a worker thread: the search is CPU-bound and must not hold the event loop); `optimizeRoute` waits for it.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.contractor.dispatch import routing
from hestami.contractor.dispatch.services import progress, sla_clock
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.dispatch")
ASSIGNMENT_WORKFLOW = "dispatch_assignment_v1"
SLA_WORKFLOW = "dispatchSla_v1"
ROUTE_WORKFLOW = "routeOptimization_v1"
ASSIGNMENT_TOPIC = "dispatch_assignment"
SLA_TOPIC = "dispatch_sla"


class AssignmentNotVisibleError(workflows.NotCommittedYet):
    """The request that made the assignment has not committed (yet); the step retries."""


class SlaNotVisibleError(workflows.NotCommittedYet):
    """The transaction that set the job's SLA has not committed (yet); the step retries."""


def assignment_workflow_id(assignment_id: uuid.UUID | str) -> str:
    return f"dispatchAssignment:{assignment_id}:v1"


def sla_workflow_id(job_id: uuid.UUID | str) -> str:
    return f"dispatchSla:{job_id}:v1"


def route_workflow_id(plan_id: uuid.UUID | str) -> str:
    return f"routePlan:{plan_id}:v1"


# --- dispatch_assignment_v1 --------------------------------------------------------------------------------------


@DBOS.step(name="dispatchAssignmentTurn", **workflows.step_retries(AssignmentNotVisibleError))
async def assignment_turn(organization_id: str, assignment_id: str) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=ASSIGNMENT_WORKFLOW, organization_id=org) as ctx:
        turn = await progress.take_turn(ctx, uuid.UUID(assignment_id))
        if turn is None:
            raise AssignmentNotVisibleError(assignment_id)
    if turn.happened:
        log.info("dispatch_assignment_turn", assignment_id=assignment_id, happened=list(turn.happened))
    return {"status": turn.status, "finished": turn.finished, "happened": list(turn.happened)}


@DBOS.workflow(name=ASSIGNMENT_WORKFLOW, max_recovery_attempts=100_000)
async def dispatch_assignment_v1(organization_id: str, assignment_id: str) -> str:
    poll = await workflows.recorded_setting("dispatch_poll_seconds")
    while True:
        state = await assignment_turn(organization_id, assignment_id)
        if state["finished"]:
            return str(state["status"])
        await DBOS.recv_async(ASSIGNMENT_TOPIC, timeout_seconds=poll)


async def start_assignment(organization_id: uuid.UUID, assignment_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the assignment."""
    with SetWorkflowID(assignment_workflow_id(assignment_id)):
        await DBOS.start_workflow_async(dispatch_assignment_v1, str(organization_id), str(assignment_id))


async def wake_assignment(assignment_id: uuid.UUID) -> None:
    workflows.wakeups.post(assignment_workflow_id(assignment_id), ASSIGNMENT_TOPIC, {"changed": True})


# --- dispatchSla_v1 ----------------------------------------------------------------------------------------------


@DBOS.step(name="dispatchSlaLook", **workflows.step_retries(SlaNotVisibleError))
async def sla_look(organization_id: str, job_id: str, due_at: str) -> str:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=SLA_WORKFLOW, organization_id=org) as ctx:
        state = await sla_clock.look(ctx, uuid.UUID(job_id), datetime.fromisoformat(due_at), datetime.now(UTC))
        if state is None:
            raise SlaNotVisibleError(job_id)
    if state == sla_clock.BREACHED:
        log.info("dispatch_sla_breached", job_id=job_id, due_at=due_at)
    return state


@DBOS.workflow(name=SLA_WORKFLOW, max_recovery_attempts=100_000)
async def dispatch_sla_v1(organization_id: str, job_id: str, due_at: str) -> str:
    poll = await workflows.recorded_setting("dispatch_poll_seconds")
    due = datetime.fromisoformat(due_at)
    while True:
        state = await sla_look(organization_id, job_id, due_at)
        if state != sla_clock.WATCHING:
            return state
        wait = min(poll, max(0.0, (due - datetime.now(UTC)).total_seconds()))
        await DBOS.recv_async(SLA_TOPIC, timeout_seconds=wait)


async def start_sla(organization_id: uuid.UUID, job_id: uuid.UUID, due_at: datetime) -> None:
    """Idempotent: one run per job (the workflow id is derived from the job)."""
    with SetWorkflowID(sla_workflow_id(job_id)):
        await DBOS.start_workflow_async(dispatch_sla_v1, str(organization_id), str(job_id), due_at.isoformat())


@DBOS.step(name="dispatchSlaHandedOff", **workflows.step_retries())
async def handed_off_due(organization_id: str, job_id: str) -> str | None:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=SLA_WORKFLOW, organization_id=org) as ctx:
        due = await sla_clock.handed_off_due(ctx, uuid.UUID(job_id))
    return due.isoformat() if due is not None else None


async def start_handed_off_sla(organization_id: str, job_id: str) -> None:
    """`job.api.when_handed_off`: in `job_lifecycle_v1`'s body, a work order's job opened at JOB_CREATED starts its
    SLA run (the due time read, or set, in a step)."""
    due = await handed_off_due(organization_id, job_id)
    if due is not None:
        await start_sla(uuid.UUID(organization_id), uuid.UUID(job_id), datetime.fromisoformat(due))


async def wake_sla(job_id: uuid.UUID) -> None:
    workflows.wakeups.post(sla_workflow_id(job_id), SLA_TOPIC, {"responded": True})


# --- routeOptimization_v1 ----------------------------------------------------------------------------------------


@DBOS.step(name="routeOptimizationSolve")
async def solve_step(problem: routing.Problem) -> routing.Plan:
    return await asyncio.to_thread(routing.solve, problem)


@DBOS.workflow(name=ROUTE_WORKFLOW)
async def route_optimization_v1(problem: routing.Problem) -> routing.Plan:
    return await solve_step(problem)


async def optimize(plan_id: uuid.UUID, problem: routing.Problem) -> routing.Plan:
    """Solves the problem in its run and waits for the plan (the same plan id answers the recorded plan)."""
    with SetWorkflowID(route_workflow_id(plan_id)):
        handle = await DBOS.start_workflow_async(route_optimization_v1, problem)
    plan: routing.Plan = await handle.get_result()
    return plan

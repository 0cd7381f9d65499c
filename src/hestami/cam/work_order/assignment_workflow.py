"""`vendorAssignment_v1`: asks the best-matching providers to bid on a work order, reminds those who have not answered
at half the deadline, expires them at the deadline and asks the next matches once if too few answered.

Started (id `workOrder:<id>:vendorAssignment:v1`, so one run per work order however often it is started) by
`workOrder/assignment/v1/requestBids` or, for an EMERGENCY work order, by its submission, before that transaction
commits; its first turn retries until the run is visible, so an aborted start leaves only a workflow that ends in
error. Each turn is one step in one transaction on the locked run (`services.assignment_turns.take_turn`): the
requests of a round, the reminders and expiries that fell due, the second round. Between turns it waits for the next
reminder or deadline as the durable timeout of `recv` (at most `VENDOR_ASSIGNMENT_POLL_SECONDS`, so that a work order
assigned or cancelled meanwhile stops the run soon); response hours last `VENDOR_ASSIGNMENT_HOUR_SECONDS`. A bid on the
work order answered or decided (`services.bids`: submitted, withdrawn, rejected, accepted) wakes it once that
transaction has committed (`wake`), so the next turn sees the answer at once: a round everyone answered ends then, not
at its deadline. A wake-up is only that (the turn reads the committed bids), so a lost one delays the run until its
next timer and loses nothing.

A turn that committed but whose completion DBOS had not recorded (kill -9) runs again and finds nothing to send: the
stamps it wrote, the unique bid and request per work order and provider, and the outbox's dedupe keys say so.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.work_order.services import assignment_turns
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.work_order.vendor_assignment")
WORKFLOW_NAME = "vendorAssignment_v1"
TOPIC = "vendorAssignment"


def workflow_id(work_order_id: object) -> str:
    return f"workOrder:{work_order_id}:vendorAssignment:v1"


class AssignmentNotVisibleError(workflows.NotCommittedYet):
    """The transaction that starts the run has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(AssignmentNotVisibleError)


@DBOS.step(name="vendorAssignmentTurn", **RETRIES)
async def turn(organization_id: str, work_order_id: str) -> dict[str, Any]:
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        done = await assignment_turns.take_turn(ctx, uuid.UUID(work_order_id), datetime.now(UTC))
        if done is None:
            raise AssignmentNotVisibleError(work_order_id)
    if done.happened:
        log.info("vendor_assignment_turn", work_order_id=work_order_id, happened=list(done.happened))
    return {
        "status": done.status,
        "next": done.next_at.isoformat() if done.next_at else None,
        "happened": list(done.happened),
    }


def _wait(state: dict[str, Any], poll: float) -> float:
    if state["next"] is None:
        return poll
    return max(0.0, min(poll, (datetime.fromisoformat(state["next"]) - datetime.now(UTC)).total_seconds()))


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def vendor_assignment_v1(organization_id: str, work_order_id: str) -> str:
    poll = await workflows.recorded_setting("vendor_assignment_poll_seconds")
    while True:
        state = await turn(organization_id, work_order_id)
        if state["status"] != "RUNNING":
            return str(state["status"])
        await DBOS.recv_async(TOPIC, timeout_seconds=_wait(state, poll))


async def wake(work_order_id: uuid.UUID) -> None:
    """Wakes the work order's run after a committed answer to a bid on it, without waiting for the wake-up to be
    delivered. A work order without a run has no workflow to wake: that send fails and is only logged."""
    workflows.wakeups.post(workflow_id(work_order_id), TOPIC, {"bid_answered": True})


async def start(organization_id: uuid.UUID, work_order_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the work order."""
    with SetWorkflowID(workflow_id(work_order_id)):
        await DBOS.start_workflow_async(vendor_assignment_v1, str(organization_id), str(work_order_id))

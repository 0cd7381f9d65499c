"""`violationLifecycle_v1`: runs a violation's notice sequence on the calendar.

Started (id `violation:<id>:lifecycle:v1`) when the violation is recorded, just before that transaction commits;
its step retries until the violation is visible. Each turn is one step in one transaction
(`services.sequence.send_due` on the locked violation): the courtesy notice of a new violation, or, when a cure
date has passed uncured, the next notice (first, second, then the hearing at the earliest date the hearing notice
allows). Between turns it waits for the cure date as the durable timeout of `recv`, or for a wake-up: a manager's
or the owner's move (`signal`), after which it reads the violation again. It ends once nothing is left to do on
the calendar: the hearing is scheduled, or the violation is cured, dismissed, fined or closed.

A turn that ran and committed but whose completion DBOS had not recorded (a crash, kill -9) runs again and finds
nothing due: the status and cure date it wrote say so. A notice therefore goes out once per step and recipient,
however often the process dies (also held by the unique notice per step and the outbox's dedupe keys).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.violations import lifecycle, repository
from hestami.cam.violations.services import sequence
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.violations.lifecycle")
WORKFLOW_NAME = "violationLifecycle_v1"
TOPIC = "violation"


class ViolationNotVisibleError(workflows.NotCommittedYet):
    """The recording transaction has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(ViolationNotVisibleError)


@DBOS.step(name="violationSequenceTurn", **RETRIES)
async def turn(organization_id: str, violation_id: str) -> dict[str, Any]:
    """Sends what is due now; answers the status and the cure date to wait for."""
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        violation = await repository.violation(ctx.session, uuid.UUID(violation_id), lock=True)
        if violation is None:
            raise ViolationNotVisibleError(violation_id)
        sent = await sequence.send_due(ctx, violation, datetime.now(UTC))
        due = violation.cure_due_at
        state = {"status": violation.status, "cure_due_at": due.isoformat() if due else None, "sent": sent}
    if sent:
        log.info("violation_notice_sent", violation_id=violation_id, step=sent)
    return state


def _wait(state: dict[str, Any], poll: float) -> float:
    """Until the cure date when there is one (a move wakes the workflow sooner; the turn at the date re-reads the
    violation), else the poll: every wait is a recorded step that recovery replays."""
    if state["cure_due_at"] is None:
        return poll
    left = (datetime.fromisoformat(state["cure_due_at"]) - datetime.now(UTC)).total_seconds()
    return max(0.0, left)


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def violation_lifecycle_v1(organization_id: str, violation_id: str) -> str:
    poll = await workflows.recorded_setting("violation_poll_seconds")
    while True:
        state = await turn(organization_id, violation_id)
        if state["status"] not in lifecycle.CURE_RUNNING:
            return str(state["status"])
        await DBOS.recv_async(TOPIC, timeout_seconds=_wait(state, poll))


async def start(organization_id: uuid.UUID, violation_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the violation."""
    with SetWorkflowID(lifecycle.workflow_id(violation_id)):
        await DBOS.start_workflow_async(violation_lifecycle_v1, str(organization_id), str(violation_id))


async def signal(violation_id: uuid.UUID, status: str) -> None:
    """Wakes the lifecycle after a committed move (a lost wake-up only delays it until its next poll)."""
    workflows.wakeups.post(lifecycle.workflow_id(violation_id), TOPIC, {"status": status})

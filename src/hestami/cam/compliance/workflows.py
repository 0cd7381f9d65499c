"""`complianceDeadline_v1`: one deadline's clock — its reminder, then its due date.

Started (id `complianceDeadline:<id>:v1`) when the deadline is generated, before that transaction commits; its
turn waits on the row until the generation commits. Each turn is one step in one transaction on the locked deadline
(`services.deadlines.on_the_clock`): from its reminder date the responsible role is reminded (once: a dedupe key per
deadline and recipient), and after its due date an open deadline is flagged OVERDUE and the managers told (once).
Between turns it waits for the next of those moments as the durable timeout of `recv`, or for a wake-up (completed,
waived), and it ends once the deadline is completed, waived or flagged overdue. A turn that committed but whose
completion DBOS had not recorded runs again and finds nothing to do: the status it wrote says so.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.compliance import repository
from hestami.cam.compliance.services import deadlines
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.compliance.deadlines")
WORKFLOW_NAME = "complianceDeadline_v1"
TOPIC = "compliance_deadline"
FINISHED = frozenset({"COMPLETED", "WAIVED", "OVERDUE"})


class DeadlineNotVisibleError(workflows.NotCommittedYet):
    """The generating transaction has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(DeadlineNotVisibleError)


def workflow_id(deadline_id: uuid.UUID | str) -> str:
    return f"complianceDeadline:{deadline_id}:v1"


@DBOS.step(name="complianceDeadlineTurn", **RETRIES)
async def turn(organization_id: str, deadline_id: str) -> dict[str, Any]:
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        found = await repository.deadline(ctx.session, uuid.UUID(deadline_id), lock=True)
        if found is None:
            raise DeadlineNotVisibleError(deadline_id)
        happened, wake_at = await deadlines.on_the_clock(ctx, found, datetime.now(UTC))
        state = {"status": found.status, "next": wake_at.isoformat() if wake_at else None, "happened": happened}
    if happened:
        log.info("compliance_deadline_clock", deadline_id=deadline_id, happened=happened)
    return state


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def compliance_deadline_v1(organization_id: str, deadline_id: str) -> str:
    while True:
        state = await turn(organization_id, deadline_id)
        if state["status"] in FINISHED or state["next"] is None:
            return str(state["status"])
        wait = (datetime.fromisoformat(state["next"]) - datetime.now(UTC)).total_seconds()
        await DBOS.recv_async(TOPIC, timeout_seconds=max(0.0, wait))


async def start(organization_id: uuid.UUID, deadline_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the deadline."""
    with SetWorkflowID(workflow_id(deadline_id)):
        await DBOS.start_workflow_async(compliance_deadline_v1, str(organization_id), str(deadline_id))


async def signal(deadline_id: uuid.UUID, status: str) -> None:
    workflows.wakeups.post(workflow_id(deadline_id), TOPIC, {"status": status})

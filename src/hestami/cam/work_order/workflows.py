"""`workOrderLifecycle_v2`: keeps one work order's SLA clock, from submission to its end.

Started (with a workflow id derived from the work order and its SLA due time) when the work order is submitted,
just before that transaction commits; it waits first (the due time, the poll interval or a wake-up), and its
step then retries until the work order is visible, so an aborted submission leaves only a workflow that ends in
error. The status-change notifications are not its business: each transition records them in its own
transaction (`services.notifications`). The SLA timer is the durable timeout of `recv`: if the
work order is not completed by its due time, it is flagged breached and the managers are notified, once.

Transitions wake it only when that matters to it (`lifecycle.concerns_lifecycle`: the work order ended, or its
SLA clock stopped, restarted or got a new due time), after their commit and without waiting for the wake-up to
be delivered (`core.workflows.wakeups`). A wake-up is only that: the workflow reads the committed work order, so
a lost one (a crash between commit and send) only delays it until its next poll.

v1 also recorded the notifications, with other steps: a v1 lifecycle left PENDING by an older version is not
replayed against these (DBOS finds no function of that name to recover it with, logs it and leaves it PENDING).
"""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.work_order import lifecycle, repository
from hestami.cam.work_order.models import WorkOrder
from hestami.cam.work_order.services import notifications
from hestami.core import runtime, workflows
from hestami.core.acting import acting
from hestami.core.context import RequestContext

log = structlog.get_logger("hestami.work_order.lifecycle")
TOPIC = "transition"
WORKFLOW_NAME = "workOrderLifecycle_v2"


class WorkOrderNotVisibleError(workflows.NotCommittedYet):
    """The submitting transaction has not committed (yet); the step retries."""


def _as_system(organization_id: str) -> AbstractAsyncContextManager[RequestContext]:
    """A step's own committed transaction in the work order's organization, acting as the system (no user)."""
    return acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id))


# Steps ride out about two minutes of database outage; the clock's first read also waits for the submission.
OUTAGE_RETRIES = workflows.step_retries()
CLOCK_RETRIES = workflows.step_retries(WorkOrderNotVisibleError)


def _sla_seconds(order: WorkOrder) -> float | None:
    """How long until the SLA is due (None when the clock is not running or the breach is flagged)."""
    if order.status not in lifecycle.SLA_RUNNING or order.sla_due_at is None or order.sla_breached:
        return None
    return (order.sla_due_at - datetime.now(UTC)).total_seconds()


@DBOS.step(name="workOrderSlaClock", **CLOCK_RETRIES)
async def sla_clock(organization_id: str, work_order_id: str) -> dict[str, Any]:
    """The work order's status and how long until its SLA is due (None when the clock is not running)."""
    async with _as_system(organization_id) as ctx:
        order = await repository.work_order(ctx.session, uuid.UUID(work_order_id))
        if order is None:
            raise WorkOrderNotVisibleError(work_order_id)
        return {"status": order.status, "sla_seconds": _sla_seconds(order)}


@DBOS.step(name="workOrderSlaBreached", **OUTAGE_RETRIES)
async def flag_sla_breach(organization_id: str, work_order_id: str) -> bool:
    """Flags the breach (if still open and overdue) and notifies the association's managers once."""
    async with _as_system(organization_id) as ctx:
        order = await repository.work_order(ctx.session, uuid.UUID(work_order_id), lock=True)
        now = datetime.now(UTC)
        if order is None or order.status not in lifecycle.SLA_RUNNING or order.sla_due_at is None:
            return False
        if order.sla_due_at > now:
            return False
        order.sla_breached = True
        await notifications.sla_breached(ctx, order)
        log.warning("work_order_sla_breached", work_order_id=work_order_id, organization_id=organization_id)
    return True


def _wait(sla_seconds: float | None, poll: float) -> float:
    return poll if sla_seconds is None else max(0.0, min(poll, sla_seconds))


# A lifecycle lives for days and is recovered at every restart: allow many recoveries.
@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def work_order_lifecycle_v2(organization_id: str, work_order_id: str, sla_due_at: str | None) -> str:
    """Waits first: the submission that starts it gives the due time (and has not committed yet)."""
    poll = await workflows.recorded_setting("work_order_poll_seconds")
    due = datetime.fromisoformat(sla_due_at) if sla_due_at else None
    wait = _wait(None if due is None else (due - datetime.now(UTC)).total_seconds(), poll)
    while True:
        await DBOS.recv_async(TOPIC, timeout_seconds=wait)
        state = await sla_clock(organization_id, work_order_id)
        if state["status"] in lifecycle.TERMINAL:
            return str(state["status"])
        sla_seconds = state["sla_seconds"]
        if sla_seconds is not None and sla_seconds <= 0:
            await flag_sla_breach(organization_id, work_order_id)
            sla_seconds = None  # flagged: the clock no longer matters
        wait = _wait(sla_seconds, poll)


async def start(organization_id: uuid.UUID, work_order_id: uuid.UUID, sla_due_at: datetime | None) -> None:
    """Idempotent: the workflow id is derived from the work order."""
    due = sla_due_at.isoformat() if sla_due_at is not None else None
    with SetWorkflowID(lifecycle.workflow_id(work_order_id)):
        await DBOS.start_workflow_async(work_order_lifecycle_v2, str(organization_id), str(work_order_id), due)


async def signal(work_order_id: uuid.UUID, status: str) -> None:
    """Wakes the lifecycle after a committed transition that concerns it, without waiting for the wake-up to be
    delivered (a lost one only delays: see the module doc)."""
    workflows.wakeups.post(lifecycle.workflow_id(work_order_id), TOPIC, {"status": status})

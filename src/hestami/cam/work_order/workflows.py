"""`workOrderLifecycle_v1`: follows one work order from submission to its end.

Started (with a workflow id derived from the work order) when the work order is submitted, just before that
transaction commits; the first step waits until the work order is visible, so an aborted submission leaves
only a workflow that ends in error. The procedures signal each transition after their commit; the workflow
treats a signal only as a wake-up and reads the committed status history, so a lost signal (a crash between
commit and signal) delays a notification but loses none. Each notification carries a deterministic dedupe
key, so a step re-run after a crash sends nothing twice. The SLA timer is the durable timeout of `recv`:
if the work order is not completed by its due time, it is flagged breached and the managers are notified.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID
from sqlalchemy.exc import InterfaceError, OperationalError

from hestami.cam.work_order import lifecycle, repository
from hestami.cam.work_order.models import WorkOrder
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_once
from hestami.identity.services import organizations as identity

log = structlog.get_logger("hestami.work_order.lifecycle")
TOPIC = "transition"
WORKFLOW_NAME = "workOrderLifecycle_v1"
MANAGING_ROLES = ["MANAGER", "ADMIN"]


def _database_unavailable(error: BaseException) -> bool:
    """A database restarting or out of reach: the idempotent steps below wait for it rather than end the lifecycle."""
    return isinstance(error, OperationalError | InterfaceError)


# Rides out about two minutes of database outage (0.5 s, then half again as long each time, 12 tries).
OUTAGE_RETRIES: dict[str, Any] = {
    "retries_allowed": True,
    "interval_seconds": 0.5,
    "backoff_rate": 1.5,
    "max_attempts": 12,
    "should_retry": _database_unavailable,
}


class WorkOrderNotVisibleError(Exception):
    """The submitting transaction has not committed (yet); the step retries."""


def _as_system(organization_id: str) -> AbstractAsyncContextManager[RequestContext]:
    """A step's own committed transaction in the work order's organization, acting as the system (no user)."""
    return acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id))


@DBOS.step(name="workOrderSnapshot", retries_allowed=True, interval_seconds=0.5, max_attempts=60, backoff_rate=1.0)
async def snapshot(organization_id: str, work_order_id: str) -> dict[str, Any]:
    """The work order's status and how long until its SLA is due (None when the clock is not running)."""
    async with _as_system(organization_id) as ctx:
        order = await repository.work_order(ctx.session, uuid.UUID(work_order_id))
        if order is None:
            raise WorkOrderNotVisibleError(work_order_id)
        seconds: float | None = None
        if order.status in lifecycle.SLA_RUNNING and order.sla_due_at is not None and not order.sla_breached:
            seconds = (order.sla_due_at - datetime.now(UTC)).total_seconds()
        return {"status": order.status, "sla_seconds": seconds}


async def _recipients(ctx: RequestContext, order: WorkOrder) -> list[tuple[str, uuid.UUID | None]]:
    people: dict[str, uuid.UUID | None] = {}
    if order.requestor_user_id is not None:
        email = await identity.email_of_member(ctx, order.requestor_user_id)
        if email:
            people[email] = order.requestor_user_id
    for user_id, email in await identity.members_in_roles(ctx, MANAGING_ROLES):
        people[email] = user_id
    if order.assigned_provider_org_id is not None:  # the provider organization's dispatch inbox
        people[f"provider:{order.assigned_provider_org_id}"] = None
    return sorted(people.items())


def _message(
    order: WorkOrder, recipient: str, user_id: uuid.UUID | None, template: str, payload: dict[str, Any], dedupe_key: str
) -> OutboundMessage:
    return OutboundMessage(
        organization_id=order.organization_id,
        channel="EMAIL",
        recipient=recipient,
        recipient_user_id=user_id,
        template=template,
        payload={"work_order": order.display_number, "title": order.title, **payload},
        entity_type="work_order",
        entity_id=order.id,
        dedupe_key=dedupe_key,
    )


@DBOS.step(name="workOrderNotifyTransitions", **OUTAGE_RETRIES)
async def notify_transitions(organization_id: str, work_order_id: str) -> int:
    """One message per transition and recipient, whenever this step runs (and however often)."""
    sent = 0
    async with _as_system(organization_id) as ctx:
        order = await repository.work_order(ctx.session, uuid.UUID(work_order_id))
        if order is None:
            return 0
        history = await repository.status_history(ctx.session, order.id)
        changes = [h for h in history if h.from_status is not None]
        if not changes:
            return 0
        recipients = await _recipients(ctx, order)
        for change in changes:
            payload = {"from": change.from_status, "to": change.to_status, "note": change.note}
            for recipient, user_id in recipients:
                key = f"work_order:{order.id}:change:{change.id}:{recipient}"
                message = _message(order, recipient, user_id, "work_order.status_changed", payload, key)
                sent += await record_once(ctx.session, message)
    return sent


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
        for user_id, email in await identity.members_in_roles(ctx, MANAGING_ROLES):
            key = f"work_order:{order.id}:sla_breached:{email}"
            payload = {"priority": order.priority, "sla_due_at": order.sla_due_at.isoformat(), "status": order.status}
            await record_once(ctx.session, _message(order, email, user_id, "work_order.sla_breached", payload, key))
        log.warning("work_order_sla_breached", work_order_id=work_order_id, organization_id=organization_id)
    return True


# A lifecycle lives for days and is recovered at every restart: allow many recoveries.
@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def work_order_lifecycle_v1(organization_id: str, work_order_id: str) -> str:
    poll = runtime.current().settings.work_order_poll_seconds
    while True:
        state = await snapshot(organization_id, work_order_id)
        await notify_transitions(organization_id, work_order_id)
        if state["status"] in lifecycle.TERMINAL:
            return str(state["status"])
        sla_seconds = state["sla_seconds"]
        if sla_seconds is not None and sla_seconds <= 0:
            await flag_sla_breach(organization_id, work_order_id)
            continue
        wait = poll if sla_seconds is None else min(poll, sla_seconds)
        await DBOS.recv_async(TOPIC, timeout_seconds=wait)


async def start(organization_id: uuid.UUID, work_order_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the work order."""
    with SetWorkflowID(lifecycle.workflow_id(work_order_id)):
        await DBOS.start_workflow_async(work_order_lifecycle_v1, str(organization_id), str(work_order_id))


async def signal(work_order_id: uuid.UUID, status: str) -> None:
    """Wakes the lifecycle after a committed transition. A lost signal only delays (see the module doc)."""
    try:
        await DBOS.send_async(lifecycle.workflow_id(work_order_id), {"status": status}, topic=TOPIC)
    except Exception:
        log.warning("work_order_signal_failed", work_order_id=str(work_order_id), exc_info=True)

"""`workOrderLifecycle_v1`: follows one work order from submission to its end.

Started (with a workflow id derived from the work order) when the work order is submitted, just before that
transaction commits; its step waits until the work order is visible, so an aborted submission leaves only a
workflow that ends in error. The procedures wake it after each transition has committed, without waiting for
the wake-up to be delivered (`core.workflows.wakeups`); the workflow treats a wake-up only as such and reads the
committed status history, so a lost one (a crash between commit and send) delays a notification but loses
none. Each wake-up runs one step, which notifies only the transitions not notified yet (the workflow carries
their ids from one step to the next), all recipients of all of them in one statement, each message with a
deterministic dedupe key, so a step re-run after a crash sends nothing twice. The SLA timer is the durable
timeout of `recv`: if the work order is not completed by its due time, it is flagged breached and the managers
are notified.
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
from hestami.cam.work_order.models import StatusChange, WorkOrder
from hestami.core import runtime, workflows
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
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


def _catching_up(error: BaseException) -> bool:
    """The submitting transaction not committed yet, or the database out of reach: try again."""
    return isinstance(error, WorkOrderNotVisibleError) or _database_unavailable(error)


CATCH_UP_RETRIES: dict[str, Any] = {**OUTAGE_RETRIES, "should_retry": _catching_up}


def _sla_seconds(order: WorkOrder) -> float | None:
    """How long until the SLA is due (None when the clock is not running or the breach is flagged)."""
    if order.status not in lifecycle.SLA_RUNNING or order.sla_due_at is None or order.sla_breached:
        return None
    return (order.sla_due_at - datetime.now(UTC)).total_seconds()


@DBOS.step(name="workOrderCatchUp", **CATCH_UP_RETRIES)
async def catch_up(
    organization_id: str, work_order_id: str, notified: list[str], recipients: list[str]
) -> dict[str, Any]:
    """Notifies what is new since the last run: the transitions not in `notified` to every recipient, and a
    recipient not in `recipients` (the provider once assigned) of the earlier ones. Answers the work order's
    status, how long until its SLA is due, and the next run's `notified` and `recipients`. A run repeated after
    a crash has the same arguments, and the dedupe keys keep it from recording anything twice."""
    async with _as_system(organization_id) as ctx:
        order = await repository.work_order(ctx.session, uuid.UUID(work_order_id))
        if order is None:
            raise WorkOrderNotVisibleError(work_order_id)
        seen = [uuid.UUID(change_id) for change_id in notified]
        changes = await repository.status_changes_since(ctx.session, order.id, seen)
        if changes:
            recipients = await _notify(ctx, order, changes, seen, set(recipients))
        return {
            "status": order.status,
            "sla_seconds": _sla_seconds(order),
            "notified": [*notified, *(str(change.id) for change in changes)],
            "recipients": recipients,
        }


async def _recipients(ctx: RequestContext, order: WorkOrder) -> list[tuple[str, uuid.UUID | None]]:
    """The requestor, the managers and the assigned provider's dispatch inbox, each once, in a stable order."""
    people: dict[str, uuid.UUID | None] = {}
    managers = await identity.members_in_roles(ctx, MANAGING_ROLES)
    requestor = order.requestor_user_id
    if requestor is not None and all(user_id != requestor for user_id, _ in managers):
        email = await identity.email_of_member(ctx, requestor)
        if email:
            people[email] = requestor
    for user_id, email in managers:
        people[email] = user_id
    if order.assigned_provider_org_id is not None:
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


async def _notify(
    ctx: RequestContext, order: WorkOrder, changes: list[StatusChange], seen: list[uuid.UUID], known: set[str]
) -> list[str]:
    """One message per new change and recipient, and per earlier change (`seen`) and recipient not `known` yet,
    in one statement; the recipients are resolved once for all. Returns the recipients."""
    recipients = await _recipients(ctx, order)
    newcomers = [(recipient, user_id) for recipient, user_id in recipients if recipient not in known]
    earlier = await repository.status_changes_among(ctx.session, order.id, seen) if newcomers and seen else []
    messages = [
        _status_message(order, change, recipient, user_id)
        for change, addressed in [*((c, recipients) for c in changes), *((c, newcomers) for c in earlier)]
        for recipient, user_id in addressed
    ]
    await record_all_once(ctx.session, messages)
    return [recipient for recipient, _ in recipients]


def _status_message(
    order: WorkOrder, change: StatusChange, recipient: str, user_id: uuid.UUID | None
) -> OutboundMessage:
    payload = {"from": change.from_status, "to": change.to_status, "note": change.note}
    key = f"work_order:{order.id}:change:{change.id}:{recipient}"
    return _message(order, recipient, user_id, "work_order.status_changed", payload, key)


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
        payload = {"priority": order.priority, "sla_due_at": order.sla_due_at.isoformat(), "status": order.status}
        messages = [
            _message(
                order, email, user_id, "work_order.sla_breached", payload, f"work_order:{order.id}:sla_breached:{email}"
            )
            for user_id, email in await identity.members_in_roles(ctx, MANAGING_ROLES)
        ]
        await record_all_once(ctx.session, messages)
        log.warning("work_order_sla_breached", work_order_id=work_order_id, organization_id=organization_id)
    return True


# A lifecycle lives for days and is recovered at every restart: allow many recoveries.
@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def work_order_lifecycle_v1(organization_id: str, work_order_id: str) -> str:
    poll = runtime.current().settings.work_order_poll_seconds
    notified: list[str] = []
    recipients: list[str] = []
    while True:
        state = await catch_up(organization_id, work_order_id, notified, recipients)
        notified, recipients = state["notified"], state["recipients"]
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
    """Wakes the lifecycle after a committed transition, without waiting for the wake-up to be delivered (a
    lost one only delays: see the module doc)."""
    workflows.wakeups.post(lifecycle.workflow_id(work_order_id), TOPIC, {"status": status})

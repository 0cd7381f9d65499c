"""`massCommunicationSend_v1`: one mass communication sent in batches, on the DBOS queue `communications`.

Enqueued (id `massCommunication:<id>:send:v1`, with DBOS's enqueue delay for a scheduled one) by `send` before
its transaction commits; its first step waits (retrying) until the communication is visible. `prepare` resolves
the audience once sending is due; then `send_batch` steps each send COMMUNICATION_BATCH_SIZE deliveries in one
transaction (the outbox messages and the deliveries marked sent together), with a durable pause of
COMMUNICATION_BATCH_PAUSE_SECONDS between them, until none are pending. A step cut short by a crash committed
nothing; one that committed before DBOS recorded it finds its deliveries sent and moves on. Nobody gets two copies.
COMMUNICATION_CONCURRENCY of them run at once per process.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetEnqueueOptions, SetWorkflowID

from hestami.cam.communications import lifecycle
from hestami.cam.communications.services import sending
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.communications.mass")
WORKFLOW_NAME = "massCommunicationSend_v1"
TOPIC = "mass"
QUEUE = workflows.declare_queue(lifecycle.QUEUE, lambda settings: settings.communication_concurrency)


class MassNotVisibleError(workflows.NotCommittedYet):
    """The transaction that sent it has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(MassNotVisibleError)


@DBOS.step(name="massCommunicationPrepare", **RETRIES)
async def prepare(organization_id: str, mass_id: str) -> dict[str, Any]:
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        if not await sending.exists(ctx, uuid.UUID(mass_id)):
            raise MassNotVisibleError(mass_id)
        return await sending.prepare(ctx, uuid.UUID(mass_id), datetime.now(UTC))


@DBOS.step(name="massCommunicationBatch", **RETRIES)
async def send_batch(organization_id: str, mass_id: str) -> dict[str, Any]:
    size = runtime.current().settings.communication_batch_size
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        state = await sending.send_batch(ctx, uuid.UUID(mass_id), size)
    log.info("mass_communication_batch", mass_communication_id=mass_id, **state)
    return state


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def mass_communication_send_v1(organization_id: str, mass_id: str) -> str:
    while True:
        state = await prepare(organization_id, mass_id)
        if state["status"] != "SCHEDULED":
            break
        await DBOS.recv_async(TOPIC, timeout_seconds=state["wait"])  # early only if something woke it
    if state["status"] != "SENDING":
        return str(state["status"])
    pause = await workflows.recorded_setting("communication_batch_pause_seconds")
    while not (batch := await send_batch(organization_id, mass_id))["done"]:
        if pause:
            await DBOS.sleep_async(pause)
    return str(batch["status"])


async def enqueue(organization_id: uuid.UUID, mass_id: uuid.UUID, delay_seconds: float) -> None:
    """Idempotent: the workflow id is derived from the mass communication. Sent now, one enqueued for later (a
    scheduled communication sent now instead) is due at once."""
    with SetWorkflowID(lifecycle.workflow_id(mass_id)), SetEnqueueOptions(delay_seconds=delay_seconds or None):
        await DBOS.enqueue_workflow_async(QUEUE, mass_communication_send_v1, str(organization_id), str(mass_id))
    if not delay_seconds:
        await DBOS.set_workflow_delay_async(lifecycle.workflow_id(mass_id), delay_seconds=0)

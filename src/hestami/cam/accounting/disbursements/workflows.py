"""`apPaymentProcessing_v1`: one payment batch paid, step by step (services/processing.py).

Started (id `apPaymentBatch:<id>:processing:v1`, so starting it twice runs it once) by `process` before its
transaction commits; its first step waits (retrying) until the batch is visible as PROCESSING. Steps: the
batch's journal entry with its invoices PAID, the NACHA file, the positive-pay file, COMPLETED. Each step is one
transaction that stamps the batch; one that committed before DBOS recorded it (kill -9) runs again and finds its
stamp. The steps and their times are the batch's `steps` (`accounting/paymentBatch/v1/get`).

`AP_PAYMENT_STEP_PAUSE_SECONDS` (a setting, default 0) pauses durably between steps: the kill -9 test's window.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.accounting.disbursements import lifecycle
from hestami.cam.accounting.disbursements.models import PaymentBatch
from hestami.cam.accounting.disbursements.services import processing
from hestami.core import runtime, workflows
from hestami.core.acting import acting
from hestami.core.context import RequestContext

log = structlog.get_logger("hestami.disbursements.batches")


class BatchNotVisibleError(workflows.NotCommittedYet):
    """The transaction that started processing the batch has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(BatchNotVisibleError)
Step = Callable[[RequestContext, PaymentBatch], Awaitable[dict[str, Any]]]


async def _run(organization_id: str, batch_id: str, name: str, step: Step) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=lifecycle.WORKFLOW_NAME, organization_id=org) as ctx:
        batch = await processing.visible_batch(ctx, uuid.UUID(batch_id))
        if batch is None:
            raise BatchNotVisibleError(batch_id)
        state = await step(ctx, batch)
    log.info("ap_payment_batch_step", batch_id=batch_id, step=name, **state)
    return state


async def _nacha(ctx: RequestContext, batch: PaymentBatch) -> dict[str, Any]:
    return await processing.write_file(ctx, batch, processing.NACHA)


async def _positive_pay(ctx: RequestContext, batch: PaymentBatch) -> dict[str, Any]:
    return await processing.write_file(ctx, batch, processing.POSITIVE_PAY)


@DBOS.step(name="apPaymentPostEntry", **RETRIES)
async def post_entry(organization_id: str, batch_id: str) -> dict[str, Any]:
    return await _run(organization_id, batch_id, "POST_ENTRY", processing.post)


@DBOS.step(name="apPaymentWriteNacha", **RETRIES)
async def write_nacha(organization_id: str, batch_id: str) -> dict[str, Any]:
    return await _run(organization_id, batch_id, "WRITE_NACHA_FILE", _nacha)


@DBOS.step(name="apPaymentWritePositivePay", **RETRIES)
async def write_positive_pay(organization_id: str, batch_id: str) -> dict[str, Any]:
    return await _run(organization_id, batch_id, "WRITE_POSITIVE_PAY_FILE", _positive_pay)


@DBOS.step(name="apPaymentComplete", **RETRIES)
async def complete(organization_id: str, batch_id: str) -> dict[str, Any]:
    return await _run(organization_id, batch_id, "COMPLETE", processing.complete)


@DBOS.workflow(name=lifecycle.WORKFLOW_NAME, max_recovery_attempts=100_000)
async def ap_payment_processing_v1(organization_id: str, batch_id: str) -> str:
    pause = await workflows.recorded_setting("ap_payment_step_pause_seconds")
    state: dict[str, Any] = {}
    for step in (post_entry, write_nacha, write_positive_pay, complete):
        state = await step(organization_id, batch_id)
        if state["status"] != "PROCESSING":
            break
        await DBOS.sleep_async(pause)  # recorded only when > 0; the pause itself is replayed
    return str(state["status"])


async def start(organization_id: uuid.UUID, batch_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the batch."""
    with SetWorkflowID(lifecycle.workflow_id(batch_id)):
        await DBOS.start_workflow_async(ap_payment_processing_v1, str(organization_id), str(batch_id))

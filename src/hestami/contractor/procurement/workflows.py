"""`inventory_workflow_v1` (id `inventoryReorder:<crossing id>:v1`): one run per reorder-point crossing, started by
the inventory's hook inside the transaction of the movement that crossed (durable with it), which also records the
crossing as a PENDING reorder. Its first step reads that reorder, retrying until the transaction has committed; the
second drafts it in one transaction (`services.replenishment.draft`): the item's preferred supplier, that supplier's
open replenishment draft for the location (found or made), one line for the crossing, the outcome (DRAFTED or
NO_SUPPLIER) on the reorder. A step run again after a crash finds the reorder handled and answers it as it is; the
unique `crossing_id` of a line stands behind that."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.contractor.inventory import api as inventory
from hestami.contractor.procurement import lifecycle
from hestami.contractor.procurement.services import replenishment
from hestami.core import runtime, workflows
from hestami.core.acting import acting
from hestami.core.context import RequestContext

log = structlog.get_logger("hestami.procurement")


class ReorderNotVisibleError(workflows.NotCommittedYet):
    """The transaction that crossed the reorder point has not committed (yet); the step retries."""


@DBOS.step(name="inventoryReorderRead", **workflows.step_retries(ReorderNotVisibleError))
async def read_crossing(organization_id: str, crossing_id: str) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=lifecycle.WORKFLOW, organization_id=org) as ctx:
        reorder = await replenishment.pending(ctx, uuid.UUID(crossing_id))
        if reorder is None:
            raise ReorderNotVisibleError(crossing_id)
        return {"item_code": reorder.item_code, "location_id": str(reorder.location_id), "status": reorder.status}


@DBOS.step(name="inventoryReorderDraft", **workflows.step_retries())
async def draft_reorder(organization_id: str, crossing_id: str) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=lifecycle.WORKFLOW, organization_id=org) as ctx:
        done = await replenishment.draft(ctx, uuid.UUID(crossing_id))
    assert done is not None  # read_crossing saw it committed
    log.info("inventory_reorder", crossing_id=crossing_id, status=done.status, purchase_order_id=str(
        done.purchase_order_id))  # fmt: skip
    return {
        "status": done.status,
        "purchase_order_id": str(done.purchase_order_id) if done.purchase_order_id else None,
        "line_id": str(done.line_id) if done.line_id else None,
    }


@DBOS.workflow(name=lifecycle.WORKFLOW, max_recovery_attempts=100_000)
async def inventory_workflow_v1(organization_id: str, crossing_id: str) -> str:
    await read_crossing(organization_id, crossing_id)
    outcome = await draft_reorder(organization_id, crossing_id)
    return str(outcome["status"])


async def start(organization_id: uuid.UUID, crossing_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the crossing."""
    with SetWorkflowID(lifecycle.workflow_id(crossing_id)):
        await DBOS.start_workflow_async(inventory_workflow_v1, str(organization_id), str(crossing_id))


async def _reorder_point_crossed(ctx: RequestContext, crossing: inventory.ReorderCrossing) -> None:
    """In the crossing's transaction: the PENDING reorder, and the run that drafts it."""
    await replenishment.record_crossing(ctx, crossing)
    await start(ctx.require_org(), crossing.id)


inventory.when_reorder_point_crossed(_reorder_point_crossed)

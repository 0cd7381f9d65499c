"""`maintenance_contract_v1` (id `maintenanceAgreement:<agreement id>:v1`): one run per activated agreement, started
in the transaction that activates it (durable with it; its first turn retries until that has committed). Each turn
is one step in one transaction on the locked agreement (`services.contract.take_turn`): SLA outcomes, the term's
end (renewed into the next term, or LAPSED), the visits of the horizon as jobs, the billing periods that have begun
as invoices, the renewal notice. Between turns it waits until the agreement's next day begins (its "day" lasts
MAINTENANCE_DAY_SECONDS, recorded on the agreement when it was activated), MAINTENANCE_POLL_SECONDS at most, or a
wake-up (a renewal, a cancellation, a change). It ends once the agreement is LAPSED or CANCELLED.

The other timing settings (poll, horizon, notice days) are recorded when the run starts, so a recovered run keeps
the schedule it started with."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.contractor.invoice import api as invoices
from hestami.contractor.maintenance import lifecycle
from hestami.contractor.maintenance.services import contract
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.maintenance")
TOPIC = lifecycle.TOPIC


class AgreementNotVisibleError(workflows.NotCommittedYet):
    """The request that activated the agreement has not committed (yet); the step retries."""


workflow_id = lifecycle.workflow_id


@DBOS.step(name="maintenanceContractTiming")
async def timing() -> dict[str, Any]:
    s = runtime.current().settings
    return {"poll_seconds": s.maintenance_poll_seconds, "horizon_days": s.maintenance_horizon_days,
            "notice_days": s.maintenance_renewal_notice_days}  # fmt: skip


@DBOS.step(name="maintenanceContractTurn", **workflows.step_retries(AgreementNotVisibleError))
async def turn(organization_id: str, agreement_id: str, timed: dict[str, Any]) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=lifecycle.WORKFLOW, organization_id=org) as ctx:
        done = await contract.take_turn(ctx, uuid.UUID(agreement_id), contract.Timing(**timed), contract.now_utc())
        if done is None:
            raise AgreementNotVisibleError(agreement_id)
    if done.happened:
        log.info("maintenance_contract_turn", agreement_id=agreement_id, happened=done.happened)
    return {"status": done.status, "finished": done.finished, "wait": done.wait_seconds, "invoices": done.invoices}


@DBOS.workflow(name=lifecycle.WORKFLOW, max_recovery_attempts=100_000)
async def maintenance_contract_v1(organization_id: str, agreement_id: str) -> str:
    timed = await timing()
    while True:
        state = await turn(organization_id, agreement_id, timed)
        for invoice_id in state["invoices"]:  # billed in the turn, committed with it: each run started once
            await invoices.start_payment_run(uuid.UUID(organization_id), uuid.UUID(invoice_id))
        if state["finished"]:
            return str(state["status"])
        await DBOS.recv_async(TOPIC, timeout_seconds=max(float(state["wait"]), 0.05))


async def start(organization_id: uuid.UUID, agreement_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the agreement."""
    with SetWorkflowID(workflow_id(agreement_id)):
        await DBOS.start_workflow_async(maintenance_contract_v1, str(organization_id), str(agreement_id))


async def wake(agreement_id: uuid.UUID) -> None:
    """Wakes the agreement's run (a lost wake-up only delays it to the next day or poll: each turn reads committed
    state)."""
    workflows.wakeups.post(workflow_id(agreement_id), TOPIC, {"wake": True})

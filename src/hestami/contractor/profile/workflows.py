"""`compliance_workflow_v1`: one contractor's compliance check on a day, and the daily schedule that runs it for every
contractor (CONTRACTOR_COMPLIANCE_CRON).

The check of an organization on a day runs once (workflow id `contractorCompliance:<org>:<day>:v1`; the contractor's
own `contractor/compliance/v1/check` starts another, named after its request). `check` records the status as of
the day in the contractor's own scope, as the system (insurance that expired yesterday makes it NON_COMPLIANT
today), sends the expiry notices due (30, 14 and 1 days before) and, while non-compliant, the contractor's own
notice and the associations linked to it; `notify` then tells each association's management, in the
association's organization. Every message has a dedupe key (document, expiry and threshold; provider,
association and the day the episode began), so a step that runs again after a kill -9 sends nothing twice, and
neither does the next day's check of the same episode. CONTRACTOR_COMPLIANCE_STEP_PAUSE_SECONDS (recorded when the
check starts, default 0) pauses durably between the check and the notices: the kill -9 test's window.

The daily schedule lists the organizations with a contractor profile (the SECURITY DEFINER function of migration
0034) and enqueues each one's check on the queue `contractor-compliance`."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID, WorkflowHandleAsync

from hestami.cam.work_order import api as work_orders
from hestami.contractor.profile import repository
from hestami.contractor.profile.services import compliance
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.contractor")
WORKFLOW = "compliance_workflow_v1"
SCHEDULE_WORKFLOW = "contractorComplianceSchedule_v1"
QUEUE = workflows.declare_queue("contractor-compliance", lambda settings: 2)
RETRIES = workflows.step_retries()


def workflow_id(organization_id: uuid.UUID | str, day: date, run: str = "daily") -> str:
    suffix = "" if run == "daily" else f":{run}"
    return f"contractorCompliance:{organization_id}:{day.isoformat()}{suffix}:v1"


@DBOS.step(name="contractorComplianceOrganizations", **RETRIES)
async def organizations() -> list[str]:
    async with acting(runtime.current(), procedure=SCHEDULE_WORKFLOW, organization_id=None) as ctx:
        return [str(org) for org in await repository.contractor_organizations(ctx.session)]


@DBOS.step(name="contractorComplianceCheck", **RETRIES)
async def check(organization_id: str, day: str) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=WORKFLOW, organization_id=org) as ctx:
        outcome = await compliance.daily_check(ctx, date.fromisoformat(day))
    log.info("contractor_compliance_checked", organization_id=organization_id, day=day, status=outcome["status"])
    return outcome


@DBOS.step(name="contractorComplianceNotify", **RETRIES)
async def notify(
    association_org: str, association_id: str, provider_org: str, since: str, reasons: list[dict[str, Any]]
) -> int:
    org = uuid.UUID(association_org)
    async with acting(runtime.current(), procedure=WORKFLOW, organization_id=org) as ctx:
        return await work_orders.notify_provider_non_compliant(
            ctx, uuid.UUID(association_id), uuid.UUID(provider_org), date.fromisoformat(since),
            compliance.issues_from(reasons),
        )  # fmt: skip


@DBOS.workflow(name=WORKFLOW, max_recovery_attempts=100_000)
async def compliance_workflow_v1(organization_id: str, day: str) -> dict[str, Any]:
    pause = await workflows.recorded_setting("contractor_compliance_step_pause_seconds")
    outcome = await check(organization_id, day)
    if pause:
        await DBOS.sleep_async(pause)
    told = 0
    if outcome["status"] == "NON_COMPLIANT":
        for association_org, association_id in outcome["links"]:
            told += await notify(association_org, association_id, organization_id, outcome["since"], outcome["issues"])
    return {"status": outcome["status"], "since": outcome["since"], "associations_told": told}


async def start(organization_id: uuid.UUID, day: date, run: str = "daily") -> WorkflowHandleAsync[dict[str, Any]]:
    """Starts (or finds) the organization's check of `day`; `run` names a check other than the daily one."""
    with SetWorkflowID(workflow_id(organization_id, day, run)):
        return await DBOS.start_workflow_async(compliance_workflow_v1, str(organization_id), day.isoformat())


async def run_for(day: date, only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """The day's checks of every contractor (or those in `only`), each once, with their outcomes."""
    outcomes = {}
    for organization_id in await organizations():
        if only is None or organization_id in only:
            handle = await start(uuid.UUID(organization_id), day)
            outcomes[organization_id] = await handle.get_result()
    return outcomes


@DBOS.workflow(name=SCHEDULE_WORKFLOW)
async def compliance_schedule_v1(scheduled_time: datetime, context: Any) -> None:
    """Scheduled daily (CONTRACTOR_COMPLIANCE_CRON): every contractor's check of that day, enqueued."""
    day = scheduled_time.date()
    for organization_id in await organizations():
        with SetWorkflowID(workflow_id(organization_id, day)):
            await DBOS.enqueue_workflow_async(QUEUE, compliance_workflow_v1, organization_id, day.isoformat())


SCHEDULE = workflows.declare_schedule(
    SCHEDULE_WORKFLOW, compliance_schedule_v1, lambda settings: settings.contractor_compliance_cron
)

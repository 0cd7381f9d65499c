"""`compliance_workflow_v1`: the daily re-check of every contractor's documents (CONTRACTOR_COMPLIANCE_CRON).

One run per day (workflow id `contractorCompliance:<day>:v1`, so a day is checked once however often it is
started). A step lists the organizations with a contractor profile (the SECURITY DEFINER function of migration
0034), then for each, in its own scope as the system: `check` records its status as of the day (a document that
expired yesterday makes it NON_COMPLIANT today), sends the expiry notices due (30, 14 and 1 days before) and, while
non-compliant, its own notice and the list of associations linked to it; `notify` then tells each association's
management, in the association's organization. Every message has a dedupe key (document, expiry and threshold;
provider, association and the day the episode began), so a step that runs again after a kill -9 sends nothing
twice. CONTRACTOR_COMPLIANCE_STEP_PAUSE_SECONDS (recorded when the run starts, default 0) pauses durably after
each contractor's check: the kill -9 test's window."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.work_order import api as work_orders
from hestami.contractor.profile import repository
from hestami.contractor.profile.services import compliance
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.contractor")
WORKFLOW = "compliance_workflow_v1"
RETRIES = workflows.step_retries()


def workflow_id(day: date) -> str:
    return f"contractorCompliance:{day.isoformat()}:v1"


@DBOS.step(name="contractorComplianceOrganizations", **RETRIES)
async def organizations() -> list[str]:
    async with acting(runtime.current(), procedure=WORKFLOW, organization_id=None) as ctx:
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
async def compliance_workflow_v1(day: str) -> dict[str, int]:
    pause = await workflows.recorded_setting("contractor_compliance_step_pause_seconds")
    checked = non_compliant = told = 0
    for organization_id in await organizations():
        outcome = await check(organization_id, day)
        checked += 1
        if pause:
            await DBOS.sleep_async(pause)
        if outcome["status"] != "NON_COMPLIANT":
            continue
        non_compliant += 1
        for association_org, association_id in outcome["links"]:
            told += await notify(association_org, association_id, organization_id, outcome["since"], outcome["issues"])
    return {"checked": checked, "non_compliant": non_compliant, "association_notices": told}


async def run_for(day: date) -> dict[str, int]:
    """The day's check (once per day: a second start returns the first run's outcome)."""
    with SetWorkflowID(workflow_id(day)):
        handle = await DBOS.start_workflow_async(compliance_workflow_v1, day.isoformat())
    result: dict[str, int] = await handle.get_result()
    return result


@DBOS.workflow(name="contractorComplianceSchedule_v1")
async def compliance_schedule_v1(scheduled_time: datetime, context: Any) -> None:
    """Scheduled daily (CONTRACTOR_COMPLIANCE_CRON): that day's `compliance_workflow_v1`."""
    await run_for(scheduled_time.date())


SCHEDULE = workflows.declare_schedule(
    "contractorComplianceSchedule_v1", compliance_schedule_v1, lambda settings: settings.contractor_compliance_cron
)

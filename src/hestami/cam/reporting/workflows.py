"""`reportGeneration_v1`: one report run generated (services/generation.py), on the DBOS queue `reports`
(REPORT_CONCURRENCY at once per process); and `reportSchedules_v1`, the daily schedule (REPORT_SCHEDULE_CRON) that
makes each due schedule's run and enqueues it.

A run's workflow id comes from the run (`reportRun:<id>:generation:v1`), so starting it twice runs it once. It is
enqueued by `report/v1/generate` before that request's transaction commits; its first step (`begin`) waits,
retrying, until the run is visible and moves it to RUNNING. After a durable pause (REPORT_STEP_PAUSE_SECONDS, a
setting recorded when the workflow starts, default 0: the kill -9 test's window), `produce` generates and stores the
report as the requester, or records it FAILED. A kill -9 during `produce` loses only the uncommitted file; DBOS
recovers the workflow and the step runs again (a run it finds finished it leaves alone).

`run_schedules_for(day)` drives one day of schedules (tests, a missed day): for every organization with an active
schedule, one step in its scope makes the runs that fall due (at most one per schedule and due date), which are
then enqueued."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.reporting import lifecycle, repository
from hestami.cam.reporting.services import generation, schedules
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.reporting")
QUEUE = workflows.declare_queue("reports", lambda settings: settings.report_concurrency)


RunNotVisibleError = generation.RunNotVisibleError
RETRIES = workflows.step_retries(RunNotVisibleError)


@DBOS.step(name="reportGenerationBegin", **RETRIES)
async def begin(organization_id: str, run_id: str) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=lifecycle.GENERATION_WORKFLOW, organization_id=org) as ctx:
        found = await generation.begin(ctx, uuid.UUID(run_id))
    if found is None:
        raise RunNotVisibleError(run_id)
    return found


@DBOS.step(name="reportGenerationProduce", **RETRIES)
async def produce(organization_id: str, run_id: str) -> dict[str, Any]:
    return await generation.produce(uuid.UUID(organization_id), uuid.UUID(run_id))


@DBOS.workflow(name=lifecycle.GENERATION_WORKFLOW, max_recovery_attempts=100_000)
async def report_generation_v1(organization_id: str, run_id: str) -> str:
    pause = await workflows.recorded_setting("report_step_pause_seconds")
    state = await begin(organization_id, run_id)
    if state["status"] == "RUNNING":
        if pause:
            await DBOS.sleep_async(pause)
        state = await produce(organization_id, run_id)
    return str(state["status"])


async def start(organization_id: uuid.UUID, run_id: uuid.UUID) -> None:
    """Enqueued on `reports`; idempotent: the workflow id is derived from the run."""
    with SetWorkflowID(lifecycle.workflow_id(run_id)):
        await DBOS.enqueue_workflow_async(QUEUE, report_generation_v1, str(organization_id), str(run_id))


@DBOS.step(name="reportScheduleOrganizations", **RETRIES)
async def organizations() -> list[str]:
    async with acting(runtime.current(), procedure=lifecycle.SCHEDULES_WORKFLOW, organization_id=None) as ctx:
        return [str(org) for org in await repository.schedule_organizations(ctx.session)]


@DBOS.step(name="reportScheduleDay", **RETRIES)
async def organization_day(organization_id: str, day: str) -> list[str]:
    """The organization's schedules due on `day`: their runs (new, or made earlier that day and not finished)."""
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=lifecycle.SCHEDULES_WORKFLOW, organization_id=org) as ctx:
        runs = await schedules.due_runs(ctx, date.fromisoformat(day))
    log.info("report_schedule_day", organization_id=organization_id, day=day, runs=len(runs))
    return [str(run_id) for run_id in runs]


async def run_schedules_for(day: date, only: set[str] | None = None) -> list[str]:
    """The schedules of `day` for every organization (or those in `only`): their runs made and enqueued. Returns
    the runs' ids (new, or unfinished ones made before for that day)."""
    enqueued: list[str] = []
    for organization_id in await organizations():
        if only is not None and organization_id not in only:
            continue
        for run_id in await organization_day(organization_id, day.isoformat()):
            await start(uuid.UUID(organization_id), uuid.UUID(run_id))
            enqueued.append(run_id)
    return enqueued


@DBOS.workflow(name=lifecycle.SCHEDULES_WORKFLOW)
async def report_schedules_v1(scheduled_time: datetime, context: Any) -> None:
    """Scheduled daily (REPORT_SCHEDULE_CRON): the runs of the schedules due that day."""
    await run_schedules_for(scheduled_time.date())


SCHEDULE = workflows.declare_schedule(
    lifecycle.SCHEDULES_WORKFLOW, report_schedules_v1, lambda settings: settings.report_schedule_cron
)

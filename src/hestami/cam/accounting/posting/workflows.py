"""`assessmentPosting_v1`: one posting run (an assessment type's period billed to every unit) in batches, on the
DBOS queue `assessment-posting` (POSTING_CONCURRENCY at once per process), and the daily schedule that starts them.

A run's workflow id comes from its subject, `assessmentPosting:<assessment type>:<due date>:v1`, so starting it
twice (by hand, by the schedule, after a crash) runs it once. `prepare` fixes the units; each `post_batch` step
bills POSTING_BATCH_SIZE of them in one transaction that also moves the run's progress past them (see
`services.batches`), with an optional durable pause between batches, until the run is COMPLETED. A kill -9 mid-run
loses at most the batch in flight, which committed nothing; DBOS recovers the workflow and it bills the rest.

A step that fails for good (anything but the database out of reach, which its retries wait out and, past them, the
workflow too: `OUTAGE_PAUSE_SECONDS` between tries) ends the run FAILED with why, in one transaction
(`record_failure`), and the workflow returns "FAILED". `accounting/posting/v1/start` then gives the run its next
attempt, a workflow of its own (`…:v1:attempt<n>`), which carries on from the units the failed one got through.

`assessmentCalendar_v1` runs every day (POSTING_CRON, a DBOS schedule): for every organization with periodic
assessment types, one step in that organization's scope starts the runs that fall due that day, charges the late
fees past their grace period and takes the collection steps due (`services.calendar.run_day`), then the runs are
enqueued. `run_day_for` does the same for a given date (tests, a missed day).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.accounting.posting import repository
from hestami.cam.accounting.posting.services import batches, calendar
from hestami.core import runtime, workflows
from hestami.core.acting import acting
from hestami.core.errors import DomainError, ErrorCode, HestamiError

log = structlog.get_logger("hestami.accounting.posting")
WORKFLOW_NAME = "assessmentPosting_v1"
CALENDAR_NAME = "assessmentCalendar_v1"
QUEUE = workflows.declare_queue("assessment-posting", lambda settings: settings.posting_concurrency)
OUTAGE_PAUSE_SECONDS = 30.0
"""How long the workflow sleeps (durably) when a step's retries ran out on a database still out of reach."""
UNEXPECTED = "The batch failed unexpectedly; the server log has the details."


def workflow_id(assessment_type_id: object, due_date: date, attempt: int = 1) -> str:
    first = f"assessmentPosting:{assessment_type_id}:{due_date.isoformat()}:v1"
    return first if attempt == 1 else f"{first}:attempt{attempt}"


class RunNotVisibleError(workflows.NotCommittedYet):
    """The transaction that started the run has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(RunNotVisibleError)


@DBOS.step(name="assessmentPostingPrepare", **RETRIES)
async def prepare(organization_id: str, run_id: str) -> dict[str, Any]:
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        if not await batches.exists(ctx, uuid.UUID(run_id)):
            raise RunNotVisibleError(run_id)
        return await batches.prepare(ctx, uuid.UUID(run_id))


@DBOS.step(name="assessmentPostingBatch", **RETRIES)
async def post_batch(organization_id: str, run_id: str) -> dict[str, Any]:
    size = runtime.current().settings.posting_batch_size
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        progress = await batches.post_batch(ctx, uuid.UUID(run_id), size)
    log.info("assessment_posting_batch", run_id=run_id, **progress)
    return progress


@DBOS.step(name="assessmentPostingFailed", **RETRIES)
async def record_failure(organization_id: str, run_id: str, attempt: int, code: str, message: str) -> dict[str, Any]:
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        return await batches.fail(ctx, uuid.UUID(run_id), attempt, code, message)


def failure(error: Exception) -> tuple[str, str]:
    """(code, message) of a step's final error as the run records it: a domain error's reason, a platform error's
    code, and their messages; anything else is INTERNAL_ERROR, its details left to the log."""
    if isinstance(error, DomainError) and isinstance(error.details, dict) and "reason" in error.details:
        return str(error.details["reason"]), error.message
    if isinstance(error, HestamiError):
        return error.code.value, error.message
    return ErrorCode.INTERNAL_ERROR.value, UNEXPECTED


def _an_outage(error: Exception) -> bool:
    """DBOS's "retries exceeded" (its `errors`: one per try) where every try found the database out of reach."""
    tries = getattr(error, "errors", None)
    return isinstance(tries, list) and bool(tries) and all(map(workflows.database_unavailable, tries))


async def _through_outages(step: Any, organization_id: str, run_id: str) -> dict[str, Any]:
    """The step's answer; while its retries run out on the database out of reach, it tries again after a pause."""
    while True:
        try:
            answer: dict[str, Any] = await step(organization_id, run_id)
            return answer
        except Exception as error:
            if not _an_outage(error):
                raise
            log.warning("assessment_posting_waits_for_the_database", run_id=run_id)
            await DBOS.sleep_async(OUTAGE_PAUSE_SECONDS)


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def assessment_posting_v1(organization_id: str, run_id: str, attempt: int = 1) -> str:
    try:
        progress = await _through_outages(prepare, organization_id, run_id)
        pause = await workflows.recorded_setting("posting_batch_pause_seconds")
        while not progress["done"]:
            progress = await _through_outages(post_batch, organization_id, run_id)
            if pause and not progress["done"]:
                await DBOS.sleep_async(pause)
    except Exception as error:
        code, message = failure(error)
        log.warning("assessment_posting_failed", run_id=run_id, attempt=attempt, code=code, exc_info=error)
        progress = await record_failure(organization_id, run_id, attempt, code, message)
    return str(progress["status"])


async def enqueue(
    organization_id: uuid.UUID, run_id: uuid.UUID, assessment_type_id: uuid.UUID, due: date, attempt: int = 1
) -> None:
    """Idempotent: the workflow id comes from the run's assessment type, due date and attempt."""
    with SetWorkflowID(workflow_id(assessment_type_id, due, attempt)):
        await DBOS.enqueue_workflow_async(QUEUE, assessment_posting_v1, str(organization_id), str(run_id), attempt)


@DBOS.step(name="assessmentCalendarOrganizations", **RETRIES)
async def organizations() -> list[str]:
    async with acting(runtime.current(), procedure=CALENDAR_NAME, organization_id=None) as ctx:
        return [str(org) for org in await repository.posting_organizations(ctx.session)]


@DBOS.step(name="assessmentCalendarDay", **RETRIES)
async def organization_day(organization_id: str, day: str) -> list[list[str]]:
    """The organization's day: runs started (as [run id, type id, due date, attempt]), late fees, collection steps."""
    async with acting(runtime.current(), procedure=CALENDAR_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        days = await calendar.run_day(ctx, date.fromisoformat(day))
    log.info("assessment_calendar_day", organization_id=organization_id, day=day, associations=len(days))
    return [
        [str(run.id), str(run.assessment_type_id), run.due_date.isoformat(), str(run.attempt)]
        for d in days
        for run in d.runs
    ]


async def run_day_for(day: date, only: set[str] | None = None) -> int:
    """The calendar of `day` for every organization (or those in `only`): the runs due started (enqueued), fees
    and steps taken. Returns how many runs were enqueued (new or unfinished)."""
    enqueued = 0
    for organization_id in await organizations():
        if only is not None and organization_id not in only:
            continue
        for run_id, type_id, due, *attempt in await organization_day(organization_id, day.isoformat()):
            # `attempt` is absent from a day recorded before runs had attempts (a calendar recovered mid-way)
            await enqueue(uuid.UUID(organization_id), uuid.UUID(run_id), uuid.UUID(type_id), date.fromisoformat(due),
                          int(attempt[0]) if attempt else 1)  # fmt: skip
            enqueued += 1
    return enqueued


@DBOS.workflow(name=CALENDAR_NAME)
async def assessment_calendar_v1(scheduled_time: datetime, context: Any) -> None:
    """Scheduled daily (POSTING_CRON): the day's posting runs, late fees and collection steps."""
    await run_day_for(scheduled_time.date())


SCHEDULE = workflows.declare_schedule(CALENDAR_NAME, assessment_calendar_v1, lambda settings: settings.posting_cron)

"""Schedules: a report generated on a calendar (MONTHLY on a day 1-28, QUARTERLY on that day of January, April, July
and October, WEEKLY on a weekday) as the schedule's creator and delivered to its recipients (members of the
organization) through the outbox. Making one needs Cerbos `report_schedule` create and that the creator may
generate the report now (`report_run` create); each run checks the latter again, as the creator."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from hestami.cam.reporting import kinds, lifecycle, repository
from hestami.cam.reporting.errors import ReportingReason, rule
from hestami.cam.reporting.models import ReportSchedule
from hestami.cam.reporting.schemas import ListSchedules, Schedule, ScheduleOut, SchedulesOut
from hestami.cam.reporting.services.subjects import authorize_generation, run_values, subject
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError
from hestami.identity.services import organizations as identity


def output(schedule: ReportSchedule) -> ScheduleOut:
    return records.output(ScheduleOut, schedule)


async def _check_recipients(ctx: RequestContext, recipients: list[uuid.UUID]) -> None:
    errors = [
        FieldError(f"/recipients/{index}", "Not a member of the organization.", "not_a_member")
        for index, user_id in enumerate(recipients)
        if await identity.member_roles(ctx, user_id) is None
    ]
    if errors:
        raise HestamiError(ErrorCode.VALIDATION_FAILED, "Recipients must be members of the organization.",
                           field_errors=errors)  # fmt: skip


async def create(ctx: RequestContext, data: Schedule) -> ScheduleOut:
    found = await subject(ctx, data.report, data.parameters)
    await authorize_generation(ctx, found)
    await _check_recipients(ctx, data.recipients)
    assert ctx.user_id is not None
    values = run_values(ctx, found, data.format)
    schedule = ReportSchedule(
        **values, frequency=data.frequency, day_of_month=data.day_of_month, weekday=data.weekday,
        recipients=list(dict.fromkeys(data.recipients)), status="ACTIVE", created_by=ctx.user_id,
    )  # fmt: skip
    return output(await records.create(ctx, kinds.REPORT_SCHEDULE, schedule))


async def list_schedules(ctx: RequestContext, data: ListSchedules) -> SchedulesOut:
    filters = []
    if data.association_id is not None:
        filters.append(ReportSchedule.association_id == data.association_id)
    if data.status is not None:
        filters.append(ReportSchedule.status == data.status)
    items, cursor = await records.page(ctx, kinds.REPORT_SCHEDULE, data, *filters)
    return SchedulesOut(items=[output(s) for s in items], next_cursor=cursor)


async def cancel(ctx: RequestContext, schedule_id: uuid.UUID) -> ScheduleOut:
    schedule = await records.load(ctx, kinds.REPORT_SCHEDULE, schedule_id, "cancel", lock=True)
    if schedule.status != "ACTIVE":
        raise rule(ReportingReason.SCHEDULE_CANCELLED, "The schedule is already cancelled.")
    changes = {"status": "CANCELLED", "cancelled_at": datetime.now(UTC), "cancelled_by": ctx.user_id}
    return output(await records.change(ctx, kinds.REPORT_SCHEDULE, schedule, changes, action="cancelled"))


async def due_runs(ctx: RequestContext, day: date) -> list[uuid.UUID]:
    """As the system in one organization: a QUEUED run for each active schedule due on `day` (made on or before
    it) that has none for that day yet, as its creator; with the unfinished runs made for that day before (a
    schedule day that crashed after making them). The run ids to enqueue."""
    runs: list[uuid.UUID] = []
    for schedule in await repository.active_schedules(ctx.session):
        if schedule.created_at.date() > day:
            continue
        if not lifecycle.due_on(day, schedule.frequency, schedule.day_of_month, schedule.weekday):
            continue
        values = {
            "organization_id": schedule.organization_id, "association_id": schedule.association_id,
            "unit_id": schedule.unit_id, "report": schedule.report, "title": schedule.title,
            "category": schedule.category, "scope": schedule.scope, "parameters": schedule.parameters,
            "format": schedule.format, "status": "QUEUED", "requested_by": schedule.created_by,
            "schedule_id": schedule.id, "due_on": day,
        }  # fmt: skip
        run_id = await repository.add_scheduled_run(ctx.session, values)
        if run_id is None:
            existing = await repository.scheduled_run(ctx.session, schedule.id, day)
            if existing is None or existing.status in lifecycle.FINISHED:
                continue
            run_id = existing.id
        runs.append(run_id)
    return runs

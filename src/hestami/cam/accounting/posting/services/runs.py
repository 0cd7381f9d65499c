"""Posting runs started by hand, their progress, the collection steps taken, and the calendar settings."""

from __future__ import annotations

import uuid

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting.posting import kinds, repository, rules, workflows
from hestami.cam.accounting.posting.errors import PostingReason, rule
from hestami.cam.accounting.posting.models import CollectionStep, PostingRun
from hestami.cam.accounting.posting.schemas import (
    CollectionStepOut,
    DailyOut,
    Escalate,
    ListCollections,
    ListRuns,
    RunOut,
    SetSettings,
    SettingsIn,
    SettingsOut,
    StartRun,
)
from hestami.cam.accounting.posting.services import batches, calendar
from hestami.cam.accounting.services.receivables import PERIOD_KINDS
from hestami.cam.association import api as association_api
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page


def run_out(run: PostingRun) -> RunOut:
    """The run without its list of units (a deferred column, not loaded)."""
    fields = {name: getattr(run, name) for name in RunOut.model_fields if name != "workflow_id"}
    workflow_id = workflows.workflow_id(run.assessment_type_id, run.due_date, run.attempt)
    return RunOut.model_validate({**fields, "workflow_id": workflow_id})


def _enqueue_after_commit(ctx: RequestContext, run: PostingRun) -> None:
    organization_id, run_id, type_id, due = run.organization_id, run.id, run.assessment_type_id, run.due_date
    attempt = run.attempt
    ctx.after_commit(lambda: workflows.enqueue(organization_id, run_id, type_id, due, attempt))


async def start(ctx: RequestContext, data: StartRun) -> RunOut:
    """The type's run for the due date (made QUEUED unless it exists; a FAILED one takes its next attempt), its
    workflow enqueued once committed."""
    atype = await records.load(ctx, accounting_kinds.ASSESSMENT_TYPE, data.assessment_type_id)
    await records.authorize_new(ctx, kinds.POSTING_RUN, "create")
    if atype.kind not in PERIOD_KINDS:
        raise rule(PostingReason.NOT_A_PERIODIC_ASSESSMENT, "Only REGULAR and SPECIAL assessments are posted by runs.")
    if not atype.is_active:
        raise rule(PostingReason.INACTIVE_TYPE, "The assessment type is not active.")
    amount = data.amount if data.amount is not None else atype.amount
    if amount <= 0:
        raise rule(PostingReason.NO_AMOUNT, "The assessment type has no amount; give one.")
    cal = await calendar.calendar_of(ctx, atype.association_id)
    values = {
        "trigger": "MANUAL", "allocation": data.allocation or cal.allocation, "amount": amount,
        "description": data.description or atype.name, "started_by": ctx.user_id,
    }  # fmt: skip
    run, _ = await calendar.open_run(ctx, atype.id, atype.association_id, data.due_date, values)
    if run.status == "FAILED":
        await ctx.session.refresh(run, with_for_update=True)  # one restart of two at once
        if run.status == "FAILED":
            batches.restart(ctx, run)
            await ctx.session.flush()
    if run.status != "COMPLETED":
        _enqueue_after_commit(ctx, run)
    return run_out(run)


async def get(ctx: RequestContext, run_id: uuid.UUID) -> RunOut:
    return run_out(await records.load(ctx, kinds.POSTING_RUN, run_id))


async def list_runs(ctx: RequestContext, data: ListRuns) -> Page[RunOut]:
    filters = []
    if data.association_id:
        filters.append(PostingRun.association_id == data.association_id)
    if data.assessment_type_id:
        filters.append(PostingRun.assessment_type_id == data.assessment_type_id)
    if data.status:
        filters.append(PostingRun.status == data.status)
    items, cursor = await records.page(ctx, kinds.POSTING_RUN, data, *filters)
    return Page[RunOut](items=[run_out(run) for run in items], next_cursor=cursor)


async def collections(ctx: RequestContext, data: ListCollections) -> Page[CollectionStepOut]:
    filters = []
    if data.association_id:
        filters.append(CollectionStep.association_id == data.association_id)
    if data.unit_id:
        filters.append(CollectionStep.unit_id == data.unit_id)
    items, cursor = await records.page(ctx, kinds.COLLECTION_STEP, data, *filters)
    return Page[CollectionStepOut](items=[CollectionStepOut.model_validate(s) for s in items], next_cursor=cursor)


async def escalate(ctx: RequestContext, data: Escalate) -> DailyOut:
    association = await association_api.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.COLLECTION_STEP, "create")
    await records.authorize_new(ctx, accounting_kinds.ASSESSMENT_CHARGE, "apply_late_fees")
    day = await calendar.escalate(ctx, association, data.as_of, calendar.Day(association.id, data.as_of), decided=False)
    return DailyOut(association_id=association.id, as_of=data.as_of, runs_started=[], late_fees=day.late_fees,
                    collection_steps=day.collection_steps)  # fmt: skip


def _settings_out(association_id: uuid.UUID, cal: rules.Calendar) -> SettingsOut:
    return SettingsOut(
        association_id=association_id, due_day=cal.due_day, reminder_days=cal.reminder_days,
        late_notice_days=cal.late_notice_days, intent_to_lien_days=cal.intent_to_lien_days,
        allocation=cal.allocation,
    )  # fmt: skip


async def get_settings(ctx: RequestContext, data: SettingsIn) -> SettingsOut:
    await association_api.load_association(ctx, data.association_id)
    return _settings_out(data.association_id, await calendar.calendar_of(ctx, data.association_id))


async def set_settings(ctx: RequestContext, data: SetSettings) -> SettingsOut:
    await association_api.load_association(ctx, data.association_id, "update")
    if not data.reminder_days < data.late_notice_days < data.intent_to_lien_days:
        raise rule(
            PostingReason.STEP_DAYS_OUT_OF_ORDER,
            "Days past due must grow from the reminder to the late notice to the intent to lien.",
        )
    before = await calendar.calendar_of(ctx, data.association_id)
    values = data.model_dump()
    await repository.save_settings(ctx.session, ctx.require_org(), values)
    audit.record(ctx, "assessment_posting_settings.updated", "association", data.association_id,
                 before=_settings_out(data.association_id, before).model_dump(mode="json"),
                 after=data.model_dump(mode="json"))  # fmt: skip
    return _settings_out(data.association_id, await calendar.calendar_of(ctx, data.association_id))

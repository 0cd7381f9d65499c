"""Domain 4's procedures: `violation/v1/*`, `violationType/v1/*`, `violationSettings/v1/*`."""

from __future__ import annotations

from hestami.cam.violations.schemas import (
    ById,
    Close,
    CreateViolation,
    CreateViolationType,
    GetViolationSettings,
    HearingOut,
    ListViolations,
    ListViolationTypes,
    NoticeOut,
    NoticesOut,
    Resolve,
    ScheduleHearing,
    SendNotice,
    UpdateViolation,
    UpdateViolationSettings,
    UpdateViolationType,
    ViolationOut,
    ViolationSettingsOut,
    ViolationsOut,
    ViolationTypeOut,
)
from hestami.cam.violations.services import hearings, notices, setup, violations
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter

violation = ProcedureRouter("violation")
violation_type = ProcedureRouter("violationType", tags=("violation",))
violation_settings = ProcedureRouter("violationSettings", tags=("violation",))


# --- settings and types ----------------------------------------------------------------------------------------


@violation_settings.query("get")
async def get_settings(ctx: RequestContext, data: GetViolationSettings) -> ViolationSettingsOut:
    """An association's violation settings: cure days after the courtesy, first and second notices, the hearing's
    notice days, appeal days, the repeat window, the fine cap per violation, who hears, how notices are delivered.
    The platform's defaults (DOMAIN-NOTES) until the association changes them (`customized`)."""
    return await setup.get_settings(ctx, data.association_id)


@violation_settings.mutation("update")
async def update_settings(ctx: RequestContext, data: UpdateViolationSettings) -> ViolationSettingsOut:
    """Change some settings. Violations already recorded keep the settings they were recorded with."""
    return await setup.update_settings(ctx, data)


@violation_type.mutation("create")
async def create_type(ctx: RequestContext, data: CreateViolationType) -> ViolationTypeOut:
    """A rule the association enforces (code unique per association), its CC&R or rules reference, its default
    cure days and fine schedule (first, repeat, daily while it continues, cap)."""
    return await setup.create_type(ctx, data)


@violation_type.mutation("update")
async def update_type(ctx: RequestContext, data: UpdateViolationType) -> ViolationTypeOut:
    """Change a type; `active: false` retires it (no new violations of it)."""
    return await setup.update_type(ctx, data)


@violation_type.query("get")
async def get_type(ctx: RequestContext, data: ById) -> ViolationTypeOut:
    """One violation type."""
    return await setup.get_type(ctx, data.id)


@violation_type.query("list")
async def list_types(ctx: RequestContext, data: ListViolationTypes) -> Page[ViolationTypeOut]:
    """The violation types, of one association or all."""
    return await setup.list_types(ctx, data)


# --- violations --------------------------------------------------------------------------------------------------


@violation.mutation("create")
async def create(ctx: RequestContext, data: CreateViolation) -> ViolationOut:
    """Record a violation on a unit (numbered VIO-000001 per organization). A violation of the same type on the same
    unit within the repeat window is a repeat (the repeat fine applies). Starts `violationLifecycle_v1`, which sends
    the courtesy notice at once and the next notices when cure dates pass uncured."""
    return await violations.create(ctx, data)


@violation.query("get")
async def get(ctx: RequestContext, data: ById) -> ViolationOut:
    """A violation with its status history. Owners see the violations of their own units."""
    return await violations.get(ctx, data.id)


@violation.query("list")
async def list_violations(ctx: RequestContext, data: ListViolations) -> ViolationsOut:
    """Violations the caller may see, by association, unit and status."""
    return await violations.list_violations(ctx, data)


@violation.mutation("update")
async def update(ctx: RequestContext, data: UpdateViolation) -> ViolationOut:
    """Correct the description or location (not once closed)."""
    return await violations.update(ctx, data)


@violation.mutation("sendNotice")
async def send_notice(ctx: RequestContext, data: SendNotice) -> NoticeOut:
    """Send the next notice of the sequence now (courtesy, first or second), without waiting for the cure date:
    rendered to PDF (kept as a document of the violation) and delivered by each method, once per recipient."""
    return await notices.send_notice(ctx, data)


@violation.query("listNotices")
async def list_notices(ctx: RequestContext, data: ById) -> NoticesOut:
    """The notices sent, in order: step, delivery methods, recipients, cure date or hearing date, the letter."""
    return await notices.list_notices(ctx, data.id)


@violation.mutation("scheduleHearing")
async def schedule_hearing(ctx: RequestContext, data: ScheduleHearing) -> HearingOut:
    """Schedule the hearing and send its notice. Refused (HEARING_TOO_SOON, with `details.earliest`) when the owner
    would have fewer than the required notice days."""
    return await hearings.schedule_hearing(ctx, data)


@violation.mutation("resolve")
async def resolve(ctx: RequestContext, data: Resolve) -> ViolationOut:
    """Mark a violation CURED or DISMISSED: the notice sequence stops and a scheduled hearing is cancelled."""
    return await violations.resolve(ctx, data)


@violation.mutation("close")
async def close(ctx: RequestContext, data: Close) -> ViolationOut:
    """Close a fined, cured or dismissed violation with its resolution."""
    return await violations.close(ctx, data)


ROUTERS = [violation, violation_type, violation_settings]

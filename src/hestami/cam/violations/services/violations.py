"""Violations: recorded against a unit under one of the association's types (a repeat within the window is marked,
and picks the repeat fine), numbered per organization, moved through the lifecycle in one place (`move`), each
move written once to the status history and the audit trail. The settings that applied are copied onto the
violation when it is recorded, so a later change of the association's settings never changes a running case."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func

from hestami.cam.accounting import api as accounting
from hestami.cam.association import api as association
from hestami.cam.documents import api as documents
from hestami.cam.violations import kinds, lifecycle, repository, workflows
from hestami.cam.violations.errors import ViolationReason, rule
from hestami.cam.violations.lifecycle import reference
from hestami.cam.violations.models import StatusChange, Violation, ViolationType
from hestami.cam.violations.schemas import (
    Close,
    CreateViolation,
    ListViolations,
    Resolve,
    StatusChangeOut,
    UpdateViolation,
    ViolationOut,
    ViolationsOut,
)
from hestami.cam.violations.services import setup
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError, check_transition

FUTURE_TOLERANCE = timedelta(minutes=5)
"""Clocks of phones that photograph violations drift; an observation this far ahead of ours is still now."""


async def outputs(ctx: RequestContext, violations: Sequence[Violation]) -> list[ViolationOut]:
    """The violations with their unit's number and their type's name (a read per kind for the page)."""
    units = await association.unit_numbers(ctx, [v.unit_id for v in violations])
    types = await repository.type_names(ctx.session, [v.violation_type_id for v in violations])
    return [
        records.output(
            ViolationOut, v, reference=reference(v.number), unit_number=units.get(v.unit_id),
            violation_type_name=types.get(v.violation_type_id),
        )
        for v in violations
    ]  # fmt: skip


async def output(ctx: RequestContext, violation: Violation, history: list[StatusChange] | None = None) -> ViolationOut:
    changes = None if history is None else [StatusChangeOut.model_validate(h, from_attributes=True) for h in history]
    (named,) = await outputs(ctx, [violation])
    return named if changes is None else named.model_copy(update={"history": changes})


def _type_terms(vtype: ViolationType) -> dict[str, Any]:
    money = {name: getattr(vtype, name) for name in ("fine_first", "fine_repeat", "fine_daily", "fine_cap")}
    return {
        "code": vtype.code,
        "name": vtype.name,
        "rule_reference": vtype.rule_reference,
        "default_cure_days": vtype.default_cure_days,
        **{name: str(value) if value is not None else None for name, value in money.items()},
    }


async def create(ctx: RequestContext, data: CreateViolation) -> ViolationOut:
    await association.load_association(ctx, data.association_id)
    unit = await association.load_unit(ctx, data.unit_id)
    vtype = await records.load(ctx, kinds.VIOLATION_TYPE, data.violation_type_id)
    for kind, owner in (("unit", unit.association_id), ("violation type", vtype.association_id)):
        if owner != data.association_id:
            raise rule(ViolationReason.WRONG_ASSOCIATION, f"That {kind} belongs to another association.")
    if not vtype.active:
        raise rule(ViolationReason.TYPE_INACTIVE, f"The violation type {vtype.code} is no longer in use.")
    now = datetime.now(UTC)
    if data.observed_at > now + FUTURE_TOLERANCE:
        message = "A violation cannot be observed in the future."
        raise HestamiError(
            ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError("/observed_at", message, "future")]
        )
    settings = await setup.effective_settings(ctx, data.association_id)
    since = data.observed_at - timedelta(days=int(settings["repeat_window_days"]))
    earlier = await repository.earlier_of_type(ctx.session, data.unit_id, vtype.id, since, data.observed_at)
    repeat = lifecycle.is_repeat(
        [observed for _, observed in earlier], data.observed_at, settings["repeat_window_days"]
    )
    violation = Violation(
        association_id=data.association_id,
        unit_id=data.unit_id,
        violation_type_id=vtype.id,
        number=await repository.next_number(ctx.session, ctx.require_org()),
        description=data.description,
        location=data.location,
        observed_at=data.observed_at,
        reported_by=ctx.user_id,
        status="OPEN",
        is_repeat=repeat,
        repeat_of_id=earlier[0][0] if repeat else None,
        settings={**settings, "type": _type_terms(vtype)},
    )
    violation = await records.create(ctx, kinds.VIOLATION, violation)
    ctx.session.add(
        StatusChange(
            organization_id=violation.organization_id, violation_id=violation.id, from_status=None,
            to_status="OPEN", actor_user_id=ctx.user_id, note="Recorded.",
        )
    )  # fmt: skip
    await ctx.session.flush()
    await workflows.start(violation.organization_id, violation.id)
    return await output(ctx, violation)


async def association_of(ctx: RequestContext, violation_id: uuid.UUID) -> uuid.UUID:
    """For documents filed under a violation: the violation, loaded in the caller's scope, and its association."""
    return (await records.load(ctx, kinds.VIOLATION, violation_id)).association_id


documents.register_link("VIOLATION", association_of)


async def move(
    ctx: RequestContext, violation: Violation, target: str, note: str | None = None, **values: Any
) -> StatusChange:
    """The one path for every status change (with the fields that change with it, in the same update): the table
    allows it, the history and the audit trail record it, and the lifecycle workflow hears of it once the change
    has committed. The cure date is cleared when the move leaves the cure period."""
    check_transition("violation", lifecycle.TRANSITIONS, violation.status, target)
    change = StatusChange(
        organization_id=violation.organization_id, violation_id=violation.id, from_status=violation.status,
        to_status=target, actor_user_id=ctx.user_id, note=note,
    )  # fmt: skip
    values["status"] = target
    if target == "CLOSED":
        values["closed_at"] = func.now()
    if target not in lifecycle.CURE_RUNNING:
        values["cure_due_at"] = None
    ctx.session.add(change)
    await records.change(ctx, kinds.VIOLATION, violation, values, action="status_changed")
    violation_id = violation.id
    ctx.after_commit(lambda: workflows.signal(violation_id, target))
    return change


async def update(ctx: RequestContext, data: UpdateViolation) -> ViolationOut:
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "update", lock=True)
    if violation.status == "CLOSED":
        raise rule(ViolationReason.NOT_OPEN, "A closed violation cannot be changed.")
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None or k == "location"}
    await records.change(ctx, kinds.VIOLATION, violation, changes)
    return await output(ctx, violation)


async def get(ctx: RequestContext, violation_id: uuid.UUID) -> ViolationOut:
    violation = await records.load(ctx, kinds.VIOLATION, violation_id)
    return await output(ctx, violation, await repository.history(ctx.session, violation.id))


async def list_violations(ctx: RequestContext, data: ListViolations) -> ViolationsOut:
    filters = []
    if data.association_id is not None:
        filters.append(Violation.association_id == data.association_id)
    if data.unit_id is not None:
        filters.append(Violation.unit_id == data.unit_id)
    if data.status is not None:
        filters.append(Violation.status == data.status)
    rows, cursor = await records.page(ctx, kinds.VIOLATION, data, *filters)
    return ViolationsOut(items=await outputs(ctx, rows), next_cursor=cursor)


async def resolve(ctx: RequestContext, data: Resolve) -> ViolationOut:
    """Cured or dismissed by the manager: the sequence stops, and a scheduled hearing is cancelled."""
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "resolve", lock=True)
    hearing = await repository.open_hearing(ctx.session, violation.id)
    await move(ctx, violation, data.resolution, data.note)
    if hearing is not None:
        hearing.status = "CANCELLED"
        audit.record(
            ctx, "violation.hearing_cancelled", kinds.VIOLATION.name, violation.id, after={"hearing": str(hearing.id)}
        )
    return await output(ctx, violation)


async def unpaid_fines(ctx: RequestContext, violation: Violation) -> Decimal:
    """What is still owed today on the violation's fines that were not waived (read from accounting)."""
    fines = [f for f in await repository.fines(ctx.session, violation.id) if f.status == "ASSESSED"]
    if not fines:
        return Decimal("0.00")
    owed = await accounting.open_amounts(ctx, [f.charge_id for f in fines])
    return sum((owed.get(f.charge_id, Decimal(0)) for f in fines), Decimal("0.00"))


async def close(ctx: RequestContext, data: Close) -> ViolationOut:
    """Ends a resolved violation (fined, cured or dismissed) with its resolution; a fined one only once its fines
    are paid or waived (FINES_UNPAID with the open amount)."""
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "close", lock=True)
    if violation.status not in lifecycle.RESOLVED:
        raise rule(
            ViolationReason.NOT_RESOLVED,
            "Only a fined, cured or dismissed violation can be closed.",
            status=violation.status,
        )
    if violation.status == "FINED":
        owed = await unpaid_fines(ctx, violation)
        if owed > 0:
            raise rule(
                ViolationReason.FINES_UNPAID,
                f"The violation's fines are not paid: {owed} is still owed.",
                open_amount=str(owed),
            )
    await move(ctx, violation, "CLOSED", data.resolution, resolution=data.resolution)
    return await output(ctx, violation)

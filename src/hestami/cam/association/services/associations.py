"""Associations: settings, governing documents and the status lifecycle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError

from hestami.cam.association import kinds, repository
from hestami.cam.association.errors import AssociationReason, conflict, rule
from hestami.cam.association.models import Association, AssociationStatusChange
from hestami.cam.association.schemas import (
    AssociationOut,
    ChangeAssociationStatus,
    CreateAssociation,
    ListAssociations,
    UpdateAssociation,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError, check_transition
from hestami.core.pagination import Page
from hestami.core.schemas import ById

# The association lifecycle: onboarding, then active, possibly suspended; terminated is final.
TRANSITIONS: dict[str, frozenset[str]] = {
    "ONBOARDING": frozenset({"ACTIVE", "TERMINATED"}),
    "ACTIVE": frozenset({"SUSPENDED", "TERMINATED"}),
    "SUSPENDED": frozenset({"ACTIVE", "TERMINATED"}),
    "TERMINATED": frozenset(),
}


async def _unique_name(ctx: RequestContext, write: Callable[[], Awaitable[Association]]) -> Association:
    try:
        async with ctx.session.begin_nested():
            return await write()
    except IntegrityError:
        raise conflict(AssociationReason.DUPLICATE_NAME, "An association with this name exists.") from None


def association_out(association: Association) -> AssociationOut:
    return AssociationOut.model_validate(association)


def _history(ctx: RequestContext, association: Association, from_status: str | None, note: str | None) -> None:
    ctx.session.add(
        AssociationStatusChange(
            organization_id=association.organization_id,
            association_id=association.id,
            from_status=from_status,
            to_status=association.status,
            actor_user_id=ctx.user_id,
            note=note,
        )
    )


async def create(ctx: RequestContext, data: CreateAssociation) -> AssociationOut:
    fields = data.model_dump(mode="json", exclude={"governing_documents"})
    association = Association(
        **fields, status="ONBOARDING", governing_documents=[d.model_dump(mode="json") for d in data.governing_documents]
    )
    association = await _unique_name(ctx, lambda: records.create(ctx, kinds.ASSOCIATION, association))
    _history(ctx, association, None, "created")
    await ctx.session.flush()
    return association_out(association)


async def get(ctx: RequestContext, data: ById) -> AssociationOut:
    return association_out(await records.load(ctx, kinds.ASSOCIATION, data.id))


async def list_(ctx: RequestContext, data: ListAssociations) -> Page[AssociationOut]:
    filters = [Association.status == data.status] if data.status else []
    items, cursor = await records.page(ctx, kinds.ASSOCIATION, data, *filters)
    return Page[AssociationOut](items=[association_out(a) for a in items], next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateAssociation) -> AssociationOut:
    association = await records.load(ctx, kinds.ASSOCIATION, data.id, "update")
    changes = records.changes_of(data)
    if "governing_documents" in changes and data.governing_documents is not None:
        changes["governing_documents"] = [d.model_dump(mode="json") for d in data.governing_documents]
    merged = {**records.snapshot(association), **changes}
    if merged["late_fee_type"] == "FIXED" and merged.get("late_fee_amount") is None:
        raise HestamiError(ErrorCode.VALIDATION_FAILED, "A FIXED late fee needs late_fee_amount.")
    if merged["late_fee_type"] == "PERCENT" and merged.get("late_fee_percent") is None:
        raise HestamiError(ErrorCode.VALIDATION_FAILED, "A PERCENT late fee needs late_fee_percent.")
    if data.work_order_sla_hours is not None:
        changes["work_order_sla_hours"] = {k: str(v) for k, v in data.work_order_sla_hours.items()}
    return association_out(
        await _unique_name(ctx, lambda: records.change(ctx, kinds.ASSOCIATION, association, changes))
    )


async def change_status(ctx: RequestContext, data: ChangeAssociationStatus) -> AssociationOut:
    association = await records.load(ctx, kinds.ASSOCIATION, data.id, "change_status", lock=True)
    current = association.status
    check_transition("association", TRANSITIONS, current, data.status)
    association = await records.change(
        ctx, kinds.ASSOCIATION, association, {"status": data.status}, action="status_changed"
    )
    _history(ctx, association, current, data.note)
    await ctx.session.flush()
    return association_out(association)


async def delete(ctx: RequestContext, data: ById) -> None:
    await records.load(ctx, kinds.ASSOCIATION, data.id, "delete")
    if await repository.live_properties_of(ctx.session, data.id):
        raise rule(AssociationReason.HAS_DEPENDENTS, "Delete the association's properties first.")
    await records.soft_delete(ctx, kinds.ASSOCIATION, data.id)

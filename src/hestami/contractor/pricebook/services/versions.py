"""Versions: one edition of the catalogue each, DRAFT → PUBLISHED → ACTIVE → RETIRED (`lifecycle`), every move
through `transition` with its history row. Exactly one version of the organization is ACTIVE once one has been
activated: activating one retires the ACTIVE one in the same transaction, under the organization's activation
lock (a second activation at the same moment waits, then retires the version the first one activated), and a
partial unique index holds it whatever path writes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.contractor.pricebook import kinds, lifecycle, repository
from hestami.contractor.pricebook.errors import PricebookReason, rule
from hestami.contractor.pricebook.models import Version, VersionStatusChange
from hestami.contractor.pricebook.schemas import (
    CopyVersion,
    CreateVersion,
    ListVersions,
    StatusChangeOut,
    VersionOut,
)
from hestami.contractor.pricebook.services.guard import contractor
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.pagination import Page


def output(
    version: Version, *, history: list[VersionStatusChange] | None = None, item_count: int | None = None
) -> VersionOut:
    shown = None if history is None else [StatusChangeOut.model_validate(h, from_attributes=True) for h in history]
    return records.output(VersionOut, version, history=shown, item_count=item_count)


def _history(ctx: RequestContext, version: Version, from_status: str | None, note: str | None = None) -> None:
    ctx.session.add(
        VersionStatusChange(
            organization_id=version.organization_id, version_id=version.id, from_status=from_status,
            to_status=version.status, actor_user_id=ctx.user_id, note=note,
        )
    )  # fmt: skip


async def transition(ctx: RequestContext, version: Version, target: str, note: str | None = None) -> Version:
    """The one way a version changes status: checked against the table (INVALID_STATE_TRANSITION with from/to
    otherwise), stamped, audited, with its history row. The caller has authorized the move."""
    current = version.status
    check_transition("pricebook version", lifecycle.TRANSITIONS, current, target)
    changes = {"status": target, lifecycle.STAMP_FOR[target]: datetime.now(UTC)}
    await records.change(ctx, kinds.VERSION, version, changes, action="status_changed")
    _history(ctx, version, current, note)
    await ctx.session.flush()
    return version


async def _new_draft(ctx: RequestContext, name: str, notes: str | None, copied_from: uuid.UUID | None) -> Version:
    await repository.lock_version_names(ctx.session, ctx.require_org())
    if await repository.version_named(ctx.session, name) is not None:
        raise rule(PricebookReason.DUPLICATE_NAME, f"There is a pricebook version named {name!r} already.")
    version = Version(name=name, notes=notes, status=lifecycle.DRAFT, copied_from_version_id=copied_from)
    version = await records.create(ctx, kinds.VERSION, version)
    _history(ctx, version, None, f"copied from {copied_from}" if copied_from else None)
    await ctx.session.flush()
    return version


async def create(ctx: RequestContext, data: CreateVersion) -> VersionOut:
    await contractor(ctx)
    return output(await _new_draft(ctx, data.name, data.notes, None))


async def copy(ctx: RequestContext, data: CopyVersion) -> VersionOut:
    await contractor(ctx)
    source = await records.load(ctx, kinds.VERSION, data.id, "copy")
    version = await _new_draft(ctx, data.name, data.notes, source.id)
    copied = await repository.copy_contents(ctx.session, source.id, version.id)
    audit.record(
        ctx, f"{kinds.VERSION.name}.copied", kinds.VERSION.name, version.id,
        after={"copied_from_version_id": str(source.id), **copied},
    )  # fmt: skip
    return output(version, item_count=copied["items"])


async def publish(ctx: RequestContext, version_id: uuid.UUID) -> VersionOut:
    await contractor(ctx)
    version = await records.load(ctx, kinds.VERSION, version_id, "publish", lock=True)
    return output(await transition(ctx, version, lifecycle.PUBLISHED))


async def activate(ctx: RequestContext, version_id: uuid.UUID) -> VersionOut:
    await contractor(ctx)
    await repository.lock_activation(ctx.session, ctx.require_org())
    version = await records.load(ctx, kinds.VERSION, version_id, "activate", lock=True)
    check_transition("pricebook version", lifecycle.TRANSITIONS, version.status, lifecycle.ACTIVE)
    current = await repository.active_version(ctx.session, lock=True)
    if current is not None:
        await transition(ctx, current, lifecycle.RETIRED, f"replaced by {version.name}")
    return output(await transition(ctx, version, lifecycle.ACTIVE))


async def get(ctx: RequestContext, version_id: uuid.UUID) -> VersionOut:
    await contractor(ctx)
    version = await records.load(ctx, kinds.VERSION, version_id)
    history = await repository.status_history(ctx.session, version.id)
    count = await repository.item_count(ctx.session, version.id)
    return output(version, history=history, item_count=count)


async def list_versions(ctx: RequestContext, data: ListVersions) -> Page[VersionOut]:
    await contractor(ctx)
    filters = [] if data.status is None else [Version.status == data.status]
    rows, cursor = await records.page(ctx, kinds.VERSION, data, *filters)
    return Page[VersionOut](items=[output(v) for v in rows], next_cursor=cursor)

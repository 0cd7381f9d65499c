"""What an association enforces and how: its violation settings (defaults until changed) and its violation types."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.violations import kinds, lifecycle, repository
from hestami.cam.violations.errors import ViolationReason, rule
from hestami.cam.violations.models import ViolationSettings, ViolationType
from hestami.cam.violations.schemas import (
    CreateViolationType,
    ListViolationTypes,
    UpdateViolationSettings,
    UpdateViolationType,
    ViolationSettingsOut,
    ViolationTypeOut,
)
from hestami.core import audit, records
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext
from hestami.core.pagination import Page

SETTING_FIELDS = tuple(lifecycle.DEFAULT_SETTINGS)


def settings_values(row: ViolationSettings | None) -> dict[str, Any]:
    """The settings as plain values (JSON-safe), the defaults where the association has not set its own."""
    if row is None:
        return dict(lifecycle.DEFAULT_SETTINGS)
    values = {name: getattr(row, name) for name in SETTING_FIELDS}
    cap = values["fine_cap_per_violation"]
    values["fine_cap_per_violation"] = str(cap) if cap is not None else None
    values["delivery_methods"] = list(values["delivery_methods"])
    return values


async def _authorize_settings(ctx: RequestContext, action: str) -> None:
    await authorize(
        ctx, action, Resource(kinds.VIOLATION_SETTINGS.name, "settings", {"organization_id": str(ctx.require_org())})
    )


def _settings_out(association_id: uuid.UUID, row: ViolationSettings | None) -> ViolationSettingsOut:
    return ViolationSettingsOut.model_validate(
        {**settings_values(row), "association_id": association_id, "customized": row is not None}
    )


async def get_settings(ctx: RequestContext, association_id: uuid.UUID) -> ViolationSettingsOut:
    await association.load_association(ctx, association_id)
    await _authorize_settings(ctx, "view")
    return _settings_out(association_id, await repository.settings_of(ctx.session, association_id))


async def effective_settings(ctx: RequestContext, association_id: uuid.UUID) -> dict[str, Any]:
    """The settings that apply now (for a new violation to record)."""
    return settings_values(await repository.settings_of(ctx.session, association_id))


async def update_settings(ctx: RequestContext, data: UpdateViolationSettings) -> ViolationSettingsOut:
    """The first save stores the defaults with the changes; later saves change only what is sent. Violations
    already recorded keep the settings they were recorded with."""
    await association.load_association(ctx, data.association_id)
    await _authorize_settings(ctx, "update")
    await repository.lock_settings(ctx.session, data.association_id)
    row = await repository.settings_of(ctx.session, data.association_id, lock=True)
    changes = records.changes_of(data, exclude=("association_id",))
    changes = {k: v for k, v in changes.items() if v is not None}
    before = settings_values(row)
    if row is None:
        row = ViolationSettings(
            organization_id=ctx.require_org(), association_id=data.association_id,
            **{**lifecycle.DEFAULT_SETTINGS, **changes},
        )  # fmt: skip
        ctx.session.add(row)
    else:
        for name, value in changes.items():
            setattr(row, name, value)
    await ctx.session.flush()
    after = settings_values(row)
    audit.record(
        ctx, "violation_settings.updated", kinds.VIOLATION_SETTINGS.name, data.association_id,
        before={k: before[k] for k in after if before[k] != after[k]},
        after={k: after[k] for k in after if before[k] != after[k]},
    )  # fmt: skip
    return _settings_out(data.association_id, row)


# --- types -----------------------------------------------------------------------------------------------------


async def create_type(ctx: RequestContext, data: CreateViolationType) -> ViolationTypeOut:
    await association.load_association(ctx, data.association_id)
    await repository.lock_type_codes(ctx.session, data.association_id)
    if await repository.type_with_code(ctx.session, data.association_id, data.code) is not None:
        raise rule(ViolationReason.DUPLICATE_CODE, f"The association already has a type {data.code}.", code=data.code)
    row = await records.create(ctx, kinds.VIOLATION_TYPE, ViolationType(**data.model_dump(), active=True))
    return records.output(ViolationTypeOut, row)


async def update_type(ctx: RequestContext, data: UpdateViolationType) -> ViolationTypeOut:
    row = await records.load(ctx, kinds.VIOLATION_TYPE, data.id, "update", lock=True)
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None or k != "name"}
    await records.change(ctx, kinds.VIOLATION_TYPE, row, changes)
    return records.output(ViolationTypeOut, row)


async def get_type(ctx: RequestContext, type_id: uuid.UUID) -> ViolationTypeOut:
    row = await records.load(ctx, kinds.VIOLATION_TYPE, type_id)
    return records.output(ViolationTypeOut, row)


async def list_types(ctx: RequestContext, data: ListViolationTypes) -> Page[ViolationTypeOut]:
    filters = [] if data.association_id is None else [ViolationType.association_id == data.association_id]
    rows, cursor = await records.page(ctx, kinds.VIOLATION_TYPE, data, *filters)
    return Page[ViolationTypeOut](items=[records.output(ViolationTypeOut, r) for r in rows], next_cursor=cursor)

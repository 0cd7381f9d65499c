"""An association's reserve inventory: the components the reserve fund replaces, with their lives and costs."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from hestami.cam.accounting import api as accounting
from hestami.cam.association import api as association
from hestami.cam.reserve import kinds
from hestami.cam.reserve.errors import ReserveReason, invalid, rule
from hestami.cam.reserve.models import Component
from hestami.cam.reserve.schemas import ComponentOut, CreateComponent, ListComponents, UpdateComponent
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.pagination import Page

REQUIRED = frozenset({"name", "category", "useful_life_years", "remaining_life_years", "replacement_cost"})
"""Columns an update may change but never clear (a `null` for them leaves them as they are)."""


def _check_lives(useful: int, remaining: int) -> None:
    if remaining > useful:
        raise invalid(
            "/remaining_life_years", f"The remaining life ({remaining}) exceeds the useful life ({useful}).", "range"
        )


AssetResolver = Callable[[RequestContext, uuid.UUID], Awaitable[uuid.UUID]]
"""Loads an asset in the caller's scope (NOT_FOUND unless they may see it) and answers its association."""
_assets: list[AssetResolver] = []


def register_asset_resolver(resolver: AssetResolver) -> None:
    """The work-order domain (which keeps assets, above this one) says how to find an asset's association."""
    _assets[:] = [resolver]


async def _check_asset(ctx: RequestContext, association_id: uuid.UUID, asset_id: uuid.UUID) -> None:
    if not _assets:  # the asset domain is not part of this build: no such asset exists
        raise not_found("asset", asset_id)
    if await _assets[0](ctx, asset_id) != association_id:
        raise rule(ReserveReason.WRONG_ASSOCIATION, "That asset belongs to another association.")


def output(row: Component) -> ComponentOut:
    return records.output(ComponentOut, row)


async def create(ctx: RequestContext, data: CreateComponent) -> ComponentOut:
    await association.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.COMPONENT, "create")
    _check_lives(data.useful_life_years, data.remaining_life_years)
    if data.expense_account_id is not None:
        await accounting.reserve_expense_account(ctx, data.association_id, data.expense_account_id)
    if data.asset_id is not None:
        await _check_asset(ctx, data.association_id, data.asset_id)
    row = await records.create(ctx, kinds.COMPONENT, Component(**data.model_dump(), active=True))
    return output(row)


async def update(ctx: RequestContext, data: UpdateComponent) -> ComponentOut:
    row = await records.load(ctx, kinds.COMPONENT, data.id, "update", lock=True)
    changes: dict[str, Any] = {k: v for k, v in records.changes_of(data).items() if v is not None or k not in REQUIRED}
    _check_lives(
        changes.get("useful_life_years", row.useful_life_years),
        changes.get("remaining_life_years", row.remaining_life_years),
    )
    if changes.get("expense_account_id") is not None:
        await accounting.reserve_expense_account(ctx, row.association_id, changes["expense_account_id"])
    if changes.get("asset_id") is not None:
        await _check_asset(ctx, row.association_id, changes["asset_id"])
    await records.change(ctx, kinds.COMPONENT, row, changes)
    return output(row)


async def retire(ctx: RequestContext, component_id: uuid.UUID) -> ComponentOut:
    row = await records.load(ctx, kinds.COMPONENT, component_id, "update", lock=True)
    if row.active:
        await records.change(ctx, kinds.COMPONENT, row, {"active": False}, action="retired")
    return output(row)


async def get(ctx: RequestContext, component_id: uuid.UUID) -> ComponentOut:
    return output(await records.load(ctx, kinds.COMPONENT, component_id))


async def list_components(ctx: RequestContext, data: ListComponents) -> Page[ComponentOut]:
    filters = []
    if data.association_id is not None:
        filters.append(Component.association_id == data.association_id)
    if data.active is not None:
        filters.append(Component.active.is_(data.active))
    rows, cursor = await records.page(ctx, kinds.COMPONENT, data, *filters)
    return Page[ComponentOut](items=[output(r) for r in rows], next_cursor=cursor)

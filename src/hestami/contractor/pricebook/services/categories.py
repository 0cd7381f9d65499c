"""Categories: the organization's catalogue tree (shared by every version). A name is unique among the categories
of one parent (any case), and a category never ends up inside itself."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.contractor.pricebook import kinds, repository
from hestami.contractor.pricebook.errors import PricebookReason, rule
from hestami.contractor.pricebook.models import Category
from hestami.contractor.pricebook.schemas import CategoryOut, CreateCategory, ListCategories, UpdateCategory
from hestami.contractor.pricebook.services.guard import contractor
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page

REQUIRED = frozenset({"name", "sort_order"})
"""Columns an update may change but never clear (a `null` for them leaves them as they are)."""


def output(row: Category) -> CategoryOut:
    return records.output(CategoryOut, row)


def ancestry(parents: dict[uuid.UUID, uuid.UUID | None], category_id: uuid.UUID | None) -> tuple[uuid.UUID, ...]:
    """The category and its ancestors, nearest first (empty for none); stops at a cycle, which the rules prevent."""
    path: list[uuid.UUID] = []
    while category_id is not None and category_id not in path:
        path.append(category_id)
        category_id = parents.get(category_id)
    return tuple(path)


async def _unique_name(
    ctx: RequestContext, parent_id: uuid.UUID | None, name: str, other_than: uuid.UUID | None
) -> None:
    if await repository.category_named(ctx.session, parent_id, name, other_than=other_than) is not None:
        raise rule(PricebookReason.DUPLICATE_NAME, f"There is a category named {name!r} there already.")


async def create(ctx: RequestContext, data: CreateCategory) -> CategoryOut:
    await contractor(ctx)
    await records.authorize_new(ctx, kinds.CATEGORY, "create")
    if data.parent_category_id is not None:
        await records.load(ctx, kinds.CATEGORY, data.parent_category_id)
    await repository.lock_categories(ctx.session, ctx.require_org())
    await _unique_name(ctx, data.parent_category_id, data.name, None)
    row = await records.create(ctx, kinds.CATEGORY, Category(**data.model_dump()))
    return output(row)


async def update(ctx: RequestContext, data: UpdateCategory) -> CategoryOut:
    await contractor(ctx)
    row = await records.load(ctx, kinds.CATEGORY, data.id, "update", lock=True)
    changes: dict[str, Any] = {k: v for k, v in records.changes_of(data).items() if v is not None or k not in REQUIRED}
    parent_id = changes.get("parent_category_id", row.parent_category_id)
    if changes.get("parent_category_id") is not None:
        await records.load(ctx, kinds.CATEGORY, changes["parent_category_id"])
    await repository.lock_categories(ctx.session, ctx.require_org())
    if parent_id is not None and row.id in ancestry(await repository.category_parents(ctx.session), parent_id):
        raise rule(PricebookReason.CATEGORY_CYCLE, "A category cannot sit inside itself or one of its subcategories.")
    if "name" in changes or "parent_category_id" in changes:
        await _unique_name(ctx, parent_id, changes.get("name", row.name), row.id)
    await records.change(ctx, kinds.CATEGORY, row, changes)
    return output(row)


async def list_categories(ctx: RequestContext, data: ListCategories) -> Page[CategoryOut]:
    await contractor(ctx)
    filters = []
    if data.parent_category_id is not None:
        filters.append(Category.parent_category_id == data.parent_category_id)
    rows, cursor = await records.page(ctx, kinds.CATEGORY, data, *filters)
    return Page[CategoryOut](items=[output(r) for r in rows], next_cursor=cursor)

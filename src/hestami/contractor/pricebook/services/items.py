"""Items: the services, labour, materials, equipment and bundles of one version, each with a code unique in its
version (an advisory lock on the version's codes, then the unique index). A bundle lists items of the same version
(by code) with quantities; it never contains itself, directly or through other bundles. Only a DRAFT version's
items change (`guard.still_draft`)."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.contractor.pricebook import bundles, kinds, repository
from hestami.contractor.pricebook.errors import PricebookReason, rule
from hestami.contractor.pricebook.models import BundleComponent, Item
from hestami.contractor.pricebook.schemas import (
    ComponentIn,
    ComponentOut,
    CreateItem,
    ItemOut,
    ListItems,
    UpdateItem,
)
from hestami.contractor.pricebook.services.guard import contractor, draft, still_draft
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page

REQUIRED = frozenset({"code", "name", "kind", "unit", "cost", "price", "taxable"})
"""Columns an update may change but never clear (a `null` for them leaves them as they are)."""


def output(item: Item, components: list[tuple[BundleComponent, Item]] | None = None) -> ItemOut:
    shown = [ComponentOut(item_id=i.id, code=i.code, name=i.name, quantity=c.quantity) for c, i in components or []]
    return records.output(ItemOut, item, components=shown)


async def _one(ctx: RequestContext, item: Item) -> ItemOut:
    return output(item, (await repository.components_of(ctx.session, [item.id]))[item.id])


async def items_of_codes(ctx: RequestContext, version_id: uuid.UUID, codes: list[str]) -> dict[str, Item]:
    """The version's items with these codes; BUSINESS_RULE_VIOLATION, reason UNKNOWN_ITEM_CODE, naming the codes
    the version lacks."""
    found = await repository.items_by_code(ctx.session, version_id, codes)
    if missing := [code for code in codes if code not in found]:
        raise rule(
            PricebookReason.UNKNOWN_ITEM_CODE,
            f"This pricebook version has no item {', '.join(missing)}.",
            codes=missing,
        )
    return found


async def _set_components(ctx: RequestContext, item: Item, components: list[ComponentIn]) -> None:
    if item.code in {c.code for c in components}:
        raise rule(PricebookReason.BUNDLE_CONTAINS_ITSELF, "A bundle cannot contain itself.")
    found = await items_of_codes(ctx, item.version_id, [c.code for c in components])
    chosen = [(found[c.code].id, c.quantity) for c in components]
    edges = await repository.bundle_edges(ctx.session, item.version_id)
    if bundles.closes_cycle(edges, item.id, [component for component, _ in chosen]):
        raise rule(PricebookReason.BUNDLE_CYCLE, "A bundle cannot contain a bundle that contains it.")
    await repository.replace_components(ctx.session, item, chosen)
    audit.record(
        ctx, f"{kinds.ITEM.name}.components_set", kinds.ITEM.name, item.id,
        after={"components": [{"code": c.code, "quantity": str(c.quantity)} for c in components]},
    )  # fmt: skip


async def _unique_code(ctx: RequestContext, version_id: uuid.UUID, code: str) -> None:
    await repository.lock_codes(ctx.session, version_id)
    if await repository.items_by_code(ctx.session, version_id, [code]):
        raise rule(PricebookReason.DUPLICATE_CODE, f"This version has an item {code} already.", item_code=code)


async def create(ctx: RequestContext, data: CreateItem) -> ItemOut:
    await contractor(ctx)
    await records.authorize_new(ctx, kinds.ITEM, "create")
    version = await draft(ctx, data.version_id)
    if data.category_id is not None:
        await records.load(ctx, kinds.CATEGORY, data.category_id)
    await _unique_code(ctx, version.id, data.code)
    fields = data.model_dump(exclude={"components"})
    item = await records.create(ctx, kinds.ITEM, Item(**fields))
    if data.components:
        await _set_components(ctx, item, data.components)
    return await _one(ctx, item)


async def update(ctx: RequestContext, data: UpdateItem) -> ItemOut:
    await contractor(ctx)
    item = await records.load(ctx, kinds.ITEM, data.id, "update", lock=True)
    await still_draft(ctx, item.version_id)
    changes: dict[str, Any] = {
        k: v
        for k, v in records.changes_of(data, exclude=("id", "components")).items()
        if v is not None or k not in REQUIRED
    }
    if changes.get("category_id") is not None:
        await records.load(ctx, kinds.CATEGORY, changes["category_id"])
    if "code" in changes and changes["code"] != item.code:
        await _unique_code(ctx, item.version_id, changes["code"])
    kind = changes.get("kind", item.kind)
    if data.components and kind != "BUNDLE":
        raise rule(PricebookReason.NOT_A_BUNDLE, "Only a BUNDLE has components.")
    was_bundle = item.kind == "BUNDLE"
    await records.change(ctx, kinds.ITEM, item, changes)
    if data.components is not None:
        await _set_components(ctx, item, data.components)
    elif was_bundle and kind != "BUNDLE":
        await _set_components(ctx, item, [])
    return await _one(ctx, item)


async def delete(ctx: RequestContext, item_id: uuid.UUID) -> None:
    await contractor(ctx)
    item = await records.load(ctx, kinds.ITEM, item_id, "delete", lock=True)
    await still_draft(ctx, item.version_id)
    in_bundles, in_templates = await repository.uses_of(ctx.session, item.id)
    if in_bundles or in_templates:
        raise rule(
            PricebookReason.ITEM_IN_USE,
            "This item is part of a bundle or a job template: take it out of them first.",
            bundles=in_bundles,
            templates=in_templates,
        )
    before = records.snapshot(item)
    await repository.delete_item(ctx.session, item)
    audit.record(ctx, f"{kinds.ITEM.name}.deleted", kinds.ITEM.name, item_id, before=before)


async def get(ctx: RequestContext, item_id: uuid.UUID) -> ItemOut:
    await contractor(ctx)
    return await _one(ctx, await records.load(ctx, kinds.ITEM, item_id))


async def list_items(ctx: RequestContext, data: ListItems) -> Page[ItemOut]:
    await contractor(ctx)
    filters = []
    for column, value in ((Item.version_id, data.version_id), (Item.category_id, data.category_id),
                          (Item.kind, data.kind)):  # fmt: skip
        if value is not None:
            filters.append(column == value)
    if data.search is not None:
        filters.append(repository.search(data.search))
    rows, cursor = await records.page(ctx, kinds.ITEM, data, *filters)
    components = await repository.components_of(ctx.session, [i.id for i in rows if i.kind == "BUNDLE"])
    return Page[ItemOut](items=[output(i, components.get(i.id)) for i in rows], next_cursor=cursor)

"""Stocked items: made from a MATERIAL or EQUIPMENT item of the ACTIVE pricebook version by its code (one per code),
starting at the pricebook's cost; their tracking changes only while none is held."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement

from hestami.contractor.inventory import kinds, repository, rules
from hestami.contractor.inventory.errors import InventoryReason, conflict, rule
from hestami.contractor.inventory.models import StockItem
from hestami.contractor.inventory.schemas import CreateItem, ItemOut, ListItems, UpdateItem
from hestami.contractor.inventory.services import access
from hestami.contractor.pricebook import api as pricebook
from hestami.contractor.pricebook.pricing import cents
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page


def item_out(item: StockItem) -> ItemOut:
    return records.output(ItemOut, item)


async def create(ctx: RequestContext, data: CreateItem) -> ItemOut:
    await access.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.ITEM, "create")
    found = (await pricebook.items_of_codes(ctx, [data.code])).get(data.code)
    if found is None:
        raise rule(InventoryReason.NOT_IN_PRICEBOOK, f"No item {data.code} in the active pricebook.",
                   item_code=data.code)  # fmt: skip
    if found.kind not in rules.STOCKABLE:
        raise rule(InventoryReason.NOT_STOCKABLE, f"{data.code} is a {found.kind}: only materials and equipment are "
                   "stocked.", item_code=data.code, kind=found.kind)  # fmt: skip
    existing = await repository.item_by_code(ctx.session, found.code)
    if existing is not None:
        raise conflict(InventoryReason.ALREADY_STOCKED, f"{found.code} is stocked already.", item_id=str(existing.id))
    item = StockItem(
        code=found.code, name=found.name, kind=found.kind, unit=found.unit, tracking=data.tracking,
        average_cost=cents(found.cost), pricebook_item_id=found.id, active=True,
    )  # fmt: skip
    return item_out(await records.create(ctx, kinds.ITEM, item))


async def update(ctx: RequestContext, data: UpdateItem) -> ItemOut:
    item = await access.item(ctx, data.id, "update", lock=True)
    changes = records.changes_of(data)
    if "tracking" in changes and changes["tracking"] != item.tracking:
        held = await repository.owned(ctx.session, item.id)
        if held > 0:
            raise rule(InventoryReason.HAS_STOCK, f"{item.code} is held ({held}): its tracking stays {item.tracking}.",
                       item_code=item.code, held=str(held))  # fmt: skip
    return item_out(await records.change(ctx, kinds.ITEM, item, changes))


async def get(ctx: RequestContext, item_id: uuid.UUID) -> ItemOut:
    return item_out(await access.item(ctx, item_id))


async def list_items(ctx: RequestContext, data: ListItems) -> Page[ItemOut]:
    await access.require_contractor(ctx)
    filters: list[ColumnElement[bool]] = []
    if data.active is not None:
        filters.append(StockItem.active.is_(data.active))
    if data.tracking is not None:
        filters.append(StockItem.tracking == data.tracking)
    found, cursor = await records.page(ctx, kinds.ITEM, data, *filters)
    return Page[ItemOut](items=[item_out(i) for i in found], next_cursor=cursor)

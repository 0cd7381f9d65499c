"""Suppliers and what they sell. A supplier's name is unique in the organization (any case: SUPPLIER_NAME_TAKEN);
its vendor mapping names the supplier's organization on the platform only as a SERVICE_PROVIDER (any other id:
NOT_FOUND, as the associations' vendor records name providers). A supplier item ties a supplier to an inventory item
(loaded through the caller's scope: another organization's is NOT_FOUND) with its cost; making it preferred takes
the preference from the item's other supplier, one at a time (the partial unique index stands behind it)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError

from hestami.contractor.inventory import api as inventory
from hestami.contractor.procurement import kinds, repository
from hestami.contractor.procurement.errors import ProcurementReason, conflict
from hestami.contractor.procurement.models import Supplier, SupplierItem
from hestami.contractor.procurement.schemas import (
    CreateSupplier,
    ListSupplierItems,
    ListSuppliers,
    SetSupplierItem,
    SupplierItemOut,
    SupplierItemsOut,
    SupplierOut,
    UpdateSupplier,
)
from hestami.contractor.profile import api as profile
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.pagination import Page
from hestami.identity.services import organizations as identity

VENDOR_TYPES = ("SERVICE_PROVIDER",)
REQUIRED = frozenset({"name", "terms_days", "active"})


def supplier_out(supplier: Supplier) -> SupplierOut:
    return records.output(SupplierOut, supplier)


async def load(ctx: RequestContext, supplier_id: uuid.UUID, action: str = "view", *, lock: bool = False) -> Supplier:
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.SUPPLIER, supplier_id, action, lock=lock)


async def _check_vendor(ctx: RequestContext, organization_id: uuid.UUID | None) -> None:
    if organization_id is not None and not await identity.is_organization_of_type(ctx, organization_id, VENDOR_TYPES):
        raise not_found("organization", organization_id)


def _name_taken(name: str) -> Exception:
    return conflict(ProcurementReason.SUPPLIER_NAME_TAKEN, f"A supplier named {name!r} exists already.", name=name)


async def create(ctx: RequestContext, data: CreateSupplier) -> SupplierOut:
    await profile.require_contractor(ctx)
    await _check_vendor(ctx, data.vendor_organization_id)
    try:
        async with ctx.session.begin_nested():
            made = await records.create(ctx, kinds.SUPPLIER, Supplier(**data.model_dump(), active=True))
    except IntegrityError:
        raise _name_taken(data.name) from None
    return supplier_out(made)


async def update(ctx: RequestContext, data: UpdateSupplier) -> SupplierOut:
    """Only the fields sent change; a null clears an optional field (a required one keeps its value)."""
    supplier = await load(ctx, data.id, "update", lock=True)
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None or k not in REQUIRED}
    if "vendor_organization_id" in changes:
        await _check_vendor(ctx, changes["vendor_organization_id"])
    try:
        async with ctx.session.begin_nested():
            supplier = await records.change(ctx, kinds.SUPPLIER, supplier, changes)
    except IntegrityError:
        raise _name_taken(str(changes.get("name"))) from None
    return supplier_out(supplier)


async def get(ctx: RequestContext, supplier_id: uuid.UUID) -> SupplierOut:
    return supplier_out(await load(ctx, supplier_id))


async def list_suppliers(ctx: RequestContext, data: ListSuppliers) -> Page[SupplierOut]:
    await profile.require_contractor(ctx)
    filters = [Supplier.active.is_(data.active)] if data.active is not None else []
    rows, cursor = await records.page(ctx, kinds.SUPPLIER, data, *filters)
    return Page[SupplierOut](items=[supplier_out(r) for r in rows], next_cursor=cursor)


# --- supplier items ------------------------------------------------------------------------------------------


def item_out(item: SupplierItem) -> SupplierItemOut:
    return records.output(SupplierItemOut, item)


async def set_item(ctx: RequestContext, data: SetSupplierItem) -> SupplierItemOut:
    """Adds the item to the supplier's, or changes its cost, part number and preference."""
    supplier = await load(ctx, data.supplier_id, "update", lock=True)
    stock = await inventory.load_item(ctx, data.item_id)
    await repository.hold_item_preference(ctx.session, stock.id)
    item = await repository.supplier_item(ctx.session, supplier.id, stock.id)
    values: dict[str, Any] = {"cost": data.cost, "supplier_part_number": data.supplier_part_number,
                              "preferred": data.preferred, "item_code": stock.code}  # fmt: skip
    if item is None:
        item = SupplierItem(organization_id=supplier.organization_id, supplier_id=supplier.id, item_id=stock.id,
                            **{**values, "preferred": False})  # fmt: skip
        ctx.session.add(item)
        await ctx.session.flush()
    before = records.snapshot(item)
    if data.preferred:
        for other in await repository.unset_preferred(ctx.session, stock.id, keep=item.id):
            audit.record(ctx, "procurement_supplier_item.unpreferred", kinds.SUPPLIER.name, other.supplier_id,
                         after={"item_id": str(stock.id), "supplier_item_id": str(other.id)})  # fmt: skip
    for name, value in values.items():
        setattr(item, name, value)
    await ctx.session.flush()
    await ctx.session.refresh(item)
    audit.record(ctx, "procurement_supplier_item.set", kinds.SUPPLIER.name, supplier.id, before=before,
                 after=records.snapshot(item))  # fmt: skip
    return item_out(item)


async def list_items(ctx: RequestContext, data: ListSupplierItems) -> SupplierItemsOut:
    """A supplier's items, or an item's suppliers (the suppliers the caller may view)."""
    if data.supplier_id is not None:
        await load(ctx, data.supplier_id)
    else:
        await profile.require_contractor(ctx)
    found = await repository.supplier_items(ctx.session, supplier_id=data.supplier_id, item_id=data.item_id)
    seen: dict[uuid.UUID, bool] = {}
    shown = []
    for item in found:
        if item.supplier_id not in seen:
            supplier = await records.find(ctx, kinds.SUPPLIER, item.supplier_id)
            seen[item.supplier_id] = await records.can(ctx, kinds.SUPPLIER, supplier, "view")
        if seen[item.supplier_id]:
            shown.append(item_out(item))
    return SupplierItemsOut(items=shown)

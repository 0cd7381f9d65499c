"""Assets (equipment and systems on a unit or common area), warranties and maintenance."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from hestami.cam.association import api as association
from hestami.cam.reserve import api as reserve
from hestami.cam.work_order import kinds, repository
from hestami.cam.work_order.errors import WorkOrderReason, rule
from hestami.cam.work_order.models import Asset, MaintenanceLog
from hestami.cam.work_order.schemas import (
    AssetOut,
    CreateAsset,
    ListAssets,
    LogMaintenance,
    MaintenanceHistoryIn,
    MaintenanceHistoryOut,
    MaintenanceOut,
    UpdateAsset,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page


def asset_out(asset: Asset) -> AssetOut:
    active = asset.warranty_expires_on is not None and asset.warranty_expires_on >= date.today()
    return records.output(AssetOut, asset, warranty_active=active)


async def _check_location(ctx: RequestContext, data: CreateAsset) -> None:
    associations = []
    if data.unit_id is not None:
        associations.append((await association.load_unit(ctx, data.unit_id)).association_id)
    if data.common_area_id is not None:
        associations.append((await association.find_common_area(ctx, data.common_area_id)).association_id)
    if any(a != data.association_id for a in associations):
        raise rule(WorkOrderReason.WRONG_ASSOCIATION, "The asset's location belongs to another association.")


async def create(ctx: RequestContext, data: CreateAsset) -> AssetOut:
    await association.load_association(ctx, data.association_id)
    await _check_location(ctx, data)
    asset = Asset(**data.model_dump())
    if asset.next_maintenance_on is None and asset.maintenance_frequency_days and asset.installed_on:
        asset.next_maintenance_on = asset.installed_on + timedelta(days=asset.maintenance_frequency_days)
    return asset_out(await records.create(ctx, kinds.ASSET, asset))


async def get(ctx: RequestContext, asset_id: object) -> AssetOut:
    return asset_out(await records.load(ctx, kinds.ASSET, asset_id))  # type: ignore[arg-type]


async def list_(ctx: RequestContext, data: ListAssets) -> Page[AssetOut]:
    filters = []
    if data.association_id:
        filters.append(Asset.association_id == data.association_id)
    if data.category:
        filters.append(Asset.category == data.category)
    if data.maintenance_due_by:
        filters.append(Asset.next_maintenance_on <= data.maintenance_due_by)
    items, cursor = await records.page(ctx, kinds.ASSET, data, *filters)
    return Page[AssetOut](items=[asset_out(a) for a in items], next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateAsset) -> AssetOut:
    asset = await records.load(ctx, kinds.ASSET, data.id, "update")
    return asset_out(await records.change(ctx, kinds.ASSET, asset, records.changes_of(data)))


async def delete(ctx: RequestContext, asset_id: object) -> None:
    await records.soft_delete(ctx, kinds.ASSET, asset_id)  # type: ignore[arg-type]


async def _check_work_order(ctx: RequestContext, asset: Asset, work_order_id: uuid.UUID) -> None:
    """The work order maintenance is logged against: one the caller can see, of the asset's association."""
    order = await records.load(ctx, kinds.WORK_ORDER, work_order_id)
    if order.organization_id != asset.organization_id or order.association_id != asset.association_id:
        raise rule(WorkOrderReason.WRONG_ASSOCIATION, "The work order belongs to another association.")


async def log_maintenance(ctx: RequestContext, data: LogMaintenance) -> MaintenanceOut:
    """Records work done on an asset and moves its next maintenance date by its frequency."""
    asset = await records.load(ctx, kinds.ASSET, data.asset_id, "log_maintenance", lock=True)
    if data.work_order_id is not None:
        await _check_work_order(ctx, asset, data.work_order_id)
    log = MaintenanceLog(organization_id=asset.organization_id, **data.model_dump())
    ctx.session.add(log)
    await ctx.session.flush()
    await ctx.session.refresh(log)
    if asset.maintenance_frequency_days:
        following = data.performed_on + timedelta(days=asset.maintenance_frequency_days)
        if asset.next_maintenance_on is None or following > asset.next_maintenance_on:
            await records.change(ctx, kinds.ASSET, asset, {"next_maintenance_on": following}, action="maintained")
    return MaintenanceOut.model_validate(log)


async def maintenance_history(ctx: RequestContext, data: MaintenanceHistoryIn) -> MaintenanceHistoryOut:
    asset = await records.load(ctx, kinds.ASSET, data.asset_id)
    logs = await repository.maintenance_logs(ctx.session, asset.id)
    return MaintenanceHistoryOut(
        items=[MaintenanceOut.model_validate(x) for x in logs], next_maintenance_on=asset.next_maintenance_on
    )


async def association_of(ctx: RequestContext, asset_id: uuid.UUID) -> uuid.UUID:
    """For a reserve component that is one of the association's assets: the asset, loaded in the caller's scope."""
    return (await records.load(ctx, kinds.ASSET, asset_id)).association_id


reserve.register_asset_resolver(association_of)

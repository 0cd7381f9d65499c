"""Locations: warehouses, trucks and branch shelves, named uniquely per organization (any case). A truck is driven
by at most one technician and a technician drives one active truck at a time (a partial unique index); a location
is deactivated only when nothing is there or on the way from or to it."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.contractor.inventory import kinds, repository
from hestami.contractor.inventory.errors import InventoryReason, conflict, rule
from hestami.contractor.inventory.models import StockLocation
from hestami.contractor.inventory.schemas import AssignTruck, CreateLocation, ListLocations, LocationOut, UpdateLocation
from hestami.contractor.inventory.services import access
from hestami.contractor.profile import api as profile
from hestami.contractor.technician import api as technicians
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.pagination import Page


def location_out(location: StockLocation) -> LocationOut:
    return records.output(LocationOut, location)


async def _name_free(ctx: RequestContext, name: str, this: uuid.UUID | None = None) -> None:
    found = await repository.location_named(ctx.session, name)
    if found is not None and found.id != this:
        raise conflict(InventoryReason.NAME_TAKEN, f"A location is named {found.name} already.",
                       location_id=str(found.id))  # fmt: skip


async def _driver(ctx: RequestContext, technician_id: uuid.UUID, truck: uuid.UUID | None) -> dict[str, Any]:
    """The technician (one of the caller's organization's the caller may view: NOT_FOUND otherwise), ACTIVE, with no
    other active truck."""
    found = await technicians.roster(ctx, technician_ids=[technician_id], active_only=False)
    if not found:
        raise not_found("technician", technician_id)
    (technician,) = found
    if not technician.active:
        raise rule(InventoryReason.TECHNICIAN_INACTIVE, f"{technician.display_name} is {technician.status}.")
    driving = await repository.truck_of(ctx.session, technician_id)
    if driving is not None and driving.id != truck:
        raise conflict(InventoryReason.TRUCK_TAKEN, f"{technician.display_name} drives {driving.name} already.",
                       location_id=str(driving.id))  # fmt: skip
    return {"technician_id": technician.id, "technician_user_id": technician.user_id}


async def create(ctx: RequestContext, data: CreateLocation) -> LocationOut:
    await access.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.LOCATION, "create")
    if data.branch_id is not None:
        await profile.load_branch(ctx, data.branch_id)
    await _name_free(ctx, data.name)
    driver: dict[str, Any] = {}
    if data.technician_id is not None:
        if data.kind != "TRUCK":
            raise rule(InventoryReason.NOT_A_TRUCK, f"A {data.kind} has no technician: only a TRUCK does.")
        driver = await _driver(ctx, data.technician_id, None)
    location = StockLocation(name=data.name, kind=data.kind, branch_id=data.branch_id, active=True, **driver)
    return location_out(await records.create(ctx, kinds.LOCATION, location))


async def update(ctx: RequestContext, data: UpdateLocation) -> LocationOut:
    location = await access.location(ctx, data.id, "update", lock=True)
    changes = records.changes_of(data)
    if changes.get("name") is not None:
        await _name_free(ctx, changes["name"], location.id)
    if changes.get("branch_id") is not None:
        await profile.load_branch(ctx, changes["branch_id"])
    if changes.get("active") is False and location.active:
        held = await repository.location_stock(ctx.session, location.id)
        if held > 0:
            raise rule(InventoryReason.LOCATION_NOT_EMPTY, f"{location.name} holds {held} (or has it on the way): "
                       "move it out first.", held=str(held))  # fmt: skip
    if changes.get("active") is True and not location.active and location.technician_id is not None:
        await _driver(ctx, location.technician_id, location.id)
    return location_out(await records.change(ctx, kinds.LOCATION, location, changes))


async def assign(ctx: RequestContext, data: AssignTruck) -> LocationOut:
    """Gives the truck to a technician (or takes it off its driver: null)."""
    location = await access.location(ctx, data.id, "assign", lock=True)
    if location.kind != "TRUCK":
        raise rule(InventoryReason.NOT_A_TRUCK, f"{location.name} is a {location.kind}: only a TRUCK is assigned.")
    driver = {"technician_id": None, "technician_user_id": None}
    if data.technician_id is not None:
        driver = await _driver(ctx, data.technician_id, location.id)
    return location_out(await records.change(ctx, kinds.LOCATION, location, driver, action="assigned"))


async def get(ctx: RequestContext, location_id: uuid.UUID) -> LocationOut:
    return location_out(await access.location(ctx, location_id))


async def list_locations(ctx: RequestContext, data: ListLocations) -> Page[LocationOut]:
    await access.require_contractor(ctx)
    filters = []
    if data.kind is not None:
        filters.append(StockLocation.kind == data.kind)
    if data.active is not None:
        filters.append(StockLocation.active.is_(data.active))
    if data.branch_id is not None:
        filters.append(StockLocation.branch_id == data.branch_id)
    found, cursor = await records.page(ctx, kinds.LOCATION, data, *filters)
    return Page[LocationOut](items=[location_out(x) for x in found], next_cursor=cursor)

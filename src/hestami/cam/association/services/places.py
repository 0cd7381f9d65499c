"""Properties, units, common areas and their reservations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError

from hestami.cam.association import kinds, repository
from hestami.cam.association.errors import AssociationReason, conflict, rule
from hestami.cam.association.models import CommonArea, Property, Reservation, Unit
from hestami.cam.association.schemas import (
    CommonAreaOut,
    CreateCommonArea,
    CreateProperty,
    CreateUnit,
    ListCommonAreas,
    ListProperties,
    ListReservations,
    ListUnits,
    PropertyOut,
    ReservationOut,
    Reserve,
    UnitOut,
    UpdateCommonArea,
    UpdateProperty,
    UpdateUnit,
    address_of,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.schemas import ById


def property_out(record: Property) -> PropertyOut:
    return records.output(PropertyOut, record, address=address_of(record))


async def units_out(ctx: RequestContext, units: Sequence[Unit]) -> list[UnitOut]:
    """The units with the names of their owners of record today whose ownership the caller may see (one query for
    the page)."""
    visible = await records.visible(ctx, kinds.OWNERSHIP)
    owners: dict[uuid.UUID, list[str]] = {}
    for unit_id, party in await repository.current_owner_parties_of(ctx.session, [u.id for u in units], visible):
        owners.setdefault(unit_id, []).append(party.display_name)
    return [records.output(UnitOut, u, address=address_of(u), owner_names=owners.get(u.id, [])) for u in units]


async def unit_out(ctx: RequestContext, record: Unit) -> UnitOut:
    return (await units_out(ctx, [record]))[0]


def _with_address(changes: dict[str, Any]) -> dict[str, Any]:
    """Flattens an `address` input into the record's address columns."""
    address = changes.pop("address", None)
    return {**changes, **_address_columns(address)} if address is not None else changes


def _address_columns(address: dict[str, Any]) -> dict[str, Any]:
    return {
        "address_line1": address["line1"],
        "address_line2": address.get("line2"),
        "city": address["city"],
        "state": address["state"],
        "postal_code": address["postal_code"],
        "country": address.get("country", "US"),
    }


# --- properties ------------------------------------------------------------------------------------------


async def create_property(ctx: RequestContext, data: CreateProperty) -> PropertyOut:
    association = await records.load(ctx, kinds.ASSOCIATION, data.association_id)
    fields = _with_address(data.model_dump())
    fields["association_id"] = association.id
    return property_out(await records.create(ctx, kinds.PROPERTY, Property(**fields)))


async def get_property(ctx: RequestContext, data: ById) -> PropertyOut:
    return property_out(await records.load(ctx, kinds.PROPERTY, data.id))


async def list_properties(ctx: RequestContext, data: ListProperties) -> Page[PropertyOut]:
    filters = [Property.association_id == data.association_id] if data.association_id else []
    items, cursor = await records.page(ctx, kinds.PROPERTY, data, *filters)
    return Page[PropertyOut](items=[property_out(p) for p in items], next_cursor=cursor)


async def update_property(ctx: RequestContext, data: UpdateProperty) -> PropertyOut:
    record = await records.load(ctx, kinds.PROPERTY, data.id, "update")
    return property_out(await records.change(ctx, kinds.PROPERTY, record, _with_address(records.changes_of(data))))


async def delete_property(ctx: RequestContext, data: ById) -> None:
    await records.load(ctx, kinds.PROPERTY, data.id, "delete")
    if await repository.live_units_of_property(ctx.session, data.id):
        raise rule(AssociationReason.HAS_DEPENDENTS, "Delete the property's units first.")
    await records.soft_delete(ctx, kinds.PROPERTY, data.id)


# --- units -----------------------------------------------------------------------------------------------


async def _flush_unit(ctx: RequestContext, make: Any) -> Unit:
    try:
        async with ctx.session.begin_nested():
            return await make()  # type: ignore[no-any-return]
    except IntegrityError as exc:
        if "uq_units_number" in str(exc.orig):
            raise conflict(
                AssociationReason.DUPLICATE_UNIT_NUMBER, "This unit number exists in the property."
            ) from None
        raise


async def create_unit(ctx: RequestContext, data: CreateUnit) -> UnitOut:
    prop = await records.load(ctx, kinds.PROPERTY, data.property_id)
    fields = _with_address(data.model_dump())
    if "address_line1" not in fields:
        fields.update({k: getattr(prop, k) for k in ("city", "state", "postal_code", "country")})
    unit = Unit(**fields, association_id=prop.association_id)
    return await unit_out(ctx, await _flush_unit(ctx, lambda: records.create(ctx, kinds.UNIT, unit)))


async def get_unit(ctx: RequestContext, data: ById) -> UnitOut:
    return await unit_out(ctx, await records.load(ctx, kinds.UNIT, data.id))


async def list_units(ctx: RequestContext, data: ListUnits) -> Page[UnitOut]:
    filters = []
    if data.association_id:
        filters.append(Unit.association_id == data.association_id)
    if data.property_id:
        filters.append(Unit.property_id == data.property_id)
    items, cursor = await records.page(ctx, kinds.UNIT, data, *filters)
    return Page[UnitOut](items=await units_out(ctx, items), next_cursor=cursor)


async def update_unit(ctx: RequestContext, data: UpdateUnit) -> UnitOut:
    unit = await records.load(ctx, kinds.UNIT, data.id, "update")
    changes = _with_address(records.changes_of(data))
    return await unit_out(ctx, await _flush_unit(ctx, lambda: records.change(ctx, kinds.UNIT, unit, changes)))


async def delete_unit(ctx: RequestContext, data: ById) -> None:
    unit = await records.load(ctx, kinds.UNIT, data.id, "delete")
    if await repository.current_ownerships_of(ctx.session, unit.id):
        raise rule(AssociationReason.HAS_DEPENDENTS, "End the unit's ownerships first.")
    await records.soft_delete(ctx, kinds.UNIT, data.id)


# --- common areas and reservations -----------------------------------------------------------------------


def common_area_out(record: CommonArea) -> CommonAreaOut:
    return CommonAreaOut.model_validate(record)


async def create_common_area(ctx: RequestContext, data: CreateCommonArea) -> CommonAreaOut:
    association = await records.load(ctx, kinds.ASSOCIATION, data.association_id)
    if data.property_id is not None:
        prop = await records.find(ctx, kinds.PROPERTY, data.property_id)
        if prop.association_id != association.id:
            raise rule(AssociationReason.WRONG_ASSOCIATION, "The property belongs to another association.")
    return common_area_out(await records.create(ctx, kinds.COMMON_AREA, CommonArea(**data.model_dump())))


async def get_common_area(ctx: RequestContext, data: ById) -> CommonAreaOut:
    return common_area_out(await records.load(ctx, kinds.COMMON_AREA, data.id))


async def list_common_areas(ctx: RequestContext, data: ListCommonAreas) -> Page[CommonAreaOut]:
    filters = [CommonArea.association_id == data.association_id] if data.association_id else []
    items, cursor = await records.page(ctx, kinds.COMMON_AREA, data, *filters)
    return Page[CommonAreaOut](items=[common_area_out(c) for c in items], next_cursor=cursor)


async def update_common_area(ctx: RequestContext, data: UpdateCommonArea) -> CommonAreaOut:
    area = await records.load(ctx, kinds.COMMON_AREA, data.id, "update")
    return common_area_out(await records.change(ctx, kinds.COMMON_AREA, area, records.changes_of(data)))


async def delete_common_area(ctx: RequestContext, data: ById) -> None:
    await records.soft_delete(ctx, kinds.COMMON_AREA, data.id)


def reservation_out(record: Reservation) -> ReservationOut:
    return ReservationOut.model_validate(record)


async def reserve(ctx: RequestContext, data: Reserve) -> ReservationOut:
    """Books a reservable common area. Overlapping confirmed bookings are refused (CONFLICT); the database's
    exclusion constraint holds the same rule under concurrent requests."""
    area = await records.load(ctx, kinds.COMMON_AREA, data.common_area_id, "reserve", lock=True)
    if not area.reservable:
        raise rule(AssociationReason.NOT_RESERVABLE, f"{area.name} is not reservable.")
    if data.unit_id is not None:  # a booking names only a unit the caller may see (an owner: their own)
        unit = await records.load(ctx, kinds.UNIT, data.unit_id)
        if unit.association_id != area.association_id:
            raise rule(AssociationReason.WRONG_ASSOCIATION, "The unit belongs to another association.")
    clash = await repository.confirmed_overlap(ctx.session, area.id, data.starts_at, data.ends_at)
    if clash is not None:
        raise conflict(
            AssociationReason.RESERVATION_CONFLICT,
            f"{area.name} is booked then.",
            reservation_id=str(clash.id),
            starts_at=clash.starts_at.isoformat(),
            ends_at=clash.ends_at.isoformat(),
        )
    reservation = Reservation(**data.model_dump(), reserved_by_user_id=ctx.require_user(), status="CONFIRMED")
    return reservation_out(await records.create(ctx, kinds.RESERVATION, reservation))


async def list_reservations(ctx: RequestContext, data: ListReservations) -> Page[ReservationOut]:
    filters = [Reservation.status == "CONFIRMED"]
    if data.common_area_id:
        filters.append(Reservation.common_area_id == data.common_area_id)
    if data.from_time:
        filters.append(Reservation.ends_at > data.from_time)
    items, cursor = await records.page(ctx, kinds.RESERVATION, data, *filters)
    return Page[ReservationOut](items=[reservation_out(r) for r in items], next_cursor=cursor)


async def cancel_reservation(ctx: RequestContext, data: ById) -> ReservationOut:
    reservation = await records.load(ctx, kinds.RESERVATION, data.id, "cancel", lock=True)
    if reservation.status == "CANCELLED":
        return reservation_out(reservation)
    changed = await records.change(ctx, kinds.RESERVATION, reservation, {"status": "CANCELLED"}, action="cancelled")
    return reservation_out(changed)

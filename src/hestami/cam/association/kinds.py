"""Domain 1's record kinds: what Cerbos sees of each (policies/resource/<kind>.yaml)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, select

from hestami.cam.association import repository
from hestami.cam.association.models import (
    Association,
    CommonArea,
    ManagementContract,
    ManagerAssignment,
    Ownership,
    Party,
    Property,
    Reservation,
    Tenancy,
    Unit,
)
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _unit_attrs(ctx: RequestContext, unit: Unit) -> dict[str, AttrValue]:
    owners, tenants = await repository.people_of_unit(ctx.session, unit.id)
    return {"owner_user_ids": owners, "member_user_ids": tenants}


def _unit_columns() -> dict[str, Any]:
    return {
        "owner_user_ids": repository.users_array(Ownership, Unit.id, Unit.organization_id),
        "member_user_ids": repository.users_array(Tenancy, Unit.id, Unit.organization_id),
    }


async def _reservation_attrs(ctx: RequestContext, reservation: Reservation) -> dict[str, AttrValue]:
    return {"user_id": str(reservation.reserved_by_user_id)}


async def _party_attrs(ctx: RequestContext, party: Party) -> dict[str, AttrValue]:
    return {"user_id": str(party.user_id) if party.user_id else ""}


async def _ownership_attrs(ctx: RequestContext, ownership: Ownership) -> dict[str, AttrValue]:
    user_id = await repository.party_user_id(ctx.session, ownership.party_id)
    return {"owner_user_ids": [user_id] if user_id else []}


async def _tenancy_attrs(ctx: RequestContext, tenancy: Tenancy) -> dict[str, AttrValue]:
    user_id, owners = await repository.tenancy_people(ctx.session, tenancy)
    return {"user_id": user_id, "owner_user_ids": owners}


def _tenancy_columns() -> dict[str, Any]:
    return {
        "user_id": repository.party_user_text(Tenancy.party_id, Tenancy.organization_id),
        "owner_user_ids": repository.users_array(Ownership, Tenancy.unit_id, Tenancy.organization_id),
    }


async def _assignment_attrs(ctx: RequestContext, assignment: ManagerAssignment) -> dict[str, AttrValue]:
    return {"user_id": str(assignment.user_id)}


def _association_of_unit(unit_id: Any, organization_id: Any) -> Any:
    """SQL: the association of the unit a row refers to (for kinds located through their unit)."""
    return (
        select(Unit.association_id).where(Unit.organization_id == organization_id, Unit.id == unit_id).scalar_subquery()
    )


def _association_of_area() -> Any:
    return (
        select(CommonArea.association_id)
        .where(CommonArea.organization_id == Reservation.organization_id, CommonArea.id == Reservation.common_area_id)
        .scalar_subquery()
    )


ASSOCIATION = RecordKind("association", Association, association="id")
PROPERTY = RecordKind("property", Property)
UNIT = RecordKind("unit", Unit, attrs=_unit_attrs, columns=_unit_columns)
COMMON_AREA = RecordKind("common_area", CommonArea)
RESERVATION = RecordKind(
    "reservation",
    Reservation,
    attrs=_reservation_attrs,
    columns=lambda: {"user_id": cast(Reservation.reserved_by_user_id, Text)},
    association=_association_of_area,
)
PARTY = RecordKind("party", Party, attrs=_party_attrs, columns=lambda: {"user_id": cast(Party.user_id, Text)})
OWNERSHIP = RecordKind(
    "ownership",
    Ownership,
    attrs=_ownership_attrs,
    columns=lambda: {"owner_user_ids": repository.party_user_array(Ownership.party_id, Ownership.organization_id)},
    association=lambda: _association_of_unit(Ownership.unit_id, Ownership.organization_id),
)
TENANCY = RecordKind(
    "tenancy",
    Tenancy,
    attrs=_tenancy_attrs,
    columns=_tenancy_columns,
    association=lambda: _association_of_unit(Tenancy.unit_id, Tenancy.organization_id),
)
MANAGEMENT_CONTRACT = RecordKind("management_contract", ManagementContract)
MANAGER_ASSIGNMENT = RecordKind(
    "manager_assignment",
    ManagerAssignment,
    attrs=_assignment_attrs,
    columns=lambda: {"user_id": cast(ManagerAssignment.user_id, Text)},
)

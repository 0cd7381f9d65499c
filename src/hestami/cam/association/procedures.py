"""Domain 1 procedures (roadmap 2.4): association, property, unit, commonArea, party, ownership, tenancy,
managementContract and managerAssignment, all org-scoped. Lists accept `{}` plus filters and show only what
the caller may see (Cerbos query plans in SQL)."""

from __future__ import annotations

from hestami.cam.association import api
from hestami.cam.association.schemas import (
    AssignManager,
    AssociationOut,
    ChangeAssociationStatus,
    CommonAreaOut,
    CreateAssociation,
    CreateCommonArea,
    CreateManagementContract,
    CreateOwnership,
    CreateParty,
    CreateProperty,
    CreateTenancy,
    CreateUnit,
    EndManagerAssignment,
    EndOwnership,
    EndTenancy,
    ListAssociations,
    ListByAssociation,
    ListByUnit,
    ListCommonAreas,
    ListManagerAssignments,
    ListParties,
    ListProperties,
    ListReservations,
    ListUnits,
    ManagementContractOut,
    ManagerAssignmentOut,
    OwnershipOut,
    OwnershipsOut,
    PartyOut,
    PropertyOut,
    ReservationOut,
    Reserve,
    TenanciesOut,
    TenancyOut,
    TerminateManagementContract,
    UnitOut,
    UpdateAssociation,
    UpdateCommonArea,
    UpdateManagementContract,
    UpdateParty,
    UpdateProperty,
    UpdateUnit,
)
from hestami.cam.association.services import associations, management, occupancy, parties, places
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc import ProcedureRouter
from hestami.core.schemas import REMOVED, ById, Removed

association = ProcedureRouter("association", tags=("association",))
property_ = ProcedureRouter("property", tags=("association",))
unit = ProcedureRouter("unit", tags=("association",))
common_area = ProcedureRouter("commonArea", tags=("association",))
party = ProcedureRouter("party", tags=("association",))
ownership = ProcedureRouter("ownership", tags=("association",))
tenancy = ProcedureRouter("tenancy", tags=("association",))
management_contract = ProcedureRouter("managementContract", tags=("association",))
manager_assignment = ProcedureRouter("managerAssignment", tags=("association",))
ROUTERS = (
    association,
    property_,
    unit,
    common_area,
    party,
    ownership,
    tenancy,
    management_contract,
    manager_assignment,
)


# --- association -----------------------------------------------------------------------------------------


@association.mutation("create")
async def create_association(ctx: RequestContext, data: CreateAssociation) -> AssociationOut:
    """Create an association in ONBOARDING, operated by the current organization (a self-managed HOA's own
    organization or a management company). Settings: fiscal year start, time zone, late-fee policy,
    governing documents. The standard chart of accounts is seeded with it. MANAGER or ADMIN."""
    association = await associations.create(ctx, data)
    await api.association_created(ctx, association.id)
    return association


@association.query("get")
async def get_association(ctx: RequestContext, data: ById) -> AssociationOut:
    """One association of the current organization."""
    return await associations.get(ctx, data)


@association.query("list")
async def list_associations(ctx: RequestContext, data: ListAssociations) -> Page[AssociationOut]:
    """The organization's associations, optionally by status."""
    return await associations.list_(ctx, data)


@association.mutation("update")
async def update_association(ctx: RequestContext, data: UpdateAssociation) -> AssociationOut:
    """Change names, settings or governing documents (only the fields sent). MANAGER or ADMIN."""
    return await associations.update(ctx, data)


@association.mutation("changeStatus")
async def change_association_status(ctx: RequestContext, data: ChangeAssociationStatus) -> AssociationOut:
    """ONBOARDING → ACTIVE → SUSPENDED ⇄ ACTIVE; any → TERMINATED (final). Other moves are
    INVALID_STATE_TRANSITION with `from`/`to`. Each change is kept in the status history."""
    return await associations.change_status(ctx, data)


@association.mutation("delete")
async def delete_association(ctx: RequestContext, data: ById) -> Removed:
    """Soft-delete an association without properties. MANAGER or ADMIN."""
    await associations.delete(ctx, data)
    return REMOVED


# --- property --------------------------------------------------------------------------------------------


@property_.mutation("create")
async def create_property(ctx: RequestContext, data: CreateProperty) -> PropertyOut:
    """Add a property (a community or development) to an association: address, location, year built."""
    return await places.create_property(ctx, data)


@property_.query("get")
async def get_property(ctx: RequestContext, data: ById) -> PropertyOut:
    """One property."""
    return await places.get_property(ctx, data)


@property_.query("list")
async def list_properties(ctx: RequestContext, data: ListProperties) -> Page[PropertyOut]:
    """Properties, optionally of one association."""
    return await places.list_properties(ctx, data)


@property_.mutation("update")
async def update_property(ctx: RequestContext, data: UpdateProperty) -> PropertyOut:
    """Change a property (only the fields sent)."""
    return await places.update_property(ctx, data)


@property_.mutation("delete")
async def delete_property(ctx: RequestContext, data: ById) -> Removed:
    """Soft-delete a property without units."""
    await places.delete_property(ctx, data)
    return REMOVED


# --- unit ------------------------------------------------------------------------------------------------


@unit.mutation("create")
async def create_unit(ctx: RequestContext, data: CreateUnit) -> UnitOut:
    """Add a unit or lot to a property. `unit_number` is unique within the property (CONFLICT otherwise);
    `voting_weight` and `assessment_share` feed governance and assessments."""
    return await places.create_unit(ctx, data)


@unit.query("get")
async def get_unit(ctx: RequestContext, data: ById) -> UnitOut:
    """One unit. Owners and tenants see only their own units."""
    return await places.get_unit(ctx, data)


@unit.query("list")
async def list_units(ctx: RequestContext, data: ListUnits) -> Page[UnitOut]:
    """Units the caller may see (owners and tenants: their own), optionally by association or property."""
    return await places.list_units(ctx, data)


@unit.mutation("update")
async def update_unit(ctx: RequestContext, data: UpdateUnit) -> UnitOut:
    """Change a unit (only the fields sent)."""
    return await places.update_unit(ctx, data)


@unit.mutation("delete")
async def delete_unit(ctx: RequestContext, data: ById) -> Removed:
    """Soft-delete a unit with no current owner."""
    await places.delete_unit(ctx, data)
    return REMOVED


# --- common areas and reservations -----------------------------------------------------------------------


@common_area.mutation("create")
async def create_common_area(ctx: RequestContext, data: CreateCommonArea) -> CommonAreaOut:
    """Add a common area or amenity (pool, clubhouse, gate, ...) with capacity, rules, and whether it can
    be reserved."""
    return await places.create_common_area(ctx, data)


@common_area.query("get")
async def get_common_area(ctx: RequestContext, data: ById) -> CommonAreaOut:
    """One common area."""
    return await places.get_common_area(ctx, data)


@common_area.query("list")
async def list_common_areas(ctx: RequestContext, data: ListCommonAreas) -> Page[CommonAreaOut]:
    """Common areas, optionally of one association."""
    return await places.list_common_areas(ctx, data)


@common_area.mutation("update")
async def update_common_area(ctx: RequestContext, data: UpdateCommonArea) -> CommonAreaOut:
    """Change a common area (only the fields sent)."""
    return await places.update_common_area(ctx, data)


@common_area.mutation("delete")
async def delete_common_area(ctx: RequestContext, data: ById) -> Removed:
    """Soft-delete a common area."""
    await places.delete_common_area(ctx, data)
    return REMOVED


@common_area.mutation("reserve")
async def reserve(ctx: RequestContext, data: Reserve) -> ReservationOut:
    """Book a reservable common area for a period. An overlapping confirmed booking is CONFLICT
    (`details.reason` RESERVATION_CONFLICT). A `unit_id` must name a unit the caller can see in the common area's
    association (else NOT_FOUND, or BUSINESS_RULE_VIOLATION with reason WRONG_ASSOCIATION). Owners, tenants,
    board members and managers."""
    return await places.reserve(ctx, data)


@common_area.query("listReservations")
async def list_reservations(ctx: RequestContext, data: ListReservations) -> Page[ReservationOut]:
    """Confirmed reservations the caller may see (owners and tenants: their own)."""
    return await places.list_reservations(ctx, data)


@common_area.mutation("cancelReservation")
async def cancel_reservation(ctx: RequestContext, data: ById) -> ReservationOut:
    """Cancel a reservation (its booker or a manager)."""
    return await places.cancel_reservation(ctx, data)


# --- party -----------------------------------------------------------------------------------------------


@party.mutation("create")
async def create_party(ctx: RequestContext, data: CreateParty) -> PartyOut:
    """Add a person (INDIVIDUAL, needs last_name) or entity (ORGANIZATION, needs organization_name) with
    contact points. `user_id` links a platform user who is a member of the organization; without it a
    member with the same email is linked."""
    return await parties.create(ctx, data)


@party.query("get")
async def get_party(ctx: RequestContext, data: ById) -> PartyOut:
    """One party. Owners and tenants see only their own record."""
    return await parties.get(ctx, data)


@party.query("list")
async def list_parties(ctx: RequestContext, data: ListParties) -> Page[PartyOut]:
    """Parties the caller may see, optionally matching `search` in names or email."""
    return await parties.list_(ctx, data)


@party.mutation("update")
async def update_party(ctx: RequestContext, data: UpdateParty) -> PartyOut:
    """Change a party's names, contact points or user link (only the fields sent)."""
    return await parties.update(ctx, data)


@party.mutation("delete")
async def delete_party(ctx: RequestContext, data: ById) -> Removed:
    """Soft-delete a party; ownership and tenancy history stays."""
    await parties.delete(ctx, data)
    return REMOVED


# --- ownership and tenancy -------------------------------------------------------------------------------


@ownership.mutation("create")
async def create_ownership(ctx: RequestContext, data: CreateOwnership) -> OwnershipOut:
    """Record that a party owns a share of a unit from `start_date` (to `end_date`, if known). At every date
    the shares of one unit add up to at most 100%: more is BUSINESS_RULE_VIOLATION
    (`details.reason` OWNERSHIP_OVER_100_PERCENT, with the share still available)."""
    return await occupancy.create_ownership(ctx, data)


@ownership.query("get")
async def get_ownership(ctx: RequestContext, data: ById) -> OwnershipOut:
    """One ownership record."""
    return await occupancy.get_ownership(ctx, data)


@ownership.query("listByUnit")
async def list_ownerships_by_unit(ctx: RequestContext, data: ListByUnit) -> OwnershipsOut:
    """The unit's current owners (on `as_of`, default today), or its whole history with `include_history`."""
    return await occupancy.list_ownerships(ctx, data)


@ownership.mutation("end")
async def end_ownership(ctx: RequestContext, data: EndOwnership) -> OwnershipOut:
    """End an ownership on a date (a sale, a transfer); it stays in the unit's history."""
    return await occupancy.end_ownership(ctx, data)


@ownership.mutation("delete")
async def delete_ownership(ctx: RequestContext, data: ById) -> Removed:
    """Remove an ownership entered by mistake (a change of owner is `end`, which keeps history)."""
    await occupancy.delete_ownership(ctx, data)
    return REMOVED


@tenancy.mutation("create")
async def create_tenancy(ctx: RequestContext, data: CreateTenancy) -> TenancyOut:
    """Record a renter of a unit with lease dates and rent."""
    return await occupancy.create_tenancy(ctx, data)


@tenancy.query("get")
async def get_tenancy(ctx: RequestContext, data: ById) -> TenancyOut:
    """One tenancy (the tenant and the unit's owners may see it)."""
    return await occupancy.get_tenancy(ctx, data)


@tenancy.query("listByUnit")
async def list_tenancies_by_unit(ctx: RequestContext, data: ListByUnit) -> TenanciesOut:
    """The unit's current tenants, or its whole rental history with `include_history`."""
    return await occupancy.list_tenancies(ctx, data)


@tenancy.mutation("end")
async def end_tenancy(ctx: RequestContext, data: EndTenancy) -> TenancyOut:
    """End a tenancy on a date (move-out); it stays in the unit's history."""
    return await occupancy.end_tenancy(ctx, data)


@tenancy.mutation("delete")
async def delete_tenancy(ctx: RequestContext, data: ById) -> Removed:
    """Remove a tenancy entered by mistake."""
    await occupancy.delete_tenancy(ctx, data)
    return REMOVED


# --- management ------------------------------------------------------------------------------------------


@management_contract.mutation("create")
async def create_management_contract(ctx: RequestContext, data: CreateManagementContract) -> ManagementContractOut:
    """Record the contract under which a management company runs an association: dates, fee, service
    levels. `management_organization_id`, when given, must be a MANAGEMENT_COMPANY organization (else
    NOT_FOUND). ADMIN only."""
    return await management.create_contract(ctx, data)


@management_contract.query("get")
async def get_management_contract(ctx: RequestContext, data: ById) -> ManagementContractOut:
    """One management contract (managers and board members)."""
    return await management.get_contract(ctx, data)


@management_contract.query("list")
async def list_management_contracts(ctx: RequestContext, data: ListByAssociation) -> Page[ManagementContractOut]:
    """Management contracts, optionally of one association."""
    return await management.list_contracts(ctx, data)


@management_contract.mutation("update")
async def update_management_contract(ctx: RequestContext, data: UpdateManagementContract) -> ManagementContractOut:
    """Change an active contract's end date, fee or service levels. ADMIN only."""
    return await management.update_contract(ctx, data)


@management_contract.mutation("terminate")
async def terminate_management_contract(
    ctx: RequestContext, data: TerminateManagementContract
) -> ManagementContractOut:
    """Terminate a contract on a date. ADMIN only."""
    return await management.terminate_contract(ctx, data)


@manager_assignment.mutation("create")
async def assign_manager(ctx: RequestContext, data: AssignManager) -> ManagerAssignmentOut:
    """Assign a MANAGER or ADMIN of the organization to an association as COMMUNITY, PORTFOLIO or ASSISTANT
    manager. The units of all their current associations must stay within `max_units`
    (BUSINESS_RULE_VIOLATION, `details.reason` MANAGER_WORKLOAD_EXCEEDED). ADMIN only."""
    return await management.assign_manager(ctx, data)


@manager_assignment.query("list")
async def list_manager_assignments(ctx: RequestContext, data: ListManagerAssignments) -> Page[ManagerAssignmentOut]:
    """Manager assignments with each manager's current unit load, optionally by association or manager."""
    return await management.list_assignments(ctx, data)


@manager_assignment.mutation("end")
async def end_manager_assignment(ctx: RequestContext, data: EndManagerAssignment) -> ManagerAssignmentOut:
    """End an assignment on a date. ADMIN only."""
    return await management.end_assignment(ctx, data)

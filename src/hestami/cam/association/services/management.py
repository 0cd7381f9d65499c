"""Management contracts (a management company running an association) and manager assignments."""

from __future__ import annotations

import uuid
from datetime import date

from hestami.cam.association import kinds, repository
from hestami.cam.association.errors import AssociationReason, rule
from hestami.cam.association.models import ManagementContract, ManagerAssignment
from hestami.cam.association.schemas import (
    AssignManager,
    CreateManagementContract,
    EndManagerAssignment,
    ListByAssociation,
    ListManagerAssignments,
    ManagementContractOut,
    ManagerAssignmentOut,
    TerminateManagementContract,
    UpdateManagementContract,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.pagination import Page
from hestami.core.schemas import ById
from hestami.identity.services import organizations as identity

MANAGING_ROLES = frozenset({"MANAGER", "ADMIN"})
MANAGEMENT_COMPANY = ("MANAGEMENT_COMPANY",)


def contract_out(contract: ManagementContract) -> ManagementContractOut:
    return ManagementContractOut.model_validate(contract)


async def _check_management_company(ctx: RequestContext, organization_id: uuid.UUID | None) -> None:
    """A contract names the management company's organization, if it has one on the platform: a
    MANAGEMENT_COMPANY organization. Any other organization answers like a random id: NOT_FOUND."""
    if organization_id is not None and not await identity.is_organization_of_type(
        ctx, organization_id, MANAGEMENT_COMPANY
    ):
        raise not_found("management_company", organization_id)


async def create_contract(ctx: RequestContext, data: CreateManagementContract) -> ManagementContractOut:
    await records.load(ctx, kinds.ASSOCIATION, data.association_id)
    await _check_management_company(ctx, data.management_organization_id)
    fields = data.model_dump()
    fields["service_levels"] = [s.model_dump() for s in data.service_levels]
    contract = ManagementContract(**fields, status="ACTIVE")
    return contract_out(await records.create(ctx, kinds.MANAGEMENT_CONTRACT, contract))


async def get_contract(ctx: RequestContext, data: ById) -> ManagementContractOut:
    return contract_out(await records.load(ctx, kinds.MANAGEMENT_CONTRACT, data.id))


async def list_contracts(ctx: RequestContext, data: ListByAssociation) -> Page[ManagementContractOut]:
    filters = [ManagementContract.association_id == data.association_id] if data.association_id else []
    items, cursor = await records.page(ctx, kinds.MANAGEMENT_CONTRACT, data, *filters)
    return Page[ManagementContractOut](items=[contract_out(c) for c in items], next_cursor=cursor)


async def update_contract(ctx: RequestContext, data: UpdateManagementContract) -> ManagementContractOut:
    contract = await records.load(ctx, kinds.MANAGEMENT_CONTRACT, data.id, "update")
    if contract.status == "TERMINATED":
        raise rule(AssociationReason.CONTRACT_TERMINATED, "A terminated contract cannot change.")
    changes = records.changes_of(data)
    if data.service_levels is not None:
        changes["service_levels"] = [s.model_dump() for s in data.service_levels]
    return contract_out(await records.change(ctx, kinds.MANAGEMENT_CONTRACT, contract, changes))


async def terminate_contract(ctx: RequestContext, data: TerminateManagementContract) -> ManagementContractOut:
    contract = await records.load(ctx, kinds.MANAGEMENT_CONTRACT, data.id, "terminate", lock=True)
    if contract.status == "TERMINATED":
        raise rule(AssociationReason.CONTRACT_TERMINATED, f"Terminated on {contract.terminated_on}.")
    if data.terminated_on < contract.start_date:
        raise rule(AssociationReason.END_BEFORE_START, "terminated_on is before the contract's start.")
    changes = {"status": "TERMINATED", "terminated_on": data.terminated_on}
    return contract_out(await records.change(ctx, kinds.MANAGEMENT_CONTRACT, contract, changes, action="terminated"))


async def assignments_out(ctx: RequestContext, assignments: list[ManagerAssignment]) -> list[ManagerAssignmentOut]:
    """Each assignment with the units its manager handles today (across all their current assignments),
    counted for every manager on the list in one query."""
    managed = await repository.units_managed_by(ctx.session, sorted({a.user_id for a in assignments}), date.today())
    return [records.output(ManagerAssignmentOut, a, units_managed=managed.get(a.user_id, 0)) for a in assignments]


async def assignment_out(ctx: RequestContext, assignment: ManagerAssignment) -> ManagerAssignmentOut:
    return (await assignments_out(ctx, [assignment]))[0]


async def assign_manager(ctx: RequestContext, data: AssignManager) -> ManagerAssignmentOut:
    """The manager must be a MANAGER or ADMIN of the organization, and the units of all their current
    associations (this one included) must stay within the smallest `max_units` among their assignments."""
    await records.load(ctx, kinds.ASSOCIATION, data.association_id)
    await records.authorize_new(ctx, kinds.MANAGER_ASSIGNMENT, "create")
    roles = await identity.member_roles(ctx, data.user_id)
    if roles is None or not roles & MANAGING_ROLES:
        raise rule(AssociationReason.NOT_A_MANAGER, "Only a MANAGER or ADMIN of this organization can be assigned.")
    current = await repository.current_assignments_of(ctx.session, data.user_id, data.start_date, lock=True)
    associations = {a.association_id for a in current} | {data.association_id}
    units = await repository.unit_count(ctx.session, sorted(associations))
    limit = min([data.max_units, *(a.max_units for a in current)])
    if units > limit:
        raise rule(
            AssociationReason.MANAGER_WORKLOAD_EXCEEDED,
            f"The manager would handle {units} units; the limit is {limit}.",
            units=units,
            max_units=limit,
        )
    assignment = await records.create(ctx, kinds.MANAGER_ASSIGNMENT, ManagerAssignment(**data.model_dump()))
    return await assignment_out(ctx, assignment)


async def list_assignments(ctx: RequestContext, data: ListManagerAssignments) -> Page[ManagerAssignmentOut]:
    filters = []
    if data.association_id:
        filters.append(ManagerAssignment.association_id == data.association_id)
    if data.user_id:
        filters.append(ManagerAssignment.user_id == data.user_id)
    items, cursor = await records.page(ctx, kinds.MANAGER_ASSIGNMENT, data, *filters)
    return Page[ManagerAssignmentOut](items=await assignments_out(ctx, items), next_cursor=cursor)


async def end_assignment(ctx: RequestContext, data: EndManagerAssignment) -> ManagerAssignmentOut:
    assignment = await records.load(ctx, kinds.MANAGER_ASSIGNMENT, data.id, "end", lock=True)
    if assignment.end_date is not None and assignment.end_date <= data.end_date:
        raise rule(AssociationReason.ALREADY_ENDED, f"Already ended on {assignment.end_date}.")
    if data.end_date <= assignment.start_date:
        raise rule(AssociationReason.END_BEFORE_START, "end_date must be after start_date.")
    ended = await records.change(ctx, kinds.MANAGER_ASSIGNMENT, assignment, {"end_date": data.end_date}, action="ended")
    return await assignment_out(ctx, ended)

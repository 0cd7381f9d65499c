"""What other domains may use of domain 1 (associations, units, common areas, the people of a unit).

Other domains never import `association.models` or `association.repository` (import-linter holds this): they
load what they need here, through the caller's scope (a record of another tenant is NOT_FOUND), and receive
small frozen references, not ORM rows. Policy attributes that depend on a unit's people come from here too,
both for one record (`people_of_unit`) and as SQL for Cerbos query plans (`unit_people_columns`).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select

from hestami.cam.association import kinds, repository
from hestami.cam.association.models import Association, CommonArea, Ownership, Party, Tenancy, Unit
from hestami.cam.association.schemas import AddressIn, AddressOut, UpdateAssociation, address_of
from hestami.cam.association.services import associations as association_service
from hestami.cam.association.services import parties as party_service
from hestami.cam.association.services.management import MANAGING_ROLES
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import MAX_LIMIT, PageRequest
from hestami.identity import linking
from hestami.identity.services import organizations as identity

ASSOCIATION_KIND = kinds.ASSOCIATION.name
UNIT_KIND = kinds.UNIT.name


@dataclass(frozen=True, slots=True)
class AssociationRef:
    """An association as other domains see it: identity and the settings they apply."""

    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    status: str
    fiscal_year_start_month: int
    timezone: str
    late_fee_type: str
    late_fee_amount: Decimal | None
    late_fee_percent: Decimal | None
    late_fee_grace_days: int
    work_order_sla_hours: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UnitRef:
    id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID
    property_id: uuid.UUID
    unit_number: str
    voting_weight: Decimal
    assessment_share: Decimal | None


@dataclass(frozen=True, slots=True)
class CommonAreaRef:
    id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID
    property_id: uuid.UUID | None
    name: str


@dataclass(frozen=True, slots=True)
class OwnerContact:
    """An owner of a unit as a letter addresses them: name, email (if any), platform user (if any), mailing
    address (the party's own, else empty: the letter goes to the unit)."""

    party_id: uuid.UUID
    name: str
    email: str | None
    user_id: uuid.UUID | None
    mailing_address: str
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class UnitPeople:
    """The platform users who currently own or rent a unit, as text ids (what policies compare to)."""

    owner_user_ids: list[str]
    member_user_ids: list[str]


def _association_ref(row: Association) -> AssociationRef:
    return AssociationRef(
        id=row.id,
        organization_id=row.organization_id,
        name=row.name,
        status=row.status,
        fiscal_year_start_month=row.fiscal_year_start_month,
        timezone=row.timezone,
        late_fee_type=row.late_fee_type,
        late_fee_amount=row.late_fee_amount,
        late_fee_percent=row.late_fee_percent,
        late_fee_grace_days=row.late_fee_grace_days,
        work_order_sla_hours=dict(row.work_order_sla_hours or {}),
    )


def _unit_ref(row: Unit) -> UnitRef:
    return UnitRef(
        id=row.id,
        organization_id=row.organization_id,
        association_id=row.association_id,
        property_id=row.property_id,
        unit_number=row.unit_number,
        voting_weight=row.voting_weight,
        assessment_share=row.assessment_share,
    )


def _area_ref(row: CommonArea) -> CommonAreaRef:
    return CommonAreaRef(
        id=row.id,
        organization_id=row.organization_id,
        association_id=row.association_id,
        property_id=row.property_id,
        name=row.name,
    )


async def load_association(ctx: RequestContext, association_id: uuid.UUID, action: str = "view") -> AssociationRef:
    """The association in scope that the caller may `action` (NOT_FOUND, then FORBIDDEN)."""
    return _association_ref(await records.load(ctx, kinds.ASSOCIATION, association_id, action))


async def find_association(ctx: RequestContext, association_id: uuid.UUID) -> AssociationRef:
    """The association in scope (NOT_FOUND), without a policy check: for rules the caller's action already passed."""
    return _association_ref(await records.find(ctx, kinds.ASSOCIATION, association_id))


async def load_unit(ctx: RequestContext, unit_id: uuid.UUID, action: str = "view", *, lock: bool = False) -> UnitRef:
    """The unit in scope that the caller may `action`; `lock` holds its row until the transaction ends."""
    return _unit_ref(await records.load(ctx, kinds.UNIT, unit_id, action, lock=lock))


async def find_unit(ctx: RequestContext, unit_id: uuid.UUID, *, lock: bool = False) -> UnitRef:
    """The unit in scope (NOT_FOUND), without a policy check."""
    return _unit_ref(await records.find(ctx, kinds.UNIT, unit_id, lock=lock))


async def property_association(ctx: RequestContext, property_id: uuid.UUID, action: str = "view") -> uuid.UUID:
    """The association of a property in scope that the caller may `action` (NOT_FOUND, then FORBIDDEN)."""
    return (await records.load(ctx, kinds.PROPERTY, property_id, action)).association_id


async def load_common_area(ctx: RequestContext, area_id: uuid.UUID, action: str = "view") -> CommonAreaRef:
    return _area_ref(await records.load(ctx, kinds.COMMON_AREA, area_id, action))


async def find_common_area(ctx: RequestContext, area_id: uuid.UUID) -> CommonAreaRef:
    return _area_ref(await records.find(ctx, kinds.COMMON_AREA, area_id))


async def units_of(
    ctx: RequestContext,
    association_id: uuid.UUID,
    *,
    unit_ids: Sequence[uuid.UUID] | None = None,
    lock: bool = False,
) -> list[UnitRef]:
    """The association's live units (or those of `unit_ids` that belong to it), by unit number, in one query."""
    rows = await repository.units_of(ctx.session, association_id, unit_ids=unit_ids, lock=lock)
    return [UnitRef(**row._mapping) for row in rows]


def live_units_query(association_id: uuid.UUID) -> Select[Any]:
    """`units_of` as a statement, for a repository that aggregates the units server side (a posting run fixes
    20,000 units without bringing them to Python): `UnitRef`'s columns, unordered; list them by unit number, then
    id, as `units_of` does. Executed in the caller's session, so its scope (RLS) applies."""
    return repository.live_units(association_id)


async def transfer_days(
    ctx: RequestContext, unit_ids: Sequence[uuid.UUID], first: date, last: date
) -> dict[uuid.UUID, set[date]]:
    """The days after `first` up to `last` on which each of these units changed hands (an ownership of it started
    or ended: a new owner's first day), units without one left out, in one query."""
    days: dict[uuid.UUID, set[date]] = {}
    for unit_id, day in await repository.ownership_changes(ctx.session, unit_ids, first, last):
        days.setdefault(unit_id, set()).add(day)
    return days


async def unit_numbers(ctx: RequestContext, unit_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Unit numbers of the given units in scope, in unit-number order (dicts keep it), in one query."""
    return await repository.unit_numbers(ctx.session, unit_ids)


async def common_area_names(ctx: RequestContext, area_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Names of the given common areas in scope, in one query."""
    return await repository.common_area_names(ctx.session, area_ids)


async def association_names(ctx: RequestContext, association_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Names of the given associations in scope, in one query."""
    return await repository.association_names(ctx.session, association_ids)


async def people_of_unit(ctx: RequestContext, unit_id: uuid.UUID | None) -> UnitPeople:
    """Who owns and who rents the unit today (empty for no unit or a unit out of scope)."""
    if unit_id is None:
        return UnitPeople([], [])
    owners, tenants = await repository.people_of_unit(ctx.session, unit_id)
    return UnitPeople(owner_user_ids=owners, member_user_ids=tenants)


async def load_party(ctx: RequestContext, party_id: uuid.UUID, action: str = "view") -> OwnerContact:
    """A party of the organization the caller may see, as a contact (NOT_FOUND otherwise)."""
    return _contact(await records.load(ctx, kinds.PARTY, party_id, action))


async def owners_of_unit(ctx: RequestContext, unit_id: uuid.UUID | None, organization_id: uuid.UUID) -> list[str]:
    """Who owns the unit (of `organization_id`) today, as text user ids (empty for no unit or none visible): one
    statement, for policies that read only the owners."""
    if unit_id is None:
        return []
    return await repository.owners_of_unit(ctx.session, unit_id, organization_id)


def unit_owners_column(unit_id: Any, organization_id: Any) -> Any:
    """SQL: the text ids of the users who own the unit `unit_id` today, as an array (for query plans)."""
    return repository.users_array(Ownership, unit_id, organization_id)


def _contact(party: Party) -> OwnerContact:
    lines = [party.address_line1, party.address_line2, " ".join(p for p in (party.city, party.state) if p)]
    address = ", ".join(line for line in [*lines, party.postal_code] if line)
    return OwnerContact(party.id, party.display_name, party.email, party.user_id, address, party.phone)


async def party_contacts(ctx: RequestContext, party_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OwnerContact]:
    """The live parties among `party_ids`, as contacts, in one query. No policy decision of its own: for parties
    the system itself holds (a board seat's holder); ids from an input go through `load_party`."""
    return {party.id: _contact(party) for party in await repository.live_parties(ctx.session, party_ids)}


async def owner_contacts(ctx: RequestContext, unit_id: uuid.UUID) -> list[OwnerContact]:
    """Who owns the unit today, to address a notice to (empty for a unit out of scope)."""
    return [_contact(party) for party in await repository.current_owner_parties(ctx.session, unit_id)]


async def owners_of_record(
    ctx: RequestContext, association_id: uuid.UUID, day: date
) -> dict[uuid.UUID, list[OwnerContact]]:
    """The owners of every live unit of the association on `day` (a record date), by unit in unit-number order;
    units nobody owned that day are left out. One statement."""
    owners: dict[uuid.UUID, list[OwnerContact]] = {}
    for unit_id, party in await repository.owner_parties_on(ctx.session, association_id, day):
        owners.setdefault(unit_id, []).append(_contact(party))
    return owners


async def caller_owns_in_association(ctx: RequestContext, association_id: uuid.UUID | None) -> bool:
    """Whether the caller owns a unit of the association today (False for none or one out of scope)."""
    if association_id is None or ctx.user_id is None:
        return False
    return await repository.caller_owns_in(ctx.session, association_id, ctx.require_org())


def caller_if_association_owner_column(association_id: Any, organization_id: Any) -> Any:
    """SQL for query plans: `[<caller>]` when the caller owns a unit of the association the row refers to today,
    else `[]` (so `principal.id in owner_user_ids` holds exactly for the association's owners)."""
    return repository.caller_if_owner_in_association(association_id, organization_id)


async def caller_rents_in_association(ctx: RequestContext, association_id: uuid.UUID | None) -> bool:
    """Whether the caller rents a unit of the association today (False for none or one out of scope)."""
    if association_id is None or ctx.user_id is None:
        return False
    return await repository.caller_rents_in(ctx.session, association_id, ctx.require_org())


def caller_if_association_tenant_column(association_id: Any, organization_id: Any) -> Any:
    """SQL for query plans: `[<caller>]` when the caller rents a unit of the association the row refers to today,
    else `[]` (so `principal.id in member_user_ids` holds exactly for the association's tenants)."""
    return repository.caller_if_tenant_in_association(association_id, organization_id)


def unit_people_columns(unit_id: Any, organization_id: Any) -> dict[str, Any]:
    """SQL for `owner_user_ids` and `member_user_ids` of the unit a row refers to (for query plans)."""
    return {
        "owner_user_ids": repository.users_array(Ownership, unit_id, organization_id),
        "member_user_ids": repository.users_array(Tenancy, unit_id, organization_id),
    }


async def lock_for_numbering(ctx: RequestContext, association_id: uuid.UUID) -> None:
    """Holds the association's row until the transaction ends, so per-association sequence numbers (journal
    entries) are taken one transaction at a time."""
    await repository.lock_association(ctx.session, association_id)


AssociationCreated = Callable[[RequestContext, uuid.UUID], Awaitable[object]]
_when_created: list[AssociationCreated] = []


def when_created(hook: AssociationCreated) -> AssociationCreated:
    """Registers what another domain sets up for every new association, in the same transaction (the
    accounting domain seeds the standard chart of accounts). Hooks run in registration order."""
    if hook not in _when_created:
        _when_created.append(hook)
    return hook


async def association_created(ctx: RequestContext, association_id: uuid.UUID) -> None:
    for hook in _when_created:
        await hook(ctx, association_id)


# Account linking: an owner who proves the email the association has on file gets their party and its units.
linking.when_email_proven(party_service.link_proven_email)


async def association_named(ctx: RequestContext, name: str) -> AssociationRef | None:
    """The organization's association called `name`, if the caller may see it (names are unique in an
    organization)."""
    found, _ = await records.page(ctx, kinds.ASSOCIATION, PageRequest(limit=1), Association.name == name)
    return _association_ref(found[0]) if found else None


async def common_areas_of(ctx: RequestContext, association_id: uuid.UUID) -> list[CommonAreaRef]:
    """The association's live common areas the caller may see, oldest first."""
    areas: list[CommonAreaRef] = []
    cursor: str | None = None
    while True:
        request = PageRequest(limit=MAX_LIMIT, cursor=cursor)
        found, cursor = await records.page(ctx, kinds.COMMON_AREA, request, CommonArea.association_id == association_id)
        areas += [_area_ref(area) for area in found]
        if cursor is None:
            return areas


async def set_work_order_sla_hours(
    ctx: RequestContext, association_id: uuid.UUID, hours: Mapping[str, Decimal]
) -> None:
    """Sets the association's work-order SLA per priority exactly as `association/v1/update` does (the caller
    must be allowed to update the association; the change is audited)."""
    data = UpdateAssociation.model_validate({"id": association_id, "work_order_sla_hours": dict(hours)})
    await association_service.update(ctx, data)


# --- the owner portal: a person's own parties ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Holding:
    """A unit a party owns (OWNER) or rents (TENANT) today."""

    relation: str
    record_id: uuid.UUID
    unit_id: uuid.UUID
    unit_number: str
    association_id: uuid.UUID
    start_date: date
    end_date: date | None
    percentage: Decimal | None


@dataclass(frozen=True, slots=True)
class PartyProfile:
    """A party as the person linked to it sees it: name, contact points and the units it holds today."""

    id: uuid.UUID
    party_type: str
    display_name: str
    first_name: str | None
    last_name: str | None
    organization_name: str | None
    email: str | None
    phone: str | None
    mailing_address: AddressOut
    user_id: uuid.UUID | None
    updated_at: datetime
    holdings: tuple[Holding, ...]


CONTACT_FIELDS = frozenset({"first_name", "last_name", "organization_name", "phone", "mailing_address"})
"""What a person may change of their own party (`change_party_contact`): the email is the managers' to keep."""


def _profile(party: Party, holdings: Sequence[Any]) -> PartyProfile:
    return PartyProfile(
        id=party.id, party_type=party.party_type, display_name=party.display_name, first_name=party.first_name,
        last_name=party.last_name, organization_name=party.organization_name, email=party.email, phone=party.phone,
        mailing_address=address_of(party), user_id=party.user_id, updated_at=party.updated_at,
        holdings=tuple(Holding(**{k: v for k, v in row._mapping.items() if k != "party_id"}) for row in holdings),
    )  # fmt: skip


async def parties_of_caller(ctx: RequestContext) -> list[PartyProfile]:
    """The organization's live parties linked to the caller's account, by name, each with the units it owns or
    rents today (two statements whatever the number of parties)."""
    parties = await repository.parties_of_user(ctx.session, ctx.require_user())
    rows = await repository.holdings_of(ctx.session, [p.id for p in parties], date.today())
    return [_profile(party, [row for row in rows if row.party_id == party.id]) for party in parties]


async def party_profile(ctx: RequestContext, party_id: uuid.UUID) -> PartyProfile:
    """A live party in scope with what it holds today (NOT_FOUND), without a policy decision: for a party the
    calling domain authorized."""
    party = await records.find(ctx, kinds.PARTY, party_id)
    return _profile(party, await repository.holdings_of(ctx.session, [party.id], date.today()))


async def change_party_contact(ctx: RequestContext, party_id: uuid.UUID, changes: Mapping[str, Any]) -> PartyProfile:
    """Changes a party's name, phone or mailing address (`CONTACT_FIELDS`; the address as `AddressIn`'s fields),
    audited as `party/v1/update` is, without a policy decision of its own: the calling domain authorizes (the owner
    portal lets a person change their own party). The party's row is locked for the change."""
    unknown = set(changes) - CONTACT_FIELDS
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    party = await records.find(ctx, kinds.PARTY, party_id, lock=True)
    columns = {name: value for name, value in changes.items() if name != "mailing_address"}
    address = changes.get("mailing_address")
    if address is not None:
        columns |= AddressIn.model_validate(address).columns()
    party = await records.change(ctx, kinds.PARTY, party, columns, action="contact_updated")
    return _profile(party, await repository.holdings_of(ctx.session, [party.id], date.today()))


# --- where work happens (work orders' provider matching) -------------------------------------------------------


async def work_site_postal_codes(
    ctx: RequestContext,
    association_id: uuid.UUID,
    *,
    unit_id: uuid.UUID | None = None,
    common_area_id: uuid.UUID | None = None,
) -> list[str]:
    """The postal codes of a job's site, in scope and without a policy decision (for a record the calling domain
    authorized, or a workflow acting for the organization): the unit's own postal code, else its property's; a
    common area's property's; with neither, or none on file there, those of the association's live properties."""
    return await repository.work_site_postal_codes(
        ctx.session, association_id, unit_id=unit_id, common_area_id=common_area_id
    )


# --- reporting (issue 20): a management company's portfolio ------------------------------------------------------


async def associations_of_organization(ctx: RequestContext) -> list[AssociationRef]:
    """Every live association of the caller's organization, by name, in one query. No policy decision of its own:
    the calling domain authorized its own, organization-wide action (management's portfolio)."""
    return [_association_ref(row) for row in await repository.live_associations(ctx.session)]


async def unit_counts(ctx: RequestContext, association_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Live units per association of the caller's organization (0 for none), in one query."""
    counts = await repository.unit_counts(ctx.session, association_ids)
    return {association_id: counts.get(association_id, 0) for association_id in association_ids}


@dataclass(frozen=True, slots=True)
class ManagerWorkload:
    """A manager's current assignments: the associations and the live units in them."""

    user_id: uuid.UUID
    email: str | None
    association_ids: tuple[uuid.UUID, ...]
    units: int


async def manager_workload(ctx: RequestContext, day: date) -> list[ManagerWorkload]:
    """Every manager with an assignment current on `day` in the caller's organization: their associations and the
    live units of those (as `manager_assignment`'s `units_managed` counts them), by email. A handful of queries
    whatever the number of managers; no policy decision of its own (the calling domain authorized its own)."""
    assigned: dict[uuid.UUID, list[uuid.UUID]] = {}
    for user_id, association_id in await repository.current_assignments(ctx.session, day):
        assigned.setdefault(user_id, []).append(association_id)
    units = await repository.units_managed_by(ctx.session, list(assigned), day)
    emails = {user_id: email for user_id, email in await identity.members_in_roles(ctx, list(MANAGING_ROLES))}
    workloads = [
        ManagerWorkload(user_id, emails.get(user_id), tuple(associations), units.get(user_id, 0))
        for user_id, associations in assigned.items()
    ]
    return sorted(workloads, key=lambda w: (w.email or "", str(w.user_id)))

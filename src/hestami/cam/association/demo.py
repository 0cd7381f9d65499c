"""Demo associations: two communities Summit Property Management runs, and self-managed Sunset Ridge.

Runs after identity's seeder, as the demo ADMIN of each organization, through domain 1's services so rules,
Cerbos and the audit trail apply exactly as for a request. An association whose name already exists in its
organization is skipped whole, so `hestami dev` can run this on every start. The records themselves are in
`demo_data.py`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hestami.cam.association.demo_data import (
    FIRST_NAMES,
    LAST_NAMES,
    MAILING_ADDRESSES,
    SERVICE_LEVELS,
    SPOUSE_NAMES,
    Booking,
    Community,
    communities,
)
from hestami.cam.association.schemas import (
    AddressIn,
    AssignManager,
    ChangeAssociationStatus,
    CreateCommonArea,
    CreateManagementContract,
    CreateOwnership,
    CreateParty,
    CreateProperty,
    CreateTenancy,
    CreateUnit,
    EndOwnership,
    ListAssociations,
    ListUnits,
    OwnershipType,
    Reserve,
)
from hestami.cam.association.services import associations, management, occupancy, parties, places
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity import demo as identity
from hestami.identity.demo import DEMO_USERS, email_of

TEXAS = ZoneInfo("America/Chicago")
HUNDRED = Decimal(100)
HALF = Decimal(50)
ADMIN = frozenset({"ADMIN"})


def _email(first: str, last: str) -> str:
    return f"{first}.{last}@example.com".lower().replace(" ", "").replace("'", "")


def _since(community: Community, i: int) -> date:
    """A plausible purchase date for the i-th unit, spread over the community's years."""
    return date(community.first_year + (i * 7) % 10, 1 + (i * 5) % 12, 1 + (i * 11) % 28)


class _Loader:
    """Fills one association inside one scoped transaction, counting what it adds."""

    def __init__(self, ctx: RequestContext, community: Community, users: dict[str, uuid.UUID], today: date) -> None:
        self.ctx = ctx
        self.community = community
        self.users = users
        self.today = today
        self.names = 0
        self.phones = 0
        self.owners = 0
        self.tenants = 0
        self.units: dict[str, uuid.UUID] = {}

    def _next_name(self) -> tuple[str, str]:
        k, offset = self.names, self.community.name_offset
        self.names += 1
        return FIRST_NAMES[(k * 7 + offset) % len(FIRST_NAMES)], LAST_NAMES[(k * 13 + offset) % len(LAST_NAMES)]

    def _phone(self) -> str:
        self.phones += 1
        return f"({self.community.area_code}) 555-{100 + self.phones % 100:04d}"

    def _mailing(self, i: int) -> AddressIn:
        return MAILING_ADDRESSES[i % len(MAILING_ADDRESSES)]

    async def person(
        self,
        first: str,
        last: str,
        *,
        mailing: AddressIn | None = None,
        email: str | None = None,
        user_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        data = CreateParty(
            party_type="INDIVIDUAL",
            first_name=first,
            last_name=last,
            email=email or _email(first, last),
            phone=self._phone(),
            mailing_address=mailing,
            user_id=user_id,
        )
        return (await parties.create(self.ctx, data)).id

    async def entity(self, name: str, mailing: AddressIn, notes: str) -> uuid.UUID:
        domain = name.lower().replace(" ", "-").replace(",", "")
        data = CreateParty(
            party_type="ORGANIZATION",
            organization_name=name,
            email=f"office@{domain}.example",
            phone=self._phone(),
            mailing_address=mailing,
            notes=notes,
        )
        return (await parties.create(self.ctx, data)).id

    async def own(
        self,
        unit: str,
        party: uuid.UUID,
        since: date,
        *,
        share: Decimal = HUNDRED,
        kind: OwnershipType = "FEE_SIMPLE",
        primary: bool = True,
    ) -> uuid.UUID:
        data = CreateOwnership(
            unit_id=self.units[unit],
            party_id=party,
            percentage=share,
            start_date=since,
            ownership_type=kind,
            is_primary_contact=primary,
        )
        return (await occupancy.create_ownership(self.ctx, data)).id

    async def load(self, property_id: uuid.UUID) -> None:
        for spec in self.community.units:
            data = CreateUnit(
                property_id=property_id,
                unit_number=spec.number,
                unit_type=spec.unit_type,
                address=spec.address,
                square_feet=spec.square_feet,
                bedrooms=spec.bedrooms,
                bathrooms=spec.bathrooms,
                assessment_share=spec.assessment_share,
            )
            self.units[spec.number] = (await places.create_unit(self.ctx, data)).id
        for i, spec in enumerate(self.community.units):
            await self._occupy(i, spec.number)

    async def _occupy(self, i: int, unit: str) -> None:
        c = self.community
        since = _since(c, i)
        if unit in c.sold:  # the previous owner sold last year: their ownership ends, the buyer's starts
            seller = await self.person(*self._next_name(), mailing=self._mailing(i))
            sold_on = date(self.today.year - 1, 1 + (i * 3) % 12, 1 + (i * 7) % 28)
            previous = await self.own(unit, seller, since)
            await occupancy.end_ownership(self.ctx, EndOwnership(id=previous, end_date=sold_on))
            since = sold_on
        rented = unit in c.rents
        if unit in c.linked:
            login = c.linked[unit]
            first, last = DEMO_USERS[login].split(" ", 1)
            party = await self.person(first, last, email=email_of(login), user_id=self.users[login])
            await self.own(unit, party, since)
            self.owners += 1
        elif unit in c.trusts:
            trustee = " ".join(self._next_name())
            party = await self.entity(c.trusts[unit], self._mailing(i), f"Trustee: {trustee}.")
            await self.own(unit, party, since, kind="TRUST")
            self.owners += 1
        elif unit in c.companies:
            agent = " ".join(self._next_name())
            party = await self.entity(c.companies[unit], self._mailing(i), f"Registered agent: {agent}.")
            await self.own(unit, party, since, kind="LLC")
            self.owners += 1
        elif unit in c.joint:
            first, last = self._next_name()
            spouse = SPOUSE_NAMES[self.names % len(SPOUSE_NAMES)]
            for name, primary in ((first, True), (spouse, False)):
                party = await self.person(name, last)
                await self.own(unit, party, since, share=HALF, kind="JOINT_TENANCY", primary=primary)
                self.owners += 1
        else:
            first, last = self._next_name()
            email = None
            if unit in c.claimable:  # no account yet: registering with this email and verifying it links the party
                first, last, email = c.claimable[unit]
            party = await self.person(first, last, mailing=self._mailing(i) if rented else None, email=email)
            await self.own(unit, party, since)
            self.owners += 1
        if rented:
            lease = max(since, date(self.today.year - 1, 1 + (i * 4) % 12, 1))
            tenant = await self.person(*self._next_name())
            data = CreateTenancy(
                unit_id=self.units[unit],
                party_id=tenant,
                start_date=lease,
                monthly_rent=c.rents[unit],
                notes="12-month lease, then month to month.",
            )
            await occupancy.create_tenancy(self.ctx, data)
            self.tenants += 1


def _reservation(booking: Booking, areas: dict[str, uuid.UUID], units: dict[str, uuid.UUID], now: datetime) -> Reserve:
    day = now.astimezone(TEXAS).date() + timedelta(days=booking.days_ahead)
    starts = datetime.combine(day, booking.starts, tzinfo=TEXAS)
    return Reserve(
        common_area_id=areas[booking.area],
        starts_at=starts,
        ends_at=starts + timedelta(hours=booking.hours),
        unit_id=units[booking.unit] if booking.unit else None,
        purpose=booking.purpose,
        guest_count=booking.guests,
    )


async def _already_loaded(ctx: RequestContext, community: Community) -> str | None:
    """The summary line of a community whose association exists (by name, any case), else None."""
    existing = await associations.list_(ctx, ListAssociations(limit=200))
    found = next((a for a in existing.items if a.name.lower() == community.association.name.lower()), None)
    if found is None:
        return None
    units = await places.list_units(ctx, ListUnits(association_id=found.id, limit=200))
    return f"  {community.short}: already loaded ({len(units.items)} units)"


async def _association(ctx: RequestContext, community: Community) -> tuple[uuid.UUID, uuid.UUID]:
    """Creates and activates the association with its one property; their ids."""
    association = await associations.create(ctx, community.association)
    await associations.change_status(
        ctx, ChangeAssociationStatus(id=association.id, status="ACTIVE", note="Onboarding complete.")
    )
    prop = await places.create_property(
        ctx,
        CreateProperty(
            association_id=association.id,
            name=community.property_name,
            property_type=community.property_type,
            address=community.address,
            latitude=community.latitude,
            longitude=community.longitude,
            year_built=community.year_built,
            total_units=len(community.units),
        ),
    )
    return association.id, prop.id


async def _common_areas(
    ctx: RequestContext, community: Community, association_id: uuid.UUID, property_id: uuid.UUID
) -> dict[str, uuid.UUID]:
    areas: dict[str, uuid.UUID] = {}
    for area in community.areas:
        data = CreateCommonArea(
            association_id=association_id,
            property_id=property_id,
            name=area.name,
            area_type=area.area_type,
            capacity=area.capacity,
            reservable=area.reservable,
            rules=area.rules,
        )
        areas[area.name] = (await places.create_common_area(ctx, data)).id
    return areas


async def _management(
    ctx: RequestContext,
    community: Community,
    association_id: uuid.UUID,
    users: dict[str, uuid.UUID],
    managing_org: uuid.UUID,
) -> None:
    """The management company's contract and the community manager's assignment, where the community has them."""
    if community.contract is not None:
        contract = community.contract
        await management.create_contract(
            ctx,
            CreateManagementContract(
                association_id=association_id,
                management_company_name="Summit Property Management",
                management_organization_id=managing_org,
                start_date=contract.start_date,
                fee_basis="PER_UNIT_MONTHLY",
                fee_amount=contract.fee_per_unit,
                service_levels=list(SERVICE_LEVELS),
                notes=contract.notes,
            ),
        )
    if community.manager is not None:
        await management.assign_manager(
            ctx,
            AssignManager(
                association_id=association_id,
                user_id=users[community.manager],
                assignment_type="COMMUNITY",
                max_units=150,
                start_date=date(2023, 2, 1),
            ),
        )


async def _seed_community(
    runtime: Runtime, community: Community, org: uuid.UUID, users: dict[str, uuid.UUID], managing_org: uuid.UUID
) -> str:
    today = date.today()
    admin, admin_email = users["admin"], email_of("admin")
    async with acting(
        runtime, procedure="seed-demo", organization_id=org, user_id=admin, email=admin_email, roles=ADMIN
    ) as ctx:
        if (loaded := await _already_loaded(ctx, community)) is not None:
            return loaded
        association_id, property_id = await _association(ctx, community)
        loader = _Loader(ctx, community, users, today)
        await loader.load(property_id)
        areas = await _common_areas(ctx, community, association_id, property_id)
        now = datetime.now(TEXAS)
        for booking in community.bookings:
            if booking.by == "admin":
                await places.reserve(ctx, _reservation(booking, areas, loader.units, now))
        await _management(ctx, community, association_id, users, managing_org)
    for booking in community.bookings:  # residents book in their own request, with their own roles
        if booking.by == "admin":
            continue
        resident, email = users[booking.by], email_of(booking.by)
        async with acting(runtime, procedure="seed-demo", organization_id=org, user_id=resident, email=email) as ctx:
            await places.reserve(ctx, _reservation(booking, areas, loader.units, now))
    return (
        f"  {community.short}: {len(community.units)} units, {loader.owners} owners, {loader.tenants} tenants, "
        f"{len(community.areas)} common areas, {len(community.bookings)} upcoming reservations"
    )


@demo_seed("association", order=20)
async def seed_associations(runtime: Runtime) -> list[str]:
    users = await identity.demo_users(runtime)
    if "admin" not in users:
        return ["demo associations: skipped, the demo admin does not exist"]
    orgs = await identity.demo_organizations(runtime, users["admin"])
    lines = ["demo associations:"]
    for community in communities(date.today()):
        if community.slug not in orgs:
            lines.append(f"  {community.short}: skipped, organization {community.slug} is missing")
            continue
        managing = orgs.get("summit-property-management", orgs[community.slug])
        lines.append(await _seed_community(runtime, community, orgs[community.slug], users, managing))
    return lines

"""Demo logins and organizations (password `demo-pass-2026` for all); later domains attach data to them."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core.acting import NotAMemberError, acting, scoped_context
from hestami.core.context import Principal, RequestContext
from hestami.core.demo import demo_seed
from hestami.core.outbox import RecordingSender
from hestami.core.runtime import Runtime
from hestami.identity import repository
from hestami.identity.port import session_store
from hestami.identity.schemas import (
    AddMemberIn,
    CreateOrganizationIn,
    InvitationIdIn,
    ListInvitationsIn,
    OrganizationType,
    RegisterIn,
    Role,
)
from hestami.identity.services import accounts, invitations, organizations, verification

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo credential, documented in the README
DEMO_DOMAIN = "demo.hestami.test"

DEMO_USERS = {
    "admin": "Avery Admin",
    "manager": "Morgan Manager",
    "board": "Blair Board",
    "owner": "Olivia Owner",
    "vendor": "Victor Vendor",
    # Evergreen Plumbing & HVAC's technicians (their technician records: hestami.contractor.technician.demo).
    "tech1": "Terry Tech",
    "tech2": "Tessa Torres",
    "tech3": "Theo Tran",
    "tech4": "Tina Tate",
    "tech5": "Toby Trujillo",
    "tech6": "Tara Thompson",
    # Cibolo Creek Roofing (journey 5's roofer): its manager and dispatcher, and its roofing technician.
    "roofer": "Rosa Rivera",
    "tech7": "Tomas Tovar",
}


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    type: OrganizationType
    members: dict[str, list[Role]]


DEMO_ORGANIZATIONS = (
    DemoOrganization(
        "summit-property-management",
        "Summit Property Management",
        "MANAGEMENT_COMPANY",
        {"manager": ["MANAGER"], "board": ["BOARD_MEMBER"]},
    ),
    DemoOrganization(
        "sunset-ridge-hoa",
        "Sunset Ridge Homeowners Association",
        "COMMUNITY_ASSOCIATION",
        {"board": ["BOARD_MEMBER", "OWNER"], "owner": ["OWNER"], "manager": ["MANAGER"]},
    ),
    DemoOrganization(
        "evergreen-plumbing",
        "Evergreen Plumbing & HVAC",
        "SERVICE_PROVIDER",
        {"vendor": ["VENDOR", "DISPATCHER"], **{f"tech{n}": ["TECHNICIAN"] for n in range(1, 7)}},
    ),
    DemoOrganization(
        "cibolo-roofing",
        "Cibolo Creek Roofing",
        "SERVICE_PROVIDER",
        {"roofer": ["MANAGER", "DISPATCHER"], "tech7": ["TECHNICIAN"]},
    ),
)


class DemoCast:
    """The demo logins and organizations a domain's seeder acts with: `acting(login, slug)` is one request's worth
    of work by that login in that organization (with the roles they hold there), committed when the block ends."""

    def __init__(self, runtime: Runtime, users: dict[str, uuid.UUID], orgs: dict[str, uuid.UUID]) -> None:
        self.runtime = runtime
        self.users = users
        self.orgs = orgs

    @classmethod
    async def gather(cls, runtime: Runtime) -> Self | None:
        """The demo logins and organizations, or None when the demo admin does not exist (the identity seeder has
        not run): what every domain's seeder starts from."""
        users = await demo_users(runtime)
        if "admin" not in users:
            return None
        return cls(runtime, users, await demo_organizations(runtime, users["admin"]))

    def acting(self, login: str, slug: str) -> AbstractAsyncContextManager[RequestContext]:
        return acting(
            self.runtime,
            procedure="seed-demo",
            organization_id=self.orgs[slug],
            user_id=self.users[login],
            email=email_of(login),
        )

    async def member(self, login: str, slug: str) -> bool:
        """Whether the demo login exists and is an active member of the organization."""
        if login not in self.users:
            return False
        try:
            async with self.acting(login, slug):
                return True
        except NotAMemberError:
            return False

    async def keeper(self, slug: str) -> str:
        """Who keeps an organization's records in the demo: the manager, or the admin where the manager is not a
        member."""
        return "manager" if await self.member("manager", slug) else "admin"


def email_of(login: str) -> str:
    return f"{login}@{DEMO_DOMAIN}"


def _context(
    session: AsyncSession, principal: Principal | None, runtime: Runtime, org: uuid.UUID | None = None, slug: str = ""
) -> RequestContext:
    return scoped_context(
        session,
        procedure="seed-demo",
        principal=principal,
        organization_id=org,
        organization_slug=slug,
        roles=frozenset({"ADMIN"}) if org else frozenset(),
        authorizer=runtime.authorizer,
    )


async def _ensure_user(runtime: Runtime, login: str, deps: accounts.AuthDeps) -> uuid.UUID:
    email = email_of(login)
    async with runtime.database.transaction(organization_id=None, user_id=None) as session:
        await repository.scope_email(session, email)
        user = await repository.user_by_email(session, email)
        if user is not None:
            user_id = user.id
        else:
            data = RegisterIn(email=email, password=DEMO_PASSWORD, name=DEMO_USERS[login])
            user_id = (await accounts.register(_context(session, None, runtime), data, deps)).user.id
    await _ensure_verified(runtime, user_id, email)
    return user_id


async def _ensure_verified(runtime: Runtime, user_id: uuid.UUID, email: str) -> None:
    """Demo logins have proven their emails (as if they had followed the link of their verification message)."""
    async with runtime.database.transaction(organization_id=None, user_id=user_id) as session:
        user = await repository.user_by_id(session, user_id)
        if user is None or user.email_verified_at is not None:
            return
        principal = Principal(user_id=user_id, session_id="seed-demo", email=email)
        await verification.mark_verified(_context(session, principal, runtime), user)


async def _ensure_organization(runtime: Runtime, admin: Principal, spec: DemoOrganization) -> uuid.UUID:
    async with runtime.database.transaction(organization_id=None, user_id=admin.user_id) as session:
        for org, _ in await repository.organizations_of(session, admin.user_id):
            if org.slug == spec.slug:
                return org.id
        data = CreateOrganizationIn(name=spec.name, type=spec.type, slug=spec.slug)
        return (await organizations.create(_context(session, admin, runtime), data)).organization.id


async def _ensure_member(
    runtime: Runtime,
    admin: Principal,
    spec: DemoOrganization,
    org_id: uuid.UUID,
    email: str,
    user_id: uuid.UUID,
    roles: list[Role],
    sender: RecordingSender,
) -> None:
    """The admin invites the demo login (unless it is a member or invited already), then the login accepts, as
    itself, through the same use cases as `organization/v1/addMember` and `acceptInvitation`."""
    async with runtime.database.transaction(organization_id=org_id, user_id=admin.user_id) as session:
        if await repository.membership_of(session, org_id, user_id) is not None:
            return
        if await repository.invitation(session, org_id, email) is None:
            ctx = _context(session, admin, runtime, org_id, spec.slug)
            await organizations.add_member(ctx, AddMemberIn(email=email, roles=roles), sender)
    invitee = Principal(user_id=user_id, session_id="seed-demo", email=email)
    async with runtime.database.transaction(organization_id=None, user_id=user_id) as session:
        ctx = _context(session, invitee, runtime)
        pending = await invitations.list_mine(ctx, ListInvitationsIn(limit=200))
        invitation = next(item for item in pending.items if item.organization.id == org_id)
        await invitations.accept(ctx, InvitationIdIn(invitation_id=invitation.id))


@demo_seed("identity", order=10)
async def seed_identity(runtime: Runtime) -> list[str]:
    sender = RecordingSender()
    deps = accounts.AuthDeps(
        sessions=session_store(runtime),
        redis=runtime.redis,
        settings=runtime.settings,
        database=runtime.database,
        sender=sender,
    )
    users = {login: await _ensure_user(runtime, login, deps) for login in DEMO_USERS}
    admin = Principal(user_id=users["admin"], session_id="seed-demo", email=email_of("admin"))
    for spec in DEMO_ORGANIZATIONS:
        org_id = await _ensure_organization(runtime, admin, spec)
        for login, roles in spec.members.items():
            await _ensure_member(runtime, admin, spec, org_id, email_of(login), users[login], roles, sender)
    lines = [f"demo logins (password {DEMO_PASSWORD}):"]
    lines += [f"  {email_of(login):<28} {name}" for login, name in DEMO_USERS.items()]
    lines += [f"  organization {spec.name} ({spec.type}, slug {spec.slug})" for spec in DEMO_ORGANIZATIONS]
    return lines


# --- for the other domains' seeders: the demo logins and organizations, without reaching into identity's SQL ---


async def demo_users(runtime: Runtime) -> dict[str, uuid.UUID]:
    """Login name (`admin`, `manager`, ...) → user id, for the demo users that exist."""
    users: dict[str, uuid.UUID] = {}
    async with runtime.database.transaction(organization_id=None, user_id=None) as session:
        for login in DEMO_USERS:
            await repository.scope_email(session, email_of(login))
            user = await repository.user_by_email(session, email_of(login))
            if user is not None:
                users[login] = user.id
    return users


async def demo_organizations(runtime: Runtime, admin_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Slug → id of the organizations the demo admin belongs to."""
    async with runtime.database.transaction(organization_id=None, user_id=admin_id) as session:
        return {org.slug: org.id for org, _ in await repository.organizations_of(session, admin_id)}


async def roles_in(session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID) -> frozenset[str] | None:
    """A demo user's roles in an organization (inside that organization's scoped transaction)."""
    found = await repository.access(session, user_id, organization_id)
    return frozenset(found[0]) if found else None


async def membership_id(session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID | None:
    member = await repository.membership_of(session, organization_id, user_id)
    return member.id if member else None

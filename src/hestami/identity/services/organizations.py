"""Organizations (the tenants) and their members: create, read, update, delete, default, membership."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from hestami.core import audit
from hestami.core.authz import Resource, allows, authorize, forbidden
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, not_found
from hestami.core.ids import new_id
from hestami.core.outbox import MessageSender
from hestami.identity import repository
from hestami.identity.errors import IdentityError, IdentityReason, already_member
from hestami.identity.models import Membership, Organization, User
from hestami.identity.schemas import (
    AddMemberIn,
    CreateOrganizationIn,
    CurrentOrganizationOut,
    MemberEnvelope,
    MemberOut,
    MembersOut,
    MyOrganization,
    MyOrganizationsIn,
    MyOrganizationsOut,
    OrganizationEnvelope,
    OrganizationOut,
    RemovedOut,
    RemoveMemberIn,
    Role,
    SetMemberRolesIn,
    UpdateOrganizationIn,
)

ORGANIZATION = "organization"
MEMBERSHIP = "membership"


def organization_out(org: Organization) -> OrganizationOut:
    return OrganizationOut.model_validate(org, from_attributes=True)


def _snapshot(org: Organization) -> dict[str, Any]:
    return {"name": org.name, "slug": org.slug, "type": org.type}


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50].strip("-")
    return slug if len(slug) >= 2 else f"org-{slug}".strip("-")


def org_resource(org_id: uuid.UUID) -> Resource:
    return Resource(ORGANIZATION, str(org_id), {"organization_id": str(org_id)})


def membership_resource(member: Membership) -> Resource:
    attr: dict[str, Any] = {"organization_id": str(member.organization_id)}
    if member.user_id is not None:
        attr["user_id"] = str(member.user_id)
    return Resource(MEMBERSHIP, str(member.id), attr)


async def _current(ctx: RequestContext) -> Organization:
    org = await repository.organization(ctx.session, ctx.require_org())
    if org is None:
        raise not_found(ORGANIZATION, ctx.require_org())
    return org


async def _insert_with_free_slug(ctx: RequestContext, org: Organization, *, explicit: bool) -> None:
    """Slugs are unique across tenants but other tenants' rows are invisible, so the unique index decides:
    an explicit slug that is taken is a CONFLICT; a derived one gets a short suffix until it is free."""
    base = org.slug
    for _ in range(5):
        try:
            async with ctx.session.begin_nested():
                ctx.session.add(org)
                await ctx.session.flush()
            return
        except IntegrityError:
            if explicit:
                raise IdentityError(
                    ErrorCode.CONFLICT, IdentityReason.SLUG_TAKEN, "This slug is taken.", slug=org.slug
                ) from None
            org.slug = f"{base[:56]}-{secrets.token_hex(3)}"
    raise IdentityError(ErrorCode.CONFLICT, IdentityReason.SLUG_TAKEN, "Could not find a free slug.", slug=base)


async def create(ctx: RequestContext, data: CreateOrganizationIn) -> OrganizationEnvelope:
    """The creator becomes its ADMIN. The new organization becomes this transaction's scope explicitly."""
    user_id = ctx.require_user()
    org = Organization(id=new_id(), name=data.name, type=data.type, slug=data.slug or slugify(data.name))
    await repository.scope_organization(ctx.session, org.id)
    await _insert_with_free_slug(ctx, org, explicit=data.slug is not None)
    ctx.session.add(Membership(organization_id=org.id, user_id=user_id, roles=["ADMIN"], status="ACTIVE"))
    await ctx.session.flush()
    audit.record(ctx, "organization.created", ORGANIZATION, org.id, organization_id=org.id, after=_snapshot(org))
    audit.record(ctx, "membership.added", MEMBERSHIP, user_id, organization_id=org.id, after={"roles": ["ADMIN"]})
    await ctx.session.refresh(org)
    return OrganizationEnvelope(organization=organization_out(org))


async def list_mine(ctx: RequestContext, data: MyOrganizationsIn) -> MyOrganizationsOut:
    user_id = ctx.require_user()
    user = await repository.user_by_id(ctx.session, user_id)
    default = user.default_organization_id if user else None
    rows, cursor = await repository.organizations_page(ctx.session, user_id, data)
    return MyOrganizationsOut(
        items=[
            MyOrganization(id=o.id, name=o.name, slug=o.slug, type=o.type, roles=sorted(r), is_default=o.id == default)
            for o, r in rows
        ],
        next_cursor=cursor,
    )


async def get(ctx: RequestContext) -> OrganizationEnvelope:
    org = await _current(ctx)
    await authorize(ctx, "view", org_resource(org.id))
    return OrganizationEnvelope(organization=organization_out(org))


async def current(ctx: RequestContext) -> CurrentOrganizationOut:
    org = await _current(ctx)
    await authorize(ctx, "view", org_resource(org.id))
    user = await repository.user_by_id(ctx.session, ctx.require_user())
    return CurrentOrganizationOut(
        organization=organization_out(org),
        roles=sorted(ctx.roles),
        is_default=user is not None and user.default_organization_id == org.id,
    )


async def update(ctx: RequestContext, data: UpdateOrganizationIn) -> OrganizationEnvelope:
    org = await _current(ctx)
    await authorize(ctx, "update", org_resource(org.id))
    before = _snapshot(org)
    if data.name is not None:
        org.name = data.name
    if data.slug is not None and data.slug != org.slug:
        org.slug = data.slug
        try:
            async with ctx.session.begin_nested():
                await ctx.session.flush()
        except IntegrityError:
            raise IdentityError(
                ErrorCode.CONFLICT, IdentityReason.SLUG_TAKEN, "This slug is taken.", slug=data.slug
            ) from None
    org.updated_at = func.now()
    await ctx.session.flush()
    await ctx.session.refresh(org)
    audit.record(ctx, "organization.updated", ORGANIZATION, org.id, before=before, after=_snapshot(org))
    return OrganizationEnvelope(organization=organization_out(org))


async def delete(ctx: RequestContext) -> RemovedOut:
    """Soft delete: the organization disappears from every list and scope; its history stays."""
    org = await _current(ctx)
    await authorize(ctx, "delete", org_resource(org.id))
    org.deleted_at = func.now()
    await ctx.session.flush()
    audit.record(ctx, "organization.deleted", ORGANIZATION, org.id, before=_snapshot(org))
    return RemovedOut(removed=True)


async def set_default(ctx: RequestContext) -> CurrentOrganizationOut:
    org = await _current(ctx)
    await authorize(ctx, "set_default", org_resource(org.id))
    user = await repository.user_by_id(ctx.session, ctx.require_user())
    assert user is not None
    user.default_organization_id = org.id
    await ctx.session.flush()
    return CurrentOrganizationOut(organization=organization_out(org), roles=sorted(ctx.roles), is_default=True)


def member_out(member: Membership, user: User | None) -> MemberOut:
    return MemberOut(
        id=member.id,
        organization_id=member.organization_id,
        user_id=member.user_id,
        email=user.email if user else (member.invited_email or ""),
        name=user.name if user else None,
        roles=sorted(member.roles),
        status="ACTIVE" if member.status == "ACTIVE" else "INVITED",
        created_at=member.created_at,
        updated_at=member.updated_at,
    )


async def add_member(ctx: RequestContext, data: AddMemberIn, sender: MessageSender) -> MemberEnvelope:
    """Invites the email with the roles: always a pending invitation (INVITED) that the person accepts or declines
    themselves (`services.invitations`), never a membership on the spot. The answer, the message and the time taken
    are the same whether or not the email has an account: no account is looked up, so adding a member can neither
    reveal who has one nor make anyone a member without their consent."""
    org = await _current(ctx)
    await authorize(ctx, "manage_members", org_resource(org.id))
    await _ensure_not_member_or_invited(ctx, org.id, data.email)
    invitation = Membership(
        organization_id=org.id,
        user_id=None,
        invited_email=data.email,
        roles=list(data.roles),
        status="INVITED",
        invited_by=ctx.require_user(),
    )
    try:
        async with ctx.session.begin_nested():
            ctx.session.add(invitation)
            await ctx.session.flush()
    except IntegrityError:  # the same email invited by a concurrent request
        raise already_member() from None
    await ctx.session.refresh(invitation)
    await sender.send(
        ctx,
        channel="EMAIL",
        recipient=data.email,
        template="organization.invitation",
        payload={"organization": org.name, "roles": list(data.roles)},
    )
    audit.record(
        ctx, "membership.invited", MEMBERSHIP, invitation.id, after={"email": data.email, "roles": invitation.roles}
    )
    return MemberEnvelope(member=member_out(invitation, None))


async def _ensure_not_member_or_invited(ctx: RequestContext, organization_id: uuid.UUID, email: str) -> None:
    """CONFLICT for an email that is already one of this organization's members or invitations (which its
    ADMIN sees in `listMembers` anyway: nothing about other organizations or accounts)."""
    member_user = await repository.member_by_email(ctx.session, organization_id, email)
    existing = (
        await repository.membership_of(ctx.session, organization_id, member_user)
        if member_user is not None
        else await repository.invitation(ctx.session, organization_id, email)
    )
    if existing is not None:
        raise already_member(existing.id)


async def list_members(ctx: RequestContext, page: Any) -> MembersOut:
    org = await _current(ctx)
    await authorize(ctx, "view_members", org_resource(org.id))
    rows, cursor = await repository.members_page(ctx.session, org.id, page)
    return MembersOut(items=[member_out(m, u) for m, u in rows], next_cursor=cursor)


async def _member(ctx: RequestContext, member_id: uuid.UUID, action: str) -> Membership:
    """The member (or invitation) the caller may `action`. One the caller cannot see (neither in `listMembers`
    nor as their own membership) is NOT_FOUND, exactly like an id that does not exist; FORBIDDEN only for one
    they can see."""
    member = await repository.membership(ctx.session, ctx.require_org(), member_id)
    if member is None:
        raise not_found(MEMBERSHIP, member_id)
    if await allows(ctx, action, membership_resource(member)):
        return member
    if await allows(ctx, "view_members", org_resource(member.organization_id)) or await allows(
        ctx, "view", membership_resource(member)
    ):
        raise forbidden(action, MEMBERSHIP)
    raise not_found(MEMBERSHIP, member_id)


async def _ensure_an_admin_remains(ctx: RequestContext, member: Membership) -> None:
    if (
        member.status == "ACTIVE"
        and "ADMIN" in member.roles
        and await repository.admin_count(ctx.session, ctx.require_org()) <= 1
    ):
        raise IdentityError(
            ErrorCode.BUSINESS_RULE_VIOLATION, IdentityReason.LAST_ADMIN, "An organization keeps at least one ADMIN."
        )


async def set_member_roles(ctx: RequestContext, data: SetMemberRolesIn) -> MemberEnvelope:
    member = await _member(ctx, data.member_id, "update")
    if "ADMIN" not in data.roles:
        await _ensure_an_admin_remains(ctx, member)
    before = sorted(member.roles)
    member.roles = list(data.roles)
    member.updated_at = func.now()
    await ctx.session.flush()
    await ctx.session.refresh(member)
    audit.record(
        ctx, "membership.roles_changed", MEMBERSHIP, member.id, before={"roles": before}, after={"roles": member.roles}
    )
    user = await repository.user_by_id(ctx.session, member.user_id) if member.user_id else None
    return MemberEnvelope(member=member_out(member, user))


async def remove_member(ctx: RequestContext, data: RemoveMemberIn) -> RemovedOut:
    member = await _member(ctx, data.member_id, "delete")
    await _ensure_an_admin_remains(ctx, member)
    before = {"user_id": str(member.user_id) if member.user_id else None, "roles": sorted(member.roles)}
    await ctx.session.delete(member)
    await ctx.session.flush()
    audit.record(ctx, "membership.removed", MEMBERSHIP, data.member_id, before=before)
    return RemovedOut(removed=True)


async def member_roles(ctx: RequestContext, user_id: uuid.UUID) -> frozenset[str] | None:
    """Another user's roles in the current organization (None if not an active member); for other domains."""
    found = await repository.access(ctx.session, user_id, ctx.require_org())
    return frozenset(found[0]) if found else None


async def grant_role(ctx: RequestContext, user_id: uuid.UUID, role: Role) -> str | None:
    """Gives an active member of the current organization `role` if they lack it (audited as a roles change),
    for another domain whose authorized action implies it (a board seat implies BOARD_MEMBER). The member's
    name, or None when `user_id` is not an active member."""
    member = await repository.membership_of(ctx.session, ctx.require_org(), user_id)
    if member is None or member.status != "ACTIVE":
        return None
    if role not in member.roles:
        before = sorted(member.roles)
        member.roles = sorted({*member.roles, role})
        member.updated_at = func.now()
        await ctx.session.flush()
        audit.record(
            ctx,
            "membership.roles_changed",
            MEMBERSHIP,
            member.id,
            before={"roles": before},
            after={"roles": member.roles},
        )
    user = await repository.user_by_id(ctx.session, user_id)
    return user.name if user is not None and user.name else (user.email if user else "")


async def verified_member_with_email(ctx: RequestContext, email: str) -> uuid.UUID | None:
    """The active member of the current organization with this email, if any and only once they have proven it
    (`auth/v1/verifyEmail`); for other domains (a party is linked to such a member)."""
    return await repository.member_by_email(ctx.session, ctx.require_org(), email.strip().lower(), verified=True)


async def members_in_roles(
    ctx: RequestContext, roles: list[str], association_id: uuid.UUID | None = None
) -> list[tuple[uuid.UUID, str]]:
    """(user id, email) of the current organization's members in any of `roles`; for notifications. About one
    association (`association_id`), a BOARD_MEMBER is told only when seated on its board."""
    return await repository.members_with_roles(ctx.session, ctx.require_org(), roles, association_id)


async def email_of_member(ctx: RequestContext, user_id: uuid.UUID) -> str | None:
    """A member's email (visible only if they belong to the current organization)."""
    user = await repository.user_by_id(ctx.session, user_id)
    return user.email if user else None


async def member_names(ctx: RequestContext, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Members' names (their email when they gave none) by user id, in one query; for other domains naming who did
    something. Users not visible in the current organization are left out."""
    return await repository.user_names(ctx.session, user_ids)


async def is_organization_of_type(ctx: RequestContext, organization_id: uuid.UUID, types: Sequence[str]) -> bool:
    """Whether `organization_id` names a live organization of one of `types` (the caller's own or another that
    offers services: a SERVICE_PROVIDER or MANAGEMENT_COMPANY); for other domains checking a reference to an
    organization. Any other organization answers exactly like a random id."""
    return await repository.organization_of_type(ctx.session, organization_id, types)

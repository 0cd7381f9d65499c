"""The invitee's side of membership: their pending invitations, accepting and declining them.

Nobody becomes a member of an organization without answering its invitation themselves: `addMember` only ever
invites, and only the account whose email the invitation names may accept it. An invitee is not (yet) a member
of the inviting organization, so reading its name and answering act inside that organization's scope for the
moment it takes (`repository.in_organization`), once the invitation has been found through the invitee's email.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from hestami.core import audit
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, not_found
from hestami.core.pagination import PageRequest
from hestami.identity import repository
from hestami.identity.errors import IdentityError, IdentityReason, already_member
from hestami.identity.models import Membership, Organization
from hestami.identity.schemas import (
    DeclinedOut,
    InvitationIdIn,
    InvitationOut,
    InvitationsOut,
    InvitingOrganization,
    JoinedOut,
    MyOrganization,
)

INVITATION = "invitation"
MEMBERSHIP = "membership"


async def _my_email(ctx: RequestContext) -> str:
    """The caller's account email, named as this transaction's email scope so its invitations become visible."""
    user = await repository.user_by_id(ctx.session, ctx.require_user())
    if user is None:
        raise IdentityError(ErrorCode.UNAUTHENTICATED, IdentityReason.SESSION_EXPIRED, "The account no longer exists.")
    await repository.scope_email(ctx.session, user.email)
    return user.email


async def _inviting_organization(ctx: RequestContext, invitation: Membership) -> Organization | None:
    async with repository.in_organization(ctx.session, invitation.organization_id):
        return await repository.organization(ctx.session, invitation.organization_id)


def _invitation_out(invitation: Membership, org: Organization) -> InvitationOut:
    return InvitationOut(
        id=invitation.id,
        organization=InvitingOrganization(id=org.id, name=org.name, slug=org.slug, type=org.type),
        roles=sorted(invitation.roles),
        invited_at=invitation.created_at,
    )


async def pending_count(ctx: RequestContext) -> int:
    return await repository.invitation_count(ctx.session, await _my_email(ctx))


async def list_mine(ctx: RequestContext, page: PageRequest) -> InvitationsOut:
    """The caller's pending invitations, oldest first (those of deleted organizations left out)."""
    invitations, cursor = await repository.invitations_to(ctx.session, await _my_email(ctx), page)
    items = []
    for invitation in invitations:
        org = await _inviting_organization(ctx, invitation)
        if org is not None:
            items.append(_invitation_out(invitation, org))
    return InvitationsOut(items=items, next_cursor=cursor)


async def _pending(ctx: RequestContext, invitation_id: uuid.UUID) -> tuple[Membership, Organization]:
    """The caller's pending invitation and its organization, locked; NOT_FOUND for anyone else's."""
    invitation = await repository.invitation_to(ctx.session, invitation_id, await _my_email(ctx), lock=True)
    org = await _inviting_organization(ctx, invitation) if invitation is not None else None
    if invitation is None or org is None:
        raise not_found(INVITATION, invitation_id)
    return invitation, org


async def accept(ctx: RequestContext, data: InvitationIdIn) -> JoinedOut:
    """The invitation becomes the caller's membership with the roles it names."""
    invitation, org = await _pending(ctx, data.invitation_id)
    async with repository.in_organization(ctx.session, org.id):
        invitation.user_id = ctx.require_user()
        invitation.status = "ACTIVE"
        invitation.updated_at = func.now()
        try:
            async with ctx.session.begin_nested():
                await ctx.session.flush()
        except IntegrityError:
            raise already_member() from None
        audit.record(
            ctx, "membership.invitation_accepted", MEMBERSHIP, invitation.id,
            organization_id=org.id, after={"roles": sorted(invitation.roles)},
        )  # fmt: skip
        await ctx.session.flush()
    roles = sorted(invitation.roles)
    return JoinedOut(
        organization=MyOrganization(
            id=org.id, name=org.name, slug=org.slug, type=org.type, roles=roles, is_default=False
        )
    )


async def decline(ctx: RequestContext, data: InvitationIdIn) -> DeclinedOut:
    """The invitation is withdrawn; the organization's audit trail keeps that it was declined."""
    invitation, org = await _pending(ctx, data.invitation_id)
    async with repository.in_organization(ctx.session, org.id):
        await ctx.session.delete(invitation)
        audit.record(
            ctx, "membership.invitation_declined", MEMBERSHIP, invitation.id,
            organization_id=org.id, before={"email": invitation.invited_email, "roles": sorted(invitation.roles)},
        )  # fmt: skip
        await ctx.session.flush()
    return DeclinedOut(declined=True)

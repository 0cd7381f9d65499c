"""Proving an account's email, and the account linking that waits for it.

A verification token is 32 random bytes as URL-safe text, carried only by its message (`account.verify_email`,
through the outbox): the database keeps its sha256, the email it proves, its expiry (`EMAIL_VERIFICATION_HOURS`,
48 h) and when it was used (once). Registration sends the first message; `auth/v1/requestEmailVerification` sends
another (`EMAIL_VERIFICATION_REQUESTS_PER_HOUR` per account). `auth/v1/verifyEmail` marks the token used, records
`users.email_verified_at`, withdraws the account's other pending tokens, then links (`identity.linking`): every
live party of any organization with this email and no user yet becomes the account's, and where such a party owns
(or rents) a unit today, the account becomes an OWNER (TENANT) member, or gains that role if it is a member already.
Each organization is handled inside its own scope; one transaction does it all, so a failure leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import structlog
from redis.asyncio import Redis
from sqlalchemy import func

from hestami.core import audit
from hestami.core.config import Settings
from hestami.core.context import Principal, RequestContext
from hestami.core.errors import ErrorCode
from hestami.core.ids import new_id
from hestami.core.outbox import OutboundMessage, record_once
from hestami.core.ratelimit import hit, rate_limited
from hestami.identity import linking, repository
from hestami.identity.errors import IdentityError, IdentityReason, token_refused
from hestami.identity.models import EmailVerification, Organization, User
from hestami.identity.schemas import (
    EmailVerifiedOut,
    LinkedOrganization,
    UserOut,
    VerificationRequestedOut,
    VerifyEmailIn,
)

log = structlog.get_logger("hestami.identity.verification")

TEMPLATE = "account.verify_email"
USER = "user"
MEMBERSHIP = "membership"
REQUEST_WINDOW_SECONDS = 3600


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user_out(user: User) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


async def send_verification(ctx: RequestContext, user: User, settings: Settings) -> None:
    """A new token for the account's email: stored as its hash, sent in its message (the transaction must name
    the user, `repository.scope_user`)."""
    token = secrets.token_urlsafe(32)
    row = EmailVerification(
        id=new_id(),
        user_id=user.id,
        email=user.email,
        token_hash=token_hash(token),
        expires_at=func.now() + timedelta(hours=settings.email_verification_hours),
    )
    ctx.session.add(row)
    await ctx.session.flush()
    message = OutboundMessage(
        channel="EMAIL",
        recipient=user.email,
        recipient_user_id=user.id,
        template=TEMPLATE,
        payload={"name": user.name, "token": token, "expires_in_hours": settings.email_verification_hours},
        request_id=ctx.request_id,
        entity_type=USER,
        entity_id=user.id,
        dedupe_key=f"{TEMPLATE}:{row.id}",
    )
    await record_once(ctx.session, message)
    if not settings.is_production:  # messages are recorded, not delivered: the developer's way to the link
        log.info("email_verification_sent", email=user.email, token=token)


async def request_verification(ctx: RequestContext, redis: Redis, settings: Settings) -> VerificationRequestedOut:
    """Another verification message for the caller's email, unless it is proven already; limited per account."""
    user = await repository.user_by_id(ctx.session, ctx.require_user())
    if user is None:
        raise IdentityError(ErrorCode.UNAUTHENTICATED, IdentityReason.SESSION_EXPIRED, "The account no longer exists.")
    if user.email_verified_at is not None:
        return VerificationRequestedOut(email=user.email, already_verified=True)
    count, retry_after = await hit(redis, f"email_verification:{user.id}", window_seconds=REQUEST_WINDOW_SECONDS)
    if count > settings.email_verification_requests_per_hour:
        raise rate_limited(retry_after, "Too many verification messages; try again later.")
    await repository.drop_pending_verifications(ctx.session, user.id, expired_only=True)
    await send_verification(ctx, user, settings)
    return VerificationRequestedOut(email=user.email, already_verified=False)


async def verify_email(ctx: RequestContext, data: VerifyEmailIn) -> EmailVerifiedOut:
    """Uses the token (BUSINESS_RULE_VIOLATION TOKEN_INVALID, TOKEN_EXPIRED or TOKEN_USED otherwise), proves the
    account's email and links what waits for it."""
    digest = token_hash(data.token)
    await repository.scope_token(ctx.session, digest)
    found = await repository.verification_by_hash(ctx.session, digest)
    if found is None:
        raise token_refused(IdentityReason.TOKEN_INVALID)
    # The account first, then its token: two verifications of one account (two tokens) wait for each other here.
    await repository.scope_user(ctx.session, found.user_id)
    user = await repository.lock_user(ctx.session, found.user_id)
    token = await repository.verification_by_hash(ctx.session, digest, lock=True)
    if user is None or token is None or token.email != user.email:
        raise token_refused(IdentityReason.TOKEN_INVALID)
    if token.used_at is not None:
        raise token_refused(IdentityReason.TOKEN_USED)
    if token.expires_at <= datetime.now(UTC):
        raise token_refused(IdentityReason.TOKEN_EXPIRED)
    token.used_at = func.now()
    await ctx.session.flush()
    await repository.drop_pending_verifications(ctx.session, user.id, keep=token.id)
    organizations = await mark_verified(ctx, user)
    return EmailVerifiedOut(user=_user_out(user), organizations=organizations)


async def mark_verified(ctx: RequestContext, user: User) -> list[LinkedOrganization]:
    """Records that the account's email is proven (once, audited) and links what waits for it; again for an
    account proven already, it only links what is new (idempotent). The transaction must name the user."""
    if user.email_verified_at is None:
        user.email_verified_at = func.now()
        await ctx.session.flush()
        audit.record(ctx, "user.email_verified", USER, user.id, actor_user_id=user.id, after={"email": user.email})
    await ctx.session.refresh(user)
    return await attach_records(ctx, user)


async def attach_records(ctx: RequestContext, user: User) -> list[LinkedOrganization]:
    """Runs the linking hooks in every organization whose parties carry the account's email, each inside that
    organization's scope as the account's owner, and grants the roles they answer."""
    by_organization: dict[uuid.UUID, list[uuid.UUID]] = {}
    for organization_id, party_id in await repository.parties_with_email(ctx.session, user.email):
        by_organization.setdefault(organization_id, []).append(party_id)
    principal = Principal(user_id=user.id, session_id=ctx.procedure, email=user.email)
    attached: list[LinkedOrganization] = []
    for organization_id, party_ids in sorted(by_organization.items()):
        async with repository.in_organization(ctx.session, organization_id):
            org = await repository.organization(ctx.session, organization_id)
            if org is None:  # deleted: its records stay as they are
                continue
            scoped = dataclasses.replace(
                ctx,
                principal=principal,
                organization_id=org.id,
                organization_slug=org.slug,
                roles=frozenset(),
                board_association_ids=frozenset(),
            )
            result = await _attach_in(scoped, org, user, party_ids)
            await ctx.session.flush()  # audit rows of this organization while its scope holds
        if result is not None:
            attached.append(result)
    return attached


async def _attach_in(
    ctx: RequestContext, org: Organization, user: User, party_ids: list[uuid.UUID]
) -> LinkedOrganization | None:
    linked: list[uuid.UUID] = []
    roles: set[str] = set()
    for hook in linking.hooks():
        outcome = await hook(ctx, user.email, party_ids)
        linked += outcome.linked
        roles |= outcome.roles
    held = await _grant(ctx, user.id, roles) if roles else []
    if not linked and not roles:
        return None
    return LinkedOrganization(
        id=org.id, name=org.name, slug=org.slug, type=org.type, roles=held, linked_party_ids=sorted(linked)
    )


async def _grant(ctx: RequestContext, user_id: uuid.UUID, roles: set[str]) -> list[str]:
    """The account becomes an active member with `roles`, or a member already gains those it lacks (audited either
    way); the member's roles afterwards."""
    organization_id = ctx.require_org()
    added = await repository.add_membership(ctx.session, organization_id, user_id, sorted(roles))
    if added is not None:
        audit.record(
            ctx, "membership.added", MEMBERSHIP, added, after={"roles": sorted(roles), "via": "email_verification"}
        )
        return sorted(roles)
    member = await repository.membership_of(ctx.session, organization_id, user_id, lock=True)
    assert member is not None  # the insert met this very row
    if roles <= set(member.roles):
        return sorted(member.roles)
    before = sorted(member.roles)
    member.roles = sorted({*member.roles, *roles})
    member.updated_at = func.now()
    await ctx.session.flush()
    audit.record(
        ctx, "membership.roles_changed", MEMBERSHIP, member.id,
        before={"roles": before}, after={"roles": member.roles, "via": "email_verification"},
    )  # fmt: skip
    return list(member.roles)

"""Accounts and sessions: register, log in, refresh, log out (here or everywhere), who am I."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from redis.asyncio import Redis

from hestami.core import audit
from hestami.core.config import Settings
from hestami.core.context import RequestContext
from hestami.core.db import Database
from hestami.core.errors import ErrorCode, FieldError, HestamiError
from hestami.core.ids import new_id
from hestami.core.outbox import MessageSender
from hestami.identity import passwords, repository, throttle
from hestami.identity.errors import IdentityError, IdentityReason, invalid_credentials
from hestami.identity.models import User
from hestami.identity.schemas import (
    LoginIn,
    LoginOut,
    MeOut,
    MyOrganization,
    RegisterIn,
    RegisterOut,
    RevokedOut,
    SessionOut,
    SessionsOut,
    TokenOut,
    UserOut,
)
from hestami.identity.services import invitations, verification
from hestami.identity.sessions import SessionRecord, SessionStore


@dataclass(frozen=True, slots=True)
class AuthDeps:
    """What the account use cases need beyond the request: the session store, Redis, settings, mail."""

    sessions: SessionStore
    redis: Redis
    settings: Settings
    database: Database
    sender: MessageSender


def user_out(user: User) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


async def my_organizations(ctx: RequestContext, user: User) -> list[MyOrganization]:
    return [
        MyOrganization(
            id=org.id,
            name=org.name,
            slug=org.slug,
            type=org.type,
            roles=sorted(roles),
            is_default=org.id == user.default_organization_id,
        )
        for org, roles in await repository.organizations_of(ctx.session, user.id)
    ]


async def register(ctx: RequestContext, data: RegisterIn, deps: AuthDeps) -> RegisterOut:
    """Creates the account and sends the message that proves its email (`services.verification`). Invitations to
    its email stay pending until the new user answers them (`auth/v1/me` counts them, `organization/v1/
    listInvitations` lists them). An email that already has an account gets the same answer (so the API never
    reveals which emails exist) and its owner a notice instead."""
    problem = passwords.policy_violation(data.password, data.email)
    if problem:
        raise HestamiError(
            ErrorCode.VALIDATION_FAILED,
            field_errors=[FieldError("/password", problem, IdentityReason.WEAK_PASSWORD.value)],
        )
    password_hash = await passwords.hash_password(data.password)
    await repository.scope_email(ctx.session, data.email)
    existing = await repository.user_by_email(ctx.session, data.email)
    if existing is not None:
        await deps.sender.send(
            ctx,
            channel="EMAIL",
            recipient=existing.email,
            recipient_user_id=existing.id,
            template="account.registration_attempted",
            payload={"name": existing.name},
        )
        now = datetime.now(UTC)
        stand_in = UserOut(
            id=new_id(),
            email=data.email,
            name=data.name,
            default_organization_id=None,
            email_verified_at=None,
            created_at=now,
            updated_at=now,
        )
        return RegisterOut(user=stand_in)

    user = User(email=data.email, name=data.name, password_hash=password_hash)
    ctx.session.add(user)
    await ctx.session.flush()
    await repository.scope_user(ctx.session, user.id)
    audit.record(ctx, "user.registered", "user", user.id, actor_user_id=user.id, after={"email": user.email})
    await verification.send_verification(ctx, user, deps.settings)
    await ctx.session.flush()
    await ctx.session.refresh(user)
    return RegisterOut(user=user_out(user))


async def login(ctx: RequestContext, data: LoginIn, deps: AuthDeps) -> LoginOut:
    await throttle.ensure_login_allowed(deps.redis, deps.settings, email=data.email, client_ip=ctx.client_ip)
    await repository.scope_email(ctx.session, data.email)
    user = await repository.user_by_email(ctx.session, data.email)
    if not await passwords.verify_password(data.password, user.password_hash if user else None) or user is None:
        await throttle.record_login_failure(deps.redis, deps.settings, email=data.email, client_ip=ctx.client_ip)
        audit.record_even_if_rolled_back(
            ctx,
            deps.database,
            "auth.login_failed",
            "user",
            user.id if user else None,
            actor_user_id=user.id if user else None,
            after={"email": data.email},
        )
        raise invalid_credentials()

    await repository.scope_user(ctx.session, user.id)
    await throttle.record_login_success(deps.redis, deps.settings, email=data.email, client_ip=ctx.client_ip)
    token, record = await deps.sessions.create(user_id=user.id, email=user.email, client_ip=ctx.client_ip)
    audit.record(ctx, "auth.login", "session", _fingerprint(record), actor_user_id=user.id)
    return LoginOut(
        token=token,
        expires_at=_at(record.expires_at(deps.sessions.idle_seconds, record.created_at)),
        user=user_out(user),
        organizations=await my_organizations(ctx, user),
    )


async def _current_session(ctx: RequestContext, deps: AuthDeps) -> SessionRecord:
    assert ctx.principal is not None
    record = await deps.sessions.resolve(deps.sessions.token_for(ctx.principal.session_id))
    if record is None:
        raise IdentityError(ErrorCode.UNAUTHENTICATED, IdentityReason.SESSION_EXPIRED, "The session has ended.")
    return record


async def refresh(ctx: RequestContext, deps: AuthDeps) -> TokenOut:
    """A new token for the same login (the absolute maximum does not move); the old one stops working."""
    record = await _current_session(ctx, deps)
    token, renewed = await deps.sessions.create(
        user_id=ctx.require_user(),
        email=record.email,
        client_ip=ctx.client_ip,
        absolute_expires_at=record.absolute_expires_at,
    )
    await deps.sessions.revoke(record)
    audit.record(ctx, "auth.refresh", "session", _fingerprint(renewed))
    return TokenOut(token=token, expires_at=_at(renewed.expires_at(deps.sessions.idle_seconds, renewed.created_at)))


async def logout(ctx: RequestContext, deps: AuthDeps) -> RevokedOut:
    record = await _current_session(ctx, deps)
    await deps.sessions.revoke(record)
    audit.record(ctx, "auth.logout", "session", _fingerprint(record))
    return RevokedOut(revoked=1)


async def logout_everywhere(ctx: RequestContext, deps: AuthDeps) -> RevokedOut:
    revoked = await deps.sessions.revoke_all(ctx.require_user())
    audit.record(ctx, "auth.logout_everywhere", "user", ctx.require_user(), after={"revoked": revoked})
    return RevokedOut(revoked=revoked)


async def list_sessions(ctx: RequestContext, deps: AuthDeps) -> SessionsOut:
    assert ctx.principal is not None
    current = ctx.principal.session_id
    return SessionsOut(
        items=[
            SessionOut(
                id=_fingerprint(r),
                created_at=_at(r.created_at),
                expires_at=_at(r.absolute_expires_at),
                client_ip=r.client_ip,
                current=r.session_id == current,
            )
            for r in await deps.sessions.list_for(ctx.require_user())
        ]
    )


async def me(ctx: RequestContext) -> MeOut:
    user = await repository.user_by_id(ctx.session, ctx.require_user())
    if user is None:
        raise IdentityError(ErrorCode.UNAUTHENTICATED, IdentityReason.SESSION_EXPIRED, "The account no longer exists.")
    return MeOut(
        user=user_out(user),
        organizations=await my_organizations(ctx, user),
        pending_invitations=await invitations.pending_count(ctx),
    )


def _fingerprint(record: SessionRecord) -> str:
    return record.fingerprint

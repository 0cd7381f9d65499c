"""Account security (the owner portal's password and security management): changing the password, revoking one
of the caller's own sessions.

A wrong current password counts as a failed login for the account from the caller's address (`throttle`), so a
stolen session cannot guess the password faster than a login form could. A new password follows the registration
policy. Changing it revokes every other session of the account (the caller's own stays), audits the change and
notifies the owner through the outbox.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func

from hestami.core import audit
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError, not_found
from hestami.core.outbox import OutboundMessage, record_once
from hestami.identity import passwords, repository, throttle
from hestami.identity.errors import IdentityError, IdentityReason
from hestami.identity.schemas import ChangePasswordIn, RevokedOut, RevokeSessionIn
from hestami.identity.services.accounts import AuthDeps

SESSION = "session"
USER = "user"
NOTICE = "account.password_changed"


def _refused(field: str, message: str, reason: IdentityReason) -> HestamiError:
    return HestamiError(
        ErrorCode.VALIDATION_FAILED,
        message,
        details={"reason": reason.value},
        field_errors=[FieldError(field, message, reason.value)],
    )


async def change_password(ctx: RequestContext, data: ChangePasswordIn, deps: AuthDeps) -> RevokedOut:
    """VALIDATION_FAILED at `/current_password` (WRONG_PASSWORD) or `/new_password` (WEAK_PASSWORD,
    PASSWORD_UNCHANGED); RATE_LIMITED like a login after too many wrong ones. The answer counts the other
    sessions revoked."""
    assert ctx.principal is not None
    user = await repository.lock_user(ctx.session, ctx.require_user())
    if user is None:
        raise IdentityError(ErrorCode.UNAUTHENTICATED, IdentityReason.SESSION_EXPIRED, "The account no longer exists.")
    problem = passwords.policy_violation(data.new_password, user.email)
    if problem:
        raise _refused("/new_password", problem, IdentityReason.WEAK_PASSWORD)
    if data.new_password == data.current_password:
        unchanged = "Choose a password other than the current one."
        raise _refused("/new_password", unchanged, IdentityReason.PASSWORD_UNCHANGED)
    await throttle.ensure_login_allowed(deps.redis, deps.settings, email=user.email, client_ip=ctx.client_ip)
    if not await passwords.verify_password(data.current_password, user.password_hash):
        await throttle.record_login_failure(deps.redis, deps.settings, email=user.email, client_ip=ctx.client_ip)
        audit.record_even_if_rolled_back(
            ctx, deps.database, "auth.password_change_failed", USER, user.id, actor_user_id=user.id
        )
        raise _refused("/current_password", "The current password is not right.", IdentityReason.WRONG_PASSWORD)

    user.password_hash = await passwords.hash_password(data.new_password)
    user.updated_at = func.now()
    await ctx.session.flush()
    keep = ctx.principal.session_id
    revoked = await deps.sessions.revoke_others(user.id, keep)

    async def sweep() -> None:  # a login with the old password between the revocation and the commit
        await deps.sessions.revoke_others(user.id, keep)

    ctx.after_commit(sweep)
    audit.record(ctx, "user.password_changed", USER, user.id, after={"revoked_sessions": revoked})
    change = hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]  # one notice per change, never two
    notice = OutboundMessage(
        channel="EMAIL",
        recipient=user.email,
        recipient_user_id=user.id,
        template=NOTICE,
        payload={"name": user.name, "other_sessions_revoked": revoked},
        request_id=ctx.request_id,
        entity_type=USER,
        entity_id=user.id,
        dedupe_key=f"{NOTICE}:{user.id}:{change}",
    )
    await record_once(ctx.session, notice)
    return RevokedOut(revoked=revoked)


async def revoke_session(ctx: RequestContext, data: RevokeSessionIn, deps: AuthDeps) -> RevokedOut:
    """Revokes the caller's session with this fingerprint (their current one too); NOT_FOUND for any other
    fingerprint, another user's session included."""
    assert ctx.principal is not None
    for record in await deps.sessions.list_for(ctx.require_user()):
        if record.fingerprint == data.fingerprint:
            await deps.sessions.revoke(record)
            current = record.session_id == ctx.principal.session_id
            audit.record(ctx, "auth.session_revoked", SESSION, data.fingerprint, after={"current": current})
            return RevokedOut(revoked=1)
    raise not_found(SESSION, data.fingerprint)

"""The identity module's side of the platform's IdentityPort: bearer tokens and organization access."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core import runtime
from hestami.core.config import Settings
from hestami.core.context import OrgAccess, Principal
from hestami.core.db import Database
from hestami.core.ratelimit import Budget
from hestami.identity import repository
from hestami.identity.sessions import SessionStore


def session_store(rt: runtime.Runtime) -> SessionStore:
    settings = rt.settings
    return SessionStore(
        rt.redis,
        secret=settings.signing_secret(),
        idle_seconds=settings.session_idle_seconds,
        absolute_seconds=settings.session_absolute_seconds,
    )


class IdentityService:
    """Resolves sessions from Redis (the process's client, once the runtime is up) and memberships from
    the scoped transaction."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._sessions: SessionStore | None = None

    @property
    def sessions(self) -> SessionStore:
        if self._sessions is None:
            self._sessions = session_store(runtime.current())
        return self._sessions

    async def authenticate(self, token: str, *, budget: Budget | None = None) -> Principal | None:
        record = await self.sessions.resolve(token, budget=budget)
        if record is None:
            return None
        return Principal(user_id=uuid.UUID(record.user_id), session_id=record.session_id, email=record.email)

    async def access_to(
        self, session: AsyncSession, principal: Principal, organization_id: uuid.UUID
    ) -> OrgAccess | None:
        read, access = Database.access_read_with_scope(session, organization_id, principal.user_id)
        if read:  # the transaction read it as it entered this very scope (one statement for both)
            return access
        found = await repository.access(session, principal.user_id, organization_id)
        if found is None:
            return None
        roles, slug, boards = found
        return OrgAccess(roles=frozenset(roles), organization_slug=slug, board_association_ids=frozenset(boards))

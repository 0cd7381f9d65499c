"""A test identity port: tokens and memberships held in memory, so the platform can be tested before
(and independently of) the identity module's Redis sessions."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core import runtime
from hestami.core.context import OrgAccess, Principal
from hestami.core.ids import new_id
from hestami.core.ratelimit import Budget
from hestami.identity.port import IdentityService


@dataclass(frozen=True)
class Caller:
    principal: Principal
    token: str

    @property
    def id(self) -> uuid.UUID:
        return self.principal.user_id

    def headers(self, org: uuid.UUID | None = None, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if org is not None:
            headers["X-Org-Id"] = str(org)
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers


@dataclass
class TokenBook:
    tokens: dict[str, Principal] = field(default_factory=dict)
    memberships: dict[tuple[uuid.UUID, uuid.UUID], frozenset[str]] = field(default_factory=dict)

    def new_user(self, *, member_of: dict[uuid.UUID, set[str]] | None = None) -> Caller:
        token = secrets.token_urlsafe(24)
        principal = Principal(user_id=new_id(), session_id=secrets.token_hex(8), email=f"{token[:8]}@test.hestami")
        self.tokens[token] = principal
        for org, roles in (member_of or {}).items():
            self.memberships[(principal.user_id, org)] = frozenset(roles)
        return Caller(principal, token)

    async def authenticate(self, token: str) -> Principal | None:
        return self.tokens.get(token)

    async def access_to(
        self, session: AsyncSession, principal: Principal, organization_id: uuid.UUID
    ) -> OrgAccess | None:
        roles = self.memberships.get((principal.user_id, organization_id))
        return OrgAccess(roles=roles, organization_slug=f"org-{organization_id}") if roles is not None else None


class ChainedIdentity:
    """Test tokens from the book first, then the real identity module (Redis sessions, memberships)."""

    def __init__(self, book: TokenBook, real: IdentityService, *, redis: Callable[[], Redis] | None = None) -> None:
        self.book = book
        self.real = real
        self.redis = redis or (lambda: runtime.current().redis)  # where booked callers' budgets are counted

    async def authenticate(self, token: str, *, budget: Budget | None = None) -> Principal | None:
        booked = await self.book.authenticate(token)
        if booked is None:
            return await self.real.authenticate(token, budget=budget)
        if budget is not None:
            await budget.charge(self.redis(), str(booked.user_id))
        return booked

    async def access_to(
        self, session: AsyncSession, principal: Principal, organization_id: uuid.UUID
    ) -> OrgAccess | None:
        if principal.user_id in {p.user_id for p in self.book.tokens.values()}:
            return await self.book.access_to(session, principal, organization_id)
        return await self.real.access_to(session, principal, organization_id)

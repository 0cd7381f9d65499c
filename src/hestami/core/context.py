"""The request context every service takes explicitly, and the identity port core asks about callers."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from hestami.core.authz import Authorizer
    from hestami.core.ratelimit import Budget
    from hestami.core.uploads import StagedFile


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller, resolved from a bearer token by the identity module."""

    user_id: uuid.UUID
    session_id: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class OrgAccess:
    """The caller's membership in the organization a request is scoped to."""

    roles: frozenset[str]
    organization_slug: str
    board_association_ids: frozenset[str] = frozenset()
    """The associations whose board the caller sits on today (a current seat): a BOARD_MEMBER's view is limited
    to them (policies/derived_roles/common.yaml)."""


class IdentityPort(Protocol):
    """What the platform needs to know about callers; the identity module implements it."""

    async def authenticate(self, token: str, *, budget: Budget | None = None) -> Principal | None:
        """The principal behind a bearer token, or None when it is unknown, expired or revoked. With a `budget`,
        the request is counted against the principal's (RATE_LIMITED past it), in the same round trip when the
        implementation can."""
        ...

    async def access_to(
        self, session: AsyncSession, principal: Principal, organization_id: uuid.UUID
    ) -> OrgAccess | None:
        """The caller's roles in the organization (inside its scoped transaction), or None if not a member."""
        ...


class NoIdentity:
    """The identity port when no session store is wired: every token is refused, no one is a member."""

    async def authenticate(self, token: str, *, budget: Budget | None = None) -> Principal | None:
        return None

    async def access_to(
        self, session: AsyncSession, principal: Principal, organization_id: uuid.UUID
    ) -> OrgAccess | None:
        return None


Effect = Callable[[], Awaitable[None]]


@dataclass(slots=True)
class RequestContext:
    """Who is calling, in which organization, inside which transaction.

    Services receive it as their first argument and never commit `session`: the request does.
    """

    request_id: str
    procedure: str
    session: AsyncSession
    principal: Principal | None = None
    organization_id: uuid.UUID | None = None
    organization_slug: str = ""
    roles: frozenset[str] = frozenset()
    board_association_ids: frozenset[str] = frozenset()
    locale: str = "en-US"
    trace_id: str = ""
    client_ip: str = ""
    idempotency_key: str | None = None
    authorizer: Authorizer | None = None
    upload: StagedFile | None = None
    """The file of a `file=True` procedure's request (`core.uploads`), on local disk until the request ends."""
    _after_commit: list[Effect] = field(default_factory=list)
    _after_rollback: list[Effect] = field(default_factory=list)

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.principal.user_id if self.principal else None

    def require_org(self) -> uuid.UUID:
        if self.organization_id is None:
            raise RuntimeError(f"{self.procedure} is not org-scoped but asked for the organization")
        return self.organization_id

    def require_user(self) -> uuid.UUID:
        if self.principal is None:
            raise RuntimeError(f"{self.procedure} is anonymous but asked for the user")
        return self.principal.user_id

    def after_commit(self, effect: Effect) -> None:
        """Run `effect` once the request's transaction has committed (start workflows, publish)."""
        self._after_commit.append(effect)

    def after_rollback(self, effect: Effect) -> None:
        """Run `effect` if the request fails and its transaction rolls back (e.g. audit a failed login)."""
        self._after_rollback.append(effect)

    def drain_after_commit(self) -> list[Effect]:
        effects, self._after_commit = self._after_commit, []
        return effects

    def drain_after_rollback(self) -> list[Effect]:
        effects, self._after_rollback = self._after_rollback, []
        return effects

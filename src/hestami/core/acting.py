"""Acting outside a request: a scoped `RequestContext` for workflow steps, demo seeding and tests.

A request builds its context in `core.rpc.dispatch`; everything else that works on tenant data builds it here,
so the same scope (RLS settings, principal, roles, authorizer) holds whoever does the work.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core.authz import Authorizer
from hestami.core.context import Principal, RequestContext
from hestami.core.ids import new_request_id
from hestami.core.runtime import Runtime


class NotAMemberError(RuntimeError):
    """`acting` as a user in an organization they do not belong to."""


def scoped_context(
    session: AsyncSession,
    *,
    procedure: str,
    organization_id: uuid.UUID | None,
    principal: Principal | None = None,
    roles: frozenset[str] = frozenset(),
    organization_slug: str = "",
    authorizer: Authorizer | None = None,
) -> RequestContext:
    """A context on a session that is already scoped (e.g. a DBOS transaction step's own session)."""
    return RequestContext(
        request_id=new_request_id(),
        procedure=procedure,
        session=session,
        principal=principal,
        organization_id=organization_id,
        organization_slug=organization_slug,
        roles=roles,
        authorizer=authorizer,
    )


@asynccontextmanager
async def acting(
    runtime: Runtime,
    *,
    procedure: str,
    organization_id: uuid.UUID | None,
    user_id: uuid.UUID | None = None,
    email: str = "",
    roles: frozenset[str] | None = None,
) -> AsyncIterator[RequestContext]:
    """One request's worth of work in one scoped transaction, committed when the block ends.

    As `user_id` (with the roles they hold in the organization, read in the same transaction, unless `roles`
    names them) or, without a user, as the system (no principal: workflows). Effects the work registered with
    `after_commit` (waking workflows) run once the transaction has committed, as they do after a request.
    """
    async with runtime.database.transaction(organization_id=organization_id, user_id=user_id) as session:
        principal = Principal(user_id=user_id, session_id=procedure, email=email) if user_id else None
        ctx = scoped_context(
            session,
            procedure=procedure,
            organization_id=organization_id,
            principal=principal,
            roles=roles or frozenset(),
            authorizer=runtime.authorizer,
        )
        if principal is not None and organization_id is not None:
            access = await runtime.identity.access_to(session, principal, organization_id)
            if access is None:
                raise NotAMemberError(f"{email or user_id} is not a member of {organization_id}")
            ctx.organization_slug = access.organization_slug
            if roles is None:
                ctx.roles = access.roles
                ctx.board_association_ids = access.board_association_ids
        yield ctx
    for effect in ctx.drain_after_commit():
        await effect()

"""The database: one async engine on the app role, one transaction per request with a tenant scope."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from hestami.core.context import OrgAccess

SET_SCOPE = text("SELECT set_config('app.current_org_id', :org, true), set_config('app.current_user_id', :user, true)")
# The scope and the caller's membership in one statement (migration 0012): no row unless `user` is an active member.
ENTER_SCOPE = text("SELECT roles, slug, board_association_ids FROM app_enter_scope(:org, :user)")
_SCOPE_ACCESS = "hestami.scope_access"


def psycopg_url(url: str) -> str:
    """The same URL with SQLAlchemy's psycopg 3 driver, whatever scheme it came with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+asyncpg"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class Database:
    """The app role's connection pool. Every unit of work goes through `transaction()`."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        # prepare_threshold=None: no server-side prepared statements, so Postgres plans each list query for its
        # actual organization (a generic plan cannot see that the scope and Cerbos filters name the same one, and
        # then ignores the keyset index). No pre-ping round trip per checkout; connections are recycled hourly.
        self.engine: AsyncEngine = create_async_engine(
            psycopg_url(url),
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=3600,
            connect_args={"prepare_threshold": None},
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)

    @asynccontextmanager
    async def transaction(
        self, *, organization_id: uuid.UUID | None, user_id: uuid.UUID | None
    ) -> AsyncIterator[AsyncSession]:
        """One transaction whose first statement sets the transaction-local tenant scope and, in the same statement,
        reads the user's membership of the organization (`access_read_with_scope`).

        `set_config(..., true)` ends with the transaction, so a pooled connection never carries one
        request's organization into the next. Commits when the block ends, rolls back on an exception.
        """
        async with self.sessions() as session, session.begin():
            scope = {"org": str(organization_id) if organization_id else "", "user": str(user_id) if user_id else ""}
            connection = await session.connection()  # Core: no ORM execution machinery for a plain statement
            row = (await connection.execute(ENTER_SCOPE, scope)).one_or_none()
            access = (
                OrgAccess(
                    roles=frozenset(row.roles),
                    organization_slug=row.slug,
                    board_association_ids=frozenset(row.board_association_ids or ()),
                )
                if row
                else None
            )
            session.info[_SCOPE_ACCESS] = (organization_id, user_id, access)
            yield session

    @staticmethod
    def access_read_with_scope(
        session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID
    ) -> tuple[bool, OrgAccess | None]:
        """The membership `transaction()` read as it entered the scope, if this session's scope is exactly
        (`organization_id`, `user_id`): (True, access or None when not a member); (False, None) otherwise."""
        org, user, access = session.info.get(_SCOPE_ACCESS, (None, None, None))
        if org == organization_id and user == user_id and org is not None and user is not None:
            return True, access
        return False, None

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()

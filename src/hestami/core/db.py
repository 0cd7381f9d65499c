"""The database: an async engine on the app role per event loop, one transaction per request with a tenant scope."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import AsyncIterator, Callable
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


Pool = tuple[AsyncEngine, async_sessionmaker[AsyncSession]]


class Database:
    """The app role's connection pool. Every unit of work goes through `transaction()`.

    An async engine's pool belongs to one event loop (its connections and its wait queue bind to the loop that first
    uses them). The loop that first uses the database (the app's) gets the main pool; any other loop gets a small pool
    of its own, made on first use: DBOS runs the workflows it dequeues on a background loop of its own whenever the
    app's loop is not running (a CLI's `asyncio.run`, a test that blocks the loop), and a shared pool then failed
    ("bound to a different event loop") as soon as one of them had to wait for a connection."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self._url, self._pool_size = psycopg_url(url), pool_size
        self._home: Pool = self._pool(pool_size)
        self._home_loop: asyncio.AbstractEventLoop | None = None
        self._elsewhere: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Pool] = weakref.WeakKeyDictionary()
        self._watchers: list[Callable[[AsyncEngine], None]] = []

    def _pool(self, size: int) -> Pool:
        # prepare_threshold=None: no server-side prepared statements, so Postgres plans each list query for its
        # actual organization (a generic plan cannot see that the scope and Cerbos filters name the same one, and
        # then ignores the keyset index). No pre-ping round trip per checkout; connections are recycled hourly.
        engine = create_async_engine(
            self._url, pool_size=size, max_overflow=size, pool_recycle=3600, connect_args={"prepare_threshold": None}
        )
        return engine, async_sessionmaker(engine, expire_on_commit=False, autoflush=True)

    def _current(self) -> Pool:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self._home
        if self._home_loop is None or self._home_loop.is_closed():
            self._home_loop = loop
        if loop is self._home_loop:
            return self._home
        found = self._elsewhere.get(loop)
        if found is None:
            found = self._elsewhere[loop] = self._pool(max(1, self._pool_size // 2))
            for watch in self._watchers:
                watch(found[0])
        return found

    @property
    def engine(self) -> AsyncEngine:
        """The engine of the running event loop."""
        return self._current()[0]

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._current()[1]

    def watch_engines(self, watch: Callable[[AsyncEngine], None]) -> None:
        """Calls `watch(engine)` for every engine, those of other loops as they are made (telemetry's listeners)."""
        self._watchers.append(watch)
        watch(self._home[0])
        for engine, _ in list(self._elsewhere.values()):
            watch(engine)

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
        """Closes the pools: this loop's connections are closed, another loop's are let go (closing them needs
        their own loop, which may be gone)."""
        current = self._current()
        for engine, _ in [self._home, *self._elsewhere.values()]:
            await engine.dispose(close=engine is current[0])

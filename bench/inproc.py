"""The API's runtime inside the benchmark process: services called directly (as `hestami seed-demo` does),
statements captured as they are sent, and Cerbos calls counted."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import event

from hestami.core.acting import scoped_context
from hestami.core.context import Principal, RequestContext
from hestami.core.runtime import Runtime


@asynccontextmanager
async def runtime(*, dbos: bool = False) -> AsyncIterator[Runtime]:
    """A Runtime like the API's (built and, with `dbos`, DBOS launched on this event loop)."""
    from hestami.app import build_registry, domain_routers, identity_port, settle_the_heap
    from hestami.core import runtime as runtime_module
    from hestami.core import telemetry, workflows
    from hestami.core.config import get_settings

    get_settings.cache_clear()
    settings = get_settings()
    telemetry.configure_tracing(settings)  # as create_app does: DBOS and the services record their spans
    rt = Runtime.build(settings, identity_port(settings), build_registry(domain_routers()))
    runtime_module.install(rt)
    if dbos:
        workflows.launch(settings)
    settle_the_heap()  # as the served app does once started: full collections skip the start-up heap
    try:
        yield rt
    finally:
        if dbos:
            await asyncio.to_thread(workflows.destroy)
        runtime_module.install(None)
        await rt.close()


def context(
    session: Any,
    rt: Runtime,
    user_id: uuid.UUID,
    org: uuid.UUID,
    slug: str,
    roles: frozenset[str] = frozenset({"ADMIN"}),
    procedure: str = "bench",
) -> RequestContext:
    return scoped_context(
        session,
        procedure=procedure,
        principal=Principal(user_id=user_id, session_id="bench", email="bench@bench.example.com"),
        organization_id=org,
        organization_slug=slug,
        roles=roles,
        authorizer=rt.authorizer,
    )


@dataclass
class Counters:
    statements: list[str] = field(default_factory=list)
    captured: list[tuple[str, Any]] = field(default_factory=list)
    cerbos_checks: int = 0
    cerbos_plans: int = 0
    transactions: int = 0

    def by_kind(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for statement in self.statements:
            head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
            kinds[head] = kinds.get(head, 0) + 1
        return kinds


@contextlib.contextmanager
def counting(rt: Runtime, *, capture: str | None = None) -> Iterator[Counters]:
    """Counts the statements the runtime's engine sends and the calls its authorizer makes to Cerbos; keeps
    (statement, parameters) of those containing `capture`."""
    counters = Counters()
    engine = rt.database.engine.sync_engine

    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        counters.statements.append(statement)
        if capture and capture in statement:
            counters.captured.append((statement, params))

    def begun(conn: Any) -> None:
        counters.transactions += 1

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "begin", begun)
    channel = rt.authorizer.channel  # the network calls (a remembered answer makes none)
    original_check, original_plan = channel.check_resources, channel.plan_resources

    async def check(*args: Any, **kwargs: Any) -> Any:
        counters.cerbos_checks += 1
        return await original_check(*args, **kwargs)

    async def plan(*args: Any, **kwargs: Any) -> Any:
        counters.cerbos_plans += 1
        return await original_plan(*args, **kwargs)

    channel.check_resources = check  # type: ignore[method-assign]
    channel.plan_resources = plan  # type: ignore[method-assign]
    try:
        yield counters
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "begin", begun)
        channel.check_resources = original_check  # type: ignore[method-assign]
        channel.plan_resources = original_plan  # type: ignore[method-assign]


def sql(dsn: str, statement: str, params: Any = None, *, fetch: bool = False) -> Any:
    """One statement as the superuser (bypasses RLS), autocommit."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        cur = conn.execute(statement, params)  # type: ignore[arg-type]
        return cur.fetchall() if fetch else cur.rowcount


def superuser_user(dsn: str, label: str) -> uuid.UUID:
    """A user row written directly (password login is not needed for in-process callers)."""
    from hestami.core.ids import new_id

    user_id = new_id()
    sql(
        dsn,
        "INSERT INTO users (id, email, name, password_hash) VALUES (%s, %s, %s, 'not-a-login')",
        (user_id, f"{label}-{user_id.hex[:8]}@bench.example.com", f"Bench {label}"),
    )
    return user_id


def superuser_org(dsn: str, label: str, user_id: uuid.UUID, roles: list[str], org_type: str) -> tuple[uuid.UUID, str]:
    from hestami.core.ids import new_id

    org = new_id()
    slug = f"bench-{label}-{org.hex[-8:]}"
    sql(dsn, "INSERT INTO organizations (id, name, slug, type) VALUES (%s, %s, %s, %s)",
        (org, f"Bench {label}", slug, org_type))  # fmt: skip
    sql(dsn, "INSERT INTO memberships (id, organization_id, user_id, roles, status) VALUES (%s, %s, %s, %s, 'ACTIVE')",
        (new_id(), org, user_id, roles))  # fmt: skip
    return org, slug


class Stopwatch:
    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def elapsed(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu

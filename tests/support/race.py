"""Forcing a race between requests that check a "not twice" rule by reading first (issue 11, defect 3).

Requests sent at once through the in-process client interleave only at their awaits, so whether both read
before either writes is luck. `race` makes it certain: a transaction of its own holds a row lock that every
request needs after its read (the association's row, taken to number journal entries; a row a foreign key
points to), the requests start, and the lock is let go only once each of them waits on some lock. On code that
reads without a lock of its own, every request has read by then, so all of them write; on code that takes a
lock before the read, the later ones wait at that lock and read what the first one committed. What holds them
is rolled back, so it leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from hestami.core.db import SET_SCOPE

WAITING = """
SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE NOT l.granted AND a.datname = current_database()
"""
PATIENCE_SECONDS = 15.0


@dataclass(frozen=True)
class Held:
    """What to hold in the organization's scope: rows locked by a `SELECT ... FOR UPDATE`, or a row written (an
    `INSERT ... RETURNING`) whose unique key the requests' own writes wait on. It is rolled back at the end."""

    organization_id: str | uuid.UUID
    statement: str
    params: dict[str, Any] = field(default_factory=dict)


async def waiting_for_locks() -> int:
    """How many sessions of the test database wait for a lock now."""
    async with runtime.current().database.transaction(organization_id=None, user_id=None) as session:
        return int(await session.scalar(text(WAITING)) or 0)


async def _until_all_wait(tasks: list[asyncio.Task[httpx.Response]]) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        if await waiting_for_locks() >= len(tasks) or any(task.done() for task in tasks):
            return  # a request that ended early could not be held: the caller's assertions tell what it did
        await asyncio.sleep(0.02)
    raise AssertionError(f"the requests did not all come to wait for a lock within {PATIENCE_SECONDS} s")


async def race(held: Held, *requests: Coroutine[Any, Any, httpx.Response]) -> list[httpx.Response]:
    """Runs the requests while `held` is held, letting go (a rollback) once every request waits for a lock; the
    responses, in the order of `requests`."""
    scope = {"org": str(held.organization_id), "user": ""}
    async with runtime.current().database.engine.connect() as connection:
        await connection.execute(SET_SCOPE, scope)
        assert (await connection.execute(text(held.statement), held.params)).all(), f"nothing held: {held.statement}"
        tasks = [asyncio.create_task(request) for request in requests]
        try:
            await _until_all_wait(tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            raise
        finally:
            await connection.rollback()
    return list(await asyncio.gather(*tasks))

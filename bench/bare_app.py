"""The floor for the request path: bare FastAPI + psycopg 3, no auth, no RLS, no envelope, no telemetry.

`POST /bare/workOrder/get {"id": ...}` reads the same `work_orders` row as `workOrder/v1/get` with one
SELECT on a pooled connection (the superuser's, so no tenant scope is needed) and returns it as JSON.
Served by uvicorn with the same worker count as `hestami serve`:
`BENCH_BARE_DSN=... uvicorn bench.bare_app:create_app --factory --workers 2`.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from fastapi import FastAPI, HTTPException
from psycopg.rows import dict_row
from pydantic import BaseModel

POOL_SIZE = 10  # as the API's DB_POOL_SIZE default


class ById(BaseModel):
    id: uuid.UUID


class Pool:
    """A fixed set of async connections handed out through a queue (psycopg_pool is not a dependency)."""

    def __init__(self, dsn: str, size: int) -> None:
        self.dsn = dsn
        self.size = size
        self.idle: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()

    async def open(self) -> None:
        for _ in range(self.size):
            conn = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True, row_factory=dict_row)
            self.idle.put_nowait(conn)

    async def close(self) -> None:
        while not self.idle.empty():
            await self.idle.get_nowait().close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        conn = await self.idle.get()
        try:
            yield conn
        finally:
            self.idle.put_nowait(conn)


def create_app() -> FastAPI:
    pool = Pool(os.environ["BENCH_BARE_DSN"], POOL_SIZE)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.open()
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/bare/health")
    async def health() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/bare/workOrder/get")
    async def get(data: ById) -> dict[str, Any]:
        async with pool.connection() as conn:
            cur = await conn.execute("SELECT * FROM work_orders WHERE id = %s", (data.id,))
            row = await cur.fetchone()
        if row is None:
            raise HTTPException(404)
        return row

    return app

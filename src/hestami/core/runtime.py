"""The long-lived objects one process shares between requests and workflows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from redis.asyncio import Redis

from hestami.core.authz import Authorizer
from hestami.core.config import Settings
from hestami.core.context import IdentityPort
from hestami.core.db import Database
from hestami.core.decisions import DecisionCache
from hestami.core.idempotency import IdempotencyStore
from hestami.core.project import ProjectFilesNotFoundError, policy_dir
from hestami.core.rpc.procedure import ProcedureRegistry
from hestami.core.storage import ObjectStore, build_store


def decision_cache(settings: Settings) -> DecisionCache:
    """The process's memory of Cerbos answers, following the local policy folder when there is one."""
    try:
        folder: Path | None = policy_dir(settings)
    except ProjectFilesNotFoundError:  # policies live only with a remote Cerbos: the TTL bounds staleness
        folder = None
    return DecisionCache(
        max_entries=settings.authz_cache_entries, ttl_seconds=settings.authz_cache_seconds, policy_folder=folder
    )


@dataclass(slots=True)
class Runtime:
    settings: Settings
    database: Database
    redis: Redis
    cerbos_http: httpx.AsyncClient
    authorizer: Authorizer
    identity: IdentityPort
    registry: ProcedureRegistry
    idempotency: IdempotencyStore
    files: ObjectStore

    @classmethod
    def build(cls, settings: Settings, identity: IdentityPort, registry: ProcedureRegistry) -> Runtime:
        return cls(
            settings=settings,
            database=Database(settings.database_url, pool_size=settings.db_pool_size),
            redis=Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2),
            cerbos_http=httpx.AsyncClient(base_url=settings.cerbos_url, timeout=2.0),
            authorizer=Authorizer(
                settings.cerbos_grpc_addr,
                timeout_seconds=settings.cerbos_timeout_seconds,
                cache=decision_cache(settings),
            ),
            identity=identity,
            registry=registry,
            idempotency=IdempotencyStore(
                ttl=timedelta(hours=settings.idempotency_ttl_hours),
                lease=timedelta(seconds=settings.idempotency_lease_seconds),
            ),
            files=build_store(settings),
        )

    async def close(self) -> None:
        await self.cerbos_http.aclose()
        await self.authorizer.close()
        await self.redis.aclose()
        await self.database.dispose()


_current: Runtime | None = None


def install(runtime: Runtime | None) -> None:
    """Workflows run outside requests; they find the process's runtime here."""
    global _current
    _current = runtime


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("the Hestami runtime is not started")
    return _current

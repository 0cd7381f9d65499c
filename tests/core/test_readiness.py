"""Ready means ready: readiness is 200 only when Postgres, Redis, Cerbos (a real check decision) and DBOS answer;
a dependency that fails during a request is 503 SERVICE_UNAVAILABLE (retryable, Retry-After), never a 500; and
everything comes back without a restart once the dependency does.

An app of its own reaches each dependency through a `DependencyProxy` the tests take down, stall and bring back;
the shared app and its workflows are not touched.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import grpc  # type: ignore[import-untyped]
import httpx
import psycopg
import pytest
import redis
from fastapi import FastAPI

from hestami.app import create_app, domain_routers
from hestami.cli import seed_when_ready
from hestami.core.cerbos_transport import cerbos_unavailable
from hestami.core.config import Settings
from hestami.core.errors import ErrorCode
from hestami.core.health import READINESS_ACTION, READINESS_PRINCIPAL, READINESS_RESOURCE
from hestami.core.ids import new_id
from hestami.core.rpc.failures import as_platform_error
from hestami.core.runtime import Runtime
from hestami.identity.port import IdentityService
from tests.support import notes
from tests.support.dependency_proxy import DependencyProxy
from tests.support.identity import Caller, ChainedIdentity, TokenBook

CERBOS_DEADLINE = 1.0
APPLICATION_NAME = "hestami-readiness-test"


@dataclass
class Proxies:
    cerbos: DependencyProxy
    redis: DependencyProxy
    postgres: DependencyProxy

    def all(self) -> list[DependencyProxy]:
        return [self.cerbos, self.redis, self.postgres]


@pytest.fixture(scope="module")
def proxies(settings: Settings) -> Iterator[Proxies]:
    made = Proxies(
        cerbos=DependencyProxy.to_address(settings.cerbos_grpc_addr),
        redis=DependencyProxy.to_redis(settings.redis_url),
        postgres=DependencyProxy.to_postgres(settings.database_url),
    )
    yield made
    for proxy in made.all():
        proxy.close()


@pytest.fixture(scope="module")
async def fragile_app(
    app: FastAPI, settings: Settings, token_book: TokenBook, proxies: Proxies
) -> AsyncIterator[FastAPI]:
    """An app whose runtime reaches Postgres, Redis and Cerbos through the proxies (DBOS is the shared app's)."""
    through_proxies = settings.model_copy(
        update={
            "cerbos_grpc_addr": proxies.cerbos.address,
            "cerbos_timeout_seconds": CERBOS_DEADLINE,
            "redis_url": proxies.redis.redis_url(),
            "database_url": proxies.postgres.postgres_url(settings.database_url, application_name=APPLICATION_NAME),
            # every request asks Cerbos (a remembered answer would serve through an outage: see test_decisions)
            "authz_cache_entries": 0,
        }
    )
    identity = ChainedIdentity(token_book, IdentityService(settings), redis=lambda: application.state.runtime.redis)
    application = create_app(through_proxies, identity=identity, routers=[*domain_routers(), notes.router])
    application.state.runtime = Runtime.build(through_proxies, identity, application.state.registry)
    yield application
    await application.state.runtime.close()


@pytest.fixture
async def fragile(fragile_app: FastAPI, proxies: Proxies) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=fragile_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    for proxy in proxies.all():
        proxy.up()


@pytest.fixture(scope="module")
def manager(token_book: TokenBook) -> tuple[Caller, uuid.UUID]:
    org = new_id()
    return token_book.new_user(member_of={org: {"MANAGER"}}), org


async def call(client: httpx.AsyncClient, who: tuple[Caller, uuid.UUID], path: str) -> httpx.Response:
    caller, org = who
    return await client.post(f"/api/v1/rpc/{path}", json={}, headers=caller.headers(org))


def assert_unavailable(response: httpx.Response, service: str) -> dict[str, Any]:
    assert response.status_code == 503, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "SERVICE_UNAVAILABLE", response.text
    assert error["retryable"] is True
    assert response.headers["Retry-After"] == "1"
    if service:
        assert error["details"]["service"] == service, response.text
    return error


async def assert_not_ready(client: httpx.AsyncClient, down: str) -> None:
    for path in ("/api/health", "/api/health/ready"):
        response = await client.get(path)
        report = assert_unavailable(response, "")["details"]
        assert report[down]["ok"] is False, report
        assert all(report[name]["ok"] for name in ("postgres", "redis", "cerbos", "dbos") if name != down), report
    live = await client.get("/api/health/live")
    assert live.status_code == 200
    assert live.json()["data"]["status"] == "alive"


async def assert_ready(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200, response.text
    assert response.json()["data"]["status"] == "ok"


async def test_all_up_is_ready_and_serves(fragile: httpx.AsyncClient, manager: tuple[Caller, uuid.UUID]) -> None:
    await assert_ready(fragile)
    assert (await call(fragile, manager, "notification/v1/list")).status_code == 200


async def test_cerbos_down_is_503_not_ready_and_recovers_at_once(
    fragile: httpx.AsyncClient, proxies: Proxies, manager: tuple[Caller, uuid.UUID]
) -> None:
    proxies.cerbos.down()
    assert_unavailable(await call(fragile, manager, "notification/v1/list"), "cerbos")
    await assert_not_ready(fragile, "cerbos")
    proxies.cerbos.up()
    # The channel failed a moment ago (gRPC would back off before reconnecting): the very next call reconnects.
    assert (await call(fragile, manager, "notification/v1/list")).status_code == 200
    await assert_ready(fragile)


async def test_cerbos_hanging_is_503_within_the_deadline(
    fragile: httpx.AsyncClient, proxies: Proxies, manager: tuple[Caller, uuid.UUID]
) -> None:
    proxies.cerbos.stall()
    started = time.monotonic()
    error = assert_unavailable(await call(fragile, manager, "notification/v1/list"), "cerbos")
    assert error["details"]["status"] in ("DEADLINE_EXCEEDED", "UNAVAILABLE")  # the retry's own outcome
    assert time.monotonic() - started < CERBOS_DEADLINE + 1.0
    proxies.cerbos.up()
    assert (await call(fragile, manager, "notification/v1/list")).status_code == 200


async def test_cerbos_restarted_between_requests_is_reconnected_within_the_request(
    fragile: httpx.AsyncClient, proxies: Proxies, manager: tuple[Caller, uuid.UUID]
) -> None:
    assert (await call(fragile, manager, "notification/v1/list")).status_code == 200
    proxies.cerbos.drop_connections()
    assert (await call(fragile, manager, "notification/v1/list")).status_code == 200


async def test_redis_down_is_503_not_ready_and_recovers(
    fragile: httpx.AsyncClient, proxies: Proxies, manager: tuple[Caller, uuid.UUID]
) -> None:
    proxies.redis.down()
    assert_unavailable(await call(fragile, manager, "testNote/v1/list"), "redis")
    await assert_not_ready(fragile, "redis")
    proxies.redis.up()
    assert (await call(fragile, manager, "testNote/v1/list")).status_code == 200
    await assert_ready(fragile)


async def test_postgres_down_is_503_not_ready_and_recovers(
    fragile: httpx.AsyncClient, proxies: Proxies, manager: tuple[Caller, uuid.UUID]
) -> None:
    assert (await call(fragile, manager, "testNote/v1/list")).status_code == 200  # a pooled connection to lose
    proxies.postgres.down()
    assert_unavailable(await call(fragile, manager, "testNote/v1/list"), "postgres")
    await assert_not_ready(fragile, "postgres")
    proxies.postgres.up()
    await assert_ready(fragile)
    assert (await call(fragile, manager, "testNote/v1/list")).status_code == 200


async def test_postgres_admin_shutdown_of_pooled_connections_is_503_then_recovers(
    fragile: httpx.AsyncClient, settings: Settings, manager: tuple[Caller, uuid.UUID]
) -> None:
    assert (await call(fragile, manager, "testNote/v1/list")).status_code == 200
    with psycopg.connect(settings.database_url.replace("+psycopg", ""), autocommit=True) as conn:
        ended = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
            (APPLICATION_NAME,),
        ).fetchone()
    assert ended is not None
    assert ended[0] >= 1
    first = await call(fragile, manager, "testNote/v1/list")
    assert first.status_code in (200, 503), first.text  # 200 when the pool noticed before handing it out
    if first.status_code == 503:
        assert_unavailable(first, "postgres")
    assert (await call(fragile, manager, "testNote/v1/list")).status_code == 200


async def test_seeding_waits_for_readiness_and_retries_a_transient_failure(
    fragile_app: FastAPI, proxies: Proxies
) -> None:
    rt: Runtime = fragile_app.state.runtime
    attempts: list[bool] = []

    async def seed(runtime: Runtime) -> list[str]:
        allowed = await runtime.authorizer.decide(
            READINESS_ACTION, READINESS_PRINCIPAL, READINESS_RESOURCE, request_id="seed-test"
        )
        attempts.append(allowed)
        if len(attempts) == 1:
            raise cerbos_unavailable("DEADLINE_EXCEEDED")  # as the first check after a start once did
        return ["seeded"]

    proxies.cerbos.down()
    threading.Timer(1.0, proxies.cerbos.up).start()  # Cerbos comes up while `hestami dev` waits to seed
    try:
        lines = await asyncio.wait_for(seed_when_ready(rt, seed=seed, ready_timeout=20), 30)
    finally:
        proxies.cerbos.up()
    assert lines == ["seeded"]
    assert attempts == [True, True]


@pytest.mark.parametrize(
    ("failure", "service"),
    [
        (grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata()), "cerbos"),
        (grpc.aio.AioRpcError(grpc.StatusCode.DEADLINE_EXCEEDED, grpc.aio.Metadata(), grpc.aio.Metadata()), "cerbos"),
        (psycopg.OperationalError("connection refused"), "postgres"),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), "postgres"),
        (redis.exceptions.ConnectionError("connection refused"), "redis"),
    ],
)
def test_transient_dependency_failures_map_to_service_unavailable(failure: Exception, service: str) -> None:
    error = as_platform_error(failure)
    assert error is not None
    assert error.code == ErrorCode.SERVICE_UNAVAILABLE
    assert error.details["service"] == service


def test_a_grpc_failure_of_the_request_itself_stays_a_crash() -> None:
    bad = grpc.aio.AioRpcError(grpc.StatusCode.INVALID_ARGUMENT, grpc.aio.Metadata(), grpc.aio.Metadata())
    assert as_platform_error(bad) is None

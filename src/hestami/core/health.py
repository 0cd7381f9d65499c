"""Health of the service and what it stands on: Postgres, Redis, Cerbos and DBOS."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from hestami import __version__
from hestami.core import runtime as runtime_module
from hestami.core import workflows
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.rpc.envelope import current_meta, error_response, json_response, success_bytes
from hestami.core.rpc.procedure import Empty, ProcedureRouter
from hestami.core.runtime import Runtime

CHECK_TIMEOUT_SECONDS = 2.0


class DependencyHealth(BaseModel):
    ok: bool
    latency_ms: float
    error: str | None = None


class HealthReport(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    postgres: DependencyHealth
    redis: DependencyHealth
    cerbos: DependencyHealth
    dbos: DependencyHealth


async def _probe(check: Callable[[], Awaitable[None]]) -> DependencyHealth:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        return DependencyHealth(
            ok=False, latency_ms=round((time.perf_counter() - started) * 1000, 2), error=type(exc).__name__
        )
    return DependencyHealth(ok=True, latency_ms=round((time.perf_counter() - started) * 1000, 2))


async def check_health(rt: Runtime) -> HealthReport:
    async def redis() -> None:
        await rt.redis.ping()

    async def cerbos() -> None:
        response = await rt.cerbos_http.get("/_cerbos/health")
        response.raise_for_status()

    async def dbos() -> None:
        if not await asyncio.to_thread(workflows.is_healthy):
            raise RuntimeError("DBOS is not launched")

    postgres_h, redis_h, cerbos_h, dbos_h = await asyncio.gather(
        _probe(rt.database.ping), _probe(redis), _probe(cerbos), _probe(dbos)
    )
    healthy = all(h.ok for h in (postgres_h, redis_h, cerbos_h, dbos_h))
    return HealthReport(
        status="ok" if healthy else "degraded",
        version=__version__,
        postgres=postgres_h,
        redis=redis_h,
        cerbos=cerbos_h,
        dbos=dbos_h,
    )


def _unavailable(report: HealthReport) -> HestamiError:
    return HestamiError(ErrorCode.SERVICE_UNAVAILABLE, details=report.model_dump(mode="json"))


router = ProcedureRouter("system")


@router.query("health", version=1, authenticated=False, org_scoped=False)
async def health(ctx: RequestContext, data: Empty) -> HealthReport:
    """Health of the service and of Postgres, Redis, Cerbos and DBOS.

    Answers SERVICE_UNAVAILABLE (503) with the same report in `details` when any of them is down.
    """
    report = await check_health(runtime_module.current())
    if report.status != "ok":
        raise _unavailable(report)
    return report


async def health_endpoint(request: Request) -> Response:
    """`GET /api/health` for load balancers and container health checks."""
    report = await check_health(request.app.state.runtime)
    if report.status != "ok":
        return error_response(_unavailable(report), request.state.request_id, request.state.locale)
    meta = current_meta(request.state.request_id, request.state.locale)
    return json_response(200, success_bytes(report.model_dump_json().encode(), meta))


HEALTH_PATH_ITEM = {
    "get": {
        "operationId": "health",
        "summary": "Health of the service and its dependencies",
        "tags": ["system"],
        "security": [],
        "responses": {
            "200": {
                "description": "Every dependency is healthy",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/SuccessEnvelope_HealthReport_"}}
                },
            },
            "503": {"$ref": "#/components/responses/Error503"},
        },
    }
}

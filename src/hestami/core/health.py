"""Health of the service and what it stands on: Postgres, Redis, Cerbos and DBOS.

Readiness (`GET /api/health`, `/api/health/ready`, `system/v1/health`) is 200 only when every dependency answers
now: Postgres and Redis a round trip, Cerbos a real check decision over the gRPC channel requests use (its HTTP
health alone says nothing about that channel, nor about which policies it loaded), DBOS a read of its system
database. Liveness (`GET /api/health/live`) asks no dependency: the process is up and serving.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal

import structlog
from cerbos.engine.v1 import engine_pb2
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

log = structlog.get_logger("hestami.health")

CHECK_TIMEOUT_SECONDS = 3.0
READY_POLL_SECONDS = 0.25
READY_LOG_SECONDS = 5.0

# The decision readiness asks for (policies/resource/readiness_probe.yaml allows exactly this).
READINESS_ACTION = "probe"
READINESS_PRINCIPAL = engine_pb2.Principal(id="hestami-readiness", roles=["hestami_readiness"])
READINESS_RESOURCE = engine_pb2.Resource(kind="readiness_probe", id="readiness")


class NotReadyError(RuntimeError):
    """A dependency answers, but not as a ready one would; the message is safe to show."""


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


class LivenessReport(BaseModel):
    status: Literal["alive"]
    version: str


def _reason(exc: BaseException) -> str:
    """What went wrong, without connection strings or host names (the endpoint is public)."""
    if isinstance(exc, NotReadyError):
        return str(exc)
    if isinstance(exc, HestamiError):
        status = exc.details.get("status") if isinstance(exc.details, dict) else None
        return f"{exc.code.value}: {status}" if status else exc.code.value
    if isinstance(exc, TimeoutError):
        return f"no answer within {CHECK_TIMEOUT_SECONDS} s"
    return type(exc).__name__


async def _probe(check: Callable[[], Awaitable[None]]) -> DependencyHealth:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        return DependencyHealth(
            ok=False, latency_ms=round((time.perf_counter() - started) * 1000, 2), error=_reason(exc)
        )
    return DependencyHealth(ok=True, latency_ms=round((time.perf_counter() - started) * 1000, 2))


async def check_cerbos(rt: Runtime) -> None:
    """Cerbos's own health, then a real check decision through the authorizer's channel."""
    response = await rt.cerbos_http.get("/_cerbos/health")
    response.raise_for_status()
    allowed = await rt.authorizer.decide(
        READINESS_ACTION, READINESS_PRINCIPAL, READINESS_RESOURCE, request_id="readiness"
    )
    if not allowed:
        raise NotReadyError("Cerbos denies the readiness probe: its policy folder has no readiness_probe policy")


async def check_health(rt: Runtime) -> HealthReport:
    async def redis() -> None:
        await rt.redis.ping()

    async def dbos() -> None:
        if not await asyncio.to_thread(workflows.is_healthy):
            raise NotReadyError("DBOS is not launched or its system database does not answer")

    postgres_h, redis_h, cerbos_h, dbos_h = await asyncio.gather(
        _probe(rt.database.ping), _probe(redis), _probe(lambda: check_cerbos(rt)), _probe(dbos)
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


async def wait_until_ready(rt: Runtime, *, within: float) -> HealthReport:
    """Checks readiness until every dependency answers or `within` seconds pass; returns the last report."""
    deadline = time.monotonic() + within
    next_log = 0.0
    while True:
        report = await check_health(rt)
        now = time.monotonic()
        if report.status == "ok" or now >= deadline:
            return report
        if now >= next_log:
            log.info("waiting_for_dependencies", **not_ready(report))
            next_log = now + READY_LOG_SECONDS
        await asyncio.sleep(READY_POLL_SECONDS)


def not_ready(report: HealthReport) -> dict[str, str]:
    """The dependencies that are not ready, with why."""
    deps = {"postgres": report.postgres, "redis": report.redis, "cerbos": report.cerbos, "dbos": report.dbos}
    return {name: health.error or "not ok" for name, health in deps.items() if not health.ok}


def _unavailable(report: HealthReport) -> HestamiError:
    return HestamiError(ErrorCode.SERVICE_UNAVAILABLE, details=report.model_dump(mode="json"))


router = ProcedureRouter("system")


@router.query("health", version=1, authenticated=False, org_scoped=False)
async def health(ctx: RequestContext, data: Empty) -> HealthReport:
    """Readiness of the service: Postgres, Redis, Cerbos (a real check decision) and DBOS each answer.

    Answers SERVICE_UNAVAILABLE (503, `Retry-After`) with the same report in `details` when any of them does not.
    """
    report = await check_health(runtime_module.current())
    if report.status != "ok":
        raise _unavailable(report)
    return report


async def health_endpoint(request: Request) -> Response:
    """`GET /api/health` and `/api/health/ready`: readiness, for load balancers and container health checks."""
    report = await check_health(request.app.state.runtime)
    if report.status != "ok":
        return error_response(_unavailable(report), request.state.request_id, request.state.locale)
    meta = current_meta(request.state.request_id, request.state.locale)
    return json_response(200, success_bytes(report.model_dump_json().encode(), meta))


async def liveness_endpoint(request: Request) -> Response:
    """`GET /api/health/live`: the process serves requests; no dependency is asked."""
    meta = current_meta(request.state.request_id, request.state.locale)
    report = LivenessReport(status="alive", version=__version__)
    return json_response(200, success_bytes(report.model_dump_json().encode(), meta))


def _get(
    operation_id: str, summary: str, ok: str, schema: Mapping[str, object], *, unavailable: bool
) -> dict[str, object]:
    responses: dict[str, object] = {
        "200": {"description": ok, "content": {"application/json": {"schema": schema}}},
    }
    if unavailable:
        responses["503"] = {"$ref": "#/components/responses/Error503"}
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": ["system"],
            "security": [],
            "responses": responses,
        }
    }


_READY_SCHEMA = {"$ref": "#/components/schemas/SuccessEnvelope_HealthReport_"}
_LIVE_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["ok", "data", "meta"],
    "properties": {
        "ok": {"const": True},
        "data": LivenessReport.model_json_schema(),
        "meta": {"$ref": "#/components/schemas/ResponseMeta"},
    },
}
_READY_SUMMARY = "Readiness: 200 when Postgres, Redis, Cerbos (a real check decision) and DBOS all answer, else 503"

HEALTH_PATH_ITEM = _get("health", _READY_SUMMARY, "Every dependency is ready", _READY_SCHEMA, unavailable=True)
HEALTH_PATHS: dict[str, object] = {
    "/api/health": HEALTH_PATH_ITEM,
    "/api/health/ready": _get(
        "healthReady", _READY_SUMMARY, "Every dependency is ready", _READY_SCHEMA, unavailable=True
    ),
    "/api/health/live": _get(
        "healthLive",
        "Liveness: the process serves requests (no dependency is asked)",
        "Alive",
        _LIVE_SCHEMA,
        unavailable=False,
    ),
}

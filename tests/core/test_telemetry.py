"""Spans carry request, organization and user; logs carry trace ids; slow statements are logged."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
import structlog
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NonRecordingSpan, SpanContext, StatusCode, TraceFlags
from sqlalchemy import text

from hestami.core.config import Settings
from hestami.core.db import Database
from hestami.core.telemetry import _add_trace_ids, instrument_engine, record_failure, tracer_provider
from tests.conftest import rpc
from tests.support.identity import Caller


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    yield exporter
    processor.shutdown()


async def test_request_span_carries_request_org_and_user(
    client: httpx.AsyncClient, member: Caller, org: uuid.UUID, spans: InMemorySpanExporter
) -> None:
    response = await client.post(rpc("testNote/v1/list"), json={}, headers=member.headers(org))
    meta = response.json()["meta"]
    finished = spans.get_finished_spans()
    server = next(s for s in finished if s.name == "rpc testNote.v1.list")
    assert server.attributes is not None
    assert server.attributes["hestami.request_id"] == meta["request_id"]
    assert server.attributes["hestami.organization_id"] == str(org)
    assert server.attributes["enduser.id"] == str(member.id)
    assert format(server.context.trace_id, "032x") == meta["trace_id"]
    statements = [s for s in finished if s.context.trace_id == server.context.trace_id and "SELECT" in s.name]
    assert statements, "SQLAlchemy statements are traced inside the request's trace"


def test_log_events_get_the_current_trace_ids() -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        event = _add_trace_ids(None, "info", {"event": "x"})
    assert event["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert event["span_id"] == format(span.get_span_context().span_id, "016x")


async def test_statements_slower_than_the_threshold_are_logged(settings: Settings) -> None:
    db = Database(settings.database_url, pool_size=1)
    instrument_engine(db.engine, slow_query_ms=50)
    try:
        with structlog.testing.capture_logs() as logs:
            async with db.transaction(organization_id=None, user_id=None) as session:
                await session.execute(text("SELECT pg_sleep(0.08)"))
                await session.execute(text("SELECT 1"))
    finally:
        await db.dispose()
    slow = [entry for entry in logs if entry["event"] == "slow_query"]
    assert len(slow) == 1
    assert "pg_sleep" in slow[0]["statement"]
    assert slow[0]["duration_ms"] >= 50


def test_an_unsampled_request_records_no_spans_but_a_failure_is_always_traced(settings: Settings) -> None:
    provider = tracer_provider(settings.model_copy(update={"trace_sample_ratio": 0.0}))
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("rpc unsampled") as request_span:
        with tracer.start_as_current_span("SELECT"):
            pass
        assert not request_span.is_recording()
    assert exporter.get_finished_spans() == ()

    with tracer.start_as_current_span("rpc failing") as request_span:
        record_failure("rpc failed x", {"hestami.error_code": "CONFLICT"}, tracer=tracer)
    [failure] = exporter.get_finished_spans()
    assert failure.name == "rpc failed x"
    assert failure.attributes == {"hestami.error_code": "CONFLICT"}
    assert failure.status.status_code == StatusCode.ERROR
    assert failure.context.trace_id == request_span.get_span_context().trace_id
    assert failure.parent is not None
    assert failure.parent.span_id == request_span.get_span_context().span_id


def test_a_sampled_parent_is_followed_and_a_sampled_request_keeps_its_statements(settings: Settings) -> None:
    provider = tracer_provider(settings.model_copy(update={"trace_sample_ratio": 0.0}))
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    parent = SpanContext(0x1234, 0x5678, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED))
    caller = trace.set_span_in_context(NonRecordingSpan(parent))
    with tracer.start_as_current_span("rpc", context=caller), tracer.start_as_current_span("SELECT"):
        pass
    assert sorted(s.name for s in exporter.get_finished_spans()) == ["SELECT", "rpc"]


async def test_a_failed_request_span_carries_its_error_code(
    client: httpx.AsyncClient, member: Caller, org: uuid.UUID, spans: InMemorySpanExporter
) -> None:
    response = await client.post(rpc("testNote/v1/create"), json={}, headers=member.headers(org))
    assert response.status_code == 400
    server = next(s for s in spans.get_finished_spans() if s.name == "rpc testNote.v1.create")
    assert server.attributes is not None
    assert server.attributes["hestami.error_code"] == "VALIDATION_FAILED"
    assert server.status.status_code == StatusCode.ERROR

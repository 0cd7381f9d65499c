"""The SRD envelopes: `{"ok": true, "data", "meta"}` and `{"ok": false, "error", "meta"}`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from opentelemetry import trace
from pydantic import BaseModel, Field
from starlette.responses import Response

from hestami.core.errors import ErrorCode, HestamiError

T = TypeVar("T")


class ResponseMeta(BaseModel):
    """Correlation data on every answer."""

    request_id: str
    trace_id: str
    span_id: str
    timestamp: datetime
    locale: str
    idempotent_replay: bool | None = Field(
        default=None, description="True when this answer replays the stored answer of an earlier request."
    )
    original_request_id: str | None = Field(
        default=None, description="On a replay: the request whose answer is replayed."
    )


class SuccessEnvelope(BaseModel, Generic[T]):
    ok: Literal[True] = True
    data: T
    meta: ResponseMeta


class FieldErrorOut(BaseModel):
    field: str = Field(description="JSON-pointer-like path of the offending input, e.g. `/items/0/amount`.")
    message: str
    code: str


class ErrorBody(BaseModel):
    code: str
    type: str
    http_status: int
    message: str
    details: Any = None
    field_errors: list[FieldErrorOut] = Field(default_factory=list)
    retryable: bool


class ErrorEnvelope(BaseModel):
    ok: Literal[False] = False
    error: ErrorBody
    meta: ResponseMeta


def current_meta(request_id: str, locale: str, **extra: Any) -> ResponseMeta:
    span_context = trace.get_current_span().get_span_context()
    return ResponseMeta(
        request_id=request_id,
        trace_id=format(span_context.trace_id, "032x") if span_context.is_valid else "",
        span_id=format(span_context.span_id, "016x") if span_context.is_valid else "",
        timestamp=datetime.now(UTC),
        locale=locale,
        **extra,
    )


def meta_json(meta: ResponseMeta) -> bytes:
    return meta.model_dump_json(exclude_none=True).encode()


def error_body(error: HestamiError) -> ErrorBody:
    info = error.code.info
    return ErrorBody(
        code=error.code.value,
        type=info.type,
        http_status=info.http_status,
        message=error.message,
        details=error.details,
        field_errors=[FieldErrorOut(field=f.field, message=f.message, code=f.code) for f in error.field_errors],
        retryable=info.retryable,
    )


def json_response(status: int, body: bytes, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def success_bytes(data_json: bytes, meta: ResponseMeta) -> bytes:
    """Splices already-serialized `data` into the envelope, so a replay's data is byte-identical."""
    return b'{"ok":true,"data":' + data_json + b',"meta":' + meta_json(meta) + b"}"


def error_bytes(error_json: bytes, meta: ResponseMeta) -> bytes:
    return b'{"ok":false,"error":' + error_json + b',"meta":' + meta_json(meta) + b"}"


RETRY_AFTER_UNAVAILABLE_SECONDS = 1


def error_response(error: HestamiError, request_id: str, locale: str) -> Response:
    """The error envelope. SERVICE_UNAVAILABLE always says when to retry (`Retry-After`, unless the error does)."""
    body = error_body(error)
    payload = error_bytes(body.model_dump_json().encode(), current_meta(request_id, locale))
    headers = dict(error.headers)
    if error.code == ErrorCode.SERVICE_UNAVAILABLE:
        headers.setdefault("Retry-After", str(RETRY_AFTER_UNAVAILABLE_SECONDS))
    return json_response(body.http_status, payload, headers)

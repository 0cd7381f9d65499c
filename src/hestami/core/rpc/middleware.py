"""Request correlation and the last line of error handling, as a plain ASGI middleware."""

from __future__ import annotations

import asyncio
import re

import structlog
from opentelemetry import trace
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.ids import new_request_id
from hestami.core.rpc.envelope import error_response

log = structlog.get_logger("hestami.http")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def request_id_from(headers: Headers) -> str:
    given = headers.get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else new_request_id()


def locale_from(headers: Headers, default: str) -> str:
    first = headers.get("accept-language", "").split(",")[0].split(";")[0].strip()
    return first if _LOCALE.match(first) else default


class InFlightRequests:
    """The HTTP requests being handled, so that shutdown waits for those it cut off to roll back and answer
    before it closes the database (uvicorn cancels them at the end of its grace period, then shuts down at once)."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def started(self) -> None:
        self.count += 1
        self._idle.clear()

    def finished(self) -> None:
        self.count -= 1
        if self.count == 0:
            self._idle.set()

    async def drained(self, *, within: float) -> bool:
        """Whether every request finished within `within` seconds."""
        try:
            await asyncio.wait_for(self._idle.wait(), within)
        except TimeoutError:
            return False
        return True


class RequestContextMiddleware:
    """Assigns the request id (or takes a sane `X-Request-Id`), echoes it, binds it to logs and spans,
    and turns any exception that escaped every handler into an INTERNAL_ERROR envelope."""

    def __init__(
        self, app: ASGIApp, *, default_locale: str = "en-US", in_flight: InFlightRequests | None = None
    ) -> None:
        self.app = app
        self.default_locale = default_locale
        self.in_flight = in_flight or InFlightRequests()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = request_id_from(headers)
        locale = locale_from(headers, self.default_locale)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["locale"] = locale
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        trace.get_current_span().set_attribute("hestami.request_id", request_id)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
            await send(message)

        self.in_flight.started()
        try:
            await self.app(scope, receive, send_with_id)
        except asyncio.CancelledError:
            # Cut off (a request still running when the shutdown grace period ends): a retryable answer in the
            # envelope rather than the server's bare 500; the request's transaction has rolled back.
            if not started:
                cut_off = HestamiError(
                    ErrorCode.SERVICE_UNAVAILABLE, "The server is shutting down; retry.", details={"reason": "CUT_OFF"}
                )
                await error_response(cut_off, request_id, locale)(scope, receive, send_with_id)
            raise
        except Exception:
            log.exception("unhandled_error", path=scope.get("path"))
            if started:
                raise
            response = error_response(HestamiError(ErrorCode.INTERNAL_ERROR), request_id, locale)
            await response(scope, receive, send_with_id)
        finally:
            self.in_flight.finished()
            structlog.contextvars.clear_contextvars()

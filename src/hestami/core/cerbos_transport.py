"""The gRPC channel to Cerbos: one per process, replaced when it fails, one retry within the call's deadline.

After Cerbos restarts (or while it starts), a channel may sit in reconnect backoff, where calls fail at once
with UNAVAILABLE, or hang on a connection that no longer answers, where calls end in DEADLINE_EXCEEDED.
Either way the call opens a fresh channel and tries once more in what is left of its deadline; if that fails
too, the caller gets SERVICE_UNAVAILABLE (503, retryable, `Retry-After`), never a crash. Any other gRPC status
is a bug in the request and propagates as it is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc  # type: ignore[import-untyped]
import structlog
from cerbos.request.v1 import request_pb2
from cerbos.response.v1 import response_pb2
from cerbos.svc.v1 import svc_pb2_grpc

from hestami.core.errors import ErrorCode, HestamiError

log = structlog.get_logger("hestami.authz")

T = TypeVar("T")

TRANSIENT_STATUSES = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})
FIRST_ATTEMPT_SHARE = 0.5
"""The first try gets this share of the deadline; the retry on a fresh channel gets the rest."""
MIN_RETRY_SECONDS = 0.05

# A restarted Cerbos is reconnected to within a second, not after gRPC's default backoff (up to 2 minutes); each
# channel has its own connections (by default gRPC shares them process-wide, so a fresh channel would inherit the
# failed connection's backoff).
_CHANNEL_OPTIONS = [
    ("grpc.use_local_subchannel_pool", 1),
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 1000),
]

Invoke = Callable[[Any, float], Awaitable[T]]


def cerbos_unavailable(status: str) -> HestamiError:
    return HestamiError(
        ErrorCode.SERVICE_UNAVAILABLE,
        "The authorization service is unavailable.",
        details={"service": "cerbos", "status": status},
    )


def is_transient(exc: BaseException) -> bool:
    """A gRPC failure of the connection rather than of the request (UNAVAILABLE, DEADLINE_EXCEEDED)."""
    return isinstance(exc, grpc.RpcError) and callable(getattr(exc, "code", None)) and exc.code() in TRANSIENT_STATUSES


class CerbosChannel:
    """The Cerbos service over one replaceable gRPC channel (created and used in one event loop)."""

    def __init__(self, address: str, *, deadline_seconds: float) -> None:
        self.address = address
        self.deadline_seconds = deadline_seconds
        self._channel: Any = None
        self._stub: Any = None
        self._lock = asyncio.Lock()
        self._retiring: dict[asyncio.Task[None], Any] = {}
        self._open()

    def _open(self) -> None:
        self._channel = grpc.aio.insecure_channel(self.address, options=_CHANNEL_OPTIONS)
        self._stub = svc_pb2_grpc.CerbosServiceStub(self._channel)  # type: ignore[no-untyped-call]

    async def check_resources(self, request: request_pb2.CheckResourcesRequest) -> response_pb2.CheckResourcesResponse:
        return await self._call(lambda stub, timeout: stub.CheckResources(request, timeout=timeout))

    async def plan_resources(self, request: request_pb2.PlanResourcesRequest) -> response_pb2.PlanResourcesResponse:
        return await self._call(lambda stub, timeout: stub.PlanResources(request, timeout=timeout))

    async def _call(self, invoke: Invoke[T]) -> T:
        deadline = time.monotonic() + self.deadline_seconds
        channel, stub = self._channel, self._stub
        try:
            return await invoke(stub, self.deadline_seconds * FIRST_ATTEMPT_SHARE)
        except grpc.RpcError as exc:
            if not is_transient(exc):
                raise
            first = exc.code().name
        log.warning("cerbos_reconnecting", status=first, address=self.address)
        stub = await self._reconnect(channel)
        remaining = deadline - time.monotonic()
        if remaining < MIN_RETRY_SECONDS:
            raise cerbos_unavailable(first)
        try:
            return await invoke(stub, remaining)
        except grpc.RpcError as exc:
            if not is_transient(exc):
                raise
            raise cerbos_unavailable(exc.code().name) from None

    async def _reconnect(self, failed: Any) -> Any:
        """A fresh channel, unless a concurrent call already replaced the one that failed. The old channel
        closes after a grace period, so calls still running on it are not cut off."""
        async with self._lock:
            if self._channel is failed:
                self._open()
                task = asyncio.create_task(failed.close(grace=self.deadline_seconds))
                self._retiring[task] = failed
                task.add_done_callback(self._retiring.pop)
            return self._stub

    async def close(self) -> None:
        for task, channel in list(self._retiring.items()):
            task.cancel()
            await channel.close()
        await self._channel.close()

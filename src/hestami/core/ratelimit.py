"""Fixed-window counters in Redis, shared by every worker: the per-user API budget and login throttling."""

from __future__ import annotations

import time
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from hestami.core.errors import ErrorCode, HestamiError


def rate_limited(retry_after: int, message: str = "Too many requests; slow down.") -> HestamiError:
    retry_after = max(1, retry_after)
    return HestamiError(
        ErrorCode.RATE_LIMITED,
        message,
        details={"retry_after_seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def _window(window_seconds: int) -> tuple[int, int]:
    """The current window's number and the seconds until it ends."""
    now = int(time.time())
    return now // window_seconds, window_seconds - now % window_seconds


def _count(pipe: Pipeline, key: str, window_seconds: int) -> None:
    """INCR and EXPIRE of `key`'s current window (two results in the pipeline; EXPIRE only extends the key)."""
    window_key = f"{key}:{_window(window_seconds)[0]}"
    pipe.incr(window_key)
    pipe.expire(window_key, window_seconds + 1)


async def hit(redis: Redis, key: str, *, window_seconds: int) -> tuple[int, int]:
    """Counts one event in the current window, in one round trip; returns (count so far, seconds until the window
    ends)."""
    async with redis.pipeline(transaction=False) as pipe:
        _count(pipe, key, window_seconds)
        count, _ = await pipe.execute()
    return int(count), _window(window_seconds)[1]


async def current(redis: Redis, key: str, *, window_seconds: int) -> tuple[int, int]:
    """The count of the current window without adding to it, and seconds until the window ends."""
    window, left = _window(window_seconds)
    raw = await redis.get(f"{key}:{window}")
    return int(raw or 0), left


@dataclass(frozen=True, slots=True)
class Budget:
    """A fixed-window budget of requests per subject (a user), counted in Redis by every worker.

    `queue` adds the count to a pipeline that carries other commands (the request's session lookup), so that
    counting costs no round trip of its own; `spent` then raises RATE_LIMITED past the budget."""

    prefix: str
    limit: int
    window_seconds: int

    def queue(self, pipe: Pipeline, subject: str) -> None:
        """Counts one request of `subject` (two results in the pipeline: the count, then EXPIRE's)."""
        _count(pipe, f"{self.prefix}:{subject}", self.window_seconds)

    def spent(self, count: int) -> None:
        if count > self.limit:
            raise rate_limited(_window(self.window_seconds)[1])

    async def charge(self, redis: Redis, subject: str) -> None:
        """Counts one request on its own round trip and raises RATE_LIMITED past the budget."""
        count, _ = await hit(redis, f"{self.prefix}:{subject}", window_seconds=self.window_seconds)
        self.spent(count)


def api_budget(per_minute: int) -> Budget | None:
    """The general per-user API rate limit (`API_RATE_LIMIT_PER_MINUTE`; 0 turns it off)."""
    return Budget("rate:api", per_minute, 60) if per_minute > 0 else None

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


async def hit(redis: Redis, key: str, *, window_seconds: int) -> tuple[int, int]:
    """Counts one event in the current window; returns (count so far, seconds until the window ends)."""
    window = int(time.time()) // window_seconds
    window_key = f"{key}:{window}"
    async with redis.pipeline(transaction=False) as pipe:  # one round trip; EXPIRE only extends the window key
        pipe.incr(window_key)
        pipe.expire(window_key, window_seconds + 1)
        count, _ = await pipe.execute()
    return int(count), window_seconds - int(time.time()) % window_seconds


async def current(redis: Redis, key: str, *, window_seconds: int) -> tuple[int, int]:
    """The count of the current window without adding to it, and seconds until the window ends."""
    window = int(time.time()) // window_seconds
    raw = await redis.get(f"{key}:{window}")
    return int(raw or 0), window_seconds - int(time.time()) % window_seconds


@dataclass(frozen=True, slots=True)
class Budget:
    """A fixed-window budget of requests per subject (a user), counted in Redis by every worker.

    `queue` adds the count to a pipeline that carries other commands (the request's session lookup), so that
    counting costs no round trip of its own; `spent` then raises RATE_LIMITED past the budget."""

    prefix: str
    limit: int
    window_seconds: int

    def _window(self) -> tuple[int, int]:
        now = int(time.time())
        return now // self.window_seconds, self.window_seconds - now % self.window_seconds

    def queue(self, pipe: Pipeline, subject: str) -> None:
        """INCR and EXPIRE of the subject's current window (two results in the pipeline)."""
        key = f"{self.prefix}:{subject}:{self._window()[0]}"
        pipe.incr(key)
        pipe.expire(key, self.window_seconds + 1)

    def spent(self, count: int) -> None:
        if count > self.limit:
            raise rate_limited(self._window()[1])

    async def charge(self, redis: Redis, subject: str) -> None:
        """Counts one request on its own round trip and raises RATE_LIMITED past the budget."""
        async with redis.pipeline(transaction=False) as pipe:
            self.queue(pipe, subject)
            count, _ = await pipe.execute()
        self.spent(int(count))


def api_budget(per_minute: int) -> Budget | None:
    """The general per-user API rate limit (`API_RATE_LIMIT_PER_MINUTE`; 0 turns it off)."""
    return Budget("rate:api", per_minute, 60) if per_minute > 0 else None


async def enforce_api_budget(redis: Redis, user_key: str, *, per_minute: int) -> None:
    """The API budget on a round trip of its own (requests count it with their session lookup instead)."""
    budget = api_budget(per_minute)
    if budget is not None:
        await budget.charge(redis, user_key)

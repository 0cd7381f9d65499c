"""Fixed-window counters in Redis, shared by every worker: the per-user API budget and login throttling."""

from __future__ import annotations

import time

from redis.asyncio import Redis

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


async def enforce_api_budget(redis: Redis, user_key: str, *, per_minute: int) -> None:
    """The general per-user API rate limit (`API_RATE_LIMIT_PER_MINUTE`; 0 turns it off)."""
    if per_minute <= 0:
        return
    count, retry_after = await hit(redis, f"rate:api:{user_key}", window_seconds=60)
    if count > per_minute:
        raise rate_limited(retry_after)

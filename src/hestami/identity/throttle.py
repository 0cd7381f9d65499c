"""Failed-login throttling per email and per client address, in Redis so every worker counts together."""

from __future__ import annotations

import hashlib

from redis.asyncio import Redis

from hestami.core.config import Settings
from hestami.core.ratelimit import current, hit, rate_limited


def _email_key(email: str) -> str:
    return "login_failures:email:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _client_key(client_ip: str) -> str:
    return f"login_failures:client:{client_ip or 'unknown'}"


async def ensure_login_allowed(redis: Redis, settings: Settings, *, email: str, client_ip: str) -> None:
    window = settings.login_failure_window_seconds
    for key, limit in (
        (_email_key(email), settings.login_failures_per_email),
        (_client_key(client_ip), settings.login_failures_per_client),
    ):
        count, retry_after = await current(redis, key, window_seconds=window)
        if count >= limit:
            raise rate_limited(retry_after, "Too many failed logins; try again later.")


async def record_login_failure(redis: Redis, settings: Settings, *, email: str, client_ip: str) -> None:
    window = settings.login_failure_window_seconds
    await hit(redis, _email_key(email), window_seconds=window)
    await hit(redis, _client_key(client_ip), window_seconds=window)

"""Failed-login throttling, in Redis so every worker counts together.

The aim is to slow password guessing down without handing anyone a way to lock an owner out of their account
(with a plain limit per email, ten wrong passwords from anywhere refused the right one too). Three limits, each
a fixed window of `LOGIN_FAILURE_WINDOW_SECONDS`, answer RATE_LIMITED (429, with Retry-After) to the client that
hits them:

- per email from one client address (`LOGIN_FAILURES_PER_EMAIL`, 10): the ordinary guesser stops here, and only
  that client does; the owner logs in from anywhere else as usual;
- per client address (`LOGIN_FAILURES_PER_CLIENT`, 100): one client trying many emails;
- per email from all clients together (`LOGIN_FAILURES_PER_ACCOUNT`, a generous 100): many clients guessing one
  account. Past this ceiling the account is still not locked: each further attempt waits a pause after the
  account's last failure that doubles with every failure (1 s, 2 s, 4 s, ... at most the window), so a
  distributed guesser gets a trickle of tries while the owner waits seconds to minutes. A client address from
  which the account logged in successfully (within a session's absolute lifetime) skips that pause, so an owner
  on a known connection is not held up by strangers' failures at all.

Why no proof step (a CAPTCHA or an emailed code) instead: API clients (SDKs, agents) cannot solve a CAPTCHA, and
messages are recorded but not delivered yet. Why counting per address is enough: the address is the one thing
about a caller a stranger does not choose freely, and the account-wide ceiling covers those with many.
"""

from __future__ import annotations

import hashlib
import math
import time

from redis.asyncio import Redis

from hestami.core.config import Settings
from hestami.core.ratelimit import current, hit, rate_limited

MESSAGE = "Too many failed logins; try again later."
LONGEST_DOUBLING = 20  # 2**20 s is far beyond any window: the pause is capped by the window long before


def _account(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _client(client_ip: str) -> str:
    return client_ip or "unknown"


def _pair_key(email: str, client_ip: str) -> str:
    return f"login_failures:pair:{_account(email)}:{_client(client_ip)}"


def _client_key(client_ip: str) -> str:
    return f"login_failures:client:{_client(client_ip)}"


def _account_key(email: str) -> str:
    return f"login_failures:email:{_account(email)}"


def _last_failure_key(email: str) -> str:
    return f"login_failures:last:{_account(email)}"


def _known_client_key(email: str, client_ip: str) -> str:
    return f"login_known:{_account(email)}:{_client(client_ip)}"


def account_pause(failures: int, *, ceiling: int, window_seconds: int) -> int:
    """Seconds a new attempt waits after the account's last failure, once `failures` (from every client in this
    window) reached `ceiling`: 0 below it, then 1, 2, 4, ... seconds, never more than the window."""
    if failures < ceiling:
        return 0
    return min(1 << min(failures - ceiling, LONGEST_DOUBLING), window_seconds)


async def ensure_login_allowed(redis: Redis, settings: Settings, *, email: str, client_ip: str) -> None:
    """RATE_LIMITED if this client has failed too often for this email or for any, or if the account is in its
    pause and this client has never logged in to it."""
    window = settings.login_failure_window_seconds
    for key, limit in (
        (_pair_key(email, client_ip), settings.login_failures_per_email),
        (_client_key(client_ip), settings.login_failures_per_client),
    ):
        count, retry_after = await current(redis, key, window_seconds=window)
        if count >= limit:
            raise rate_limited(retry_after, MESSAGE)
    await _ensure_account_not_paused(redis, settings, email=email, client_ip=client_ip)


async def _ensure_account_not_paused(redis: Redis, settings: Settings, *, email: str, client_ip: str) -> None:
    window = settings.login_failure_window_seconds
    failures, _ = await current(redis, _account_key(email), window_seconds=window)
    pause = account_pause(failures, ceiling=settings.login_failures_per_account, window_seconds=window)
    if pause == 0 or await redis.exists(_known_client_key(email, client_ip)):
        return
    last_failure = float(await redis.get(_last_failure_key(email)) or 0)
    wait = math.ceil(last_failure + pause - time.time())
    if wait > 0:
        raise rate_limited(wait, MESSAGE)


async def record_login_failure(redis: Redis, settings: Settings, *, email: str, client_ip: str) -> None:
    window = settings.login_failure_window_seconds
    await hit(redis, _pair_key(email, client_ip), window_seconds=window)
    await hit(redis, _client_key(client_ip), window_seconds=window)
    await hit(redis, _account_key(email), window_seconds=window)
    await redis.set(_last_failure_key(email), str(time.time()), ex=window)


async def record_login_success(redis: Redis, settings: Settings, *, email: str, client_ip: str) -> None:
    """Marks this client address as one the account logs in from: it skips the account-wide pause."""
    await redis.set(_known_client_key(email, client_ip), "1", ex=settings.session_absolute_seconds)

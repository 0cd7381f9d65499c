"""Sessions in Redis behind signed bearer tokens.

A token is `<session id>.<HMAC-SHA256 of it>`: forged tokens are refused without a Redis round trip, and
the id itself is opaque and random. Each use slides the idle expiry, capped by an absolute maximum from
login; logout deletes the session at once. A user's session ids are kept in a set for "log out
everywhere" and for listing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass

from redis.asyncio import Redis

from hestami.core.ratelimit import Budget

KNOWN_SESSIONS = 10_000


@dataclass(frozen=True, slots=True)
class SessionRecord:
    session_id: str
    user_id: str
    email: str
    created_at: float
    absolute_expires_at: float
    client_ip: str

    def expires_at(self, idle_seconds: int, now: float) -> float:
        return min(now + idle_seconds, self.absolute_expires_at)

    @property
    def fingerprint(self) -> str:
        """What `auth/v1/sessions` shows of the session (its `id`): a digest of the id, never the id itself."""
        return hashlib.sha256(self.session_id.encode()).hexdigest()[:16]


def _session_key(session_id: str) -> str:
    return f"session:{session_id}"


def _user_key(user_id: str) -> str:
    return f"user_sessions:{user_id}"


class SessionStore:
    def __init__(self, redis: Redis, *, secret: bytes, idle_seconds: int, absolute_seconds: int) -> None:
        self.redis = redis
        self.secret = secret
        self.idle_seconds = idle_seconds
        self.absolute_seconds = absolute_seconds
        self._users: OrderedDict[str, str] = OrderedDict()  # session id → its user, for counting budgets

    def _remember(self, session_id: str, user_id: str) -> None:
        self._users[session_id] = user_id
        self._users.move_to_end(session_id)
        if len(self._users) > KNOWN_SESSIONS:
            self._users.popitem(last=False)

    def _sign(self, session_id: str) -> str:
        digest = hmac.new(self.secret, session_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def token_for(self, session_id: str) -> str:
        return f"{session_id}.{self._sign(session_id)}"

    def session_id_of(self, token: str) -> str | None:
        session_id, _, signature = token.partition(".")
        if not session_id or not signature or len(token) > 200:
            return None
        return session_id if hmac.compare_digest(signature, self._sign(session_id)) else None

    async def create(
        self, *, user_id: uuid.UUID, email: str, client_ip: str, absolute_expires_at: float | None = None
    ) -> tuple[str, SessionRecord]:
        now = time.time()
        record = SessionRecord(
            session_id=secrets.token_urlsafe(32),
            user_id=str(user_id),
            email=email,
            created_at=now,
            absolute_expires_at=absolute_expires_at or now + self.absolute_seconds,
            client_ip=client_ip,
        )
        ttl = max(1, int(record.expires_at(self.idle_seconds, now) - now))
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(_session_key(record.session_id), json.dumps(asdict(record)), ex=ttl)
            pipe.sadd(_user_key(record.user_id), record.session_id)
            pipe.expireat(_user_key(record.user_id), int(record.absolute_expires_at) + 1)
            await pipe.execute()
        return self.token_for(record.session_id), record

    async def resolve(self, token: str, *, budget: Budget | None = None) -> SessionRecord | None:
        """The live session behind a token, its idle expiry slid forward; None if forged, expired or revoked.

        With a `budget`, a live session's request is also counted against its user (RATE_LIMITED past it): in the
        same pipeline as the lookup once this process has seen the session (a session's user never changes)."""
        session_id = self.session_id_of(token)
        if session_id is None:
            return None
        raw, count = await self._look_up(session_id, budget)
        if raw is None:
            return None
        record = SessionRecord(**json.loads(raw))
        now = time.time()
        if now >= record.absolute_expires_at:
            await self.revoke(record)
            return None
        if now + self.idle_seconds > record.absolute_expires_at:
            await self.redis.expireat(_session_key(session_id), int(record.absolute_expires_at))
        self._remember(session_id, record.user_id)
        if budget is not None:
            if count is None:
                await budget.charge(self.redis, record.user_id)
            else:
                budget.spent(count)
        return record

    async def _look_up(self, session_id: str, budget: Budget | None) -> tuple[bytes | str | None, int | None]:
        """The stored session (its idle expiry slid) and, for a session whose user this process knows, the
        budget's count from the same pipeline (None: not counted yet)."""
        known_user = self._users.get(session_id) if budget is not None else None
        if budget is None or known_user is None:
            return await self.redis.getex(_session_key(session_id), ex=self.idle_seconds), None
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.getex(_session_key(session_id), ex=self.idle_seconds)
            budget.queue(pipe, known_user)
            raw, count, _ = await pipe.execute()
        return raw, int(count)

    async def revoke(self, record: SessionRecord) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(_session_key(record.session_id))
            pipe.srem(_user_key(record.user_id), record.session_id)
            await pipe.execute()

    async def list_for(self, user_id: uuid.UUID) -> list[SessionRecord]:
        ids = sorted(await self.redis.smembers(_user_key(str(user_id))))
        if not ids:
            return []
        values = await self.redis.mget([_session_key(i.decode() if isinstance(i, bytes) else i) for i in ids])
        dead = [i for i, v in zip(ids, values, strict=True) if v is None]
        if dead:
            await self.redis.srem(_user_key(str(user_id)), *dead)
        return sorted((SessionRecord(**json.loads(v)) for v in values if v is not None), key=lambda r: r.created_at)

    async def revoke_others(self, user_id: uuid.UUID, keep_session_id: str) -> int:
        """Revokes every session of the user but `keep_session_id` (the caller's own); how many there were."""
        others = [r for r in await self.list_for(user_id) if r.session_id != keep_session_id]
        if not others:
            return 0
        async with self.redis.pipeline(transaction=True) as pipe:
            for record in others:
                pipe.delete(_session_key(record.session_id))
                pipe.srem(_user_key(record.user_id), record.session_id)
            await pipe.execute()
        return len(others)

    async def revoke_all(self, user_id: uuid.UUID) -> int:
        records = await self.list_for(user_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            for record in records:
                pipe.delete(_session_key(record.session_id))
            pipe.delete(_user_key(str(user_id)))
            await pipe.execute()
        return len(records)

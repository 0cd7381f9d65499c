"""Idempotency keys (API.md): stored answers, replays, reuse detection, and exactly-once under races.

A request with a key first *claims* it in a short transaction of its own (a unique row, so concurrent
duplicates on any worker see each other), then does its work and marks the claim completed with its answer
in the same transaction as the work: the effect and the stored answer commit together or not at all.
A claim whose worker died is taken over once its lease runs out.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core.db import SET_SCOPE
from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.ids import new_id

MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class IdempotencyScope:
    organization_id: uuid.UUID | None
    user_id: uuid.UUID
    procedure: str
    key: str


@dataclass(frozen=True, slots=True)
class Claim:
    """This request owns the key until it completes or its lease runs out."""

    id: uuid.UUID
    token: uuid.UUID
    scope: IdempotencyScope


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    status: int
    ok: bool
    body: str
    request_id: str


def request_fingerprint(body: Any) -> str:
    """The same JSON value gives the same fingerprint, however it was spaced or ordered."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


_CLAIM = text(
    """
    INSERT INTO idempotency_keys
        (id, organization_id, user_id, procedure, key, request_hash, state, claim_token, locked_until,
         created_at, expires_at)
    VALUES (:id, :org, :user, :procedure, :key, :hash, 'in_progress', :token, now() + :lease, now(), now() + :ttl)
    ON CONFLICT (organization_id, user_id, procedure, key) DO NOTHING
    RETURNING id
    """
)
_EXISTING = text(
    """
    SELECT id, request_hash, state, locked_until < now() AS lease_expired,
           response_status, response_ok, response_body, request_id
    FROM idempotency_keys
    WHERE organization_id IS NOT DISTINCT FROM :org AND user_id = :user AND procedure = :procedure AND key = :key
    FOR UPDATE
    """
)
_TAKE_OVER = text("UPDATE idempotency_keys SET claim_token = :token, locked_until = now() + :lease WHERE id = :id")
_COMPLETE = text(
    """
    UPDATE idempotency_keys
    SET state = 'completed', response_status = :status, response_ok = :ok, response_body = :body,
        request_id = :request_id, completed_at = now(), locked_until = NULL
    WHERE id = :id AND claim_token = :token AND state = 'in_progress'
    """
)
_RELEASE = text("DELETE FROM idempotency_keys WHERE id = :id AND claim_token = :token AND state = 'in_progress'")


async def _restore_scope(session: AsyncSession, scope: IdempotencyScope) -> None:
    org = str(scope.organization_id) if scope.organization_id else ""
    await session.execute(SET_SCOPE, {"org": org, "user": str(scope.user_id)})


class IdempotencyStore:
    """SQL for the `idempotency_keys` table; every call runs inside the caller's scoped transaction."""

    # Deliberately without WHERE: a DELETE that reads no column needs no SELECT policy, so the table's DELETE
    # policy alone decides (own keys, or expired ones), and an unscoped caller removes expired keys only.
    PURGE = text("DELETE FROM idempotency_keys")

    def __init__(self, *, ttl: timedelta, lease: timedelta) -> None:
        self.ttl = ttl
        self.lease = lease

    async def claim(self, session: AsyncSession, scope: IdempotencyScope, fingerprint: str) -> Claim | StoredAnswer:
        params = {
            "org": scope.organization_id,
            "user": scope.user_id,
            "procedure": scope.procedure,
            "key": scope.key,
        }
        token = new_id()
        inserted = await session.execute(
            _CLAIM,
            {
                **params,
                "id": new_id(),
                "hash": fingerprint,
                "token": token,
                "lease": self.lease,
                "ttl": self.ttl,
            },
        )
        claimed_id = inserted.scalar_one_or_none()
        if claimed_id is not None:
            return Claim(id=claimed_id, token=token, scope=scope)

        row = (await session.execute(_EXISTING, params)).mappings().one()
        if row["request_hash"] != fingerprint:
            raise HestamiError(ErrorCode.IDEMPOTENCY_KEY_REUSED, details={"idempotency_key": scope.key})
        if row["state"] == "completed":
            return StoredAnswer(
                status=row["response_status"],
                ok=row["response_ok"],
                body=row["response_body"],
                request_id=row["request_id"],
            )
        if not row["lease_expired"]:
            raise HestamiError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, details={"idempotency_key": scope.key})
        await session.execute(_TAKE_OVER, {"id": row["id"], "token": token, "lease": self.lease})
        return Claim(id=row["id"], token=token, scope=scope)

    async def complete(
        self, session: AsyncSession, claim: Claim, *, status: int, ok: bool, body: str, request_id: str
    ) -> None:
        """Store the answer; fails (rolling the work back) if another worker took the claim over meanwhile.

        The handler may have moved the transaction's scope (creating an organization acts in the new one),
        so the claim's own scope is set again first."""
        await _restore_scope(session, claim.scope)
        result = await session.execute(
            _COMPLETE,
            {
                "id": claim.id,
                "token": claim.token,
                "status": status,
                "ok": ok,
                "body": body,
                "request_id": request_id,
            },
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise HestamiError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, "The idempotency claim was taken over; retry.")

    async def release(self, session: AsyncSession, claim: Claim) -> None:
        """Give the key back after a failure that must not be replayed (a crash, an unavailable service)."""
        await _restore_scope(session, claim.scope)
        await session.execute(_RELEASE, {"id": claim.id, "token": claim.token})

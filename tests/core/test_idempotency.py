"""Idempotency exactly as API.md states it: stored answers, replays, reuse, races, cleanup."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from dbos import DBOS
from sqlalchemy import text

from hestami.core import runtime, workflows
from tests.conftest import rpc
from tests.support.identity import Caller, TokenBook


async def count_notes(org: uuid.UUID, body: str) -> int:
    async with runtime.current().database.transaction(organization_id=org, user_id=None) as session:
        return int(
            (await session.execute(text("SELECT count(*) FROM test_notes WHERE body = :b"), {"b": body})).scalar_one()
        )


async def create(
    client: httpx.AsyncClient, caller: Caller, org: uuid.UUID, key: str | None, **body: object
) -> httpx.Response:
    headers = caller.headers(org, key)
    return await client.post(rpc("testNote/v1/create"), json=body, headers=headers)


async def test_mutation_without_key_is_refused(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    response = await create(client, member, org, None, body="no key")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "IDEMPOTENCY_KEY_REQUIRED"
    assert await count_notes(org, "no key") == 0


async def test_key_longer_than_255_is_refused(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    response = await create(client, member, org, "k" * 256, body="long key")
    assert response.json()["error"]["code"] == "VALIDATION_FAILED"
    assert (await create(client, member, org, "k" * 255, body="long key")).status_code == 200


async def test_replay_returns_the_stored_answer_byte_for_byte(
    client: httpx.AsyncClient, member: Caller, org: uuid.UUID
) -> None:
    first = await create(client, member, org, "replay-1", body="once")
    second = await client.post(
        rpc("testNote/v1/create"),
        content=b'{ "body" :  "once" }',  # same JSON value, other spacing
        headers={**member.headers(org, "replay-1"), "Content-Type": "application/json"},
    )
    assert first.status_code == second.status_code == 200
    data_of = lambda r: r.content[r.content.index(b'"data":') : r.content.index(b',"meta":')]  # noqa: E731
    assert data_of(first) == data_of(second)
    assert second.json()["meta"]["idempotent_replay"] is True
    assert second.json()["meta"]["original_request_id"] == first.json()["meta"]["request_id"]
    assert "idempotent_replay" not in first.json()["meta"]
    assert await count_notes(org, "once") == 1


async def test_same_key_with_another_body_is_reuse(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    assert (await create(client, member, org, "reuse-1", body="first")).status_code == 200
    response = await create(client, member, org, "reuse-1", body="second")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await count_notes(org, "second") == 0


async def test_key_scope_is_user_org_and_procedure(
    client: httpx.AsyncClient, token_book: TokenBook, member: Caller, org: uuid.UUID
) -> None:
    colleague = token_book.new_user(member_of={org: {"MANAGER"}})
    assert (await create(client, member, org, "shared", body="scoped")).status_code == 200
    again = await create(client, colleague, org, "shared", body="scoped")
    assert again.status_code == 200
    assert "idempotent_replay" not in again.json()["meta"]
    assert await count_notes(org, "scoped") == 2


async def test_concurrent_duplicates_execute_once(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    responses = await asyncio.gather(
        *(create(client, member, org, "race-1", body="raced", delay_seconds=0.4) for _ in range(6))
    )
    codes = sorted(r.json()["error"]["code"] if r.status_code != 200 else "OK" for r in responses)
    assert codes.count("OK") == 1, codes
    assert set(codes) == {"OK", "IDEMPOTENCY_IN_PROGRESS"}
    in_progress = next(r for r in responses if r.status_code == 409)
    assert in_progress.json()["error"]["retryable"] is True
    assert await count_notes(org, "raced") == 1
    replay = await create(client, member, org, "race-1", body="raced", delay_seconds=0.4)
    assert replay.json()["meta"]["idempotent_replay"] is True


async def test_a_refusal_is_stored_and_replayed(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    headers = member.headers(org, "refused-1")
    first = await client.post(rpc("testNote/v1/fail"), json={"kind": "rule"}, headers=headers)
    second = await client.post(rpc("testNote/v1/fail"), json={"kind": "rule"}, headers=headers)
    assert first.status_code == second.status_code == 422
    assert second.json()["error"] == first.json()["error"]
    assert second.json()["meta"]["idempotent_replay"] is True


async def test_a_crash_gives_the_key_back(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    headers = member.headers(org, "crash-then-retry")
    for _ in range(2):
        response = await client.post(rpc("testNote/v1/fail"), json={"kind": "crash"}, headers=headers)
        assert response.status_code == 500
        assert "idempotent_replay" not in response.json()["meta"]
    unavailable = await client.post(
        rpc("testNote/v1/fail"), json={"kind": "unavailable"}, headers=member.headers(org, "unavailable-1")
    )
    assert unavailable.status_code == 503
    async with runtime.current().database.transaction(organization_id=org, user_id=member.id) as session:
        keys = (await session.execute(text("SELECT key FROM idempotency_keys"))).scalars().all()
    assert "crash-then-retry" not in keys
    assert "unavailable-1" not in keys


async def test_a_claim_whose_worker_died_is_taken_over(
    client: httpx.AsyncClient, member: Caller, org: uuid.UUID
) -> None:
    """A worker killed mid-request leaves an in-progress claim; once its lease ends a retry executes."""
    from hestami.core.idempotency import IdempotencyScope, request_fingerprint

    rt = runtime.current()
    body = {"body": "orphaned"}
    scope = IdempotencyScope(org, member.id, "testNote/v1/create", "orphan-1")
    async with rt.database.transaction(organization_id=org, user_id=member.id) as session:
        await rt.idempotency.claim(session, scope, request_fingerprint(body))
    assert (await create(client, member, org, "orphan-1", **body)).json()["error"]["code"] == "IDEMPOTENCY_IN_PROGRESS"
    async with rt.database.transaction(organization_id=org, user_id=member.id) as session:
        await session.execute(
            text("UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE key = 'orphan-1'")
        )
    taken_over = await create(client, member, org, "orphan-1", **body)
    assert taken_over.status_code == 200
    assert await count_notes(org, "orphaned") == 1


async def test_cleanup_workflow_removes_expired_keys_only(
    client: httpx.AsyncClient, member: Caller, org: uuid.UUID
) -> None:
    assert (await create(client, member, org, "old-1", body="old")).status_code == 200
    assert (await create(client, member, org, "fresh-1", body="fresh")).status_code == 200
    rt = runtime.current()
    async with rt.database.transaction(organization_id=org, user_id=member.id) as session:
        await session.execute(
            text("UPDATE idempotency_keys SET expires_at = now() - interval '1 hour' WHERE key = 'old-1'")
        )

    schedule = DBOS.get_schedule(workflows.IDEMPOTENCY_CLEANUP_SCHEDULE)
    assert schedule is not None
    handle = await asyncio.to_thread(DBOS.trigger_schedule, workflows.IDEMPOTENCY_CLEANUP_SCHEDULE)
    await asyncio.to_thread(handle.get_result)

    async with rt.database.transaction(organization_id=org, user_id=member.id) as session:
        keys = set((await session.execute(text("SELECT key FROM idempotency_keys"))).scalars())
    assert keys == {"fresh-1"}
    again = await create(client, member, org, "old-1", body="old")
    assert "idempotent_replay" not in again.json()["meta"]

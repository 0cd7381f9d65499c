"""Proving an account's email: the token's life (sent at registration, stored only as its hash, valid once and for
48 hours, withdrawn by a later verification), asking for another one, and the row-level security around both."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from hestami.core import runtime
from tests.identity.helpers import latest_token, verification_tokens, verify
from tests.support.accounts import Account, account, rpc

REQUEST = "auth/v1/requestEmailVerification"


async def rows(sql: str, *, user: uuid.UUID | None, **params: object) -> list[tuple]:
    async with runtime.current().database.transaction(organization_id=None, user_id=user) as session:
        return [tuple(r) for r in (await session.execute(text(sql), params)).all()]


async def me(client: httpx.AsyncClient, who: Account) -> dict:
    response = await client.post(rpc("auth/v1/me"), json={}, headers={"Authorization": f"Bearer {who.token}"})
    assert response.status_code == 200, response.text
    user: dict = response.json()["data"]["user"]
    return user


async def request_again(client: httpx.AsyncClient, who: Account) -> httpx.Response:
    return await client.post(rpc(REQUEST), json={}, headers=who.headers())


def refused(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "BUSINESS_RULE_VIOLATION", response.text
    assert error["details"]["reason"] == reason, response.text


async def test_registration_sends_a_token_that_is_stored_only_as_its_hash(client: httpx.AsyncClient) -> None:
    user = await account(client)
    (token,) = await verification_tokens(user.user_id)
    stored = await rows(
        "SELECT email, token_hash, expires_at - created_at, used_at, row_to_json(v)::text "
        "FROM email_verifications v WHERE user_id = :u",
        user=user.user_id, u=user.user_id,
    )  # fmt: skip
    ((email, digest, lifetime, used_at, whole_row),) = stored
    assert email == user.email
    assert digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in whole_row
    assert lifetime == timedelta(hours=48)
    assert used_at is None
    assert (await me(client, user))["email_verified_at"] is None


async def test_a_token_proves_the_email_once(client: httpx.AsyncClient) -> None:
    user = await account(client)
    token = await latest_token(user.user_id)

    first = await verify(client, token)
    assert first.status_code == 200, first.text
    data = first.json()["data"]
    assert data["user"]["id"] == str(user.user_id)
    assert data["user"]["email_verified_at"] is not None
    assert data["organizations"] == []
    assert (await me(client, user))["email_verified_at"] == data["user"]["email_verified_at"]

    refused(await verify(client, token), "TOKEN_USED")
    assert (await me(client, user))["email_verified_at"] == data["user"]["email_verified_at"]
    events = await rows(
        "SELECT action FROM audit_events WHERE entity_id = :u ORDER BY created_at, id",
        user=user.user_id,
        u=str(user.user_id),
    )
    assert [e for (e,) in events if e.startswith("user.")] == ["user.registered", "user.email_verified"]


async def test_an_unknown_token_is_refused_and_a_malformed_one_is_invalid_input(client: httpx.AsyncClient) -> None:
    refused(await verify(client, secrets.token_urlsafe(32)), "TOKEN_INVALID")
    malformed = await verify(client, "short")
    assert malformed.status_code == 400, malformed.text
    assert [f["field"] for f in malformed.json()["error"]["field_errors"]] == ["/token"]


async def test_an_expired_token_is_refused_and_changes_nothing(client: httpx.AsyncClient) -> None:
    user = await account(client)
    token = await latest_token(user.user_id)
    await rows(
        "UPDATE email_verifications SET created_at = now() - interval '3 days', "
        "expires_at = now() - interval '1 second' WHERE user_id = :u RETURNING id",
        user=user.user_id, u=user.user_id,
    )  # fmt: skip
    refused(await verify(client, token), "TOKEN_EXPIRED")
    assert (await me(client, user))["email_verified_at"] is None
    ((used_at,),) = await rows("SELECT used_at FROM email_verifications", user=user.user_id)
    assert used_at is None


async def test_another_message_can_be_asked_for_and_verifying_withdraws_the_others(client: httpx.AsyncClient) -> None:
    user = await account(client)
    again = await request_again(client, user)
    assert again.status_code == 200, again.text
    assert again.json()["data"] == {"email": user.email, "already_verified": False}
    older, newer = await verification_tokens(user.user_id)
    assert older != newer

    assert (await verify(client, newer)).status_code == 200
    refused(await verify(client, older), "TOKEN_INVALID")  # withdrawn when the newer one was used

    proven = await request_again(client, user)
    assert proven.json()["data"] == {"email": user.email, "already_verified": True}
    assert len(await verification_tokens(user.user_id)) == 2  # no message for a proven email


async def test_asking_for_messages_is_limited_per_account(client: httpx.AsyncClient, app: FastAPI) -> None:
    settings = app.state.runtime.settings
    user, other = await account(client), await account(client)
    for _ in range(settings.email_verification_requests_per_hour):
        assert (await request_again(client, user)).status_code == 200
    limited = await request_again(client, user)
    assert limited.status_code == 429, limited.text
    assert limited.json()["error"]["code"] == "RATE_LIMITED"
    assert int(limited.headers["Retry-After"]) >= 1
    assert (await request_again(client, other)).status_code == 200  # per account: another one is not held up


async def test_asking_for_a_message_needs_a_login(client: httpx.AsyncClient) -> None:
    response = await client.post(rpc(REQUEST), json={}, headers={"Idempotency-Key": "k1"})
    assert response.status_code == 401


async def test_verification_rows_are_visible_only_to_their_user_or_by_their_hash(client: httpx.AsyncClient) -> None:
    alice, bob = await account(client), await account(client)
    token = await latest_token(alice.user_id)
    assert await rows("SELECT id FROM email_verifications", user=None) == []
    assert {u for (u,) in await rows("SELECT user_id FROM email_verifications", user=bob.user_id)} == {bob.user_id}
    async with runtime.current().database.transaction(organization_id=None, user_id=None) as session:
        digest = hashlib.sha256(token.encode()).hexdigest()
        await session.execute(text("SELECT set_config('app.email_token_hash', :h, true)"), {"h": digest})
        visible = (await session.execute(text("SELECT user_id FROM email_verifications"))).all()
    assert [tuple(r) for r in visible] == [(alice.user_id,)]

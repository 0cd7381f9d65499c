"""Account security: changing the password (the current one, the policy, other sessions revoked, audit, notice,
throttling) and revoking one of one's own sessions by its fingerprint."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from hestami.core import runtime
from tests.support.accounts import PASSWORD, Account, account, login, rpc

NEW_PASSWORD = "a brand new passphrase"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def me_status(client: httpx.AsyncClient, token: str) -> int:
    return (await client.post(rpc("auth/v1/me"), json={}, headers=bearer(token))).status_code


async def another_session(client: httpx.AsyncClient, who: Account, password: str = PASSWORD) -> str:
    response = await login(client, who.email, password)
    assert response.status_code == 200, response.text
    token: str = response.json()["data"]["token"]
    return token


async def change(client: httpx.AsyncClient, who: Account, current: str, new: str) -> httpx.Response:
    body = {"current_password": current, "new_password": new}
    return await client.post(rpc("auth/v1/changePassword"), json=body, headers=who.headers())


async def sessions(client: httpx.AsyncClient, token: str) -> list[dict]:
    response = await client.post(rpc("auth/v1/sessions"), json={}, headers=bearer(token))
    assert response.status_code == 200, response.text
    items: list[dict] = response.json()["data"]["items"]
    return items


async def revoke(client: httpx.AsyncClient, who: Account, fingerprint: str) -> httpx.Response:
    return await client.post(rpc("auth/v1/revokeSession"), json={"fingerprint": fingerprint}, headers=who.headers())


async def user_rows(who: Account, sql: str) -> list[tuple]:
    async with runtime.current().database.transaction(organization_id=None, user_id=who.user_id) as session:
        return [tuple(r) for r in (await session.execute(text(sql), {"u": who.user_id})).all()]


def field_refusal(response: httpx.Response, field: str, reason: str) -> None:
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert error["details"]["reason"] == reason
    assert [(f["field"], f["code"]) for f in error["field_errors"]] == [(field, reason)]


async def test_changing_the_password_revokes_the_other_sessions_and_keeps_this_one(client: httpx.AsyncClient) -> None:
    user = await account(client)
    others = [await another_session(client, user), await another_session(client, user)]

    changed = await change(client, user, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"] == {"revoked": 2}
    assert await me_status(client, user.token) == 200
    assert [await me_status(client, token) for token in others] == [401, 401]
    assert [s["current"] for s in await sessions(client, user.token)] == [True]

    assert (await login(client, user.email, PASSWORD)).status_code == 401
    assert (await login(client, user.email, NEW_PASSWORD)).status_code == 200

    audit = await user_rows(user, "SELECT action, after FROM audit_events WHERE action = 'user.password_changed'")
    assert audit == [("user.password_changed", {"revoked_sessions": 2})]
    notices = await user_rows(
        user, "SELECT template, recipient FROM outbound_messages WHERE template = 'account.password_changed'"
    )
    assert notices == [("account.password_changed", user.email)]


async def test_a_wrong_current_password_changes_nothing(client: httpx.AsyncClient) -> None:
    user = await account(client)
    other = await another_session(client, user)
    field_refusal(await change(client, user, "not my password", NEW_PASSWORD), "/current_password", "WRONG_PASSWORD")
    assert await me_status(client, other) == 200
    assert (await login(client, user.email, PASSWORD)).status_code == 200
    assert await user_rows(user, "SELECT 1 FROM audit_events WHERE action = 'user.password_changed'") == []
    failed = await user_rows(user, "SELECT action FROM audit_events WHERE action = 'auth.password_change_failed'")
    assert failed == [("auth.password_change_failed",)]


@pytest.mark.parametrize(
    ("new", "reason"),
    [("short", "WEAK_PASSWORD"), ("{email}", "WEAK_PASSWORD"), (PASSWORD, "PASSWORD_UNCHANGED")],
)
async def test_the_new_password_follows_the_policy(client: httpx.AsyncClient, new: str, reason: str) -> None:
    user = await account(client)
    field_refusal(await change(client, user, PASSWORD, new.format(email=user.email)), "/new_password", reason)
    assert (await login(client, user.email, PASSWORD)).status_code == 200


@pytest.fixture
def few_failures(app: FastAPI) -> Iterator[int]:
    settings = app.state.runtime.settings
    limit = settings.login_failures_per_email
    settings.login_failures_per_email = 3
    yield 3
    settings.login_failures_per_email = limit


async def test_guessing_the_current_password_is_throttled_like_a_login(
    client: httpx.AsyncClient, few_failures: int
) -> None:
    user = await account(client)
    for _ in range(few_failures):
        field_refusal(await change(client, user, "a wrong guess!", NEW_PASSWORD), "/current_password", "WRONG_PASSWORD")
    limited = await change(client, user, PASSWORD, NEW_PASSWORD)  # even the right one, from this address, waits
    assert limited.status_code == 429, limited.text
    assert limited.json()["error"]["code"] == "RATE_LIMITED"
    assert (await login(client, user.email, PASSWORD)).status_code == 429  # the same counter as logins


async def test_changing_the_password_needs_the_idempotency_key_and_a_login(client: httpx.AsyncClient) -> None:
    user = await account(client)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert (await client.post(rpc("auth/v1/changePassword"), json=body)).status_code == 401
    no_key = await client.post(rpc("auth/v1/changePassword"), json=body, headers=bearer(user.token))
    assert no_key.json()["error"]["code"] == "IDEMPOTENCY_KEY_REQUIRED"


async def test_one_of_ones_own_sessions_is_revoked_by_its_fingerprint(client: httpx.AsyncClient) -> None:
    user = await account(client)
    other = await another_session(client, user)
    listed = await sessions(client, user.token)
    (target,) = [s["id"] for s in listed if not s["current"]]

    revoked = await revoke(client, user, target)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["data"] == {"revoked": 1}
    assert await me_status(client, other) == 401
    assert await me_status(client, user.token) == 200
    assert (await revoke(client, user, target)).status_code == 404  # gone

    audit = await user_rows(user, "SELECT entity_id, after FROM audit_events WHERE action = 'auth.session_revoked'")
    assert audit == [(target, {"current": False})]


async def test_someone_elses_session_is_not_found_like_a_random_fingerprint(client: httpx.AsyncClient) -> None:
    user, stranger = await account(client), await account(client)
    (theirs,) = [s["id"] for s in await sessions(client, stranger.token)]
    foreign = await revoke(client, user, theirs)
    random = await revoke(client, user, secrets.token_hex(8))
    assert foreign.status_code == random.status_code == 404
    assert foreign.json()["error"]["code"] == random.json()["error"]["code"] == "NOT_FOUND"
    assert foreign.json()["error"]["message"] == random.json()["error"]["message"]
    assert await me_status(client, stranger.token) == 200


async def test_revoking_the_current_session_logs_out(client: httpx.AsyncClient) -> None:
    user = await account(client)
    (current,) = [s["id"] for s in await sessions(client, user.token) if s["current"]]
    assert (await revoke(client, user, current)).json()["data"] == {"revoked": 1}
    assert await me_status(client, user.token) == 401


async def test_a_fingerprint_must_look_like_one(client: httpx.AsyncClient) -> None:
    user = await account(client)
    response = await revoke(client, user, "not-a-fingerprint")
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["error"]["field_errors"]] == ["/fingerprint"]

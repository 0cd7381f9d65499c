"""Accounts and sessions: register, log in, me, refresh, log out (here and everywhere), throttling."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text

from hestami.core import ratelimit, runtime
from hestami.core.errors import ErrorCode, HestamiError
from hestami.identity import throttle
from hestami.identity.port import session_store
from tests.support.accounts import PASSWORD, account, login, register, rpc, unique_email


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(rpc("auth/v1/me"), json={}, headers=bearer(token))


async def test_register_login_me_logout(client: httpx.AsyncClient) -> None:
    email = unique_email()
    registered = await client.post(
        rpc("auth/v1/register"), json={"email": email.upper(), "password": PASSWORD, "name": "Dana Doe"}
    )
    assert registered.status_code == 200
    user = registered.json()["data"]["user"]
    assert user["email"] == email
    assert "password" not in registered.text

    logged_in = await login(client, email)
    data = logged_in.json()["data"]
    assert data["user"]["id"] == user["id"]
    assert data["organizations"] == []
    assert data["expires_at"] > logged_in.json()["meta"]["timestamp"]

    assert (await me(client, data["token"])).json()["data"]["user"]["email"] == email
    logged_out = await client.post(rpc("auth/v1/logout"), json={}, headers=bearer(data["token"]))
    assert logged_out.json()["data"] == {"revoked": 1}
    refused = await me(client, data["token"])
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "at least 10"), ("{email}", "may not be the email")],
)
async def test_password_policy(client: httpx.AsyncClient, password: str, reason: str) -> None:
    email = unique_email()
    response = await client.post(
        rpc("auth/v1/register"), json={"email": email, "password": password.format(email=email), "name": "X"}
    )
    assert response.status_code == 400
    (field_error,) = response.json()["error"]["field_errors"]
    assert field_error["field"] == "/password"
    assert reason in field_error["message"]
    assert (await login(client, email, password.format(email=email))).status_code == 401


async def test_registering_a_taken_email_reveals_nothing_and_changes_nothing(client: httpx.AsyncClient) -> None:
    email = await register(client)
    again = await client.post(
        rpc("auth/v1/register"), json={"email": email, "password": "another password 1", "name": "Mallory"}
    )
    assert again.status_code == 200
    assert set(again.json()["data"]["user"]) == {
        "id",
        "email",
        "name",
        "default_organization_id",
        "email_verified_at",
        "created_at",
        "updated_at",
    }
    assert (await login(client, email)).status_code == 200
    assert (await login(client, email, "another password 1")).status_code == 401

    owner = (await login(client, email)).json()["data"]["user"]["id"]
    async with runtime.current().database.transaction(organization_id=None, user_id=uuid.UUID(owner)) as session:
        notices = (
            await session.execute(
                text("SELECT template, recipient FROM outbound_messages WHERE recipient = :e"), {"e": email}
            )
        ).all()
    # the first registration's verification message, then the notice of the second: no second account, no token
    assert sorted(tuple(n) for n in notices) == [
        ("account.registration_attempted", email),
        ("account.verify_email", email),
    ]


async def test_wrong_password_and_unknown_email_answer_alike(client: httpx.AsyncClient) -> None:
    email = await register(client)
    wrong = await login(client, email, "not the password")
    unknown = await login(client, unique_email(), "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]


@asynccontextmanager
async def client_at(app: FastAPI, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling from another address (the throttle tells clients apart by address)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_wrong_passwords_throttle_that_client_not_the_owner(client: httpx.AsyncClient, app: FastAPI) -> None:
    email = await register(client)
    statuses = [(await login(client, email, f"wrong password {i}")).status_code for i in range(30)]
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}
    throttled = await login(client, email)  # this client waits for the window, even with the right password
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "RATE_LIMITED"
    assert throttled.json()["error"]["retryable"] is True
    assert int(throttled.headers["retry-after"]) >= 1
    async with client_at(app, "198.51.100.20") as owner:  # the owner, elsewhere, is not locked out
        assert (await login(owner, email)).status_code == 200
        assert (await login(owner, email, "a typo of mine")).status_code == 401


async def test_many_clients_failing_pause_the_account_but_never_its_known_clients(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = await register(client)
    assert (await login(client, email)).status_code == 200  # this client is now known to the account
    monkeypatch.setattr(app.state.runtime.settings, "login_failures_per_account", 3)
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now[0]))  # one fixed window
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: now[0]))

    async def from_(address: str, password: str = PASSWORD) -> httpx.Response:
        async with client_at(app, address) as http:
            return await login(http, email, password)

    assert [(await from_(f"203.0.113.{i}", "wrong password!")).status_code for i in range(3)] == [401] * 3
    paused = await from_("203.0.113.50")  # the ceiling is reached: a new client waits 1 s after the last failure
    assert paused.status_code == 429, paused.text
    assert paused.headers["retry-after"] == "1"
    assert (await login(client, email)).status_code == 200, "a client that logged in before is not paused"

    now[0] += 1
    assert (await from_("203.0.113.51", "wrong password!")).status_code == 401
    again = await from_("203.0.113.52")  # one more failure: the pause doubles
    assert (again.status_code, again.headers["retry-after"]) == (429, "2")
    now[0] += 2
    assert (await from_("203.0.113.52")).status_code == 200, "after the pause the right password works anywhere"


def test_the_account_pause_doubles_up_to_the_window() -> None:
    pauses = [
        throttle.account_pause(n, ceiling=100, window_seconds=900) for n in (0, 99, 100, 101, 102, 109, 110, 10**6)
    ]
    assert pauses == [0, 0, 1, 2, 4, 512, 900, 900]


async def test_refresh_rotates_the_token(client: httpx.AsyncClient) -> None:
    user = await account(client)
    refreshed = await client.post(rpc("auth/v1/refresh"), json={}, headers=bearer(user.token))
    new_token = refreshed.json()["data"]["token"]
    assert new_token != user.token
    assert (await me(client, new_token)).status_code == 200
    assert (await me(client, user.token)).status_code == 401


async def test_sessions_are_listed_and_logout_everywhere_revokes_them_all(client: httpx.AsyncClient) -> None:
    email = await register(client)
    tokens = [(await login(client, email)).json()["data"]["token"] for _ in range(3)]
    listed = (await client.post(rpc("auth/v1/sessions"), json={}, headers=bearer(tokens[0]))).json()["data"]["items"]
    assert len(listed) == 3
    assert [s["current"] for s in listed] == [True, False, False]
    assert all(tokens[0] not in s["id"] for s in listed)

    revoked = await client.post(rpc("auth/v1/logoutEverywhere"), json={}, headers=bearer(tokens[1]))
    assert revoked.json()["data"] == {"revoked": 3}
    assert [(await me(client, t)).status_code for t in tokens] == [401, 401, 401]


async def test_forged_and_tampered_tokens_are_refused(client: httpx.AsyncClient) -> None:
    user = await account(client)
    session_id, _, signature = user.token.partition(".")
    for token in (f"{session_id}.{signature[:-2]}xx", f"{session_id}x.{signature}", session_id, "a.b.c"):
        assert (await me(client, token)).status_code == 401


async def test_redis_down_is_503_never_an_open_door(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await account(client)
    sessions = app.state.runtime.identity.real.sessions
    dead = Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.5)
    monkeypatch.setattr(sessions, "redis", dead)
    response = await me(client, user.token)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert response.json()["error"]["retryable"] is True
    await dead.aclose()


async def test_api_rate_limit_per_user(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await account(client)
    other = await account(client)
    monkeypatch.setattr(app.state.runtime.settings, "api_rate_limit_per_minute", 3)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))  # one fixed window
    statuses = [(await me(client, user.token)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = await me(client, user.token)
    assert limited.headers["retry-after"] == "60"
    assert (await me(client, other.token)).status_code == 200, "each user has a budget of their own"


async def test_a_known_session_is_looked_up_and_counted_in_one_round_trip(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await account(client)
    store = session_store(runtime.current())
    alone = 0
    getex = store.redis.getex

    async def counted_getex(*args: object, **kwargs: object) -> object:
        nonlocal alone
        alone += 1
        return await getex(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store.redis, "getex", counted_getex)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))  # one fixed window
    budget = ratelimit.Budget(f"rate:test:{uuid.uuid4()}", 2, 60)
    first = await store.resolve(user.token, budget=budget)
    assert first is not None
    assert alone == 1  # a session this process has not seen: looked up, then counted
    second = await store.resolve(user.token, budget=budget)
    assert second is not None
    assert second.user_id == first.user_id
    assert alone == 1  # now the lookup and the count share one pipeline
    with pytest.raises(HestamiError) as refused:
        await store.resolve(user.token, budget=budget)
    assert refused.value.code == ErrorCode.RATE_LIMITED


async def test_logins_and_failures_are_audited(client: httpx.AsyncClient) -> None:
    user = await account(client)
    await login(client, user.email, "wrong password!")
    await client.post(rpc("auth/v1/logout"), json={}, headers=bearer(user.token))
    async with runtime.current().database.transaction(organization_id=None, user_id=user.user_id) as session:
        rows = (
            await session.execute(
                text("SELECT action, request_id IS NOT NULL, trace_id <> '' FROM audit_events ORDER BY created_at")
            )
        ).all()
    actions = [r[0] for r in rows]
    assert actions == ["user.registered", "auth.login", "auth.login_failed", "auth.logout"]
    assert all(r[1] and r[2] for r in rows)

"""Input that Postgres or the parser cannot take is refused as `VALIDATION_FAILED`, with the field named, before
anything touches the database: NUL bytes and unpaired surrogates in any string (values and keys, at any depth),
JSON nested deeper than the platform allows, numbers too large to parse, and blank names, titles and passwords.

The fuzz test (`test_input_fuzz.py`) holds every procedure to the same rules; these are the exact cases."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from hestami.core.config import Settings
from hestami.core.db import psycopg_url
from hestami.core.errors import HestamiError
from hestami.core.rpc.body import MAX_DEPTH, MAX_FIELD_ERRORS, parse_body
from tests.support.accounts import Account, account, organization, rpc, unique_email

NUL = "\u0000"


@pytest.fixture(scope="module")
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
async def admin(http: httpx.AsyncClient) -> Account:
    return await account(http)


@pytest.fixture(scope="module")
async def org_id(http: httpx.AsyncClient, admin: Account) -> str:
    return str((await organization(http, admin, name="Guarded Org"))["id"])


async def send(
    http: httpx.AsyncClient, path: str, body: Any, who: Account | None = None, org: str | None = None
) -> httpx.Response:
    headers = {"Content-Type": "application/json", **(who.headers(org) if who else {})}
    content = body if isinstance(body, bytes | str) else httpx.Request("POST", "/", json=body).content
    return await http.post(rpc(path), content=content, headers=headers)


def refused(response: httpx.Response, *fields: str) -> dict[str, Any]:
    """The 400 VALIDATION_FAILED envelope, naming at least `fields`."""
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["ok"] is False
    error: dict[str, Any] = payload["error"]
    assert error["code"] == "VALIDATION_FAILED", response.text
    named = {f["field"] for f in error["field_errors"]}
    assert set(fields) <= named, (fields, response.text)
    return error


def count(settings: Settings, sql: str, **params: Any) -> int:
    """A count as the owner role (users are behind row-level security for the app role)."""
    engine = create_engine(psycopg_url(settings.owner_database_url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


# --- NUL bytes and unpaired surrogates ------------------------------------------------------------------


async def test_a_nul_byte_in_anonymous_register_is_refused_and_creates_nothing(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    email = unique_email("nul")
    before = count(settings, "SELECT count(*) FROM users")
    response = await send(
        http, "auth/v1/register", {"email": email, "password": "long enough password", "name": f"Eve{NUL}"}
    )
    error = refused(response, "/name")
    assert error["field_errors"][0]["code"] == "string_unstorable_character"
    assert count(settings, "SELECT count(*) FROM users") == before


async def test_a_nul_byte_in_a_create_is_refused(http: httpx.AsyncClient, admin: Account) -> None:
    response = await send(
        http, "organization/v1/create", {"name": f"Acme{NUL}", "type": "COMMUNITY_ASSOCIATION"}, admin
    )
    refused(response, "/name")


async def test_a_nul_byte_in_a_list_filter_is_refused(http: httpx.AsyncClient, admin: Account, org_id: str) -> None:
    refused(await send(http, "party/v1/list", {"search": f"a{NUL}b"}, admin, org_id), "/search")
    refused(await send(http, "asset/v1/list", {"category": NUL}, admin, org_id), "/category")


async def test_nul_bytes_are_found_in_nested_objects_arrays_and_keys(
    http: httpx.AsyncClient, admin: Account, org_id: str
) -> None:
    body = {
        "name": "Nested",
        "governing_documents": [{"title": "Bylaws"}, {"title": f"Rules{NUL}"}],
        "work_order_sla_hours": {f"HIGH{NUL}": 1},
    }
    error = refused(
        await send(http, "association/v1/create", body, admin, org_id),
        "/governing_documents/1/title",
        "/work_order_sla_hours/HIGH\\u0000",
    )
    assert NUL not in response_text(error)
    unknown = {"name": "Nested", f"x{NUL}": 1}
    refused(await send(http, "association/v1/create", unknown, admin, org_id), "/x\\u0000")


def response_text(error: dict[str, Any]) -> str:
    return "".join(f["field"] + f["message"] for f in error["field_errors"])


async def test_an_unpaired_surrogate_is_refused(http: httpx.AsyncClient, admin: Account, org_id: str) -> None:
    raw = b'{"name": "Half \\ud800 a pair", "type": "COMMUNITY_ASSOCIATION"}'
    refused(await send(http, "organization/v1/create", raw, admin), "/name")
    paired = b'{"name": "Smile \\ud83d\\ude00", "type": "COMMUNITY_ASSOCIATION"}'
    assert (await send(http, "organization/v1/create", paired, admin)).status_code == 200


# --- nesting and numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("opening", ["[", '{"a":'])
async def test_deep_nesting_is_refused_without_authentication(http: httpx.AsyncClient, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    body = opening * 5000 + "1" + closing * 5000
    error = refused(await send(http, "auth/v1/register", body))
    (field_error,) = error["field_errors"]
    assert field_error["code"] == "json_too_deep"
    assert field_error["field"] == ("/0" if opening == "[" else "/a") * MAX_DEPTH
    login = '{"email": "a@example.com", "password": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (deep,) = refused(await send(http, "auth/v1/login", login))["field_errors"]
    assert deep["field"] == "/password" + "/0" * (MAX_DEPTH - 1)


async def test_deep_nesting_names_the_field_where_it_starts(
    http: httpx.AsyncClient, admin: Account, org_id: str
) -> None:
    body = '{"name": "Deep", "governing_documents": [' + "[" * 3000 + "]" * 3000 + "]}"
    error = refused(await send(http, "association/v1/create", body, admin, org_id))
    (field,) = [f["field"] for f in error["field_errors"]]
    assert field.startswith("/governing_documents/0/0/0"), field
    # An unauthenticated call to an authenticated procedure is still refused for its token first.
    assert (await send(http, "association/v1/create", body)).status_code == 401


async def test_moderate_nesting_still_reaches_validation(http: httpx.AsyncClient, admin: Account) -> None:
    body = {"name": [[[["x"]]]], "type": "COMMUNITY_ASSOCIATION"}
    error = refused(await send(http, "organization/v1/create", body, admin), "/name")
    assert error["field_errors"][0]["code"] == "string_type"


@pytest.mark.parametrize(
    "number", ["1" * 5000, "1e999999", "-1e999999", "NaN", "Infinity", "-Infinity", "123456789" * 40]
)
async def test_numbers_that_cannot_be_taken_are_refused(
    http: httpx.AsyncClient, admin: Account, org_id: str, number: str
) -> None:
    body = '{"limit": ' + number + "}"
    refused(await send(http, "party/v1/list", body, admin, org_id))


# --- blank text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", " ", "   \t\n ", "\u00a0\u2003"])
async def test_blank_names_are_refused(http: httpx.AsyncClient, admin: Account, org_id: str, blank: str) -> None:
    refused(await send(http, "organization/v1/create", {"name": blank, "type": "SERVICE_PROVIDER"}, admin), "/name")
    refused(await send(http, "organization/v1/update", {"name": blank}, admin, org_id), "/name")
    refused(await send(http, "association/v1/create", {"name": blank}, admin, org_id), "/name")
    password = {"email": unique_email(), "password": "long enough", "name": blank}
    refused(await send(http, "auth/v1/register", password), "/name")


async def test_a_password_of_spaces_is_refused(http: httpx.AsyncClient, settings: Settings) -> None:
    email = unique_email("spaces")
    body = {"email": email, "password": " " * 12, "name": "Space Cadet"}
    refused(await send(http, "auth/v1/register", body), "/password")
    assert count(settings, "SELECT count(*) FROM users WHERE email = :e", e=email) == 0


async def test_names_are_stored_without_surrounding_whitespace_and_passwords_as_typed(
    http: httpx.AsyncClient,
) -> None:
    email = unique_email("trim")
    password = "  spaced password  "
    response = await send(http, "auth/v1/register", {"email": email, "password": password, "name": "  Pat Doe \n"})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["user"]["name"] == "Pat Doe"
    login = await send(http, "auth/v1/login", {"email": email, "password": password})
    assert login.status_code == 200, login.text
    assert (await send(http, "auth/v1/login", {"email": email, "password": password.strip()})).status_code == 401


# --- the parser alone -----------------------------------------------------------------------------------


def parse_errors(raw: str | bytes) -> list[tuple[str, str]]:
    try:
        parse_body(raw.encode() if isinstance(raw, str) else raw)
    except HestamiError as exc:
        return [(f.field, f.code) for f in exc.field_errors]
    return []


def test_nesting_up_to_the_limit_is_taken_and_brackets_in_strings_do_not_count() -> None:
    assert parse_errors("[" * MAX_DEPTH + "]" * MAX_DEPTH) == []
    assert parse_errors("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == [("/0" * MAX_DEPTH, "json_too_deep")]
    text = json.dumps({"note": "[" * 10_000, "items": [{"a": "}]" * 50}, [1, 2]]})
    assert parse_errors(text) == []
    deep_in_second = '{"a": [1, {"b\\"c": ' + "[" * 40 + "]" * 40 + "}]}"
    assert parse_errors(deep_in_second) == [('/a/1/b"c' + "/0" * (MAX_DEPTH - 3), "json_too_deep")]


def test_parser_reads_what_json_allows_and_refuses_the_rest() -> None:
    assert parse_body(b"") == {}
    assert parse_body(b" \n") == {}
    assert parse_body('{"a": "\u00e9"}'.encode("utf-16")) == {"a": "\u00e9"}
    assert parse_body(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}
    assert parse_body(b'{"a": 1.5, "b": -12, "c": "\\ud83d\\ude00"}') == {"a": 1.5, "b": -12, "c": "\U0001f600"}
    assert parse_errors(b'{"a": "\xff"}') == [("", "json_invalid")]
    assert parse_errors(b'{"a": ') == [("", "json_invalid")]
    assert parse_errors(b'{"a": "\xed\xa0\x80"}') == [("/a", "string_unstorable_character")]


def test_many_problems_are_named_up_to_a_bound() -> None:
    body = json.dumps({f"k{i}": "\u0000" for i in range(100)})
    errors = parse_errors(body)
    assert len(errors) == MAX_FIELD_ERRORS
    assert errors[:2] == [("/k0", "string_unstorable_character"), ("/k1", "string_unstorable_character")]


@pytest.mark.parametrize("tail", ['"' + '\\"' * 200_000, '"' + '\\"' * 200_000 + "\\", '"\\' * 200_000])
def test_refusing_a_hostile_body_takes_linear_time(tail: str) -> None:
    """Unterminated strings full of escaped quotes once made the bracket scan quadratic (minutes for 1 MB)."""
    started = time.perf_counter()
    assert parse_errors("[" * 40 + tail)[0][1] == "json_too_deep"
    assert parse_errors('{"a": [' + tail)[0][1] == "json_invalid"
    assert time.perf_counter() - started < 2

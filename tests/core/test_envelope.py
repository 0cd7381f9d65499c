"""Every failure path answers the SRD envelope with the right code and status (API.md error table)."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.conftest import rpc
from tests.support.identity import Caller, TokenBook


def assert_error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False
    error = body["error"]
    assert error["code"] == code
    assert error["http_status"] == status
    assert set(error) == {"code", "type", "http_status", "message", "details", "field_errors", "retryable"}
    assert set(body["meta"]) >= {"request_id", "trace_id", "span_id", "timestamp", "locale"}
    assert response.headers["x-request-id"] == body["meta"]["request_id"]
    return error


async def test_success_envelope_carries_meta(client: httpx.AsyncClient) -> None:
    response = await client.post(rpc("testPublic/v1/echo"), json={"body": "hi"})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["data"] == {"body": "hi", "tags": [], "delay_seconds": 0.0}
    meta = body["meta"]
    assert re.fullmatch(r"[0-9a-f]{32}", meta["trace_id"])
    assert re.fullmatch(r"[0-9a-f]{16}", meta["span_id"])
    assert meta["request_id"].startswith("req_")
    assert meta["locale"] == "en-US"
    assert "idempotent_replay" not in meta


async def test_request_id_and_locale_are_taken_from_headers(client: httpx.AsyncClient) -> None:
    response = await client.post(
        rpc("testPublic/v1/echo"),
        json={"body": "hi"},
        headers={"X-Request-Id": "client-42", "Accept-Language": "fr-CA,fr;q=0.8"},
    )
    assert response.headers["x-request-id"] == "client-42"
    assert response.json()["meta"]["request_id"] == "client-42"
    assert response.json()["meta"]["locale"] == "fr-CA"


async def test_unsafe_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.post(rpc("testPublic/v1/echo"), json={"body": "x"}, headers={"X-Request-Id": "a b<script>"})
    assert response.headers["x-request-id"].startswith("req_")


async def test_unknown_procedure_is_not_found(client: httpx.AsyncClient) -> None:
    error = assert_error(await client.post(rpc("nothing/v1/here"), json={}), 404, "NOT_FOUND")
    assert error["details"] == {"procedure": "nothing/v1/here"}


async def test_unknown_route_is_not_found(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/no/such/page"), 404, "NOT_FOUND")


async def test_wrong_method_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(rpc("testPublic/v1/echo"))
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"
    assert_error(await client.post("/api/health"), 405, "METHOD_NOT_ALLOWED")


async def test_body_that_is_not_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        rpc("testPublic/v1/echo"), content=b"{not json", headers={"Content-Type": "application/json"}
    )
    error = assert_error(response, 400, "VALIDATION_FAILED")
    assert error["field_errors"][0]["code"] == "json_invalid"


async def test_schema_failure_lists_field_errors_with_pointer_paths(client: httpx.AsyncClient) -> None:
    response = await client.post(rpc("testPublic/v1/echo"), json={"body": "", "tags": ["a", 7], "extra": 1})
    error = assert_error(response, 400, "VALIDATION_FAILED")
    by_field = {f["field"]: f["code"] for f in error["field_errors"]}
    assert by_field == {"/body": "string_too_short", "/tags/1": "string_type", "/extra": "extra_forbidden"}


async def test_body_of_the_wrong_json_type(client: httpx.AsyncClient) -> None:
    error = assert_error(await client.post(rpc("testPublic/v1/echo"), json=[1, 2]), 400, "VALIDATION_FAILED")
    assert error["field_errors"][0]["field"] == ""


async def test_missing_bearer_token(client: httpx.AsyncClient) -> None:
    assert_error(await client.post(rpc("testPublic/v1/whoami"), json={}), 401, "UNAUTHENTICATED")


async def test_unknown_bearer_token(client: httpx.AsyncClient) -> None:
    response = await client.post(rpc("testPublic/v1/whoami"), json={}, headers={"Authorization": "Bearer forged"})
    assert_error(response, 401, "UNAUTHENTICATED")
    response = await client.post(rpc("testPublic/v1/whoami"), json={}, headers={"Authorization": "Basic abc"})
    assert_error(response, 401, "UNAUTHENTICATED")


async def test_authenticated_outside_any_org(client: httpx.AsyncClient, member: Caller) -> None:
    response = await client.post(rpc("testPublic/v1/whoami"), json={}, headers=member.headers())
    assert response.json()["data"]["user_id"] == str(member.id)


async def test_org_scoped_procedure_without_org(client: httpx.AsyncClient, member: Caller) -> None:
    response = await client.post(rpc("testNote/v1/list"), json={}, headers=member.headers())
    assert_error(response, 400, "ORG_SCOPE_REQUIRED")


async def test_org_header_that_is_not_a_uuid(client: httpx.AsyncClient, member: Caller) -> None:
    headers = {**member.headers(), "X-Org-Id": "acme"}
    error = assert_error(await client.post(rpc("testNote/v1/list"), json={}, headers=headers), 400, "VALIDATION_FAILED")
    assert error["field_errors"][0]["field"] == "header:X-Org-Id"


async def test_non_member_is_forbidden(client: httpx.AsyncClient, token_book: TokenBook, org: uuid.UUID) -> None:
    outsider = token_book.new_user()
    response = await client.post(rpc("testNote/v1/list"), json={}, headers=outsider.headers(org))
    assert_error(response, 403, "FORBIDDEN")


async def test_member_sees_its_scope_and_roles(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    response = await client.post(rpc("testNote/v1/scope"), json={}, headers=member.headers(org))
    assert response.json()["data"] == {"organization_id": str(org), "user_id": str(member.id), "roles": ["MANAGER"]}


async def test_crash_is_internal_error_without_leaking(
    client: httpx.AsyncClient, member: Caller, org: uuid.UUID
) -> None:
    response = await client.post(
        rpc("testNote/v1/fail"), json={"kind": "crash"}, headers=member.headers(org, "crash-1")
    )
    error = assert_error(response, 500, "INTERNAL_ERROR")
    assert error["retryable"] is True
    assert "passwd" not in response.text
    assert "Traceback" not in response.text


async def test_business_rule_violation_rolls_back(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    response = await client.post(rpc("testNote/v1/fail"), json={"kind": "rule"}, headers=member.headers(org, "rule-1"))
    error = assert_error(response, 422, "BUSINESS_RULE_VIOLATION")
    assert error["details"] == {"reason": "TEST_RULE"}
    listed = await client.post(rpc("testNote/v1/list"), json={}, headers=member.headers(org))
    assert listed.json()["data"]["items"] == []

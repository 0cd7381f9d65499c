"""Calls to the RPC API as a real account: the response, the data of a success, the error of an expected failure,
and the ids of (paginated) lists. Every success and failure is checked against the response envelope."""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx

from hestami.cam.documents.content.pdfgen import text_pdf
from tests.support.accounts import Account, rpc

Body = dict[str, Any]


def suffix() -> str:
    """A short random tag that keeps names, numbers and references unique across tests."""
    return secrets.token_hex(4)


FILE_PROCEDURES = frozenset({"document/v1/upload"})
"""Procedures that take multipart/form-data (`file=True`): `post` sends the body as the `input` part with a small
real PDF as the `file` part, so every test that walks procedures exercises them like any other."""
SAMPLE_PDF = text_pdf("Sample", ["A sample document for the tests that walk every procedure."])


async def post(
    client: httpx.AsyncClient, who: Account, org: str | None, path: str, body: Body | None = None
) -> httpx.Response:
    if path in FILE_PROCEDURES:
        parts = {"input": (None, json.dumps(body or {}), "application/json"), "file": ("sample.pdf", SAMPLE_PDF)}
        return await client.post(rpc(path), files=parts, headers=who.headers(org))
    return await client.post(rpc(path), json=body if body is not None else {}, headers=who.headers(org))


async def ok(client: httpx.AsyncClient, who: Account, org: str | None, path: str, body: Body | None = None) -> Any:
    """Calls `path` expecting the success envelope; returns its `data`."""
    response = await post(client, who, org, path, body)
    assert response.status_code == 200, f"{path}: {response.text}"
    payload = response.json()
    assert payload["ok"] is True, response.text
    return payload["data"]


async def fails(
    client: httpx.AsyncClient,
    who: Account,
    org: str | None,
    path: str,
    body: Body | None,
    status: int,
    code: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Calls `path` expecting the error envelope with `status` (and `code`, and `details.reason`, when given);
    returns the error."""
    response = await post(client, who, org, path, body)
    assert response.status_code == status, f"{path}: {response.text}"
    payload = response.json()
    assert payload["ok"] is False, response.text
    error: dict[str, Any] = payload["error"]
    assert error["http_status"] == status, response.text
    if code is not None:
        assert error["code"] == code, response.text
    if reason is not None:
        assert (error.get("details") or {}).get("reason") == reason, response.text
    return error


class AsManager:
    """For a test's set-up (a dataclass with `client`, `manager` and `org`): `ok` and `fails` as its manager in its
    organization, or as `who`."""

    client: httpx.AsyncClient
    manager: Account
    org: str

    async def ok(self, path: str, body: Body, who: Account | None = None) -> Any:
        return await ok(self.client, who or self.manager, self.org, path, body)

    async def fails(
        self, path: str, body: Body, status: int, code: str | None = None, reason: str | None = None,
        who: Account | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        return await fails(self.client, who or self.manager, self.org, path, body, status, code, reason)


def ids(page: Body) -> list[str]:
    return [item["id"] for item in page["items"]]


async def all_ids(client: httpx.AsyncClient, who: Account, org: str, path: str, body: Body | None = None) -> set[str]:
    """Every id of a paginated list, following `next_cursor`."""
    found: set[str] = set()
    cursor = None
    while True:
        page = await ok(client, who, org, path, {**(body or {}), "limit": 200, "cursor": cursor})
        found.update(ids(page))
        cursor = page["next_cursor"]
        if cursor is None:
            return found

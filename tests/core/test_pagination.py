"""Keyset pagination with the list contract: stable order, no repeats or gaps, opaque cursors."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.conftest import rpc
from tests.support.identity import Caller


async def make_notes(client: httpx.AsyncClient, caller: Caller, org: uuid.UUID, count: int) -> list[str]:
    ids = []
    for i in range(count):
        response = await client.post(
            rpc("testNote/v1/create"), json={"body": f"note {i}"}, headers=caller.headers(org, f"page-{i}")
        )
        ids.append(response.json()["data"]["id"])
    return ids


async def list_page(client: httpx.AsyncClient, caller: Caller, org: uuid.UUID, **body: object) -> httpx.Response:
    return await client.post(rpc("testNote/v1/list"), json=body, headers=caller.headers(org))


async def test_pages_walk_every_row_once_in_order(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    created = await make_notes(client, member, org, 7)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        data = (await list_page(client, member, org, limit=3, cursor=cursor)).json()["data"]
        seen.extend(item["id"] for item in data["items"])
        pages += 1
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == created
    assert pages == 3


async def test_rows_added_meanwhile_are_neither_skipped_nor_repeated(
    client: httpx.AsyncClient, member: Caller, org: uuid.UUID
) -> None:
    created = await make_notes(client, member, org, 4)
    first = (await list_page(client, member, org, limit=2)).json()["data"]
    later = await client.post(rpc("testNote/v1/create"), json={"body": "late"}, headers=member.headers(org, "late"))
    rest = (await list_page(client, member, org, limit=10, cursor=first["next_cursor"])).json()["data"]
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert ids == [*created, later.json()["data"]["id"]]
    assert rest["next_cursor"] is None


async def test_default_limit_and_empty_list(client: httpx.AsyncClient, member: Caller, org: uuid.UUID) -> None:
    data = (await list_page(client, member, org)).json()["data"]
    assert data == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("body", [{"limit": 0}, {"limit": 201}, {"cursor": "not-a-cursor"}, {"cursor": "WzFd"}])
async def test_bad_limits_and_cursors_are_validation_errors(
    client: httpx.AsyncClient, member: Caller, org: uuid.UUID, body: dict
) -> None:
    response = await list_page(client, member, org, **body)
    assert response.status_code == 400
    fields = [f["field"] for f in response.json()["error"]["field_errors"]]
    assert fields == (["/limit"] if "limit" in body else ["/cursor"])

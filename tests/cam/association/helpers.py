"""Shared calls for domain 1's HTTP tests: successful calls, expected errors, and record builders."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.support.accounts import Account, member_account, rpc

ADDRESS = {"line1": "1 Maple Way", "city": "Austin", "state": "TX", "postal_code": "78701"}


def suffix() -> str:
    return secrets.token_hex(4)


async def post(
    client: httpx.AsyncClient, who: Account, org: str | None, path: str, body: dict[str, Any] | None = None
) -> httpx.Response:
    return await client.post(rpc(path), json=body if body is not None else {}, headers=who.headers(org))


async def ok(
    client: httpx.AsyncClient, who: Account, org: str | None, path: str, body: dict[str, Any] | None = None
) -> Any:
    response = await post(client, who, org, path, body)
    assert response.status_code == 200, f"{path}: {response.text}"
    payload = response.json()
    assert payload["ok"] is True
    return payload["data"]


async def fails(
    client: httpx.AsyncClient,
    who: Account,
    org: str | None,
    path: str,
    body: dict[str, Any] | None,
    status: int,
    code: str,
    reason: str | None = None,
) -> dict[str, Any]:
    """Calls `path` expecting the error envelope with `status`/`code` (and `details.reason`); returns the error."""
    response = await post(client, who, org, path, body)
    assert response.status_code == status, f"{path}: {response.text}"
    payload = response.json()
    assert payload["ok"] is False, response.text
    error = payload["error"]
    assert error["code"] == code, response.text
    assert error["http_status"] == status
    if reason is not None:
        assert (error.get("details") or {}).get("reason") == reason, response.text
    return error


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


async def all_ids(
    client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict[str, Any] | None = None
) -> set[str]:
    """Every id of a paginated list, following `next_cursor`."""
    found: set[str] = set()
    cursor = None
    while True:
        page = await ok(client, who, org, path, {**(body or {}), "limit": 200, "cursor": cursor})
        found.update(ids(page))
        cursor = page["next_cursor"]
        if cursor is None:
            return found


async def association(client: httpx.AsyncClient, who: Account, org: str, name: str | None = None, **extra: Any) -> dict:
    return await ok(client, who, org, "association/v1/create", {"name": name or f"HOA {suffix()}", **extra})


async def property_(client: httpx.AsyncClient, who: Account, org: str, association_id: str, **extra: Any) -> dict:
    body = {"association_id": association_id, "name": f"Property {suffix()}", "address": ADDRESS, **extra}
    return await ok(client, who, org, "property/v1/create", body)


async def unit(client: httpx.AsyncClient, who: Account, org: str, property_id: str, number: str, **extra: Any) -> dict:
    body = {"property_id": property_id, "unit_number": number, "unit_type": "SINGLE_FAMILY", **extra}
    return await ok(client, who, org, "unit/v1/create", body)


async def person(
    client: httpx.AsyncClient, who: Account, org: str, first: str, last: str, user: Account | None = None
) -> dict:
    body: dict[str, Any] = {"party_type": "INDIVIDUAL", "first_name": first, "last_name": last}
    if user is not None:
        body["user_id"] = str(user.user_id)
    return await ok(client, who, org, "party/v1/create", body)


async def own(
    client: httpx.AsyncClient,
    who: Account,
    org: str,
    unit_id: str,
    party_id: str,
    percentage: str = "100",
    start: str = "2020-01-01",
    end: str | None = None,
) -> dict:
    body: dict[str, Any] = {"unit_id": unit_id, "party_id": party_id, "percentage": percentage, "start_date": start}
    if end is not None:
        body["end_date"] = end
    return await ok(client, who, org, "ownership/v1/create", body)


async def rent(
    client: httpx.AsyncClient, who: Account, org: str, unit_id: str, party_id: str, start: str = "2020-01-01"
) -> dict:
    body = {"unit_id": unit_id, "party_id": party_id, "start_date": start, "monthly_rent": "1250.00"}
    return await ok(client, who, org, "tenancy/v1/create", body)


async def linked_member(
    client: httpx.AsyncClient, admin: Account, org: str, roles: list[str], first: str, last: str
) -> tuple[Account, dict]:
    """A new member with `roles` and the party linked to that user."""
    user = await member_account(client, admin, org, roles)
    return user, await person(client, admin, org, first, last, user)


async def audit_actions(org: str, entity_id: str) -> list[str]:
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        rows = await session.execute(
            text("SELECT action FROM audit_events WHERE entity_id = :id ORDER BY created_at"), {"id": entity_id}
        )
        return [row[0] for row in rows.all()]

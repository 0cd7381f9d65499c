"""Record builders for domain 1's HTTP tests (the calls themselves are `tests.support.rpc`)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.support.accounts import Account, member_account
from tests.support.rpc import ok, suffix

ADDRESS = {"line1": "1 Maple Way", "city": "Austin", "state": "TX", "postal_code": "78701"}


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

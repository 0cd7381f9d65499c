"""Calling the running API the way a client does: register, log in, create organizations and records."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "bench-pass-2026"  # noqa: S105 - a throwaway account on a throwaway stack


@dataclass
class Caller:
    email: str
    token: str
    user_id: uuid.UUID

    def headers(self, org: uuid.UUID | str | None = None, *, mutation: bool = False) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if org is not None:
            headers["X-Org-Id"] = str(org)
        if mutation:
            headers["Idempotency-Key"] = secrets.token_hex(8)
        return headers


async def call(client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = await client.post(f"/api/v1/rpc/{path}", json=body, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text[:2000]}")
    return response.json()["data"]


async def account(client: httpx.AsyncClient, label: str) -> Caller:
    email = f"{label}-{secrets.token_hex(4)}@bench.example.com"
    await call(client, "auth/v1/register", {"email": email, "password": PASSWORD, "name": f"Bench {label}"}, {})
    data = await call(client, "auth/v1/login", {"email": email, "password": PASSWORD}, {})
    return Caller(email=email, token=data["token"], user_id=uuid.UUID(data["user"]["id"]))


async def mutate(client: httpx.AsyncClient, who: Caller, org: str | None, path: str, body: dict[str, Any]) -> Any:
    return await call(client, path, body, who.headers(org, mutation=True))


async def community_with_work_order(client: httpx.AsyncClient, who: Caller) -> dict[str, str]:
    """An organization (the caller its ADMIN), an association, a property, a unit and one submitted work order
    on that unit: the row `workOrder/v1/get` reads."""
    org = (
        await mutate(
            client,
            who,
            None,
            "organization/v1/create",
            {"name": "Bench Request Path HOA", "type": "COMMUNITY_ASSOCIATION"},
        )
    )["organization"]["id"]
    association = await mutate(client, who, org, "association/v1/create", {"name": "Bench Oaks HOA"})
    prop = await mutate(
        client,
        who,
        org,
        "property/v1/create",
        {
            "association_id": association["id"],
            "name": "Bench Oaks",
            "address": {"line1": "100 Bench Oaks Dr", "city": "Austin", "state": "TX", "postal_code": "78701"},
        },
    )
    unit = await mutate(
        client,
        who,
        org,
        "unit/v1/create",
        {"property_id": prop["id"], "unit_number": "12", "unit_type": "SINGLE_FAMILY"},
    )
    order = await mutate(
        client,
        who,
        org,
        "workOrder/v1/create",
        {
            "association_id": association["id"],
            "title": "Leaking irrigation valve",
            "description": "Water pooling by the north sidewalk since Monday; valve box 3 hisses.",
            "priority": "HIGH",
            "category": "IRRIGATION",
            "unit_id": unit["id"],
            "estimated_cost": "350.00",
            "submit": True,
        },
    )
    return {"org": org, "association": association["id"], "unit": unit["id"], "work_order": order["id"]}

"""Set-up for the pricebook's HTTP tests: a contractor on the platform (a SERVICE_PROVIDER organization with a
contractor profile) whose ADMIN keeps the pricebook, with a MANAGER, DISPATCHER, TECHNICIAN and VENDOR member, and
helpers that make versions, items and rules; an HOA that links the contractor to one of its associations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import AsManager, ok, suffix

ROLES = ("MANAGER", "DISPATCHER", "TECHNICIAN", "VENDOR")


@dataclass
class Pricebook(AsManager):
    """One contractor organization, its ADMIN (`manager`) and a member of each other role (`members`)."""

    client: httpx.AsyncClient
    manager: Account
    org: str
    members: dict[str, Account] = field(default_factory=dict)

    async def version(self, name: str | None = None) -> dict[str, Any]:
        return dict(await self.ok("pricebook/v1/createVersion", {"name": name or f"Book {suffix()}"}))

    async def item(self, version_id: str, **fields: Any) -> dict[str, Any]:
        body = {"version_id": version_id, "code": f"I-{suffix().upper()}", "name": "Drain cleaning",
                "kind": "SERVICE", "unit": "EACH", "cost": "40.00", "price": "100.00", **fields}  # fmt: skip
        return dict(await self.ok("pricebook/v1/createItem", body))

    async def category(self, name: str | None = None, parent: str | None = None) -> dict[str, Any]:
        body = {"name": name or f"Category {suffix()}", "parent_category_id": parent}
        return dict(await self.ok("pricebook/v1/createCategory", body))

    async def rule(self, kind: str, **fields: Any) -> dict[str, Any]:
        return dict(await self.ok("pricebook/v1/createRule", {"name": f"{kind} {suffix()}", "kind": kind, **fields}))

    async def active(self, version_id: str) -> dict[str, Any]:
        """Publishes and activates the version."""
        await self.ok("pricebook/v1/publishVersion", {"id": version_id})
        return dict(await self.ok("pricebook/v1/activateVersion", {"id": version_id}))

    async def price(self, items: list[tuple[str, str]], **fields: Any) -> dict[str, Any]:
        body = {"items": [{"code": c, "quantity": q} for c, q in items], **fields}
        return dict(await self.ok("pricebook/v1/price", body))

    async def audit_actions(self, entity_id: str) -> list[str]:
        """The audit trail's actions about one record, oldest first."""
        sql = "SELECT action FROM audit_events WHERE organization_id = :org AND entity_id = :id ORDER BY created_at, id"
        async with runtime.current().database.transaction(organization_id=uuid.UUID(self.org), user_id=None) as s:
            return [a for (a,) in (await s.execute(text(sql), {"org": self.org, "id": entity_id})).all()]


async def contractor(client: httpx.AsyncClient, label: str = "Pipes") -> Pricebook:
    admin = await account(client)
    org = str((await organization(client, admin, f"{label} {suffix()}", "SERVICE_PROVIDER"))["id"])
    await ok(client, admin, org, "contractor/profile/v1/upsert", {"legal_name": f"{label} LLC", "trades": ["PLUMBING"]})
    book = Pricebook(client, admin, org)
    for role in ROLES:
        book.members[role] = await member_account(client, admin, org, [role])
    return book


@dataclass
class Hoa:
    """A community association organization with one association, which links the contractors it is given."""

    client: httpx.AsyncClient
    admin: Account
    org: str
    association_id: str

    async def link(self, book: Pricebook) -> None:
        body = {"association_id": self.association_id, "provider_organization_id": book.org, "provider_name": "Pipes"}
        await ok(self.client, self.admin, self.org, "serviceProvider/v1/link", body)


async def hoa(client: httpx.AsyncClient, label: str = "Sunset") -> Hoa:
    admin = await account(client)
    org = str((await organization(client, admin, f"{label} HOA {suffix()}"))["id"])
    association = await ok(client, admin, org, "association/v1/create", {"name": f"{label} {suffix()}"})
    return Hoa(client, admin, org, str(association["id"]))

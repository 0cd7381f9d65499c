"""Set-up for the owner portal's payment tests: an association (its books) with two owners who have accounts and
linked parties (Olive owns unit 1, Nick the neighbour owns unit 2), a tenant renting unit 1, a manager, a director
seated on the association's board, and a way to read what the database holds (tokens, gateway records)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.accounting.helpers import Books, books
from tests.cam.association.helpers import linked_member, own, rent
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import fails, ok, suffix

P = "portal/payment/v1/"
NEXT_YEAR = date.today().year + 1


@dataclass
class Owner:
    who: Account
    party: str
    unit: str


@dataclass
class Community:
    hoa: Books
    manager: Account
    director: Account
    olive: Owner
    nick: Owner
    tenant: Account

    @property
    def client(self) -> httpx.AsyncClient:
        return self.hoa.client

    @property
    def org(self) -> str:
        return self.hoa.org

    @property
    def association_id(self) -> str:
        return self.hoa.association_id

    async def ok(self, who: Account, name: str, body: dict[str, Any] | None = None) -> Any:
        return await ok(self.client, who, self.org, P + name, body or {})

    async def fails(
        self, who: Account, name: str, body: dict[str, Any], status: int, code: str | None = None,
        reason: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        return await fails(self.client, who, self.org, P + name, body, status, code, reason)

    async def card(self, owner: Owner, **fields: Any) -> dict[str, Any]:
        return await self.ok(owner.who, "addMethod", card(owner.party, **fields))

    async def bank(self, owner: Owner, **fields: Any) -> dict[str, Any]:
        return await self.ok(owner.who, "addMethod", bank(owner.party, **fields))

    async def enrol(self, owner: Owner, method_id: str, **fields: Any) -> dict[str, Any]:
        body = {"unit_id": owner.unit, "payment_method_id": method_id, "day_of_month": 5, **fields}
        return await self.ok(owner.who, "enrolAutopay", body)

    async def records(self, who: Account | None = None, **filters: Any) -> list[dict[str, Any]]:
        page = await self.ok(who or self.manager, "gatewayRecords", {"limit": 200, **filters})
        return list(page["items"])


def checkout_token(kind: str = "CARD", mark: str = "") -> str:
    return f"{'tok' if kind == 'CARD' else 'btok'}_{mark}{secrets.token_hex(8)}"


def card(party: str, **fields: Any) -> dict[str, Any]:
    body = {
        "party_id": party, "kind": "CARD", "token": checkout_token(), "last4": "4242", "brand": "VISA",
        "exp_month": 12, "exp_year": NEXT_YEAR + 2,
    }  # fmt: skip
    return {**body, **fields}


def bank(party: str, **fields: Any) -> dict[str, Any]:
    body = {
        "party_id": party, "kind": "ACH", "token": checkout_token("ACH"), "last4": "6789",
        "bank_name": "First Texas Bank", "account_type": "CHECKING",
    }  # fmt: skip
    return {**body, **fields}


async def community(client: httpx.AsyncClient, label: str = "Pay") -> Community:
    admin = await account(client)
    org = (await organization(client, admin, f"{label} HOA {suffix()}"))["id"]
    hoa = await books(client, admin, org)
    manager = await member_account(client, admin, org, ["MANAGER"])
    director = await member_account(client, admin, org, ["BOARD_MEMBER"])
    owners = []
    for first in ("Olive", "Nick"):
        who, party = await linked_member(client, admin, org, ["OWNER"], first, f"Owner {suffix()}")
        unit = await hoa.unit()
        await own(client, admin, org, unit["id"], party["id"])
        owners.append(Owner(who, party["id"], unit["id"]))
    tenant, tenant_party = await linked_member(client, admin, org, ["TENANT"], "Tess", "Tenant")
    await rent(client, admin, org, owners[0].unit, tenant_party["id"])
    board = {"association_id": hoa.association_id, "name": "Board of Directors", "seat_count": 3}
    board_id = (await hoa.ok("governance/board/v1/create", board))["id"]
    seat = {"board_id": board_id, "position": "PRESIDENT", "user_id": str(director.user_id), "term_start": "2024-01-01"}
    await hoa.ok("governance/board/v1/fillSeat", seat)
    return Community(hoa, manager, director, owners[0], owners[1], tenant)


async def rows(org: str, sql: str, **params: Any) -> list[Any]:
    """What the database holds, in the organization's scope (RLS applies)."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return list((await session.execute(text(sql), params)).all())


async def stored_token(org: str, method_id: str) -> str:
    found = await rows(org, "SELECT provider_token FROM payment_methods WHERE id = :id", id=method_id)
    return str(found[0][0])


async def messages(org: str, template: str) -> list[Any]:
    return await rows(
        org,
        "SELECT recipient, payload, dedupe_key FROM outbound_messages WHERE organization_id = :o AND template = :t "
        "ORDER BY created_at",
        o=org,
        t=template,
    )

"""Set-up for the estimates' HTTP tests: a roofing contractor on the platform (profile, licence, insurance) whose
ADMIN keeps an ACTIVE pricebook (labour, shingles, flashing, underlayment; a "Roof leak repair" template), with a
MANAGER, DISPATCHER, VENDOR and TECHNICIAN member; an HOA (a management company with an association) that links it
and asks it to bid on a work order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.cam.work_order.helpers import community, link, new_order
from tests.support.accounts import Account, account, member_account, organization
from tests.support.contractors import contractor_profile
from tests.support.rpc import AsManager, fails, ok, suffix

ROLES = ("MANAGER", "DISPATCHER", "VENDOR", "TECHNICIAN")
ITEMS = (
    {"code": "LABOR-HR", "name": "Roofer labour", "kind": "LABOR", "unit": "HOUR", "price": "95.00", "taxable": False},
    {"code": "SHINGLE-BDL", "name": "Architectural shingles", "kind": "MATERIAL", "unit": "EACH", "price": "42.50"},
    {"code": "FLASH-KIT", "name": "Flashing kit", "kind": "MATERIAL", "unit": "EACH", "price": "68.00"},
    {"code": "UNDERLAY-ROLL", "name": "Synthetic underlayment", "kind": "MATERIAL", "unit": "ROLL", "price": "89.99"},
)
TEMPLATE_ITEMS = ({"code": "LABOR-HR", "quantity": "3"}, {"code": "SHINGLE-BDL", "quantity": "2"},
                  {"code": "FLASH-KIT", "quantity": "1"})  # fmt: skip
# the template: 3 h x 95.00 (not taxable) + 2 x 42.50 + 68.00 (taxable: 153.00) = 438.00


@dataclass
class Shop(AsManager):
    """One roofing contractor, its ADMIN (`manager`), a member of each other role, its ACTIVE version and template."""

    client: httpx.AsyncClient
    manager: Account
    org: str
    members: dict[str, Account] = field(default_factory=dict)
    version_id: str = ""
    template_id: str = ""

    async def estimate(self, **fields: Any) -> dict[str, Any]:
        """A DRAFT estimate for a new customer with GOOD (the template) and BEST (the template + underlayment)."""
        if not any(k in fields for k in ("job_id", "bid_id", "customer_id")):
            fields["customer_id"] = (await self.customer())["id"]
        body = {"options": [self.option("Good", "GOOD"), self.option("Best", "BEST", extra=2)], **fields}
        return dict(await self.ok("estimate/v1/generate", body))

    def option(self, name: str, tier: str | None = None, *, extra: int = 0, discount: str = "0") -> dict[str, Any]:
        items = [{"code": "UNDERLAY-ROLL", "quantity": str(extra)}] if extra else []
        return {"name": name, "tier": tier, "template_id": self.template_id, "items": items,
                "discount_percent": discount}  # fmt: skip

    async def customer(self) -> dict[str, Any]:
        body = {"name": f"Dana Homeowner {suffix()}", "email": f"dana.{suffix()}@example.com",
                "address": "12 Creek Rd, San Antonio, TX", "zip_code": "78258"}  # fmt: skip
        return dict(await self.ok("customer/v1/create", body))

    async def sent(self, **fields: Any) -> dict[str, Any]:
        made = await self.estimate(**fields)
        return dict(await self.ok("estimate/v1/send", {"id": made["id"], "message": "As discussed."}))


async def shop(client: httpx.AsyncClient, label: str = "Roofing") -> Shop:
    admin = await account(client)
    org = str((await organization(client, admin, f"{label} {suffix()}", "SERVICE_PROVIDER"))["id"])
    await contractor_profile(client, admin, org, trades=("ROOFING", "PLUMBING"), zip_codes=("78258",))
    found = Shop(client, admin, org)
    for role in ROLES:
        found.members[role] = await member_account(client, admin, org, [role])
    version = await found.ok("pricebook/v1/createVersion", {"name": f"Roofing {suffix()}"})
    found.version_id = str(version["id"])
    for item in ITEMS:
        await found.ok("pricebook/v1/createItem", {"version_id": found.version_id, "cost": "10.00", **item})
    template = await found.ok("pricebook/v1/createTemplate", {
        "version_id": found.version_id, "name": "Roof leak repair", "trade": "ROOFING", "items": list(TEMPLATE_ITEMS),
        "steps": [{"text": "Photograph the leak"}, {"text": "Replace the flashing"}],
    })  # fmt: skip
    found.template_id = str(template["id"])
    await found.ok("pricebook/v1/publishVersion", {"id": found.version_id})
    await found.ok("pricebook/v1/activateVersion", {"id": found.version_id})
    return found


@dataclass
class Hoa:
    """A management company's manager (its ADMIN) with an association linked to the shop."""

    client: httpx.AsyncClient
    manager: Account
    org: str
    association_id: str

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await ok(self.client, who or self.manager, self.org, path, body)

    async def fails_call(self, path: str, body: dict[str, Any], status: int, code: str | None = None,
                         reason: str | None = None) -> dict[str, Any]:  # fmt: skip
        return await fails(self.client, self.manager, self.org, path, body, status, code, reason)

    async def bid_request(self, provider_org: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """A roof work order of the association, triaged and put out to bid to `provider_org`: (work order, the bid)."""
        order = await new_order(self.client, self.manager, self.org, self.association_id, category="ROOFING",
                                title=f"Roof leak over unit 7 {suffix()}")  # fmt: skip
        await self.ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
        bids = await self.ok("bid/v1/requestBids", {"work_order_id": order["id"],
                                                     "provider_organization_ids": [provider_org]})  # fmt: skip
        return dict(order), dict(bids["items"][0])


async def hoa(client: httpx.AsyncClient, *providers: Shop) -> Hoa:
    manager, org, association, _ = await community(client)
    for provider in providers:
        await link(client, manager, org, association["id"], provider.org)
    return Hoa(client, manager, org, str(association["id"]))

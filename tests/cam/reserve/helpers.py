"""Set-up for domain 11's HTTP tests: an association (its chart of accounts seeded) with reserve components."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.accounts import Account, account, organization
from tests.support.rpc import AsManager, ok, suffix

ROOF = {"name": "Roof", "category": "ROOFING", "useful_life_years": 20, "remaining_life_years": 5,
        "replacement_cost": "100000.00"}  # fmt: skip
PAINT = {"name": "Paint", "category": "PAINTING", "useful_life_years": 10, "remaining_life_years": 10,
         "replacement_cost": "20000.00"}  # fmt: skip


@dataclass
class Reserve(AsManager):
    """One association of one organization, its manager (the organization's ADMIN) and its chart by number."""

    client: httpx.AsyncClient
    manager: Account
    org: str
    association_id: str
    chart: dict[str, str] = field(default_factory=dict)  # account number → id

    async def component(self, **fields: Any) -> dict[str, Any]:
        return await self.ok("reserve/component/v1/create", {"association_id": self.association_id, **fields})

    def study_body(self, **fields: Any) -> dict[str, Any]:
        return {
            "association_id": self.association_id, "study_date": "2026-01-01", "preparer": "Acme Reserve Consultants",
            "level": "FULL", "inflation_rate": "0.03", "interest_rate": "0.01", **fields,
        }  # fmt: skip

    async def study(self, **fields: Any) -> dict[str, Any]:
        return await self.ok("reserve/study/v1/create", self.study_body(**fields))


async def reserve(c: httpx.AsyncClient, label: str = "Reserve") -> Reserve:
    manager = await account(c)
    org = (await organization(c, manager, f"{label} HOA {suffix()}"))["id"]
    association = await ok(c, manager, org, "association/v1/create", {"name": f"{label} {suffix()}"})
    made = Reserve(c, manager, org, association["id"])
    chart = await made.ok("accounting/glAccount/v1/list", {"association_id": association["id"], "limit": 200})
    made.chart = {a["account_number"]: a["id"] for a in chart["items"]}
    return made

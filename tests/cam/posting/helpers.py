"""Set-up for posting's tests: an association's books with units, dues, an owner, and a wait for a run."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.cam.accounting.helpers import Books, books
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import suffix


@dataclass
class Place:
    """An organization with one association (its books), `count` units and an owner of the first unit."""

    hoa: Books
    units: list[dict[str, Any]]
    owner: Account
    owner_party: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def org(self) -> str:
        return self.hoa.org

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await self.hoa.ok(path, body, who)

    async def fails(self, path: str, body: dict[str, Any], status: int, code: str | None = None,
                    reason: str | None = None, who: Account | None = None) -> dict[str, Any]:  # fmt: skip
        return await self.hoa.fails(path, body, status, code, reason, who)

    async def run_done(self, run_id: str, within: float = 30) -> dict[str, Any]:
        """The run once COMPLETED (read through `get`, as a manager would follow it)."""
        deadline = time.monotonic() + within
        while True:
            run: dict[str, Any] = await self.ok("accounting/posting/v1/get", {"id": run_id})
            if run["status"] == "COMPLETED":
                return run
            assert time.monotonic() < deadline, run
            await asyncio.sleep(0.1)

    async def charges(self, type_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = await self.ok(
                "accounting/assessment/v1/listCharges",
                {"association_id": self.hoa.association_id, "limit": 200, "cursor": cursor},
            )
            found += [c for c in page["items"] if c["assessment_type_id"] == type_id]
            cursor = page["next_cursor"]
            if cursor is None:
                return found


async def place(client: httpx.AsyncClient, count: int = 5, **association: Any) -> Place:
    admin = await account(client)
    org = (await organization(client, admin, f"Posting HOA {suffix()}"))["id"]
    hoa = await books(client, admin, org, **association)
    units = [await hoa.unit(f"{n:03d}") for n in range(1, count + 1)]
    owner = await member_account(client, admin, org, ["OWNER"])
    party = await hoa.ok(
        "party/v1/create",
        {"party_type": "INDIVIDUAL", "first_name": "Olive", "last_name": "Owner", "user_id": str(owner.user_id)},
    )
    await hoa.ok(
        "ownership/v1/create",
        {"unit_id": units[0]["id"], "party_id": party["id"], "percentage": "100", "start_date": "2020-01-01"},
    )
    return Place(hoa, units, owner, party)

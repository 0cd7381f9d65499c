"""Set-up for domain 8's HTTP tests: an association with units of uneven shares and weights, owners with accounts,
a manager (the organization's ADMIN) and a board of directors whose seats are held by BOARD_MEMBERs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.cam.association.helpers import association, own, person, property_, unit
from tests.cam.governance.conftest import DAY_SECONDS
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import fails, ok, suffix

UNITS = (("101", "0.123457", "1.0000"), ("102", "0.300000", "2.0000"), ("103", "0.200000", "1.0000"), ("104", "0.376543", "3.0000"))
"""(unit number, assessment share, voting weight): uneven on purpose."""


def after_days(days: float) -> str:
    """An aware time `days` governance days from now (a day lasts DAY_SECONDS in tests)."""
    return (datetime.now(UTC) + timedelta(seconds=days * DAY_SECONDS)).isoformat()


@dataclass
class Community:
    client: httpx.AsyncClient
    manager: Account
    org: str
    association_id: str
    board_id: str
    directors: list[Account]
    seats: list[str]
    owners: list[Account]
    units: list[dict[str, Any]] = field(default_factory=list)

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await ok(self.client, who or self.manager, self.org, path, body)

    async def fails(
        self, path: str, body: dict[str, Any], status: int, code: str | None = None, reason: str | None = None,
        who: Account | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        return await fails(self.client, who or self.manager, self.org, path, body, status, code, reason)

    async def schedule(self, kind: str = "BOARD", days: float = 5, **fields: Any) -> dict[str, Any]:
        body = {"association_id": self.association_id, "kind": kind, "title": f"{kind.title()} meeting {suffix()}",
                "starts_at": after_days(days), "location": "Clubhouse", **fields}  # fmt: skip
        return await self.ok("governance/meeting/v1/schedule", body)

    async def until(self, meeting_id: str, status: str, timeout: float = 20.0) -> dict[str, Any]:
        """Waits for the lifecycle to move the meeting to `status`."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            meeting = await self.ok("governance/meeting/v1/get", {"id": meeting_id})
            if meeting["status"] == status:
                return meeting
            assert asyncio.get_running_loop().time() < deadline, f"meeting stayed {meeting['status']}"
            await asyncio.sleep(0.1)


async def community(c: httpx.AsyncClient, label: str = "Gov", directors: int = 3) -> Community:
    manager = await account(c)
    org = (await organization(c, manager, f"{label} Mgmt {suffix()}"))["id"]
    assoc = await association(c, manager, org, f"{label} HOA {suffix()}")
    prop = await property_(c, manager, org, assoc["id"])
    owners, units = [], []
    for number, share, weight in UNITS:
        row = await unit(c, manager, org, prop["id"], number, assessment_share=share, voting_weight=weight)
        owner = await member_account(c, manager, org, ["OWNER"])
        party = await person(c, manager, org, "Owner", number, owner)
        await own(c, manager, org, row["id"], party["id"])
        owners.append(owner)
        units.append(row)
    board = await ok(c, manager, org, "governance/board/v1/create",
                     {"association_id": assoc["id"], "name": "Board of Directors", "seat_count": directors})  # fmt: skip
    people, seats = [], []
    for index, position in enumerate(["PRESIDENT", "TREASURER", "SECRETARY", "DIRECTOR", "DIRECTOR"][:directors]):
        director = await member_account(c, manager, org, ["OWNER"]) if index else owners[0]
        seat = await ok(c, manager, org, "governance/board/v1/fillSeat",
                        {"board_id": board["id"], "position": position, "user_id": str(director.user_id),
                         "term_start": "2025-01-01"})  # fmt: skip
        people.append(director)
        seats.append(seat["id"])
    return Community(c, manager, org, assoc["id"], board["id"], people, seats, owners, units)

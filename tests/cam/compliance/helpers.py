"""Set-up for domain 12's HTTP tests: an association of its own organization, with its admin as the manager and a
board member, and requirements written by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx

from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import AsManager, ok, suffix


def today() -> date:
    return datetime.now(UTC).date()


@dataclass
class Compliance(AsManager):
    """One association of one organization, its manager (the organization's ADMIN) and a board member."""

    client: httpx.AsyncClient
    manager: Account
    board: Account
    org: str
    association_id: str

    def requirement_body(self, **fields: Any) -> dict[str, Any]:
        return {
            "association_id": self.association_id, "code": f"REQ_{suffix().upper()}", "title": "Annual filing",
            "kind": "STATUTORY_DEADLINE", "reference": "Test Code § 1", "rrule": "FREQ=YEARLY",
            "anchor_date": "2020-03-31", "lead_days": 30, **fields,
        }  # fmt: skip

    async def requirement(self, **fields: Any) -> dict[str, Any]:
        return await self.ok("compliance/requirement/v1/create", self.requirement_body(**fields))

    async def association(self) -> str:
        """Another association of the same organization."""
        return str((await self.ok("association/v1/create", {"name": f"Other {suffix()}"}))["id"])

    async def document(self, association_id: str | None = None, who: Account | None = None) -> str:
        """A document of the association (uploaded through document/v1/upload, a real PDF)."""
        scope = {"type": "ASSOCIATION", "association_id": association_id or self.association_id}
        body = {"title": f"Filing {suffix()}", "category": "RULES", "visibility": "MANAGERS", "scope": scope}
        return str((await self.ok("document/v1/upload", body, who))["id"])

    async def deadlines(self, requirement_id: str, through: date) -> list[dict[str, Any]]:
        await self.ok(
            "compliance/deadline/v1/generate", {"association_id": self.association_id, "through": through.isoformat()}
        )
        listed = await self.ok("compliance/deadline/v1/list", {"requirement_id": requirement_id, "limit": 200})
        return sorted(listed["items"], key=lambda d: d["due_on"])


async def compliance(c: httpx.AsyncClient, label: str = "Compliance") -> Compliance:
    manager = await account(c)
    org = (await organization(c, manager, f"{label} HOA {suffix()}"))["id"]
    board = await member_account(c, manager, org, ["BOARD_MEMBER"])
    association = await ok(c, manager, org, "association/v1/create", {"name": f"{label} {suffix()}"})
    await seat_on_board(c, manager, org, association["id"], board)
    return Compliance(c, manager, board, org, association["id"])

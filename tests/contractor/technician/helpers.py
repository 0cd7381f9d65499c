"""Set-up for the workforce's HTTP tests: a contractor on the platform (a SERVICE_PROVIDER organization with a
contractor profile and current general liability insurance) with two branches, its admin as the manager, and
members made technicians."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import AsManager, ok, suffix

INSURANCE = {
    "kind": "GENERAL_LIABILITY", "carrier": "Lone Star Mutual", "policy_number": "GL-1",
    "per_occurrence_limit": "1000000.00", "aggregate_limit": "2000000.00", "expires_on": "2099-12-31",
}  # fmt: skip
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


@dataclass
class Workforce(AsManager):
    """One contractor organization, its ADMIN (`manager`) and two branches (`branches`: North, South)."""

    client: httpx.AsyncClient
    manager: Account
    org: str
    branches: dict[str, str] = field(default_factory=dict)

    async def member(self, roles: list[str]) -> Account:
        return await member_account(self.client, self.manager, self.org, roles)

    async def technician(self, who: Account | None = None, **fields: Any) -> dict[str, Any]:
        """A new TECHNICIAN member (or `who`) made a technician of the North branch."""
        person = who or await self.member(["TECHNICIAN"])
        body = {"user_id": str(person.user_id), "display_name": f"Tech {suffix()}",
                "branch_id": self.branches["North"], **fields}  # fmt: skip
        return dict(await self.ok("technician/v1/create", body))

    async def ready(self, **fields: Any) -> dict[str, Any]:
        """A technician who can take a plumbing job in 78258 on a weekday between 08:00 and 17:00 (Chicago)."""
        made = await self.technician(**fields)
        await self.ok("technician/v1/addSkill", {"id": made["id"], "trade": "PLUMBING", "level": "JOURNEYMAN"})
        shifts = [{"weekday": d, "start_time": "08:00", "end_time": "17:00"} for d in WEEKDAYS]
        await self.ok("technician/v1/setShifts", {"id": made["id"], "shifts": shifts})
        return dict(await self.ok("technician/v1/setTerritory", {"id": made["id"], "zip_codes": ["78258", "78701"]}))

    async def audit_actions(self, entity_id: str) -> list[str]:
        """The audit trail's actions about one record, oldest first."""
        sql = "SELECT action FROM audit_events WHERE organization_id = :org AND entity_id = :id ORDER BY created_at, id"
        async with runtime.current().database.transaction(organization_id=uuid.UUID(self.org), user_id=None) as s:
            return [a for (a,) in (await s.execute(text(sql), {"org": self.org, "id": entity_id})).all()]


async def contractor(client: httpx.AsyncClient, label: str = "Pipes", *, insured: bool = True) -> Workforce:
    admin = await account(client)
    org = str((await organization(client, admin, f"{label} {suffix()}", "SERVICE_PROVIDER"))["id"])
    await ok(client, admin, org, "contractor/profile/v1/upsert", {"legal_name": f"{label} LLC", "trades": ["PLUMBING"]})
    if insured:
        await ok(client, admin, org, "contractor/insurance/v1/add", INSURANCE)
    force = Workforce(client, admin, org)
    for name in ("North", "South"):
        branch = await ok(client, admin, org, "contractor/branch/v1/create", {"name": name})
        force.branches[name] = str(branch["id"])
    return force

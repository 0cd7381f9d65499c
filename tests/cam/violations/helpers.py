"""Set-up for domain 4's HTTP tests: an association with a unit and its owner (an account), a violation type,
and a clock where a day lasts a fraction of a second (`VIOLATION_DAY_SECONDS`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.cam.association.helpers import linked_member, own
from tests.cam.work_order.helpers import ADDRESS
from tests.support.accounts import Account, account, organization
from tests.support.rpc import ok, suffix


@dataclass
class Community:
    manager: Account  # ADMIN of the organization (also records board decisions)
    org: str
    association: dict
    unit: dict
    owner: Account  # owns `unit`, a party with an email on file
    vtype: dict  # TRASH_CANS: fines 50 first, 100 repeat, 10 daily, cap 500

    def sighting(self, description: str, **fields: Any) -> dict[str, Any]:
        """A `violation/v1/create` body: the type on the unit, seen now."""
        return {
            "association_id": self.association["id"], "unit_id": self.unit["id"], "violation_type_id": self.vtype["id"],
            "description": description, "observed_at": datetime.now(UTC).isoformat(), **fields,
        }  # fmt: skip


async def community(c: httpx.AsyncClient, **type_fields: Any) -> Community:
    manager = await account(c)
    org = (await organization(c, manager, f"Violations HOA {suffix()}"))["id"]
    association = await ok(c, manager, org, "association/v1/create", {"name": f"Maple {suffix()}"})
    body = {"association_id": association["id"], "name": "Maple Court", "address": ADDRESS}
    prop = await ok(c, manager, org, "property/v1/create", body)
    unit_body = {"property_id": prop["id"], "unit_number": "12", "unit_type": "SINGLE_FAMILY"}
    unit = await ok(c, manager, org, "unit/v1/create", unit_body)
    owner, party = await linked_member(c, manager, org, ["OWNER"], "Trish", "Cans")
    await own(c, manager, org, unit["id"], party["id"])
    vtype = await ok(
        c, manager, org, "violationType/v1/create",
        {"association_id": association["id"], "code": "TRASH_CANS", "name": "Trash cans left out",
         "category": "MAINTENANCE", "rule_reference": "Rules 6.2", "fine_first": "50.00", "fine_repeat": "100.00",
         "fine_daily": "10.00", "fine_cap": "500.00", **type_fields},
    )  # fmt: skip
    return Community(manager, org, association, unit, owner, vtype)


async def wait_for_status(
    c: httpx.AsyncClient, who: Account, org: str, violation_id: str, status: str, seconds: float = 30
) -> dict:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await ok(c, who, org, "violation/v1/get", {"id": violation_id})
        if found["status"] == status:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"{violation_id} stayed {found['status']}"
        await asyncio.sleep(0.1)

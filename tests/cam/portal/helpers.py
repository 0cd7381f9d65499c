"""Set-up for the owner portal's HTTP tests: an organization (its ADMIN is the manager) with two associations; in the
first, two owned units whose owners have accounts and linked parties, a tenant, an entry gate, and a board member
seated on its board; a photo to send."""

from __future__ import annotations

import base64
import io
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.association.helpers import association, own, person, property_, rent, unit
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import AsManager, ok, suffix


def photo_bytes() -> bytes:
    image = Image.frombytes("RGB", (32, 24), os.urandom(32 * 24 * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def attachment(name: str = "gate.png", content: bytes | None = None) -> dict[str, str]:
    return {"file_name": name, "content_base64": base64.b64encode(content or photo_bytes()).decode()}


@dataclass
class Owner:
    account: Account
    party_id: str
    unit_id: str


@dataclass
class Portal(AsManager):
    client: httpx.AsyncClient
    manager: Account
    org: str
    association_id: str
    other_association_id: str
    owner: Owner
    neighbour: Owner
    tenant: Account
    tenant_party_id: str
    gate_id: str
    other_gate_id: str
    board: Account
    extra: dict[str, Any] = field(default_factory=dict)

    async def ask(self, who: Owner | None = None, **fields: Any) -> dict[str, Any]:
        """A request by `who` (the owner by default) about their unit."""
        asker = who or self.owner
        body = {
            "association_id": self.association_id, "category": "MAINTENANCE", "subject": f"Leak {suffix()}",
            "description": "Water under the sink.", "unit_id": asker.unit_id, **fields,
        }  # fmt: skip
        return await self.ok("portal/request/v1/create", body, asker.account)


async def portal(c: httpx.AsyncClient, label: str = "Portal") -> Portal:
    manager = await account(c)
    org = str((await organization(c, manager, f"{label} HOA {suffix()}"))["id"])
    assoc = await association(c, manager, org, f"{label} Ridge {suffix()}")
    other = await association(c, manager, org, f"{label} Creek {suffix()}")
    prop = await property_(c, manager, org, assoc["id"])
    other_prop = await property_(c, manager, org, other["id"])
    owners = []
    for number, first in (("14", "Olivia"), ("15", "Nate")):
        lot = await unit(c, manager, org, prop["id"], number)
        user = await member_account(c, manager, org, ["OWNER"])
        party = await person(c, manager, org, first, "Owner", user)
        await own(c, manager, org, lot["id"], party["id"])
        owners.append(Owner(user, party["id"], lot["id"]))
    tenant = await member_account(c, manager, org, ["TENANT"])
    tenant_party = await person(c, manager, org, "Tia", "Tenant", tenant)
    await rent(c, manager, org, owners[1].unit_id, tenant_party["id"])
    area = {"name": "Entry Gate", "area_type": "GATE", "property_id": prop["id"]}
    gate = await ok(c, manager, org, "commonArea/v1/create", {"association_id": assoc["id"], **area})
    area = {"name": "Entry Gate", "area_type": "GATE", "property_id": other_prop["id"]}
    other_gate = await ok(c, manager, org, "commonArea/v1/create", {"association_id": other["id"], **area})
    board = await member_account(c, manager, org, ["OWNER"])
    body = {"association_id": assoc["id"], "name": "Board of Directors", "seat_count": 3}
    seats = await ok(c, manager, org, "governance/board/v1/create", body)
    seat = {"board_id": seats["id"], "position": "PRESIDENT", "user_id": str(board.user_id), "term_start": "2024-01-01"}
    await ok(c, manager, org, "governance/board/v1/fillSeat", seat)
    return Portal(
        c, manager, org, assoc["id"], other["id"], owners[0], owners[1], tenant, tenant_party["id"], gate["id"],
        other_gate["id"], board,
    )  # fmt: skip


async def outbox(org: str, entity_id: str) -> list[tuple[str, str, str, str]]:
    """(template, channel, recipient, dedupe key) of every message about the record, oldest first."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        rows = await session.execute(
            text(
                "SELECT template, channel, recipient, dedupe_key FROM outbound_messages WHERE entity_id = :id "
                "ORDER BY created_at, template, channel, recipient"
            ),
            {"id": entity_id},
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows.all()]


async def scalar(org: str, sql: str, **params: Any) -> Any:
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return (await session.execute(text(sql), params)).scalar()

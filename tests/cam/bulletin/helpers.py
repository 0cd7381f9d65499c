"""Set-up for the bulletin's HTTP tests: an association with owners (accounts), a tenant, a seated director and a
common area; a second association of the same organization with its own owner and common area."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.association.helpers import association, own, person, property_, rent, unit
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import AsManager, all_ids, ok, suffix

ANNOUNCEMENT = "communication/announcement/v1"
EVENT = "calendar/event/v1"


def moment(**delta: float) -> str:
    """An aware time `delta` (days=, hours=, seconds=) from now, ISO."""
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


@dataclass
class Community(AsManager):
    client: httpx.AsyncClient
    manager: Account  # ADMIN of the organization
    org: str
    association_id: str
    owners: list[Account]  # each owns a unit of the association (owner 0 two of them)
    parties: list[str]  # the owners' parties
    tenant: Account  # rents owner 1's unit
    director: Account  # seated on the association's board (a BOARD_MEMBER who owns nothing)
    area_id: str  # the association's pool
    other_association_id: str
    other_owner: Account  # owns a unit of the other association only
    other_area_id: str

    async def listed(self, path: str, body: dict[str, Any] | None = None, who: Account | None = None) -> set[str]:
        return await all_ids(self.client, who or self.manager, self.org, path, body)

    async def announcement(self, publish: bool = True, **fields: Any) -> dict[str, Any]:
        body = {"association_id": self.association_id, "title": f"Notice {suffix()}", "body": "Pool opens Saturday.",
                "publish": publish, **fields}  # fmt: skip
        return dict(await self.ok(f"{ANNOUNCEMENT}/create", body))

    async def event(self, **fields: Any) -> dict[str, Any]:
        start = datetime(2030, 3, 5, 19, tzinfo=UTC)
        body = {"association_id": self.association_id, "title": f"Event {suffix()}", "event_type": "SOCIAL",
                "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
                **fields}  # fmt: skip
        return dict(await self.ok(f"{EVENT}/create", body))


async def owner_of(
    c: httpx.AsyncClient, manager: Account, org: str, property_id: str, label: str
) -> tuple[Account, str]:
    """A new OWNER member owning a new unit of the property; the account and its party."""
    lot = await unit(c, manager, org, property_id, f"{label}-{suffix()}")
    owner = await member_account(c, manager, org, ["OWNER"])
    party = await person(c, manager, org, "Owner", label, owner)
    await own(c, manager, org, lot["id"], party["id"])
    return owner, party["id"]


async def pool(c: httpx.AsyncClient, manager: Account, org: str, association_id: str) -> str:
    body = {"association_id": association_id, "name": f"Pool {suffix()}", "area_type": "POOL", "reservable": False}
    return str((await ok(c, manager, org, "commonArea/v1/create", body))["id"])


async def community(c: httpx.AsyncClient, label: str = "Bulletin") -> Community:
    manager = await account(c)
    org = str((await organization(c, manager, f"{label} Mgmt {suffix()}"))["id"])
    assoc = await association(c, manager, org, f"{label} HOA {suffix()}")
    prop = await property_(c, manager, org, assoc["id"])
    owners, parties = [], []
    for number in ("1", "2", "3"):
        owner, party = await owner_of(c, manager, org, prop["id"], number)
        owners.append(owner)
        parties.append(party)
    second = await unit(c, manager, org, prop["id"], f"1B-{suffix()}")  # owner 0 owns two units
    await own(c, manager, org, second["id"], parties[0])
    rented = await unit(c, manager, org, prop["id"], f"R-{suffix()}")
    tenant = await member_account(c, manager, org, ["TENANT"])
    renter = await person(c, manager, org, "Tenant", "Renter", tenant)
    await rent(c, manager, org, rented["id"], renter["id"])
    director = await member_account(c, manager, org, ["OWNER"])
    await seat_on_board(c, manager, org, assoc["id"], director)
    other = await association(c, manager, org, f"{label} Annex {suffix()}")
    other_prop = await property_(c, manager, org, other["id"])
    other_owner, _ = await owner_of(c, manager, org, other_prop["id"], "X")
    return Community(
        c, manager, org, assoc["id"], owners, parties, tenant, director, await pool(c, manager, org, assoc["id"]),
        other["id"], other_owner, await pool(c, manager, org, other["id"]),
    )  # fmt: skip


async def outbound(org: str, entity_id: str) -> list[dict[str, Any]]:
    """Every outbound message about `entity_id` (template, recipient user, channel, dedupe key, payload)."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        rows = await session.execute(
            text(
                "SELECT template, recipient_user_id, channel, dedupe_key, payload FROM outbound_messages "
                "WHERE entity_id = :id ORDER BY created_at, dedupe_key"
            ),
            {"id": entity_id},
        )
        return [
            {"template": r[0], "user_id": str(r[1]), "channel": r[2], "dedupe_key": r[3], "payload": r[4]}
            for r in rows.all()
        ]


async def sql(org: str, statement: str, **params: Any) -> list[Any]:
    """Rows of a statement as the system in `org` (row-level security on)."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return list((await session.execute(text(statement), params)).all())

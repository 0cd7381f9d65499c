"""Set-up for domain 7's tests: an association (its chart seeded) with five units and four owners, one of whom owns
two units; three units behind on their dues by different ages; parties with email, phone and mailing address. Also
a lighter `office` (an organization and one association, no owners), outbox reads, and the same-as-a-random-id
check of the cross-tenant tests."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.accounting.helpers import Books, books
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import AsManager, post, suffix

ADDRESS = {"line1": "12 Ridge Road", "city": "Austin", "state": "TX", "postal_code": "78701"}


@dataclass
class Town(AsManager):
    client: httpx.AsyncClient
    manager: Account
    org: str
    books: Books
    owners: list[Account] = field(default_factory=list)
    parties: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)

    @property
    def association_id(self) -> str:
        return self.books.association_id

    async def template(self, channel: str = "EMAIL", **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": f"Template {suffix()}", "channel": channel,
            "subject": "Hello {{ recipient_name }}" if channel == "EMAIL" else None,
            "body": "Dear {{ recipient_name }}, news for {{ unit_numbers }} at {{ association_name }}.",
            **fields,
        }  # fmt: skip
        return await self.ok("communication/template/v1/create", {k: v for k, v in body.items() if v is not None})

    async def mass(self, template_id: str, audience: dict[str, Any], **fields: Any) -> dict[str, Any]:
        body = {"association_id": self.association_id, "template_id": template_id, "title": f"Mass {suffix()}",
                "audience": audience, **fields}  # fmt: skip
        return await self.ok("communication/mass/v1/create", body)

    async def sent(self, mass_id: str, timeout: float = 30.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Waits until the workflow has finished sending; the progress then (its numbers add up at every read)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            progress = await self.ok("communication/mass/v1/progress", {"id": mass_id})
            adds_up(progress)
            if progress["status"] in ("SENT", "CANCELLED"):
                return progress
            assert asyncio.get_running_loop().time() < deadline, f"still {progress}"
            await asyncio.sleep(0.1)

    async def deliveries(self, mass_id: str) -> list[dict[str, Any]]:
        page = await self.ok("communication/mass/v1/deliveries", {"id": mass_id, "limit": 200})
        return list(page["items"])


def adds_up(progress: dict[str, Any]) -> None:
    """Sent, skipped and pending make the total once it is known (none pending before), and the percentage is
    what is done of it."""
    done = progress["sent"] + progress["skipped"]
    if progress["total"] is None:
        assert (done, progress["pending"], progress["percent"]) == (0, 0, 0.0), progress
        return
    assert done + progress["pending"] == progress["total"], progress
    if progress["status"] == "SENT" or not progress["total"]:
        expected = 100.0 if progress["status"] == "SENT" else 0.0
    else:
        expected = round(100.0 * done / progress["total"], 1)
    assert progress["percent"] == expected, progress


async def office(c: httpx.AsyncClient, label: str = "Office") -> Town:
    """An organization with one association (its chart seeded, one property) and its manager; no owners."""
    manager = await account(c)
    org = (await organization(c, manager, f"{label} Mgmt {suffix()}"))["id"]
    return Town(c, manager, org, await books(c, manager, org))


async def town(c: httpx.AsyncClient, label: str = "Comm") -> Town:
    """Units 1-5: owner 0 owns units 1 and 2 (both 45 days behind), owner 1 unit 3 (10 days behind), owner 2 unit
    4 (95 days behind), owner 3 unit 5 (paid up)."""
    manager = await account(c)
    org = (await organization(c, manager, f"{label} Mgmt {suffix()}"))["id"]
    b = await books(c, manager, org)
    made = Town(c, manager, org, b)
    for index in range(4):
        owner = await member_account(c, manager, org, ["OWNER"])
        party = await made.ok("party/v1/create", {
            "party_type": "INDIVIDUAL", "first_name": f"Owner{index}", "last_name": f"Family{suffix()}",
            "email": owner.email, "phone": f"+1512555{index:04d}", "user_id": str(owner.user_id),
            "mailing_address": ADDRESS,
        })  # fmt: skip
        made.owners.append(owner)
        made.parties.append(party)
    for number in ("1", "2", "3", "4", "5"):
        made.units.append(await b.unit(f"{number}-{suffix()}"))
    holders = [0, 0, 1, 2, 3]
    for unit_row, holder in zip(made.units, holders, strict=True):
        body = {"unit_id": unit_row["id"], "party_id": made.parties[holder]["id"], "percentage": "100",
                "start_date": "2020-01-01"}  # fmt: skip
        await made.ok("ownership/v1/create", body)
    dues = await b.dues("200.00")
    today = date.today()
    for index, days in ((0, 45), (1, 45), (2, 10), (3, 95)):
        await b.charge(dues["id"], made.units[index]["id"], (today - timedelta(days=days)).isoformat())
    return made


async def messages(org: str, mass_id: str) -> list[tuple[str, str, str | None]]:
    """(channel, recipient, dedupe key) of every outbox message of the mass communication."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        rows = await session.execute(
            text("SELECT channel, recipient, dedupe_key FROM outbound_messages WHERE entity_id = :id ORDER BY 2"),
            {"id": mass_id},
        )
        return [(row[0], row[1], row[2]) for row in rows.all()]


async def outbox(org: str, mass_id: str) -> list[dict[str, Any]]:
    """Every outbox message of the mass communication: id, channel, recipient, recipient_user_id, template,
    payload, dedupe_key, entity_type (by recipient)."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        rows = await session.execute(
            text(
                "SELECT id, channel, recipient, recipient_user_id, template, payload, dedupe_key, entity_type "
                "FROM outbound_messages WHERE entity_id = :id ORDER BY recipient"
            ),
            {"id": mass_id},
        )
        return [dict(row._mapping) for row in rows.all()]


async def refusal(client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict[str, Any]) -> Any:
    """The status and error of a request expected to fail."""
    response = await post(client, who, org, path, body)
    payload = response.json()
    assert payload["ok"] is False, f"{path}: {response.text}"
    return response.status_code, payload["error"]


async def like_a_random_id(
    client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict[str, Any], field: str
) -> tuple[int, dict[str, Any]]:
    """The answer to `body` (a failure), checked equal to the answer with `field` set to a random id (ids aside)."""
    status, error = await refusal(client, who, org, path, body)
    value = body[field]
    other = [str(uuid.uuid4())] if isinstance(value, list) else str(uuid.uuid4())
    random_status, random_error = await refusal(client, who, org, path, {**body, field: other})
    assert status == random_status, (path, field, error, random_error)
    assert (error["code"], error["message"]) == (random_error["code"], random_error["message"]), (path, field)
    details, random_details = error.get("details") or {}, random_error.get("details") or {}
    assert {**details, "id": "-"} == {**random_details, "id": "-"}, (path, field, error, random_error)
    return status, error

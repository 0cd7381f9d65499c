"""Set-up for domain 8's HTTP tests: an association with units of uneven shares and weights, owners with accounts,
a manager (the organization's ADMIN) and a board of directors whose seats are held by BOARD_MEMBERs."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from dbos import DBOS
from sqlalchemy import text

from hestami.cam.governance import lifecycle
from hestami.core import runtime
from tests.cam.association.helpers import association, own, person, property_, unit
from tests.cam.governance.conftest import DAY_SECONDS
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import AsManager, ok, suffix

UNITS = (
    ("101", "0.123457", "1.0000"),
    ("102", "0.300000", "2.0000"),
    ("103", "0.200000", "1.0000"),
    ("104", "0.376543", "3.0000"),
)
"""(unit number, assessment share, voting weight): uneven on purpose."""


def after_days(days: float) -> str:
    """An aware time `days` governance days from now (a day lasts DAY_SECONDS in tests)."""
    return (datetime.now(UTC) + timedelta(seconds=days * DAY_SECONDS)).isoformat()


@dataclass
class Community(AsManager):
    client: httpx.AsyncClient
    manager: Account
    org: str
    association_id: str
    board_id: str
    directors: list[Account]
    seats: list[str]
    owners: list[Account]
    units: list[dict[str, Any]] = field(default_factory=list)

    async def schedule(self, kind: str = "BOARD", days: float = 5, **fields: Any) -> dict[str, Any]:
        body = {"association_id": self.association_id, "kind": kind, "title": f"{kind.title()} meeting {suffix()}",
                "starts_at": after_days(days), "location": "Clubhouse", **fields}  # fmt: skip
        return await self.ok("governance/meeting/v1/schedule", body)

    async def until(self, meeting_id: str, status: str, timeout: float = 20.0) -> dict[str, Any]:  # noqa: ASYNC109
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
    body = {"association_id": assoc["id"], "name": "Board of Directors", "seat_count": directors}
    board = await ok(c, manager, org, "governance/board/v1/create", body)
    people, seats = [], []
    for index, position in enumerate(["PRESIDENT", "TREASURER", "SECRETARY", "DIRECTOR", "DIRECTOR"][:directors]):
        director = await member_account(c, manager, org, ["OWNER"]) if index else owners[0]
        seat = await ok(c, manager, org, "governance/board/v1/fillSeat",
                        {"board_id": board["id"], "position": position, "user_id": str(director.user_id),
                         "term_start": "2025-01-01"})  # fmt: skip
        people.append(director)
        seats.append(seat["id"])
    return Community(c, manager, org, assoc["id"], board["id"], people, seats, owners, units)


# --- more set-up and probes for the governance tests -------------------------------------------------------------


async def eventually(probe: Callable[[], Awaitable[Any]], what: str, seconds: float = 20.0) -> Any:
    """Polls `probe` until it answers something truthy; that answer."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await probe()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def lifecycle_result(meeting_id: str, seconds: float = 20.0) -> str:
    """Waits for the meeting's `meetingLifecycle_v1` to end; what it returned (CANCELLED, ADJOURNED)."""

    async def ended() -> Any:
        found = await DBOS.get_workflow_status_async(lifecycle.meeting_workflow_id(meeting_id))
        return found if found is not None and found.status in ("SUCCESS", "ERROR") else None

    status = await eventually(ended, f"the lifecycle of meeting {meeting_id} to end", seconds)
    assert status.status == "SUCCESS", status
    return str(status.output)


async def outbound(org: str, entity_id: str) -> list[tuple[str, str, str]]:
    """(template, recipient, channel) of every outbound message about `entity_id`."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        rows = await session.execute(
            text("SELECT template, recipient, channel FROM outbound_messages WHERE entity_id = :id"),
            {"id": entity_id},
        )
        return [(row[0], row[1], row[2]) for row in rows.all()]


async def sql(org: str, statement: str, **params: Any) -> list[Any]:
    """Rows of a read as the system in `org` (row-level security on)."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return list((await session.execute(text(statement), params)).all())


async def party_of_unit(hoa: Community, unit_index: int) -> str:
    """The party that owns `hoa.units[unit_index]` today."""
    owners = await hoa.ok("ownership/v1/listByUnit", {"unit_id": hoa.units[unit_index]["id"]})
    return str(owners["items"][0]["party_id"])


async def add_owned_unit(
    hoa: Community, owner_index: int, number: str, share: str | None = "0.010000", weight: str = "1.0000"
) -> dict[str, Any]:
    """One more unit of the community's property, owned by owner `owner_index`'s party (so they own two)."""
    extra: dict[str, Any] = {"voting_weight": weight}
    if share is not None:
        extra["assessment_share"] = share
    row = await unit(hoa.client, hoa.manager, hoa.org, hoa.units[0]["property_id"], number, **extra)
    await own(hoa.client, hoa.manager, hoa.org, row["id"], await party_of_unit(hoa, owner_index))
    return row


async def held_meeting(
    hoa: Community, kind: str = "BOARD", days: float = 8, present: int = 0, **fields: Any
) -> dict[str, Any]:
    """A meeting noticed and called to order, with the first `present` directors recorded as present."""
    meeting = await hoa.schedule(kind, days=days, **fields)
    await hoa.until(meeting["id"], "NOTICED")
    called = await hoa.ok("governance/meeting/v1/callToOrder", {"id": meeting["id"]})
    for seat in hoa.seats[:present]:
        await hoa.ok("governance/meeting/v1/recordAttendance", {"meeting_id": meeting["id"], "seat_id": seat})
    return dict(called)


@dataclass
class Annex:
    """Another association of the community's organization, with units (no owners) and a one-seat board held by a
    name: the manager conducts its meetings and records the seat's votes."""

    association_id: str
    property_id: str
    units: list[dict[str, Any]]
    board_id: str
    seat_id: str


async def annex(hoa: Community, units: Sequence[tuple[str, str | None]] = ()) -> Annex:
    """`units`: (unit number, assessment share or None)."""
    c, who, org = hoa.client, hoa.manager, hoa.org
    assoc = await association(c, who, org, f"Annex {suffix()}")
    prop = await property_(c, who, org, assoc["id"])
    rows = []
    for number, share in units:
        extra = {"assessment_share": share} if share is not None else {}
        rows.append(await unit(c, who, org, prop["id"], number, **extra))
    board = await hoa.ok(
        "governance/board/v1/create", {"association_id": assoc["id"], "name": "Board", "seat_count": 1}
    )
    seat = await hoa.ok(
        "governance/board/v1/fillSeat",
        {"board_id": board["id"], "position": "PRESIDENT", "holder_name": "Pat Chair", "term_start": "2025-01-01"},
    )
    return Annex(assoc["id"], prop["id"], rows, board["id"], seat["id"])


async def committee_of_directors(hoa: Community, name: str | None = None) -> tuple[str, list[str]]:
    """A committee with 3 seats held by the community's directors: its id and the seat ids (in director order)."""
    body = {"association_id": hoa.association_id, "kind": "COMMITTEE", "name": name or f"Committee {suffix()}",
            "seat_count": 3}  # fmt: skip
    group = await hoa.ok("governance/board/v1/create", body)
    seats = []
    for director, position in zip(hoa.directors, ("CHAIR", "MEMBER", "MEMBER"), strict=False):
        seat = await hoa.ok(
            "governance/board/v1/fillSeat",
            {
                "board_id": group["id"],
                "position": position,
                "user_id": str(director.user_id),
                "term_start": "2025-01-01",
            },
        )
        seats.append(seat["id"])
    return group["id"], seats


async def motion(
    hoa: Community, meeting_id: str, choices: Sequence[str], resolution_id: str | None = None, question: str = "Adopt?"
) -> dict[str, Any]:
    """Opens a motion at a board meeting in session (directors present), the directors vote `choices` in order, and
    it is closed: the closed vote."""
    body: dict[str, Any] = {"meeting_id": meeting_id, "kind": "MOTION", "question": question}
    if resolution_id is not None:
        body["resolution_id"] = resolution_id
    vote = await hoa.ok("governance/vote/v1/open", body)
    for director, choice in zip(hoa.directors, choices, strict=False):
        await hoa.ok("governance/vote/v1/cast", {"vote_id": vote["id"], "choice": choice}, director)
    return dict(await hoa.ok("governance/vote/v1/close", {"id": vote["id"]}))


async def stop_lifecycles(org: str) -> None:
    """Cancels the lifecycle of every meeting of `org` (their turns poll every governance day, 0.2 s in tests, until
    the meeting is over and minuted): a module's meetings stop loading the database once its tests are done."""
    ids = [str(row[0]) for row in await sql(org, "SELECT id FROM meetings")]
    if ids:
        await DBOS.cancel_workflows_async([lifecycle.meeting_workflow_id(meeting_id) for meeting_id in ids])

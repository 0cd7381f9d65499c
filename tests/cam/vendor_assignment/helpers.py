"""Set-up for vendorAssignment_v1's HTTP tests: a managed community in Austin (78750) with an owner, a seated board
member and ten linked service providers, four of which match a plumbing job there and six of which do not, each
for its own reason."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.association.helpers import own, person
from tests.support.accounts import Account, account, join, member_account, organization
from tests.support.contractors import contractor_profile
from tests.support.rpc import AsManager, ok, suffix

ZIP = "78750"
ADDRESS = {"line1": "9 Oak Hollow Dr", "city": "Austin", "state": "TX", "postal_code": ZIP}
CURRENT = date(2031, 1, 1)
LAPSED = date(2020, 1, 1)


@dataclass(frozen=True)
class Spec:
    """A provider: its contractor profile (trades, zip codes, a licence, general liability insurance and workers'
    compensation expiring on these days; None: not on file) and its link to the association."""

    name: str
    categories: tuple[str, ...] = ("PLUMBING", "WATER_HEATER")
    zips: tuple[str, ...] = (ZIP, "78759")
    license: date | None = CURRENT
    insurance: date | None = CURRENT
    workers_comp: date | None = None
    preferred: bool = False
    rating: str | None = None
    approval: str = "APPROVED"


MATCHING = (
    Spec("Anchor Plumbing", preferred=True, rating="3.00", workers_comp=CURRENT),
    Spec("Brightwater Plumbing", rating="4.90"),
    Spec("Copperline Plumbing", rating="4.50"),
    Spec("Drainworks", rating=None),
)
"""The four matches, best first: preferred, then by rating (none last)."""
NOT_MATCHING = (
    Spec("Expired Insurance Plumbing", rating="5.00", insurance=LAPSED),
    Spec("Lapsed License Plumbing", rating="5.00", license=LAPSED),
    Spec("Lapsed Comp Plumbing", rating="5.00", workers_comp=LAPSED),
    Spec("Faraway Plumbing", rating="5.00", zips=("73301",)),
    Spec("Sparks Electric", rating="5.00", categories=("ELECTRICAL",)),
    Spec("Pending Plumbing", rating="5.00", approval="PENDING"),
)
"""Better rated than any match, and left out: insurance, licence or workers' compensation expired, out of the area,
another trade, the link not approved."""
REASONS = {
    "Expired Insurance Plumbing": ["INSURANCE_EXPIRED"],
    "Lapsed License Plumbing": ["LICENSE_EXPIRED"],
    "Lapsed Comp Plumbing": ["WORKERS_COMP_EXPIRED"],
    "Faraway Plumbing": ["OUT_OF_SERVICE_AREA"],
    "Sparks Electric": ["CATEGORY_NOT_OFFERED"],
    "Pending Plumbing": ["NOT_APPROVED"],
}


@dataclass
class Firm:
    spec: Spec
    admin: Account
    org: str
    tech: Account
    """A VENDOR of the provider, who answers its bids."""


@dataclass
class Market(AsManager):
    client: httpx.AsyncClient
    manager: Account
    org: str
    association_id: str
    property_id: str
    unit_id: str
    owner: Account
    """Owns the unit."""
    board: Account
    """Seated on the association's board."""
    firms: dict[str, Firm] = field(default_factory=dict)

    def name_of(self, org: str) -> str:
        return next(f.spec.name for f in self.firms.values() if f.org == org)

    async def order(self, *, priority: str = "HIGH", category: str = "PLUMBING", submit: bool = True,
                    who: Account | None = None, **where: Any) -> dict[str, Any]:  # fmt: skip
        """A work order at the unit (unless `where` says otherwise)."""
        body = {
            "association_id": self.association_id,
            "title": f"Leak {suffix()}",
            "description": "Water under the sink",
            "priority": priority,
            "category": category,
            "submit": submit,
            **(where or {"unit_id": self.unit_id}),
        }
        return await self.ok("workOrder/v1/create", body, who)

    async def assignment(self, order_id: str, who: Account | None = None) -> dict[str, Any]:
        return await self.ok("workOrder/assignment/v1/get", {"work_order_id": order_id}, who)

    async def notices(self, order_id: str) -> list[dict[str, Any]]:
        return list((await self.ok("notification/v1/list", {"entity_id": order_id, "limit": 200}))["items"])

    async def submit_bid(self, bid_id: str, firm: Firm, amount: str = "350.00") -> dict[str, Any]:
        body = {"bid_id": bid_id, "amount": amount, "scope": "Replace the supply line and the shut-off valve"}
        return await ok(self.client, firm.tech, firm.org, "bid/v1/submitBid", body)


async def firm(c: httpx.AsyncClient, spec: Spec) -> Firm:
    admin = await account(c)
    org = (await organization(c, admin, f"{spec.name} {suffix()}", "SERVICE_PROVIDER"))["id"]
    await contractor_profile(
        c, admin, org, trades=spec.categories, zip_codes=spec.zips, license_expires=spec.license,
        insurance_expires=spec.insurance, workers_comp_expires=spec.workers_comp,
    )  # fmt: skip
    tech = await account(c)
    await join(c, admin, org, tech, ["VENDOR"])
    return Firm(spec, admin, org, tech)


async def market(c: httpx.AsyncClient, specs: tuple[Spec, ...] = MATCHING + NOT_MATCHING) -> Market:
    manager = await account(c)
    org = (await organization(c, manager, f"VA Org {suffix()}", "MANAGEMENT_COMPANY"))["id"]
    association = await ok(c, manager, org, "association/v1/create", {"name": f"Oak Hollow {suffix()}"})
    prop = await ok(
        c, manager, org, "property/v1/create",
        {"association_id": association["id"], "name": "Oak Hollow", "address": ADDRESS},
    )  # fmt: skip
    lot = await ok(
        c, manager, org, "unit/v1/create", {"property_id": prop["id"], "unit_number": "7", "unit_type": "SINGLE_FAMILY"}
    )
    owner = await member_account(c, manager, org, ["OWNER"])
    party = await person(c, manager, org, "Olive", "Owner", owner)
    await own(c, manager, org, lot["id"], party["id"])
    board = await member_account(c, manager, org, ["OWNER"])
    seats = await ok(
        c,
        manager,
        org,
        "governance/board/v1/create",
        {"association_id": association["id"], "name": "Board", "seat_count": 3},
    )
    await ok(
        c, manager, org, "governance/board/v1/fillSeat",
        {"board_id": seats["id"], "position": "DIRECTOR", "user_id": str(board.user_id), "term_start": "2025-01-01"},
    )  # fmt: skip
    place = Market(c, manager, org, association["id"], prop["id"], lot["id"], owner, board)
    firms = await asyncio.gather(*(firm(c, spec) for spec in specs))
    for made in firms:
        body = {
            "association_id": association["id"],
            "provider_organization_id": made.org,
            "provider_name": made.spec.name,
            "preferred": made.spec.preferred,
            "approval_status": made.spec.approval,
        }
        link = await place.ok("serviceProvider/v1/link", body)
        if made.spec.rating is not None:
            await place.ok("serviceProvider/v1/updateLink", {"id": link["id"], "rating": made.spec.rating})
        place.firms[made.spec.name] = made
    return place


async def eventually(probe: Callable[[], Awaitable[Any]], what: str, seconds: float = 30.0) -> Any:
    """Polls `probe` until it answers something truthy; that answer."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await probe()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}; last: {found!r}"
        await asyncio.sleep(0.1)


async def run_with(place: Market, order_id: str, check: Callable[[dict[str, Any]], bool], what: str,
                   seconds: float = 30.0) -> dict[str, Any]:  # fmt: skip
    """The work order's run once `check` holds for it."""

    async def probe() -> dict[str, Any] | None:
        run = await place.assignment(order_id)
        return run if check(run) else None

    found: dict[str, Any] = await eventually(probe, what, seconds)
    return found


async def sql(org: str, statement: str, **params: Any) -> list[Any]:
    """Rows read as the system in `org` (row-level security on)."""
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return list((await session.execute(text(statement), params)).all())


def asked(run: dict[str, Any], round_: int | None = None) -> list[str]:
    """The providers the run asked (in a round), by round and rank."""
    return [r["provider_name"] for r in run["requests"] if round_ is None or r["round"] == round_]


def steps(run: dict[str, Any], step: str) -> list[str | None]:
    return [s["provider_name"] for s in run["steps"] if s["step"] == step]

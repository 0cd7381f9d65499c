"""Set-up for the budgets' HTTP tests: an association's books (its chart seeded) with units, owners with accounts,
a manager, a board member seated on its board and one seated on another association's board only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.accounting.helpers import Books, books
from tests.cam.association.helpers import own, person
from tests.support.accounts import Account, member_account
from tests.support.governance import seat_on_board
from tests.support.rpc import fails, ok

BUDGET = "accounting/budget/v1"


def path(procedure: str) -> str:
    return f"{BUDGET}/{procedure}"


def spread(annual: str) -> list[str]:
    """Twelve equal monthly amounts of `annual` (a multiple of 12 cents)."""
    month = Decimal(annual) / 12
    assert month == month.quantize(Decimal("0.01")), annual
    return [f"{month:.2f}"] * 12


@dataclass
class Hoa:
    """One association of the organization, with its people."""

    books: Books
    manager: Account  # a MANAGER of the organization
    director: Account  # a BOARD_MEMBER seated on this association's board
    owner: Account  # owns a unit of this association
    units: list[dict[str, Any]] = field(default_factory=list)

    @property
    def admin(self) -> Account:
        return self.books.admin

    @property
    def org(self) -> str:
        return self.books.org

    @property
    def association_id(self) -> str:
        return self.books.association_id

    def account(self, number: str) -> str:
        return self.books.account_id(number)

    async def ok(self, procedure: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await ok(self.books.client, who or self.manager, self.org, path(procedure), body)

    async def fails(
        self, procedure: str, body: dict[str, Any], status: int, code: str | None = None, reason: str | None = None,
        who: Account | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        return await fails(
            self.books.client, who or self.manager, self.org, path(procedure), body, status, code, reason
        )

    async def budget(
        self, fiscal_year: int = 2027, fund: str = "OPERATING", lines: list[dict[str, Any]] | None = None, **extra: Any
    ) -> dict[str, Any]:
        body = {"association_id": self.association_id, "fiscal_year": fiscal_year, "fund": fund, **extra}
        if lines is not None:
            body["lines"] = lines
        return dict(await self.ok("create", body))

    async def adopted(self, lines: list[dict[str, Any]], fiscal_year: int = 2027, **extra: Any) -> dict[str, Any]:
        """A budget with `lines`, proposed by the manager and adopted by the director."""
        made = await self.budget(fiscal_year, lines=lines, **extra)
        await self.ok("propose", {"id": made["id"]})
        return dict(await self.ok("adopt", {"id": made["id"]}, self.director))


async def hoa(client: httpx.AsyncClient, admin: Account, org: str, shares: list[str | None], **settings: Any) -> Hoa:
    """An association of `org` (its chart seeded) with one unit per share (None: without a share), owner 0 owning
    unit 0 with an account; a manager and a director seated on its board."""
    made = await books(client, admin, org, **settings)
    units = []
    for index, share in enumerate(shares):
        extra = {"assessment_share": share} if share is not None else {}
        body = {"property_id": made.prop["id"], "unit_number": str(101 + index), "unit_type": "CONDO", **extra}
        units.append(await made.ok("unit/v1/create", body))
    owner = await member_account(client, admin, org, ["OWNER"])
    party = await person(client, admin, org, "Olive", "Owner", owner)
    await own(client, admin, org, units[0]["id"], party["id"])
    manager = await member_account(client, admin, org, ["MANAGER"])
    director = await member_account(client, admin, org, ["OWNER"])
    await seat_on_board(client, admin, org, made.association_id, director)
    return Hoa(made, manager, director, owner, units)


async def sql(org: str, statement: str, **params: Any) -> list[Any]:
    """Rows of a read as the system in `org` (row-level security on)."""
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return list((await session.execute(text(statement), params)).all())

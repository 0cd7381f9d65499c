"""Test-only report definitions for the framework's tests (registered once, at import), and their set-up: an
organization with an association and a unit, its managers, a seated board member, the unit's owner and a tenant."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from hestami.cam.association import api as association
from hestami.cam.reporting.definitions import _REGISTRY, Column, ReportData, ReportDefinition, Table, register
from hestami.cam.reporting.parameters import AssociationParameters, OrganizationParameters, UnitParameters
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError
from tests.cam.accounting.helpers import Books, books
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import fails, ok, suffix

TINY = "test_tiny_report"
BROKEN = "test_broken_report"
REFUSING = "test_refusing_report"
TINY_OPS = "test_tiny_operational"
TINY_ORG = "test_tiny_portfolio"
TINY_OWNER = "test_tiny_statement"
ROWS = [("Dues", Decimal("250.00")), ("Fines", Decimal("75.50")), ("Interest", Decimal("1.25"))]


async def _tiny(ctx: RequestContext, params: Any) -> ReportData:
    found = await association.load_association(ctx, params.association_id)
    columns = [Column("item", "Item"), Column("amount", "Amount", "money")]
    table = Table("lines", "Lines", columns, list(ROWS), totals=[None, sum(a for _, a in ROWS)])
    return ReportData(title=f"Tiny report of {found.name}", tables=[table], summary={"lines": len(ROWS)})


async def _org(ctx: RequestContext, params: Any) -> ReportData:
    return ReportData(title="Tiny portfolio", tables=[Table("t", "T", [Column("n", "N", "number")], [(1,), (2,)])])


async def _statement(ctx: RequestContext, params: Any) -> ReportData:
    unit = await association.load_unit(ctx, params.unit_id)
    return ReportData(title=f"Statement {unit.unit_number}", tables=[Table("t", "T", [Column("n", "N")], [("x",)])])


async def _broken(ctx: RequestContext, params: Any) -> ReportData:
    raise RuntimeError("secret internals")


async def _refusing(ctx: RequestContext, params: Any) -> ReportData:
    raise HestamiError(ErrorCode.BUSINESS_RULE_VIOLATION, "The books are not closed.")


def _define(key: str, category: Any, parameters: Any, produce: Any, scope: Any = "ASSOCIATION") -> None:
    if key not in _REGISTRY:
        register(ReportDefinition(key, f"Test {key}", category, "A report for tests.", parameters, produce, scope))


_define(TINY, "FINANCIAL", AssociationParameters, _tiny)
_define(TINY_OPS, "OPERATIONAL", AssociationParameters, _tiny)
_define(BROKEN, "FINANCIAL", AssociationParameters, _broken)
_define(REFUSING, "FINANCIAL", AssociationParameters, _refusing)
_define(TINY_ORG, "PORTFOLIO", OrganizationParameters, _org, "ORGANIZATION")
_define(TINY_OWNER, "OWNER", UnitParameters, _statement, "UNIT")


@dataclass
class Hoa:
    books: Books
    manager: Account
    board: Account
    owner: Account
    tenant: Account
    vendor: Account
    unit_id: str
    other_unit_id: str

    @property
    def org(self) -> str:
        return self.books.org

    @property
    def association_id(self) -> str:
        return self.books.association_id

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await self.books.ok(path, body, who)

    async def fails(self, path: str, body: dict[str, Any], status: int, code: str | None = None,
                    who: Account | None = None) -> dict[str, Any]:  # fmt: skip
        return await self.books.fails(path, body, status, code, who=who)

    async def finished(self, run_id: str, who: Account | None = None) -> dict[str, Any]:
        run: dict[str, Any] = {}
        for _ in range(400):
            run = await self.ok("report/v1/get", {"id": run_id}, who)
            if run["status"] in ("COMPLETED", "FAILED"):
                return run
            await asyncio.sleep(0.05)
        raise AssertionError(f"run {run_id} did not finish: {run}")


async def hoa(client: httpx.AsyncClient, name: str = "Reports") -> Hoa:
    admin = await account(client)
    org = (await organization(client, admin, f"{name} {suffix()}"))["id"]
    made = await books(client, admin, org)
    manager = await member_account(client, admin, org, ["MANAGER"])
    board = await member_account(client, admin, org, ["OWNER"])
    await seat_on_board(client, admin, org, made.association_id, board)
    owner = await member_account(client, admin, org, ["OWNER"])
    tenant = await member_account(client, admin, org, ["TENANT"])
    vendor = await member_account(client, admin, org, ["VENDOR"])
    unit = await made.unit()
    other = await made.unit()
    party = await made.ok("party/v1/create", {"party_type": "INDIVIDUAL", "first_name": "Olive",
                                               "last_name": "Owner", "user_id": str(owner.user_id)})  # fmt: skip
    await made.ok("ownership/v1/create", {"unit_id": unit["id"], "party_id": party["id"], "percentage": "100",
                                          "start_date": "2020-01-01"})  # fmt: skip
    return Hoa(made, manager, board, owner, tenant, vendor, unit["id"], other["id"])


__all__ = ["fails", "ok"]

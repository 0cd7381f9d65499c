"""Set-up shared by the financial report tests: one association's books with a quarter of activity, and producing
a report in-process as a given user (the way the generation workflow acts as the user who asked)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from hestami.cam.reporting.definitions import ReportData, Table, find
from hestami.core import runtime
from hestami.core.acting import acting
from tests.cam.accounting.helpers import Books, books
from tests.support.accounts import Account, account, organization
from tests.support.rpc import suffix


async def produce(who: Account, org: str, report: str, **params: Any) -> ReportData:
    """The report produced as `who` in `org`, its streamed tables read to lists inside the transaction."""
    definition = find(report)
    assert definition is not None, report
    parsed = definition.parameters.model_validate(params)
    async with acting(
        runtime.current(), procedure=f"test-report-{report}", organization_id=uuid.UUID(org), user_id=who.user_id
    ) as ctx:
        data = await definition.produce(ctx, parsed)
        for table in data.tables:
            table.rows = await rows_of(table)
    return data


async def rows_of(table: Table) -> list[list[Any]]:
    if isinstance(table.rows, list):
        return [list(r) for r in table.rows]
    assert hasattr(table.rows, "__aiter__"), type(table.rows)
    return [list(r) async for r in table.rows]  # type: ignore[union-attr]


def table(data: ReportData, key: str) -> Table:
    return next(t for t in data.tables if t.key == key)


def column(t: Table, key: str) -> int:
    return [c.key for c in t.columns].index(key)


@dataclass
class Quarter:
    """Q1 2025 of one association: units A1 (behind since January), A2 (paid), A3 (paid with 50 credit)."""

    hoa: Books
    units: dict[str, dict]


async def quarter(client: httpx.AsyncClient) -> Quarter:
    admin = await account(client)
    org = (await organization(client, admin, f"Reports HOA {suffix()}"))["id"]
    hoa = await books(client, admin, org)
    dues = await hoa.dues()
    reserve = await hoa.dues("40.00", revenue_account_id=hoa.account_id("4200"))
    units = {n: await hoa.unit(n) for n in ("A1", "A2", "A3")}
    for due in ("2025-01-01", "2025-02-01", "2025-03-01"):
        await hoa.charge(dues["id"], units["A1"]["id"], due, "250.00")
    await hoa.charge(dues["id"], units["A2"]["id"], "2025-03-01", "250.00")
    await hoa.charge(dues["id"], units["A3"]["id"], "2025-03-01", "250.00")
    await hoa.charge(reserve["id"], units["A1"]["id"], "2025-03-01", "40.00")
    await hoa.pay(units["A2"]["id"], "250.00", on="2025-03-05")
    await hoa.pay(units["A3"]["id"], "300.00", on="2025-03-10")
    await manual(hoa, "2025-02-10", "5300", "1010", "80.00")
    await manual(hoa, "2025-03-15", "5300", "1010", "100.00")
    await manual(hoa, "2025-03-20", "1020", "1010", "500.00")  # a transfer between operating cash accounts
    monthly = ["750.00"] * 12
    budget = await hoa.ok(
        "accounting/budget/v1/create",
        {
            "association_id": hoa.association_id,
            "fiscal_year": 2025,
            "lines": [
                {"gl_account_id": hoa.account_id("4000"), "monthly": monthly},
                {"gl_account_id": hoa.account_id("5300"), "annual": "1200.00"},
            ],
        },
    )
    await hoa.ok("accounting/budget/v1/propose", {"id": budget["id"]})
    await hoa.ok("accounting/budget/v1/adopt", {"id": budget["id"]})
    return Quarter(hoa, units)


async def manual(hoa: Books, on: str, debit: str, credit: str, amount: str) -> dict:
    entry = await hoa.ok(
        "accounting/journalEntry/v1/create",
        {
            "association_id": hoa.association_id,
            "entry_date": on,
            "memo": f"Manual {suffix()}",
            "submit": True,
            "lines": [
                {"gl_account_id": hoa.account_id(debit), "debit": amount},
                {"gl_account_id": hoa.account_id(credit), "credit": amount},
            ],
        },
    )
    return await hoa.ok("accounting/journalEntry/v1/post", {"id": entry["id"]})

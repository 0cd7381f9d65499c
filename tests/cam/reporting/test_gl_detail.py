"""The general ledger detail: streamed (an async iterator, never a list), by account then date, running balances
from each account's balance before the period, and totals that equal the trial balance's activity."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from hestami.cam.reporting.definitions import find
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.errors import ErrorCode, HestamiError
from tests.cam.accounting.helpers import trial_line
from tests.cam.reporting.financial_helpers import Quarter, column, produce, quarter, table
from tests.support.accounts import account, organization
from tests.support.rpc import suffix

D = Decimal


@pytest.fixture(scope="module")
async def q(shared_client: httpx.AsyncClient) -> Quarter:
    return await quarter(shared_client)


async def test_rows_are_streamed_not_listed(q: Quarter) -> None:
    import uuid

    definition = find("general_ledger_detail")
    assert definition is not None
    params = definition.parameters.model_validate(
        {"association_id": q.hoa.association_id, "start": "2025-01-01", "end": "2025-03-31"}
    )
    async with acting(
        runtime.current(), procedure="test", organization_id=uuid.UUID(q.hoa.org), user_id=q.hoa.admin.user_id
    ) as ctx:
        data = await definition.produce(ctx, params)
        rows = data.tables[0].rows
        assert isinstance(rows, AsyncIterator)
        assert not isinstance(rows, list)
        first = await anext(rows)
        assert first[0] == "1010"
        await rows.aclose()


async def test_march_ties_to_the_trial_balance(q: Quarter) -> None:
    data = await produce(
        q.hoa.admin, q.hoa.org, "general_ledger_detail",
        association_id=q.hoa.association_id, start="2025-03-01", end="2025-03-31",
    )  # fmt: skip
    t = table(data, "lines")
    rows = list(t.rows)
    end, before = await q.hoa.trial(as_of="2025-03-31"), await q.hoa.trial(as_of="2025-02-28")
    debit, credit, balance = column(t, "debit"), column(t, "credit"), column(t, "balance")
    assert sum(r[debit] for r in rows) == data.summary["total_debit"] == data.summary["total_credit"]
    assert sum(r[credit] for r in rows) == data.summary["total_credit"]
    keys = [(r[0], r[column(t, "entry_date")], r[column(t, "entry_number")]) for r in rows]
    assert keys == sorted(keys)
    last: dict[str, Decimal] = {}
    moved: dict[str, Decimal] = {}
    for r in rows:
        last[r[0]] = r[balance]
        moved[r[0]] = moved.get(r[0], D(0)) + r[debit] - r[credit]
    for number in last:
        assert last[number] == trial_line(end, number), number
        assert moved[number] == trial_line(end, number) - trial_line(before, number), number
    assert last["1010"] == D("-130.00")
    assert last["1200"] == D("790.00")
    units = {r[column(t, "unit")] for r in rows if r[0] == "1200"}
    assert units == {"A1", "A2", "A3"}


async def test_one_account_and_an_unknown_account(q: Quarter, shared_client: httpx.AsyncClient) -> None:
    only = await produce(
        q.hoa.admin, q.hoa.org, "general_ledger_detail", association_id=q.hoa.association_id,
        start="2025-01-01", end="2025-03-31", gl_account_id=q.hoa.account_id("5300"),
    )  # fmt: skip
    rows = list(table(only, "lines").rows)
    assert [r[0] for r in rows] == ["5300", "5300"]
    assert rows[-1][-1] == D("180.00")
    admin = await account(shared_client)
    other = await produce_or_error(q, admin, (await organization(shared_client, admin, f"O {suffix()}"))["id"])
    assert other == ErrorCode.NOT_FOUND


async def produce_or_error(q: Quarter, admin, other_org: str) -> ErrorCode:  # type: ignore[no-untyped-def]
    """A foreign account id in the caller's own association: NOT_FOUND."""
    from tests.cam.accounting.helpers import books

    theirs = await books(q.hoa.client, admin, other_org)
    try:
        await produce(
            admin, other_org, "general_ledger_detail", association_id=theirs.association_id,
            start="2025-01-01", end="2025-03-31", gl_account_id=q.hoa.account_id("5300"),
        )  # fmt: skip
    except HestamiError as error:
        return error.code
    raise AssertionError("expected NOT_FOUND")

"""Receivables with aging: each open invoice's balance in one bucket by days past due on `as_of`, per customer; the
buckets add up to each row's total, the rows to the totals, and the totals to the open balances. Drafts, void and
paid invoices, and invoices issued after `as_of`, are not receivables."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from tests.contractor.invoice.helpers import Books, books, completed_job
from tests.contractor.job.helpers import customer, job_in

pytestmark = pytest.mark.usefixtures("unthrottled")
AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="module")
async def b(shared_client: httpx.AsyncClient) -> Books:
    return await books(shared_client, "Aging")


async def bill(b: Books, customer_id: str, amount: str, due_days_ago: int, issued_days_ago: int = 95) -> dict:
    job = await job_in(b.force, "COMPLETED", customer_id=customer_id)
    draft = await b.invoice(job["id"], "STANDARD")
    await b.ok("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Service", "unit_price": amount})
    issued_on = AS_OF - timedelta(days=issued_days_ago)
    due = AS_OF - timedelta(days=due_days_ago)
    body = {"id": draft["id"], "issue_date": issued_on.isoformat(), "due_date": max(due, issued_on).isoformat()}
    return dict(await b.ok("invoice/v1/issue", body))


async def test_buckets_tie_out_to_the_open_balances(b: Books) -> None:
    alice = await customer(b.force, name="Alice Aging")
    bob = await customer(b.force, name="Bob Aging")
    await bill(b, alice["id"], "100.00", due_days_ago=-3)  # current
    await bill(b, alice["id"], "200.00", due_days_ago=0)  # due today: current
    await bill(b, alice["id"], "300.00", due_days_ago=1)  # 1-30
    partly = await bill(b, bob["id"], "400.00", due_days_ago=45)  # 31-60
    await b.ok("invoice/v1/recordPayment", {"invoice_id": partly["id"], "amount": "150.00"})
    await bill(b, bob["id"], "500.00", due_days_ago=61)  # 61-90
    await bill(b, bob["id"], "600.00", due_days_ago=91)  # over 90
    paid = await bill(b, bob["id"], "700.00", due_days_ago=10)
    await b.ok("invoice/v1/recordPayment", {"invoice_id": paid["id"], "amount": "700.00"})
    await bill(b, bob["id"], "800.00", due_days_ago=-30, issued_days_ago=-1)  # issued after as_of
    job = await completed_job(b)
    await b.invoice(job["id"], "STANDARD")  # a draft

    aging = await b.ok("invoice/v1/aging", {"as_of": AS_OF.isoformat()})
    rows = {r["bill_to"]: r for r in aging["rows"]}
    assert {k: rows["Alice Aging"][k] for k in ("current", "days_1_30", "total", "invoices")} == {
        "current": "300.00", "days_1_30": "300.00", "total": "600.00", "invoices": 3,
    }  # fmt: skip
    bob_row = rows["Bob Aging"]
    assert (bob_row["days_31_60"], bob_row["days_61_90"], bob_row["days_over_90"], bob_row["total"]) == (
        "250.00", "500.00", "600.00", "1350.00",
    )  # fmt: skip
    buckets = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")
    for row in aging["rows"]:
        assert sum(Decimal(row[k]) for k in buckets) == Decimal(row["total"])
    assert Decimal(aging["totals"]["total"]) == sum(Decimal(r["total"]) for r in aging["rows"])
    assert Decimal(aging["open_balance"]) == Decimal(aging["totals"]["total"])
    listed = await b.ok("invoice/v1/list", {"limit": 200})
    open_balances = sum(
        Decimal(i["balance"]) for i in listed["items"]
        if i["status"] in ("ISSUED", "PARTIALLY_PAID") and i["issue_date"] <= AS_OF.isoformat()
    )  # fmt: skip
    assert Decimal(aging["open_balance"]) == open_balances

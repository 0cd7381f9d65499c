"""The financial report definitions, produced in-process as the asking user: the numbers tie out to the ledger's
own reports (balance sheet = trial balance = accounting's balance sheet; cash flow identity; aged buckets = AR),
budget and comparison columns, delinquency with its trend, and what other tenants and units get (NOT_FOUND)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import pytest

from hestami.cam.reporting.definitions import definitions
from hestami.core.errors import ErrorCode, HestamiError
from tests.cam.accounting.helpers import trial_line
from tests.cam.reporting.financial_helpers import Quarter, column, produce, quarter, table
from tests.support.accounts import account, member_account, organization
from tests.support.rpc import suffix

Q1_END = "2025-03-31"
MARCH = {"start": "2025-03-01", "end": Q1_END}
D = Decimal


@pytest.fixture(scope="module")
async def q(shared_client: httpx.AsyncClient) -> Quarter:
    return await quarter(shared_client)


async def as_admin(q: Quarter, report: str, **params: object):  # type: ignore[no-untyped-def]
    return await produce(q.hoa.admin, q.hoa.org, report, association_id=q.hoa.association_id, **params)


def test_every_financial_report_is_registered() -> None:
    found = definitions()
    keys = {
        "balance_sheet", "income_statement", "aged_receivables", "delinquency", "cash_flow", "general_ledger_detail",
        "form_1099_summary", "reserve_funding", "owner_statement",
    }  # fmt: skip
    assert keys <= set(found)
    assert found["owner_statement"].scope == "UNIT"
    assert found["owner_statement"].category == "OWNER"
    assert {found[k].category for k in keys - {"owner_statement"}} == {"FINANCIAL"}


async def test_balance_sheet_balances_and_ties_to_the_trial_balance(q: Quarter) -> None:
    data = await as_admin(q, "balance_sheet", as_of=Q1_END)
    trial = await q.hoa.trial(as_of=Q1_END)
    net: dict[str, Decimal] = {}
    for line in trial["lines"]:
        net[line["account_type"]] = net.get(line["account_type"], D(0)) + D(line["debit"]) - D(line["credit"])
    assert data.summary["balanced"] is True
    assert data.summary["total_assets"] == net["ASSET"]
    assert data.summary["total_liabilities"] == -net.get("LIABILITY", D(0))
    assert data.summary["total_fund_balance"] == -(net.get("EQUITY", D(0)) + net["REVENUE"] + net["EXPENSE"])
    assert table(data, "assets").totals[-1] == net["ASSET"]  # type: ignore[index]
    sheet = await q.hoa.ok(
        "accounting/report/v1/balanceSheet", {"association_id": q.hoa.association_id, "as_of": Q1_END}
    )
    by_fund = table(data, "by_fund")
    assert {r[0]: (r[1], r[2], r[3]) for r in by_fund.rows} == {  # type: ignore[union-attr]
        f["fund"]: (D(f["assets"]), D(f["liabilities"]), D(f["equity"]) + D(f["net_income"])) for f in sheet["funds"]
    }
    assets = {r[1]: r[3] for r in table(data, "assets").rows}  # type: ignore[union-attr]
    assert assets["1200"] == trial_line(trial, "1200") == D("790.00")
    reserve_only = await as_admin(q, "balance_sheet", as_of=Q1_END, fund="RESERVE")
    assert {r[0] for r in table(reserve_only, "by_fund").rows} == {"RESERVE"}  # type: ignore[union-attr]


async def test_income_statement_with_budget_and_prior_period(q: Quarter) -> None:
    data = await as_admin(q, "income_statement", compare="PRIOR_PERIOD", **MARCH)
    revenue, expense = table(data, "revenue"), table(data, "expense")
    cols = [c.key for c in revenue.columns]
    assert cols == ["account_number", "name", "fund", "actual", "budget", "variance", "comparison"]
    rows = {r[0]: r[3:] for r in [*revenue.rows, *expense.rows]}  # type: ignore[misc]
    # March: 750 dues billed against 750 budgeted, 40 reserve (unbudgeted), 100 landscaping against 100; the
    # prior period (29 Jan to 28 Feb) holds the February dues and landscaping.
    assert rows["4000"] == [D("750.00"), D("750.00"), D("0.00"), D("250.00")]
    assert rows["4200"] == [D("40.00"), D("0.00"), D("40.00"), D("0.00")]
    assert rows["5300"] == [D("100.00"), D("100.00"), D("0.00"), D("80.00")]
    assert data.summary["net_income"] == D("690.00")
    assert data.summary["comparison_net_income"] == D("170.00")
    chart = data.charts[0]
    assert chart.kind == "bar"
    assert len(chart.categories) == 12
    assert chart.categories[-1] == "2025-03"
    income, spent = (dict(zip(chart.categories, s.values, strict=True)) for s in chart.series)
    assert (income["2025-01"], income["2025-02"], income["2025-03"]) == (D("250.00"), D("250.00"), D("790.00"))
    assert (spent["2025-02"], spent["2025-03"], spent["2024-12"]) == (D("80.00"), D("100.00"), D("0.00"))
    quarter_long = await as_admin(q, "income_statement", start="2025-01-01", end=Q1_END, compare="PRIOR_YEAR")
    assert quarter_long.charts[0].categories == ["2025-01", "2025-02", "2025-03"]
    q_rows = {r[0]: r[3:] for r in table(quarter_long, "revenue").rows}  # type: ignore[union-attr]
    assert q_rows["4000"] == [D("1250.00"), D("2250.00"), D("-1000.00"), D("0.00")]


async def test_cash_flow_opening_plus_in_less_out_is_closing(q: Quarter) -> None:
    data = await as_admin(q, "cash_flow", **MARCH)
    t = table(data, "cash_accounts")
    trial = await q.hoa.trial(as_of=Q1_END)
    before = await q.hoa.trial(as_of="2025-02-28")
    rows = {r[1]: r for r in t.rows}  # type: ignore[union-attr]
    for number, row in rows.items():
        opening, receipts, other_in, ap, other_out, transfers, closing = row[3:]
        assert opening + receipts + other_in - ap - other_out + transfers == closing, number
        assert closing == trial_line(trial, number), number
        assert opening == trial_line(before, number), number
    checking = rows["1010"][3:]
    assert checking == [D("-80.00"), D("550.00"), D("0.00"), D("0.00"), D("100.00"), D("-500.00"), D("-130.00")]
    assert rows["1020"][3:][5:] == [D("500.00"), D("500.00")]
    assert data.summary["transfers"] == D("0.00")  # between cash accounts: nets to nothing consolidated


async def test_aged_receivables_buckets_sum_to_the_receivable(q: Quarter) -> None:
    data = await as_admin(q, "aged_receivables", as_of=Q1_END)
    t = table(data, "units")
    assert [r[0] for r in t.rows] == ["A1"]  # type: ignore[union-attr]
    assert next(iter(t.rows))[1:] == [D("290.00"), D("250.00"), D("250.00"), D("0.00"), D("790.00")]  # type: ignore[index]
    trial = await q.hoa.trial(as_of=Q1_END)
    assert data.summary["total"] == trial_line(trial, "1200") == sum(t.totals[1:5])  # type: ignore[index]


async def test_delinquency_by_unit_with_trend(q: Quarter) -> None:
    data = await as_admin(q, "delinquency", as_of=Q1_END, min_days_past_due=30)
    t = table(data, "units")
    (row,) = t.rows  # type: ignore[misc]
    at = column(t, "balance")
    assert row[0] == "A1"
    assert row[at] == D("790.00")
    assert row[column(t, "days_past_due")] == 89
    assert str(row[column(t, "oldest_charge")]) == "2025-01-01"
    assert row[column(t, "collection_step")] is None
    chart = data.charts[0]
    assert chart.kind == "line"
    assert len(chart.categories) == 12
    assert chart.categories[-1] == "2025-03"
    trend = dict(zip(chart.categories, chart.series[0].values, strict=True))
    # January's charge is 30 days late at 31 January; February-end: 250 (Jan, 58 days) + 250 (Feb, 27: not yet).
    assert (trend["2024-12"], trend["2025-01"], trend["2025-02"], trend["2025-03"]) == (
        D("0.00"), D("250.00"), D("500.00"), D("790.00"),
    )  # fmt: skip
    none_late = await as_admin(q, "delinquency", as_of=Q1_END, min_days_past_due=120)
    assert list(table(none_late, "units").rows) == []


async def test_owner_statement_of_a_unit(q: Quarter) -> None:
    a3 = await produce(q.hoa.admin, q.hoa.org, "owner_statement", unit_id=q.units["A3"]["id"], as_of=Q1_END)
    assert a3.summary["balance"] == D("-50.00")
    assert a3.summary["unapplied_credit"] == D("50.00")
    payments = table(a3, "payments")
    assert [r[4] for r in payments.rows] == [D("300.00")]  # type: ignore[union-attr]
    a1 = await produce(q.hoa.admin, q.hoa.org, "owner_statement", unit_id=q.units["A1"]["id"], as_of=Q1_END)
    assert a1.summary["balance"] == D("790.00")
    assert sum(r[4] for r in table(a1, "open_charges").rows) == D("790.00")  # type: ignore[union-attr]


async def test_form_1099_summary_and_reserve_funding_without_activity(q: Quarter) -> None:
    summary = await as_admin(q, "form_1099_summary", year=2025)
    assert summary.summary["vendors"] == 0
    assert list(table(summary, "vendors").rows) == []
    funding = await as_admin(q, "reserve_funding", as_of=Q1_END)
    assert funding.summary["percent_funded"] is None
    assert funding.tables == []


@pytest.mark.parametrize(
    ("report", "params"),
    [
        ("balance_sheet", {"as_of": Q1_END}),
        ("income_statement", MARCH),
        ("aged_receivables", {"as_of": Q1_END}),
        ("delinquency", {"as_of": Q1_END}),
        ("cash_flow", MARCH),
        ("general_ledger_detail", MARCH),
        ("form_1099_summary", {"year": 2025}),
        ("reserve_funding", {"as_of": Q1_END}),
    ],
)
async def test_another_tenants_board_member_gets_not_found(
    q: Quarter, shared_client: httpx.AsyncClient, report: str, params: dict
) -> None:
    admin = await account(shared_client)
    other_org = (await organization(shared_client, admin, f"Other HOA {suffix()}"))["id"]
    board = await member_account(shared_client, admin, other_org, ["BOARD_MEMBER"])
    with pytest.raises(HestamiError) as raised:
        await produce(board, other_org, report, association_id=q.hoa.association_id, **params)
    assert raised.value.code == ErrorCode.NOT_FOUND


async def test_another_units_or_tenants_statement_is_not_found(q: Quarter, shared_client: httpx.AsyncClient) -> None:
    admin = await account(shared_client)
    other_org = (await organization(shared_client, admin, f"Other HOA {suffix()}"))["id"]
    with pytest.raises(HestamiError) as raised:
        await produce(admin, other_org, "owner_statement", unit_id=q.units["A1"]["id"])
    assert raised.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(HestamiError) as raised:
        await produce(q.hoa.admin, q.hoa.org, "owner_statement", unit_id=str(uuid.uuid4()))
    assert raised.value.code == ErrorCode.NOT_FOUND

"""Financial statements: balance sheet, income statement (budget and comparison columns, monthly chart) and cash
flow (direct method), per fund and consolidated, read through accounting's api as the asking user."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from hestami.cam.accounting import api as accounting
from hestami.cam.accounting.budgets import api as budgets
from hestami.cam.accounting.schemas import IncomeStatementOut
from hestami.cam.reporting.definitions import Chart, Column, ReportData, ReportDefinition, Series, Table, register
from hestami.cam.reporting.parameters import AsOfParameters, PeriodParameters
from hestami.core.context import RequestContext

ZERO = Decimal("0.00")


def as_of_date(params: AsOfParameters) -> date:
    return params.as_of or date.today()


def period(params: PeriodParameters) -> tuple[date, date]:
    """The period asked for: from the first of this month to today by default."""
    end = params.end or date.today()
    start = params.start or end.replace(day=1)
    return start, end


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def comparison_period(start: date, end: date, compare: str) -> tuple[date, date] | None:
    """The period before (same number of days, ending the day before `start`) or the same period a year earlier."""
    if compare == "PRIOR_PERIOD":
        prior_end = start - timedelta(days=1)
        return prior_end - (end - start), prior_end
    if compare == "PRIOR_YEAR":
        return _shift_year(start, -1), _shift_year(end, -1)
    return None


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def chart_months(start: date, end: date) -> list[date]:
    """The first days of the period's months, or of the last twelve months when the period is one month."""
    first, last = start.replace(day=1), end.replace(day=1)
    if first == last:
        first = add_months(last, -11)
    months = [first]
    while months[-1] < last:
        months.append(add_months(months[-1], 1))
    return months


# --- balance sheet -------------------------------------------------------------------------------------------------


async def produce_balance_sheet(ctx: RequestContext, params: AsOfParameters) -> ReportData:
    """Assets, liabilities and fund balances (fund balance accounts plus the surplus not yet closed to them) by
    fund and account, with each fund's totals and the consolidated totals; it balances when assets equal
    liabilities plus fund balances in every fund."""
    as_of = as_of_date(params)
    sheet = await accounting.balance_sheet(ctx, params.association_id, as_of)
    funds = [f for f in sheet.funds if params.fund in (None, f.fund)]
    lines = [x for x in sheet.lines if params.fund in (None, x.fund)]
    columns = [
        Column("fund", "Fund"),
        Column("account_number", "Account"),
        Column("name", "Name"),
        Column("amount", "Amount", "money"),
    ]
    assets = [[x.fund, x.account_number, x.name, x.debit - x.credit] for x in lines if x.account_type == "ASSET"]
    liabilities = [
        [x.fund, x.account_number, x.name, x.credit - x.debit] for x in lines if x.account_type == "LIABILITY"
    ]
    equity = [[x.fund, x.account_number, x.name, x.credit - x.debit] for x in lines if x.account_type == "EQUITY"]
    equity += [[f.fund, "", "Surplus (deficit) not yet closed", f.net_income] for f in funds if f.net_income]
    total_assets = sum((f.assets for f in funds), ZERO)
    total_liabilities = sum((f.liabilities for f in funds), ZERO)
    total_fund_balance = sum((f.equity + f.net_income for f in funds), ZERO)
    balanced = all(f.balanced for f in funds) and total_assets == total_liabilities + total_fund_balance
    by_fund = [
        [f.fund, f.assets, f.liabilities, f.equity + f.net_income, f.liabilities + f.equity + f.net_income, f.balanced]
        for f in funds
    ]
    return ReportData(
        title="Balance sheet",
        subtitle=f"As of {as_of.isoformat()}" + (f", {params.fund} fund" if params.fund else ", all funds"),
        tables=[
            Table("assets", "Assets", columns, assets, [None, None, "Total assets", total_assets]),
            Table(
                "liabilities", "Liabilities", columns, liabilities,
                [None, None, "Total liabilities", total_liabilities],
            ),
            Table(
                "fund_balances", "Fund balances", columns, equity,
                [None, None, "Total fund balances", total_fund_balance],
            ),
            Table(
                "by_fund",
                "By fund",
                [
                    Column("fund", "Fund"),
                    Column("assets", "Assets", "money"),
                    Column("liabilities", "Liabilities", "money"),
                    Column("fund_balance", "Fund balance", "money"),
                    Column("liabilities_and_fund_balance", "Liabilities and fund balance", "money"),
                    Column("balanced", "Balanced", "bool"),
                ],
                by_fund,
                ["Consolidated", total_assets, total_liabilities, total_fund_balance,
                 total_liabilities + total_fund_balance, balanced],
            ),
        ],
        summary={
            "as_of": as_of,
            "total_assets": total_assets,
            "total_liabilities": total_liabilities,
            "total_fund_balance": total_fund_balance,
            "balanced": balanced,
        },
    )  # fmt: skip


# --- income statement ----------------------------------------------------------------------------------------------


def _actuals(statement: IncomeStatementOut, fund: str | None) -> dict[str, tuple[str, str, str, Decimal]]:
    """By account number: (name, type, fund, actual): revenue as credits less debits, expense as debits less
    credits."""
    found: dict[str, tuple[str, str, str, Decimal]] = {}
    for x in statement.lines:
        if fund in (None, x.fund):
            actual = x.credit - x.debit if x.account_type == "REVENUE" else x.debit - x.credit
            found[x.account_number] = (x.name, x.account_type, x.fund, actual)
    return found


async def produce_income_statement(ctx: RequestContext, params: PeriodParameters) -> ReportData:
    """Revenue and expense by GL account for the period with the adopted budget of the months beginning in it,
    the variance (actual less budget) and, when asked, the comparison period's actuals; chart: income vs expense
    by month."""
    start, end = period(params)
    actual = _actuals(await accounting.income_statement(ctx, params.association_id, start, end), params.fund)
    prior_period = comparison_period(start, end, params.compare)
    prior: dict[str, tuple[str, str, str, Decimal]] = {}
    if prior_period is not None:
        prior = _actuals(await accounting.income_statement(ctx, params.association_id, *prior_period), params.fund)
    budget = {
        b.account_number: b
        for b in await budgets.adopted_amounts(ctx, params.association_id, start, end, params.fund)
        if b.account_type in ("REVENUE", "EXPENSE")
    }
    accounts: dict[str, tuple[str, str, str]] = {}
    for number, (name, kind, fund, _) in (prior | actual).items():
        accounts[number] = (name, kind, fund)
    for number, budgeted in budget.items():
        accounts.setdefault(number, (budgeted.name, budgeted.account_type, budgeted.fund))
    columns = [
        Column("account_number", "Account"),
        Column("name", "Name"),
        Column("fund", "Fund"),
        Column("actual", "Actual", "money"),
        Column("budget", "Budget", "money"),
        Column("variance", "Variance", "money"),
    ]
    if prior_period is not None:
        columns.append(Column("comparison", f"{prior_period[0].isoformat()} to {prior_period[1].isoformat()}", "money"))
    tables, totals = [], {}
    for kind, title in (("REVENUE", "Revenue"), ("EXPENSE", "Expense")):
        rows = []
        sums = [ZERO, ZERO, ZERO]
        for number in sorted(n for n, (_, k, _) in accounts.items() if k == kind):
            name, _, fund = accounts[number]
            a = actual[number][3] if number in actual else ZERO
            b = budget[number].amount if number in budget else ZERO
            p = prior[number][3] if number in prior else ZERO
            rows.append([number, name, fund, a, b, a - b] + ([p] if prior_period else []))
            sums = [sums[0] + a, sums[1] + b, sums[2] + p]
        totals[kind] = sums
        total_row = [None, f"Total {title.lower()}", None, sums[0], sums[1], sums[0] - sums[1]]
        tables.append(Table(kind.lower(), title, columns, rows, total_row + ([sums[2]] if prior_period else [])))
    net = [totals["REVENUE"][i] - totals["EXPENSE"][i] for i in range(3)]
    months = chart_months(start, end)
    monthly = await accounting.monthly_income_and_expense(
        ctx, params.association_id, months[0], month_end(months[-1]), params.fund
    )
    zero_month = accounting.MonthlyNet(months[0], ZERO, ZERO)
    chart = Chart(
        "income_vs_expense",
        "Income vs expense by month",
        "bar",
        [f"{m:%Y-%m}" for m in months],
        [
            Series("Income", [monthly.get(m, zero_month).revenue for m in months]),
            Series("Expense", [monthly.get(m, zero_month).expense for m in months]),
        ],
        "Amount",
    )
    summary: dict[str, object] = {
        "start": start, "end": end, "revenue": totals["REVENUE"][0], "expense": totals["EXPENSE"][0],
        "net_income": net[0], "budgeted_net_income": net[1],
    }  # fmt: skip
    if prior_period is not None:
        summary["comparison_net_income"] = net[2]
    return ReportData(
        title="Income statement",
        subtitle=f"{start.isoformat()} to {end.isoformat()}" + (f", {params.fund} fund" if params.fund else ""),
        tables=tables,
        charts=[chart],
        summary=summary,
    )


# --- cash flow ----------------------------------------------------------------------------------------------------


async def produce_cash_flow(ctx: RequestContext, params: PeriodParameters) -> ReportData:
    """Per cash account (and fund): opening balance, receipts (assessment payments, other), disbursements (vendor
    payments, other), transfers between cash accounts, closing balance, from the journal lines on cash accounts."""
    start, end = period(params)
    flows = await accounting.cash_flow(ctx, params.association_id, start, end, params.fund)
    columns = [
        Column("fund", "Fund"),
        Column("account_number", "Account"),
        Column("name", "Name"),
        Column("opening", "Opening balance", "money"),
        Column("assessment_receipts", "Assessment receipts", "money"),
        Column("other_receipts", "Other receipts", "money"),
        Column("ap_disbursements", "AP payments", "money"),
        Column("other_disbursements", "Other disbursements", "money"),
        Column("transfers", "Transfers", "money"),
        Column("closing", "Closing balance", "money"),
    ]
    fields = (
        "opening", "assessment_receipts", "other_receipts", "ap_disbursements", "other_disbursements", "transfers",
        "closing",
    )  # fmt: skip
    rows = [[f.fund, f.account_number, f.name, *(getattr(f, k) for k in fields)] for f in flows]
    by_fund: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * len(fields))
    for f in flows:
        by_fund[f.fund] = [s + getattr(f, k) for s, k in zip(by_fund[f.fund], fields, strict=True)]
    consolidated = [sum((v[i] for v in by_fund.values()), ZERO) for i in range(len(fields))]
    return ReportData(
        title="Cash flow",
        subtitle=f"{start.isoformat()} to {end.isoformat()}" + (f", {params.fund} fund" if params.fund else ""),
        tables=[
            Table("cash_accounts", "By cash account", columns, rows, [None, None, "Total", *consolidated]),
            Table(
                "by_fund", "By fund", [columns[0], *columns[3:]],
                [[fund, *values] for fund, values in sorted(by_fund.items())], ["Consolidated", *consolidated],
            ),
        ],
        summary={"start": start, "end": end, **dict(zip(fields, consolidated, strict=True))},
    )  # fmt: skip


register(
    ReportDefinition(
        key="balance_sheet",
        title="Balance sheet",
        category="FINANCIAL",
        description="Assets, liabilities and fund balances on a date, by fund and consolidated.",
        parameters=AsOfParameters,
        produce=produce_balance_sheet,
    )
)
register(
    ReportDefinition(
        key="income_statement",
        title="Income statement",
        category="FINANCIAL",
        description="Revenue and expense by account for a period, against the adopted budget, with an optional "
        "comparison period and a monthly income vs expense chart.",
        parameters=PeriodParameters,
        produce=produce_income_statement,
    )
)
register(
    ReportDefinition(
        key="cash_flow",
        title="Cash flow",
        category="FINANCIAL",
        description="Opening balance, receipts, disbursements, transfers and closing balance of each cash account.",
        parameters=PeriodParameters,
        produce=produce_cash_flow,
    )
)

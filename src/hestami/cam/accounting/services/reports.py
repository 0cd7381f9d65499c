"""Financial reports from posted journal lines: trial balance, balance sheet and income statement (per
fund), and receivables aging by unit. Read-only; managers and board members."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from hestami.cam.accounting import kinds, repository
from hestami.cam.accounting.models import GLAccount
from hestami.cam.accounting.schemas import (
    ArAgingIn,
    ArAgingOut,
    ArAgingRow,
    BalanceSheetIn,
    BalanceSheetOut,
    FundBalanceSheet,
    FundIncome,
    IncomeStatementIn,
    IncomeStatementOut,
    TrialBalanceIn,
    TrialBalanceLine,
    TrialBalanceOut,
)
from hestami.cam.association import api as association_api
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext

ZERO = Decimal("0.00")


async def _authorized(ctx: RequestContext, association_id: uuid.UUID) -> None:
    association = await association_api.find_association(ctx, association_id)
    await authorize(
        ctx,
        "view",
        Resource(kinds.FINANCIAL_REPORT, str(association.id), {"organization_id": str(association.organization_id)}),
    )


async def authorize_view(ctx: RequestContext, association_id: uuid.UUID) -> None:
    """The caller may read the association's financial reports: NOT_FOUND out of scope, else FORBIDDEN unless
    management or the board."""
    await _authorized(ctx, association_id)


def _line(account: GLAccount, net: Decimal) -> TrialBalanceLine:
    return TrialBalanceLine(
        gl_account_id=account.id,
        account_number=account.account_number,
        name=account.name,
        account_type=account.account_type,
        fund=account.fund,
        debit=net if net > 0 else ZERO,
        credit=-net if net < 0 else ZERO,
    )


async def trial_balance(ctx: RequestContext, data: TrialBalanceIn) -> TrialBalanceOut:
    await _authorized(ctx, data.association_id)
    as_of = data.as_of or date.today()
    lines = [
        _line(a, n)
        for a, n in await repository.account_balances(ctx.session, data.association_id, to_date=as_of, fund=data.fund)
        if n
    ]
    total_debit = sum((x.debit for x in lines), ZERO)
    total_credit = sum((x.credit for x in lines), ZERO)
    return TrialBalanceOut(
        association_id=data.association_id,
        as_of=as_of,
        lines=lines,
        total_debit=total_debit,
        total_credit=total_credit,
        balanced=total_debit == total_credit,
    )


def _by_fund_and_type(balances: list[tuple[GLAccount, Decimal]]) -> dict[str, dict[str, Decimal]]:
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for account, net in balances:
        sums[account.fund][account.account_type] += net
    return sums


async def balance_sheet(ctx: RequestContext, data: BalanceSheetIn) -> BalanceSheetOut:
    """Assets = liabilities + fund balance + this period's surplus, for each fund."""
    await _authorized(ctx, data.association_id)
    as_of = data.as_of or date.today()
    balances = await repository.account_balances(ctx.session, data.association_id, to_date=as_of)
    funds = []
    for fund, sums in sorted(_by_fund_and_type(balances).items()):
        assets, liabilities, equity = sums["ASSET"], -sums["LIABILITY"], -sums["EQUITY"]
        net_income = -(sums["REVENUE"] + sums["EXPENSE"])
        funds.append(
            FundBalanceSheet(
                fund=fund,
                assets=assets,
                liabilities=liabilities,
                equity=equity,
                net_income=net_income,
                balanced=assets == liabilities + equity + net_income,
            )
        )
    lines = [_line(a, n) for a, n in balances if n and a.account_type in ("ASSET", "LIABILITY", "EQUITY")]
    return BalanceSheetOut(association_id=data.association_id, as_of=as_of, funds=funds, lines=lines)


async def income_statement(ctx: RequestContext, data: IncomeStatementIn) -> IncomeStatementOut:
    await _authorized(ctx, data.association_id)
    balances = await repository.account_balances(
        ctx.session, data.association_id, from_date=data.from_date, to_date=data.to_date
    )
    funds = []
    for fund, sums in sorted(_by_fund_and_type(balances).items()):
        revenue, expenses = -sums["REVENUE"], sums["EXPENSE"]
        if revenue or expenses:
            funds.append(FundIncome(fund=fund, revenue=revenue, expenses=expenses, net_income=revenue - expenses))
    lines = [_line(a, n) for a, n in balances if n and a.account_type in ("REVENUE", "EXPENSE")]
    return IncomeStatementOut(
        association_id=data.association_id, from_date=data.from_date, to_date=data.to_date, funds=funds, lines=lines
    )


def _bucket(days_past_due: int) -> str:
    if days_past_due <= 30:
        return "current"
    if days_past_due <= 60:
        return "days_31_60"
    if days_past_due <= 90:
        return "days_61_90"
    return "days_over_90"


def _empty_aging_row(unit_id: uuid.UUID, unit_number: str) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "unit_number": unit_number,
        "current": ZERO,
        "days_31_60": ZERO,
        "days_61_90": ZERO,
        "days_over_90": ZERO,
    }


async def ar_aging(ctx: RequestContext, data: ArAgingIn) -> ArAgingOut:
    """Charge balances open on `as_of` by unit in 0-30, 31-60, 61-90 and 90+ days past due: charges due by
    then, less payments applied by then (see `receivables`); the total is the AR control account on that date."""
    await _authorized(ctx, data.association_id)
    as_of = data.as_of or date.today()
    open_balances = await repository.open_charges_as_of(ctx.session, as_of, association_id=data.association_id)
    numbers = await association_api.unit_numbers(ctx, list({unit_id for unit_id, _, _ in open_balances}))
    by_unit = {unit_id: _empty_aging_row(unit_id, number) for unit_id, number in numbers.items()}  # by unit number
    most_overdue: dict[uuid.UUID, int] = {}
    for unit_id, due_date, balance in open_balances:
        if unit_id not in by_unit:
            continue
        days = (as_of - due_date).days
        by_unit[unit_id][_bucket(days)] += balance
        most_overdue[unit_id] = max(most_overdue.get(unit_id, days), days)
    aged = [
        ArAgingRow(**row, total=row["current"] + row["days_31_60"] + row["days_61_90"] + row["days_over_90"])
        for unit_id, row in by_unit.items()
        if data.min_days_past_due == 0 or most_overdue[unit_id] >= data.min_days_past_due
    ]
    totals = None
    if aged:
        totals = ArAgingRow(
            unit_id=data.association_id,
            unit_number="TOTAL",
            **{
                k: sum((getattr(r, k) for r in aged), ZERO)
                for k in ("current", "days_31_60", "days_61_90", "days_over_90", "total")
            },
        )
    return ArAgingOut(association_id=data.association_id, as_of=as_of, rows=aged, totals=totals)


async def fund_net_assets(ctx: RequestContext, association_id: uuid.UUID, fund: str, as_of: date) -> Decimal:
    """A fund's net assets on `as_of` (its assets less its liabilities, from the entries in the books up to that
    date), as the balance sheet computes them per fund. No policy decision of its own: the calling domain has
    authorized its own action (a reserve study's funding analysis)."""
    balances = await repository.account_balances(ctx.session, association_id, to_date=as_of, fund=fund)
    return sum((net for account, net in balances if account.account_type in ("ASSET", "LIABILITY")), ZERO)

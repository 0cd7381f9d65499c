"""Budget vs actual: per GL account and month of the fiscal year, the budgeted amount, the actual from the ledger
(the lines of the entries in the books, posted and reversed with their reversals, dated in that month up to
`through`, as the income statement reads them) and the variance (actual less budgeted).

Income accounts' actuals are their credits less debits, expense accounts' their debits less credits. Accounts of
the budget's fund with actuals but no line in the budget are listed too (`budgeted_line` false). A month counts in
the to-date figures once it has begun by `through` (its whole budget, its actuals up to `through`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hestami.cam.accounting.budgets import kinds, repository, rules
from hestami.cam.accounting.budgets.models import Budget
from hestami.cam.accounting.budgets.schemas import MonthVariance, VarianceRow, VsActualIn, VsActualOut
from hestami.cam.accounting.models import GLAccount
from hestami.core import records
from hestami.core.context import RequestContext

ZERO = rules.ZERO


@dataclass
class _Row:
    account_id: uuid.UUID | None
    number: str
    name: str
    kind: str
    budgeted_line: bool
    budgeted: list[Decimal] = field(default_factory=lambda: [ZERO] * rules.MONTHS)
    actual: list[Decimal] = field(default_factory=lambda: [ZERO] * rules.MONTHS)

    @classmethod
    def of(cls, account: GLAccount, budgeted_line: bool) -> _Row:
        kind = rules.KIND_OF_ACCOUNT[account.account_type]
        return cls(account.id, account.account_number, account.name, kind, budgeted_line)

    def out(self, months: list[str], begun: list[bool]) -> VarianceRow:
        to_date_budget = sum((b for b, on in zip(self.budgeted, begun, strict=True) if on), ZERO)
        to_date_actual = sum(self.actual, ZERO)
        variance = to_date_actual - to_date_budget
        favorable = variance <= 0 if self.kind == rules.EXPENSE else variance >= 0
        by_month = [
            MonthVariance(month=month, begun=on, budgeted=b, actual=a, variance=a - b)
            for month, on, b, a in zip(months, begun, self.budgeted, self.actual, strict=True)
        ]
        return VarianceRow(
            gl_account_id=self.account_id,
            account_number=self.number,
            account_name=self.name,
            kind=self.kind,
            budgeted_line=self.budgeted_line,
            months=by_month,
            budgeted=sum(self.budgeted, ZERO),
            budgeted_to_date=to_date_budget,
            actual_to_date=to_date_actual,
            variance_to_date=variance,
            favorable=favorable,
        )


def _total(label: str, kind: str, rows: list[_Row], sign: int = 1) -> _Row:
    total = _Row(None, "", label, kind, True)
    for row in rows:
        for index in range(rules.MONTHS):
            total.budgeted[index] += sign * row.budgeted[index]
            total.actual[index] += sign * row.actual[index]
    return total


def _through(budget: Budget, asked: date | None) -> date:
    return min(asked or date.today(), budget.ends_on)


async def vs_actual(ctx: RequestContext, data: VsActualIn) -> VsActualOut:
    budget = await records.load(ctx, kinds.BUDGET, data.id, "compare")
    through = _through(budget, data.through)
    starts = rules.month_starts(budget.starts_on)
    months = rules.month_labels(budget.starts_on)
    begun = [first <= through for first in starts]
    index_of = {first: index for index, first in enumerate(starts)}
    rows: dict[uuid.UUID, _Row] = {}
    for line, account in await repository.lines_of(ctx.session, budget.id):
        rows[account.id] = _Row.of(account, True)
        rows[account.id].budgeted = [Decimal(amount) for amount in line.amounts]
    if through >= budget.starts_on:
        found = await repository.actuals(ctx.session, budget.association_id, budget.fund, budget.starts_on, through)
        for account, first, debits_less_credits in found:
            row = rows.setdefault(account.id, _Row.of(account, False))
            row.actual[index_of[first]] += -debits_less_credits if row.kind == rules.INCOME else debits_less_credits
    ordered = sorted(rows.values(), key=lambda row: (row.number, str(row.account_id)))
    income = _total("Total income", rules.INCOME, [r for r in ordered if r.kind == rules.INCOME])
    expense = _total("Total expense", rules.EXPENSE, [r for r in ordered if r.kind == rules.EXPENSE])
    net = _total("Net (income less expense)", "NET", [income])
    negative = _total("", "NET", [expense], sign=-1)
    for index in range(rules.MONTHS):
        net.budgeted[index] += negative.budgeted[index]
        net.actual[index] += negative.actual[index]
    return VsActualOut(
        budget_id=budget.id,
        association_id=budget.association_id,
        fiscal_year=budget.fiscal_year,
        fund=budget.fund,
        status=budget.status,
        through=through,
        months=months,
        rows=[row.out(months, begun) for row in ordered],
        income=income.out(months, begun),
        expense=expense.out(months, begun),
        net=net.out(months, begun),
    )

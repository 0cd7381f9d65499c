"""What other domains may use of the budgets: the adopted budget's amounts for a period (the reporting domain's
income statement compares them with the actuals)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hestami.cam.accounting.budgets import repository, rules
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class BudgetedAmount:
    """What the adopted budgets hold for one GL account over a period."""

    gl_account_id: uuid.UUID
    account_number: str
    name: str
    account_type: str
    fund: str
    amount: Decimal


async def adopted_amounts(
    ctx: RequestContext, association_id: uuid.UUID, from_date: date, to_date: date, fund: str | None = None
) -> list[BudgetedAmount]:
    """Per GL account, the adopted budgets' amounts of the months that begin within the period (a budget's month
    counts whole once it has begun, as the budget-vs-actual comparison counts it), by account number. No policy
    decision of its own: the calling domain has authorized reading the association's financial reports."""
    found: dict[uuid.UUID, BudgetedAmount] = {}
    for starts_on, line, account in await repository.adopted_lines_between(
        ctx.session, association_id, from_date, to_date, fund
    ):
        months = rules.month_starts(starts_on)
        amount = sum(
            (Decimal(a) for first, a in zip(months, line.amounts, strict=False) if from_date <= first <= to_date),
            Decimal("0.00"),
        )
        before = found.get(account.id)
        total = amount + (before.amount if before else Decimal("0.00"))
        found[account.id] = BudgetedAmount(
            account.id, account.account_number, account.name, account.account_type, account.fund, total
        )
    return list(found.values())

"""Budgets and their lines: create (blank, from another budget's lines, or with lines), read, list, edit while a
DRAFT, delete a draft, and revise an adopted budget (a new DRAFT copy of it).

A line is one GL account of the budget's association and fund, a REVENUE (income) or EXPENSE account, active, with
twelve monthly amounts; an annual amount is spread evenly (`rules.spread`). Every account named is read in the
caller's scope and Cerbos view (NOT_FOUND otherwise), in one query for all the lines.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting.budgets import kinds, lifecycle, repository, rules
from hestami.cam.accounting.budgets.errors import BudgetReason, rule
from hestami.cam.accounting.budgets.models import Budget, BudgetLine, BudgetStatusChange
from hestami.cam.accounting.budgets.schemas import (
    BudgetLineIn,
    BudgetLineOut,
    BudgetOut,
    BudgetsOut,
    BudgetSummary,
    BudgetTotals,
    CreateBudget,
    HistoryOut,
    ListBudgets,
    MonthTotal,
    ReviseBudget,
    SetLines,
    StatusChangeOut,
    UpdateBudget,
)
from hestami.cam.accounting.models import GLAccount
from hestami.cam.association import api as association_api
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

Line = tuple[uuid.UUID, list[Decimal], str | None]
"""A line to write: (account id, twelve monthly amounts, note)."""


# --- outputs -----------------------------------------------------------------------------------------------------


def line_out(line: BudgetLine, account: GLAccount) -> BudgetLineOut:
    amounts = [Decimal(amount) for amount in line.amounts]
    return BudgetLineOut(
        gl_account_id=account.id, account_number=account.account_number, account_name=account.name,
        kind=rules.KIND_OF_ACCOUNT[account.account_type], amounts=amounts, total=sum(amounts, rules.ZERO),
        note=line.note,
    )  # fmt: skip


def totals_out(totals: rules.Totals, months: list[str]) -> BudgetTotals:
    by_month = [
        MonthTotal(month=month, income=income, expense=expense, net=income - expense)
        for month, income, expense in zip(months, totals.monthly_income, totals.monthly_expense, strict=True)
    ]
    return BudgetTotals(
        income=totals.income, expense=totals.expense, net=totals.net, result=totals.result, months=by_month
    )


async def lines_out(ctx: RequestContext, budget: Budget) -> list[BudgetLineOut]:
    return [line_out(line, account) for line, account in await repository.lines_of(ctx.session, budget.id)]


async def output(ctx: RequestContext, budget: Budget) -> BudgetOut:
    lines = await lines_out(ctx, budget)
    months = rules.month_labels(budget.starts_on)
    totals = rules.totals([(line.kind, line.amounts) for line in lines])
    return records.output(BudgetOut, budget, months=months, lines=lines, totals=totals_out(totals, months))


def history_row(ctx: RequestContext, budget: Budget, from_status: str | None, to_status: str, note: str | None) -> None:
    """The move's row in the budget's status history."""
    ctx.session.add(
        BudgetStatusChange(
            organization_id=budget.organization_id, budget_id=budget.id, from_status=from_status,
            to_status=to_status, actor_user_id=ctx.user_id, note=note,
        )
    )  # fmt: skip


# --- lines -------------------------------------------------------------------------------------------------------


async def resolve_lines(
    ctx: RequestContext, association_id: uuid.UUID, fund: str, lines: Sequence[BudgetLineIn]
) -> list[Line]:
    """The lines to write: each account read in the caller's scope and view (NOT_FOUND), of the association
    (WRONG_ASSOCIATION) and fund (WRONG_FUND), a REVENUE or EXPENSE account (NOT_AN_INCOME_OR_EXPENSE_ACCOUNT),
    active (INACTIVE_ACCOUNT); an annual amount spread over the months."""
    visible = await records.visible(ctx, accounting_kinds.GL_ACCOUNT)
    accounts = await repository.accounts_in_view(ctx.session, [line.gl_account_id for line in lines], visible)
    resolved: list[Line] = []
    for line in lines:
        account = accounts.get(line.gl_account_id)
        if account is None:
            raise not_found(accounting_kinds.GL_ACCOUNT.name, line.gl_account_id)
        if account.association_id != association_id:
            raise rule(BudgetReason.WRONG_ASSOCIATION, "That account belongs to another association.")
        if account.fund != fund:
            raise rule(
                BudgetReason.WRONG_FUND, f"{account.account_number} is an account of the {account.fund} fund.",
                account_fund=account.fund, budget_fund=fund,
            )  # fmt: skip
        if account.account_type not in rules.KIND_OF_ACCOUNT:
            raise rule(
                BudgetReason.NOT_AN_INCOME_OR_EXPENSE_ACCOUNT,
                f"{account.account_number} is an {account.account_type} account; a budget has REVENUE and EXPENSE "
                "accounts only.",
                account_type=account.account_type,
            )
        if not account.is_active:
            raise rule(BudgetReason.INACTIVE_ACCOUNT, f"{account.account_number} is inactive.")
        amounts = list(line.monthly) if line.monthly is not None else rules.spread(line.annual or rules.ZERO)
        resolved.append((account.id, amounts, line.note))
    return resolved


async def copied_lines(ctx: RequestContext, source: Budget, percent: Decimal | None) -> list[Line]:
    """The source budget's lines of accounts still active, changed by `percent` when given."""
    copied: list[Line] = []
    for line, account in await repository.lines_of(ctx.session, source.id):
        if not account.is_active:
            continue
        amounts = [Decimal(amount) for amount in line.amounts]
        copied.append((account.id, rules.scaled(amounts, percent) if percent is not None else amounts, line.note))
    return copied


def merged(*sets: Sequence[Line]) -> list[Line]:
    """Lines by account, a later set's line replacing an earlier one's."""
    by_account: dict[uuid.UUID, Line] = {}
    for lines in sets:
        for line in lines:
            by_account[line[0]] = line
    return list(by_account.values())


def _editable(budget: Budget) -> None:
    if budget.status not in lifecycle.EDITABLE:
        raise rule(
            BudgetReason.NOT_EDITABLE,
            "Only a DRAFT budget changes; an adopted one is revised into a new draft (revise).",
            status=budget.status,
        )


# --- budgets -----------------------------------------------------------------------------------------------------


async def _new_budget(
    ctx: RequestContext, source: Budget | None, lines: list[Line], note: str | None, **fields: object
) -> BudgetOut:
    """Creates a DRAFT with its lines and first history row."""
    budget = Budget(status="DRAFT", created_by=ctx.user_id, **fields)
    budget = await records.create(ctx, kinds.BUDGET, budget)
    await repository.upsert_lines(ctx.session, budget.organization_id, budget.id, lines)
    history_row(ctx, budget, None, "DRAFT", note)
    if lines:
        after = {"lines": len(lines), "copied_from": str(source.id) if source is not None else None}
        audit.record(ctx, "budget.lines_set", kinds.BUDGET.name, budget.id, after=after)
    await ctx.session.flush()
    return await output(ctx, budget)


async def create(ctx: RequestContext, data: CreateBudget) -> BudgetOut:
    await records.authorize_new(ctx, kinds.BUDGET, "create")
    association = await association_api.load_association(ctx, data.association_id)
    source = None
    copied: list[Line] = []
    if data.copy_from_id is not None:
        source = await records.load(ctx, kinds.BUDGET, data.copy_from_id)
        if source.association_id != association.id:
            raise rule(BudgetReason.WRONG_ASSOCIATION, "The budget to copy belongs to another association.")
        if source.fund != data.fund:
            raise rule(BudgetReason.WRONG_FUND, f"The budget to copy is a {source.fund} budget.", fund=source.fund)
        copied = await copied_lines(ctx, source, data.increase_percent)
    given = await resolve_lines(ctx, association.id, data.fund, data.lines)
    start_month = association.fiscal_year_start_month
    starts_on, ends_on = rules.fiscal_year_bounds(data.fiscal_year, start_month)
    label = rules.fiscal_year_label(data.fiscal_year, start_month)
    name = data.name or f"{label} {data.fund.title()} Budget"
    note = f"Copied from {source.name}" if source is not None else None
    return await _new_budget(
        ctx, source, merged(copied, given), note, association_id=association.id, fiscal_year=data.fiscal_year,
        fund=data.fund, name=name, starts_on=starts_on, ends_on=ends_on, notes=data.notes,
    )  # fmt: skip


async def get(ctx: RequestContext, budget_id: uuid.UUID) -> BudgetOut:
    return await output(ctx, await records.load(ctx, kinds.BUDGET, budget_id))


async def list_budgets(ctx: RequestContext, data: ListBudgets) -> BudgetsOut:
    filters = []
    if data.association_id is not None:
        filters.append(Budget.association_id == data.association_id)
    if data.fiscal_year is not None:
        filters.append(Budget.fiscal_year == data.fiscal_year)
    if data.fund is not None:
        filters.append(Budget.fund == data.fund)
    if data.status is not None:
        filters.append(Budget.status == data.status)
    rows, cursor = await records.page(ctx, kinds.BUDGET, data, *filters)
    lines = await repository.line_kinds_of(ctx.session, [row.id for row in rows])
    items = []
    for row in rows:
        totals = rules.totals([(rules.KIND_OF_ACCOUNT[kind], amounts) for kind, amounts in lines[row.id]])
        items.append(records.output(BudgetSummary, row, income=totals.income, expense=totals.expense, net=totals.net))
    return BudgetsOut(items=items, next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateBudget) -> BudgetOut:
    budget = await records.load(ctx, kinds.BUDGET, data.id, "update", lock=True)
    _editable(budget)
    changes = records.changes_of(data)
    if changes:
        budget = await records.change(ctx, kinds.BUDGET, budget, changes)
    return await output(ctx, budget)


async def set_lines(ctx: RequestContext, data: SetLines) -> BudgetOut:
    """Sets the lines of the accounts named (and, with `replace`, removes the others) on a DRAFT."""
    budget = await records.load(ctx, kinds.BUDGET, data.id, "update", lock=True)
    _editable(budget)
    lines = await resolve_lines(ctx, budget.association_id, budget.fund, data.lines)
    await repository.upsert_lines(ctx.session, budget.organization_id, budget.id, lines)
    removed = 0
    if data.replace:
        removed = await repository.remove_lines_except(ctx.session, budget.id, [line[0] for line in lines])
    audit.record(
        ctx, "budget.lines_set", kinds.BUDGET.name, budget.id,
        after={"set": {str(account): [str(a) for a in amounts] for account, amounts, _ in lines}, "removed": removed},
    )  # fmt: skip
    budget.updated_at = func.now()
    await ctx.session.flush()
    await ctx.session.refresh(budget)
    return await output(ctx, budget)


async def delete(ctx: RequestContext, budget_id: uuid.UUID) -> None:
    """A DRAFT is deleted with its lines and history (the audit trail keeps it); anything else is NOT_EDITABLE."""
    budget = await records.load(ctx, kinds.BUDGET, budget_id, "delete", lock=True)
    _editable(budget)
    before = records.snapshot(budget)
    await repository.remove_budget_rows(ctx.session, budget.id)
    await ctx.session.delete(budget)
    await ctx.session.flush()
    audit.record(ctx, "budget.deleted", kinds.BUDGET.name, budget_id, before=before)


async def revise(ctx: RequestContext, data: ReviseBudget) -> BudgetOut:
    """A new DRAFT copy of an ADOPTED budget (NOT_ADOPTED otherwise), naming it as the budget it revises: adopting
    the revision supersedes it."""
    source = await records.load(ctx, kinds.BUDGET, data.id, "revise")
    if source.status != lifecycle.IN_FORCE:
        raise rule(BudgetReason.NOT_ADOPTED, "Only an adopted budget is revised.", status=source.status)
    lines = await copied_lines(ctx, source, None)
    return await _new_budget(
        ctx, source, lines, f"Revision of {source.name}", association_id=source.association_id,
        fiscal_year=source.fiscal_year, fund=source.fund, name=data.name or f"{source.name} (revised)",
        starts_on=source.starts_on, ends_on=source.ends_on, notes=source.notes, revises_id=source.id,
    )  # fmt: skip


async def history(ctx: RequestContext, budget_id: uuid.UUID) -> HistoryOut:
    budget = await records.load(ctx, kinds.BUDGET, budget_id, "view_history")
    changes = await repository.status_history(ctx.session, budget.id)
    return HistoryOut(items=[StatusChangeOut.model_validate(change) for change in changes])

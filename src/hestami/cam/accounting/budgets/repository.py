"""The budgets' SQL beyond the common record steps: lines (with their accounts), the adoption lock and the budget in
force, status history, the ledger's actuals by account and month, and the assessment type a fund's income takes.

Lists that need lines take every budget of the page and answer in one query (`line_kinds_of`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, cast, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.accounting.budgets.models import Budget, BudgetLine, BudgetStatusChange
from hestami.cam.accounting.models import AssessmentType, GLAccount, JournalEntry, JournalLine
from hestami.cam.accounting.repository import IN_THE_BOOKS
from hestami.core.repository import hold_lock

BUDGETED_TYPES = ("REVENUE", "EXPENSE")


# --- lines -------------------------------------------------------------------------------------------------------


async def lines_of(session: AsyncSession, budget_id: uuid.UUID) -> list[tuple[BudgetLine, GLAccount]]:
    """The budget's lines with their accounts, by account number."""
    rows = await session.execute(
        select(BudgetLine, GLAccount)
        .join(GLAccount, GLAccount.id == BudgetLine.gl_account_id)
        .where(BudgetLine.budget_id == budget_id)
        .order_by(GLAccount.account_number, GLAccount.id)
    )
    return [(line, account) for line, account in rows.all()]


async def line_kinds_of(
    session: AsyncSession, budget_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[str, list[Decimal]]]]:
    """Each budget's lines as (account type, amounts), in one query (budgets without lines: an empty list)."""
    grouped: dict[uuid.UUID, list[tuple[str, list[Decimal]]]] = {budget_id: [] for budget_id in budget_ids}
    if not budget_ids:
        return grouped
    rows = await session.execute(
        select(BudgetLine.budget_id, GLAccount.account_type, BudgetLine.amounts)
        .join(GLAccount, GLAccount.id == BudgetLine.gl_account_id)
        .where(BudgetLine.budget_id.in_(set(budget_ids)))
    )
    for budget_id, account_type, amounts in rows.all():
        grouped[budget_id].append((account_type, list(amounts)))
    return grouped


async def accounts_in_view(
    session: AsyncSession, account_ids: Sequence[uuid.UUID], visible: ColumnElement[bool]
) -> dict[uuid.UUID, GLAccount]:
    """The accounts of `account_ids` in scope that satisfy `visible` (the caller's Cerbos query plan), in one
    query; the others are absent."""
    if not account_ids:
        return {}
    rows = await session.execute(select(GLAccount).where(GLAccount.id.in_(set(account_ids)), visible))
    return {account.id: account for account in rows.scalars()}


async def upsert_lines(session: AsyncSession, organization_id: uuid.UUID, budget_id: uuid.UUID, lines: Any) -> None:
    """Writes (account id, amounts, note) lines of the budget: a new line per account, or its new amounts and note,
    in one statement."""
    rows = [
        {"organization_id": organization_id, "budget_id": budget_id, "gl_account_id": account_id,
         "amounts": amounts, "note": note}
        for account_id, amounts, note in lines
    ]  # fmt: skip
    if not rows:
        return
    statement = pg_insert(BudgetLine).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "budget_id", "gl_account_id"],
            set_={"amounts": statement.excluded.amounts, "note": statement.excluded.note, "updated_at": func.now()},
        )
    )


async def remove_lines_except(session: AsyncSession, budget_id: uuid.UUID, keep: Sequence[uuid.UUID]) -> int:
    """Deletes the budget's lines of accounts not in `keep`; how many."""
    result = await session.execute(
        delete(BudgetLine).where(BudgetLine.budget_id == budget_id, BudgetLine.gl_account_id.not_in(set(keep)))
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def remove_budget_rows(session: AsyncSession, budget_id: uuid.UUID) -> None:
    """Deletes a budget's lines and history (before the budget itself)."""
    await session.execute(delete(BudgetLine).where(BudgetLine.budget_id == budget_id))
    await session.execute(delete(BudgetStatusChange).where(BudgetStatusChange.budget_id == budget_id))


# --- adoption ----------------------------------------------------------------------------------------------------


async def lock_adoption(session: AsyncSession, association_id: uuid.UUID, fund: str, fiscal_year: int) -> None:
    """Until the transaction ends, no one else adopts a budget of this association, fund and fiscal year
    (`hold_lock`): a second adoption waits, then finds the first one's budget in force."""
    await hold_lock(session, f"budget_adoption:{association_id}:{fund}:{fiscal_year}")


async def adopted_budget(
    session: AsyncSession, association_id: uuid.UUID, fund: str, fiscal_year: int
) -> Budget | None:
    """The ADOPTED budget of the association, fund and fiscal year, locked, if there is one."""
    statement = (
        select(Budget)
        .where(
            Budget.association_id == association_id,
            Budget.fund == fund,
            Budget.fiscal_year == fiscal_year,
            Budget.status == "ADOPTED",
        )
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def status_history(session: AsyncSession, budget_id: uuid.UUID) -> list[BudgetStatusChange]:
    rows = await session.execute(
        select(BudgetStatusChange)
        .where(BudgetStatusChange.budget_id == budget_id)
        .order_by(BudgetStatusChange.created_at, BudgetStatusChange.id)
    )
    return list(rows.scalars())


# --- the ledger --------------------------------------------------------------------------------------------------


async def actuals(
    session: AsyncSession, association_id: uuid.UUID, fund: str, from_date: date, to_date: date
) -> list[tuple[GLAccount, date, Decimal]]:
    """(account, first day of the month, debits less credits) of every REVENUE and EXPENSE account of the fund with
    lines in the books dated in the period, per calendar month, in one query."""
    month = cast(func.date_trunc("month", JournalEntry.entry_date), Date)
    rows = await session.execute(
        select(GLAccount, month, func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalLine, JournalLine.gl_account_id == GLAccount.id)
        .join(JournalEntry, JournalEntry.id == JournalLine.journal_entry_id)
        .where(
            JournalEntry.association_id == association_id,
            JournalEntry.status.in_(IN_THE_BOOKS),
            JournalEntry.entry_date >= from_date,
            JournalEntry.entry_date <= to_date,
            GLAccount.fund == fund,
            GLAccount.account_type.in_(BUDGETED_TYPES),
        )
        .group_by(GLAccount.id, month)
    )
    return [(account, first, Decimal(net)) for account, first, net in rows.all()]


async def assessment_type_crediting(
    session: AsyncSession, association_id: uuid.UUID, revenue_account_id: uuid.UUID
) -> AssessmentType | None:
    """The association's first active periodic REGULAR assessment type crediting the account, if it has one."""
    statement = (
        select(AssessmentType)
        .where(
            AssessmentType.association_id == association_id,
            AssessmentType.revenue_account_id == revenue_account_id,
            AssessmentType.kind == "REGULAR",
            AssessmentType.frequency != "ONE_TIME",
            AssessmentType.is_active.is_(True),
        )
        .order_by(AssessmentType.created_at, AssessmentType.id)
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def adopted_lines_between(
    session: AsyncSession, association_id: uuid.UUID, from_date: date, to_date: date, fund: str | None = None
) -> list[tuple[date, BudgetLine, GLAccount]]:
    """(budget's first day, line, account) of every line of the association's ADOPTED budgets whose fiscal year
    overlaps the period (of one fund when given), by account number."""
    statement = (
        select(Budget.starts_on, BudgetLine, GLAccount)
        .join(BudgetLine, BudgetLine.budget_id == Budget.id)
        .join(GLAccount, GLAccount.id == BudgetLine.gl_account_id)
        .where(
            Budget.association_id == association_id,
            Budget.status == "ADOPTED",
            Budget.starts_on <= to_date,
            Budget.ends_on >= from_date,
        )
        .order_by(GLAccount.account_number, GLAccount.id, Budget.starts_on)
    )
    if fund is not None:
        statement = statement.where(Budget.fund == fund)
    return [(starts_on, line, account) for starts_on, line, account in (await session.execute(statement)).all()]

"""The chart of accounts of each association: the standard HOA chart, and the association's own accounts."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from hestami.cam.accounting import kinds, repository
from hestami.cam.accounting.chart import STANDARD_CHART
from hestami.cam.accounting.errors import AccountingError, AccountingReason, rule
from hestami.cam.accounting.models import GLAccount
from hestami.cam.accounting.schemas import (
    CreateGLAccount,
    GLAccountOut,
    ListGLAccounts,
    SeedDefaults,
    SeededOut,
    UpdateGLAccount,
)
from hestami.cam.association import api as association_api
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode
from hestami.core.pagination import Page

NORMAL_BALANCE = {"ASSET": "DEBIT", "EXPENSE": "DEBIT", "LIABILITY": "CREDIT", "EQUITY": "CREDIT", "REVENUE": "CREDIT"}


def account_out(account: GLAccount) -> GLAccountOut:
    return GLAccountOut.model_validate(account)


async def seed_standard_chart(ctx: RequestContext, association_id: uuid.UUID) -> SeededOut:
    """Adds the standard accounts the association does not have yet (by number); idempotent, also when run
    twice at once (the second waits for the first, then finds its accounts)."""
    await records.authorize_new(ctx, kinds.GL_ACCOUNT, "seed_defaults")
    await repository.lock_chart(ctx.session, association_id)
    have = await repository.account_numbers(ctx.session, association_id)
    created = 0
    for spec in STANDARD_CHART:
        if spec.number in have:
            continue
        account = GLAccount(
            organization_id=ctx.require_org(),
            association_id=association_id,
            account_number=spec.number,
            name=spec.name,
            account_type=spec.type,
            normal_balance=spec.normal_balance,
            fund=spec.fund,
            role=spec.role,
            parent_id=have.get(spec.parent) if spec.parent else None,
            is_active=True,
        )
        ctx.session.add(account)
        await ctx.session.flush()
        have[spec.number] = account.id
        created += 1
    if created:
        audit.record(ctx, "gl_account.standard_chart_seeded", "association", association_id, after={"created": created})
    return SeededOut(created=created, existing=len(have) - created)


async def seed_defaults(ctx: RequestContext, data: SeedDefaults) -> SeededOut:
    await association_api.load_association(ctx, data.association_id)
    return await seed_standard_chart(ctx, data.association_id)


async def _parent(ctx: RequestContext, association_id: uuid.UUID, parent_id: uuid.UUID | None) -> None:
    if parent_id is None:
        return
    parent = await records.find(ctx, kinds.GL_ACCOUNT, parent_id)
    if parent.association_id != association_id:
        raise rule(AccountingReason.WRONG_ASSOCIATION, "The parent account belongs to another association.")


async def create(ctx: RequestContext, data: CreateGLAccount) -> GLAccountOut:
    await association_api.load_association(ctx, data.association_id)
    await _parent(ctx, data.association_id, data.parent_id)
    account = GLAccount(**data.model_dump(), normal_balance=NORMAL_BALANCE[data.account_type], is_active=True)
    try:
        async with ctx.session.begin_nested():
            created = await records.create(ctx, kinds.GL_ACCOUNT, account)
    except IntegrityError:
        raise AccountingError(
            ErrorCode.CONFLICT,
            AccountingReason.DUPLICATE_ACCOUNT_NUMBER,
            f"Account {data.account_number} exists in this association.",
        ) from None
    return account_out(created)


async def get(ctx: RequestContext, account_id: uuid.UUID) -> GLAccountOut:
    return account_out(await records.load(ctx, kinds.GL_ACCOUNT, account_id))


async def list_(ctx: RequestContext, data: ListGLAccounts) -> Page[GLAccountOut]:
    filters = [GLAccount.association_id == data.association_id]
    if data.account_type:
        filters.append(GLAccount.account_type == data.account_type)
    if data.fund:
        filters.append(GLAccount.fund == data.fund)
    if not data.include_inactive:
        filters.append(GLAccount.is_active.is_(True))
    items, cursor = await records.page(ctx, kinds.GL_ACCOUNT, data, *filters)
    return Page[GLAccountOut](
        items=[account_out(a) for a in sorted(items, key=lambda a: a.account_number)], next_cursor=cursor
    )


async def update(ctx: RequestContext, data: UpdateGLAccount) -> GLAccountOut:
    account = await records.load(ctx, kinds.GL_ACCOUNT, data.id, "update")
    changes = records.changes_of(data)
    if changes.get("is_active") is False and account.role is not None:
        raise rule(AccountingReason.ACCOUNT_IN_USE, f"{account.name} is a system account ({account.role}).")
    if "parent_id" in changes:
        await _parent(ctx, account.association_id, data.parent_id)
    return account_out(await records.change(ctx, kinds.GL_ACCOUNT, account, changes))


async def delete(ctx: RequestContext, account_id: uuid.UUID) -> None:
    """An account with postings or a system role is deactivated, never deleted; an unused one is removed."""
    account = await records.load(ctx, kinds.GL_ACCOUNT, account_id, "delete")
    if account.role is not None or await repository.has_postings(ctx.session, account.id):
        raise rule(
            AccountingReason.ACCOUNT_IN_USE,
            "The account has postings or a system role; deactivate it instead.",
            role=account.role,
        )
    await records.hard_delete(ctx, kinds.GL_ACCOUNT, account_id)


async def reserve_expense_account(ctx: RequestContext, association_id: uuid.UUID, account_id: uuid.UUID) -> GLAccount:
    """An active EXPENSE account of the association's RESERVE fund (what a reserve component's replacement is
    charged to): NOT_FOUND out of scope or unreadable, WRONG_ASSOCIATION for another association's account,
    NOT_AN_EXPENSE_ACCOUNT (with the account's `fund` and `account_type`) for another fund or type,
    INACTIVE_ACCOUNT for a deactivated one."""
    account = await records.load(ctx, kinds.GL_ACCOUNT, account_id)
    if account.association_id != association_id:
        raise rule(AccountingReason.WRONG_ASSOCIATION, "That account belongs to another association.")
    if account.fund != "RESERVE" or account.account_type != "EXPENSE":
        raise rule(
            AccountingReason.NOT_AN_EXPENSE_ACCOUNT,
            f"{account.account_number} is not an expense account of the reserve fund.",
            fund=account.fund, account_type=account.account_type, expected_fund="RESERVE", expected_type="EXPENSE",
        )  # fmt: skip
    if not account.is_active:
        raise rule(AccountingReason.INACTIVE_ACCOUNT, f"{account.account_number} is inactive.")
    return account

"""Bank accounts: each linked to a cash account of the chart, with book balance (from the ledger) versus
bank balance (from the statement), reconciliation date, and one primary account per fund."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from hestami.cam.accounting import kinds, repository
from hestami.cam.accounting.errors import AccountingReason, rule
from hestami.cam.accounting.models import BankAccount
from hestami.cam.accounting.schemas import (
    BankAccountOut,
    ByAssociation,
    CreateBankAccount,
    UpdateBankAccount,
    UpdateBankBalance,
)
from hestami.cam.association import api as association_api
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.ids import new_id
from hestami.core.pagination import Page

CENT = Decimal("0.01")


def _bank_out(bank: BankAccount, book: Decimal) -> BankAccountOut:
    difference = bank.bank_balance - book if bank.bank_balance is not None else None
    return records.output(BankAccountOut, bank, book_balance=book, difference=difference)


async def banks_out(ctx: RequestContext, banks: Sequence[BankAccount]) -> list[BankAccountOut]:
    """The bank accounts with their book balances (the ledger's, of their cash accounts), read in one query."""
    balances = await repository.book_balances(ctx.session, [bank.gl_account_id for bank in banks])
    return [_bank_out(bank, balances.get(bank.gl_account_id, Decimal(0)).quantize(CENT)) for bank in banks]


async def bank_out(ctx: RequestContext, bank: BankAccount) -> BankAccountOut:
    return (await banks_out(ctx, [bank]))[0]


async def _take_primary(ctx: RequestContext, bank: BankAccount) -> None:
    """Only one primary account per fund: the new primary takes the flag from the old one. Changes of the
    fund's primary take turns (a lock held until commit), so of two at once the later one wins, as it would one
    after the other; a unique index holds the rule in the database."""
    await repository.lock_primary(ctx.session, bank.association_id, bank.fund)
    await repository.clear_primary(ctx.session, bank)


async def create(ctx: RequestContext, data: CreateBankAccount) -> BankAccountOut:
    await association_api.load_association(ctx, data.association_id)
    cash = await records.find(ctx, kinds.GL_ACCOUNT, data.gl_account_id)
    is_cash = cash.account_type == "ASSET" and (cash.role is None or cash.role.startswith("CASH_"))
    if cash.association_id != data.association_id or not is_cash:
        raise rule(
            AccountingReason.NOT_A_CASH_ACCOUNT, f"{cash.account_number} is not a cash account of this association."
        )
    bank = BankAccount(**data.model_dump(), fund=cash.fund, is_active=True)
    if bank.is_primary:
        bank.id = new_id()
        bank.organization_id = ctx.require_org()
        await _take_primary(ctx, bank)
    return await bank_out(ctx, await records.create(ctx, kinds.BANK_ACCOUNT, bank))


async def get(ctx: RequestContext, bank_id: uuid.UUID) -> BankAccountOut:
    return await bank_out(ctx, await records.load(ctx, kinds.BANK_ACCOUNT, bank_id))


async def list_(ctx: RequestContext, data: ByAssociation) -> Page[BankAccountOut]:
    filters = [BankAccount.association_id == data.association_id, BankAccount.is_active.is_(True)]
    items, cursor = await records.page(ctx, kinds.BANK_ACCOUNT, data, *filters)
    return Page[BankAccountOut](items=await banks_out(ctx, items), next_cursor=cursor)


async def update_bank(ctx: RequestContext, data: UpdateBankAccount) -> BankAccountOut:
    bank = await records.load(ctx, kinds.BANK_ACCOUNT, data.id, "update")
    if data.is_primary:  # the fund's lock before the row's, the order every change of the primary takes them in
        await _take_primary(ctx, bank)
    await ctx.session.refresh(bank, with_for_update=True)
    return await bank_out(ctx, await records.change(ctx, kinds.BANK_ACCOUNT, bank, records.changes_of(data)))


async def deactivate(ctx: RequestContext, bank_id: uuid.UUID) -> BankAccountOut:
    """Bank accounts are deactivated, not deleted: the ledger keeps their history."""
    bank = await records.load(ctx, kinds.BANK_ACCOUNT, bank_id, "delete", lock=True)
    changes = {"is_active": False, "is_primary": False}
    return await bank_out(ctx, await records.change(ctx, kinds.BANK_ACCOUNT, bank, changes, action="deactivated"))


async def update_bank_balance(ctx: RequestContext, data: UpdateBankBalance) -> BankAccountOut:
    """Records the statement balance; `reconciled` marks the account reconciled as of that date."""
    bank = await records.load(ctx, kinds.BANK_ACCOUNT, data.id, "update_balance", lock=True)
    changes: dict[str, object] = {"bank_balance": data.bank_balance, "bank_balance_date": data.as_of}
    if data.reconciled:
        changes["last_reconciled_date"] = data.as_of
    return await bank_out(ctx, await records.change(ctx, kinds.BANK_ACCOUNT, bank, changes, action="balance_updated"))

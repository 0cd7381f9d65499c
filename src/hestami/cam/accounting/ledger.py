"""The general ledger: posting balanced journal entries, keeping each fund balanced, reversing.

Every posting goes through `post`. An entry must balance in total and per fund; entries the system makes
(charges, payments, invoices) get their inter-fund legs added automatically through the due-to / due-from
accounts, the way a bookkeeper moves money between the operating and reserve funds. Rounding: amounts are
quantized to cents (ROUND_HALF_UP) before they reach the ledger; the ledger itself never rounds.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func

from hestami.cam.accounting import repository
from hestami.cam.accounting.chart import OPERATING, RESERVE
from hestami.cam.accounting.errors import AccountingReason, rule
from hestami.cam.accounting.models import GLAccount, JournalEntry, JournalLine
from hestami.cam.association import api as association_api
from hestami.core import audit
from hestami.core.context import RequestContext
from hestami.core.ids import new_id
from hestami.core.repository import insert_rows

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """An amount to the cent, half up: how amounts are rounded before they reach the ledger."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Leg:
    """One side of a posting: an account and a positive debit or credit."""

    account: GLAccount
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    memo: str | None = None
    unit_id: uuid.UUID | None = None


def debit(account: GLAccount, amount: Decimal, memo: str | None = None, unit_id: uuid.UUID | None = None) -> Leg:
    return Leg(account, debit=amount, memo=memo, unit_id=unit_id)


def credit(account: GLAccount, amount: Decimal, memo: str | None = None, unit_id: uuid.UUID | None = None) -> Leg:
    return Leg(account, credit=amount, memo=memo, unit_id=unit_id)


async def account_for(ctx: RequestContext, association_id: uuid.UUID, role: str) -> GLAccount:
    """The association's account that plays `role` (AR, AP, PREPAID, CASH_OPERATING, ...)."""
    account = await repository.account_with_role(ctx.session, association_id, role)
    if account is None:
        raise rule(AccountingReason.MISSING_SYSTEM_ACCOUNT, f"The association has no {role} account.", role=role)
    return account


def fund_nets(legs: list[Leg]) -> dict[str, Decimal]:
    nets: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for leg in legs:
        nets[leg.account.fund] += leg.debit - leg.credit
    return dict(nets)


async def with_interfund_legs(ctx: RequestContext, association_id: uuid.UUID, legs: list[Leg]) -> list[Leg]:
    """Adds due-to / due-from legs so the operating and reserve funds each balance on their own."""
    nets = fund_nets(legs)
    operating = nets.get(OPERATING, ZERO)
    if operating == ZERO or nets.get(RESERVE, ZERO) != -operating or set(nets) - {OPERATING, RESERVE}:
        return legs
    amount = abs(operating)
    if operating > 0:  # operating took the debit: it owes the reserve fund
        return [
            *legs,
            credit(await account_for(ctx, association_id, "DUE_TO_RESERVE"), amount, "Inter-fund"),
            debit(await account_for(ctx, association_id, "DUE_FROM_OPERATING"), amount, "Inter-fund"),
        ]
    return [
        *legs,
        debit(await account_for(ctx, association_id, "DUE_FROM_RESERVE"), amount, "Inter-fund"),
        credit(await account_for(ctx, association_id, "DUE_TO_OPERATING"), amount, "Inter-fund"),
    ]


def check_balanced(legs: list[Leg]) -> None:
    if not legs:
        raise rule(AccountingReason.EMPTY_ENTRY, "A journal entry needs lines.")
    total_debit = sum((leg.debit for leg in legs), ZERO)
    total_credit = sum((leg.credit for leg in legs), ZERO)
    if total_debit != total_credit:
        raise rule(
            AccountingReason.UNBALANCED,
            f"Debits {total_debit} do not equal credits {total_credit}.",
            total_debit=str(total_debit),
            total_credit=str(total_credit),
        )
    unbalanced = {fund: str(net) for fund, net in fund_nets(legs).items() if net != ZERO}
    if unbalanced:
        raise rule(
            AccountingReason.FUND_UNBALANCED,
            "Each fund must balance on its own; move money between funds through due-to / due-from accounts.",
            funds=unbalanced,
        )


async def _next_entry_number(ctx: RequestContext, association_id: uuid.UUID) -> int:
    """Numbers are per association and gapless; the association row is locked while one is taken."""
    await association_api.lock_for_numbering(ctx, association_id)
    return await repository.last_entry_number(ctx.session, association_id) + 1


def check_accounts(association_id: uuid.UUID, accounts: Iterable[GLAccount], *, reversal: bool = False) -> None:
    """Every account an entry posts to is the association's, and active (a reversal may post to an inactive one:
    it takes back what was posted when it was active). `record` and `record_many` both hold this."""
    for account in accounts:
        if account.association_id != association_id:
            raise rule(
                AccountingReason.WRONG_ASSOCIATION, f"Account {account.account_number} is another association's."
            )
        if not account.is_active and not reversal:
            raise rule(AccountingReason.INACTIVE_ACCOUNT, f"Account {account.account_number} is inactive.")


async def record(
    ctx: RequestContext,
    association_id: uuid.UUID,
    *,
    entry_date: date,
    memo: str,
    legs: list[Leg],
    source_type: str,
    source_id: uuid.UUID | None = None,
    status: str = "POSTED",
    interfund: bool = False,
    reverses: uuid.UUID | None = None,
) -> JournalEntry:
    """Writes a journal entry with its lines; POSTED entries must balance (in total and per fund)."""
    check_accounts(association_id, [leg.account for leg in legs], reversal=reverses is not None)
    if interfund:
        legs = await with_interfund_legs(ctx, association_id, legs)
    if status == "POSTED":
        check_balanced(legs)
    entry = JournalEntry(
        organization_id=ctx.require_org(),
        association_id=association_id,
        entry_number=await _next_entry_number(ctx, association_id),
        entry_date=entry_date,
        memo=memo,
        status=status,
        source_type=source_type,
        source_id=source_id,
        reverses_entry_id=reverses,
        created_by=ctx.user_id,
        posted_by=ctx.user_id if status == "POSTED" else None,
        posted_at=datetime.now(UTC) if status == "POSTED" else None,
    )
    ctx.session.add(entry)
    await ctx.session.flush()
    write_lines(ctx, entry, legs)
    await ctx.session.flush()
    audit.record(
        ctx,
        "journal_entry.recorded",
        "journal_entry",
        entry.id,
        after={"entry_number": entry.entry_number, "status": status, "source_type": source_type, "memo": memo},
    )
    return entry


@dataclass(frozen=True, slots=True)
class Posting:
    """One balanced entry of a batch: all legs already include any inter-fund legs."""

    entry_date: date
    memo: str
    legs: list[Leg]
    source_type: str
    source_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    """The unit of the legs that name none: a period's charges share one list of legs, each for its unit."""


BATCH_ROWS = 2_000
"""Entries written per round of inserts by `record_many`: the rows of one round are all that is built at once."""


async def record_many(ctx: RequestContext, association_id: uuid.UUID, postings: Sequence[Posting]) -> list[uuid.UUID]:
    """Posts a batch of balanced entries (billing a month, importing a lockbox file) and returns their ids, in
    order: numbers are taken once for the batch (under the association's numbering lock, held until commit),
    the entries and their lines are written in bulk, `BATCH_ROWS` entries per round of inserts, and one audit
    event describes the batch."""
    if not postings:
        return []
    for posting in postings:
        check_balanced(posting.legs)
    check_accounts(association_id, {leg.account.id: leg.account for p in postings for leg in p.legs}.values())
    first = await _next_entry_number(ctx, association_id)
    ids = [new_id() for _ in postings]
    await ctx.session.flush()  # what the caller added is written first, as before the entries
    for start in range(0, len(postings), BATCH_ROWS):
        chunk = range(start, min(start + BATCH_ROWS, len(postings)))
        await _insert_entries(ctx, association_id, [ids[n] for n in chunk], first + start, [postings[n] for n in chunk])
    audit.record(
        ctx,
        "journal_entry.batch_recorded",
        "association",
        association_id,
        after={
            "entries": len(ids),
            "first_number": first,
            "last_number": first + len(ids) - 1,
            "source_type": postings[0].source_type,
        },
    )
    return ids


async def _insert_entries(
    ctx: RequestContext, association_id: uuid.UUID, ids: list[uuid.UUID], first: int, postings: list[Posting]
) -> None:
    """The entries numbered `first`, `first` + 1, ... and their lines, in one insert per table."""
    tenant = {"organization_id": ctx.require_org(), "association_id": association_id}
    entries: dict[str, Sequence[Any]] = {
        "id": ids,
        "entry_number": list(range(first, first + len(ids))),
        "entry_date": [p.entry_date for p in postings],
        "memo": [p.memo for p in postings],
        "source_type": [p.source_type for p in postings],
        "source_id": [p.source_id for p in postings],
    }
    posted = {"status": "POSTED", "created_by": ctx.user_id, "posted_by": ctx.user_id, "posted_at": datetime.now(UTC)}
    await insert_rows(ctx.session, JournalEntry, entries, {**tenant, **posted})
    legs = [
        (entry_id, number, leg, posting.unit_id)
        for entry_id, posting in zip(ids, postings, strict=True)
        for number, leg in enumerate(posting.legs, 1)
    ]
    lines: dict[str, Sequence[Any]] = {
        "journal_entry_id": [entry_id for entry_id, _, _, _ in legs],
        "gl_account_id": [leg.account.id for _, _, leg, _ in legs],
        "fund": [leg.account.fund for _, _, leg, _ in legs],
        "line_number": [number for _, number, _, _ in legs],
        "debit": [leg.debit for _, _, leg, _ in legs],
        "credit": [leg.credit for _, _, leg, _ in legs],
        "memo": [leg.memo for _, _, leg, _ in legs],
        "unit_id": [leg.unit_id or unit_id for _, _, leg, unit_id in legs],
    }
    await insert_rows(ctx.session, JournalLine, lines, tenant, database_ids=True)


def write_lines(ctx: RequestContext, entry: JournalEntry, legs: list[Leg]) -> None:
    for number, leg in enumerate(legs, start=1):
        ctx.session.add(
            JournalLine(
                organization_id=entry.organization_id,
                journal_entry_id=entry.id,
                association_id=entry.association_id,
                gl_account_id=leg.account.id,
                fund=leg.account.fund,
                line_number=number,
                debit=leg.debit,
                credit=leg.credit,
                memo=leg.memo,
                unit_id=leg.unit_id,
            )
        )


async def legs_of(ctx: RequestContext, entry: JournalEntry) -> list[Leg]:
    rows = await repository.lines_of_entry(ctx.session, entry.id)
    return [Leg(account, line.debit, line.credit, line.memo, line.unit_id) for line, account in rows]


async def reverse(
    ctx: RequestContext, entry: JournalEntry, *, entry_date: date, memo: str, source_type: str
) -> JournalEntry:
    """Posts the mirror image of a posted entry and marks the original REVERSED; both stay."""
    if entry.status == "REVERSED" or entry.reversed_by_entry_id is not None:
        raise rule(AccountingReason.ALREADY_REVERSED, f"Entry {entry.entry_number} is already reversed.")
    mirrored = [Leg(leg.account, leg.credit, leg.debit, leg.memo, leg.unit_id) for leg in await legs_of(ctx, entry)]
    reversal = await record(
        ctx,
        entry.association_id,
        entry_date=entry_date,
        memo=memo,
        legs=mirrored,
        source_type=source_type,
        source_id=entry.source_id,
        reverses=entry.id,
    )
    entry.status = "REVERSED"
    entry.reversed_by_entry_id = reversal.id
    entry.updated_at = func.now()
    await ctx.session.flush()
    return reversal

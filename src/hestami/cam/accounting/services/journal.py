"""Manual journal entries: DRAFT → PENDING_APPROVAL → POSTED, then only reversal. Every entry balances
in total and per fund (inter-fund moves go through the due-to / due-from accounts).

Manual entries never post to the control accounts of the receivable subledger (assessments receivable and
prepaid assessments, the accounts with role AR and PREPAID): those are posted only by the subledger's own
documents (charges, late fees, payments and their voids), so each unit's balance and the aging always add up to
them, on every date. That is how an HOA's books are kept: a correction to what a unit owes is made on the unit's
ledger (a charge, a payment, a void), never by a journal entry that no unit's balance would show.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from hestami.cam.accounting import kinds, ledger, repository
from hestami.cam.accounting.errors import AccountingReason, rule
from hestami.cam.accounting.models import JournalEntry
from hestami.cam.accounting.schemas import (
    CreateJournalEntry,
    JournalEntryOut,
    JournalEntrySummary,
    LineOut,
    ListJournalEntries,
    ReverseJournalEntry,
)
from hestami.cam.association import api as association_api
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.pagination import Page

SUBLEDGER_CONTROLS = frozenset({"AR", "PREPAID"})
"""Roles of the accounts only the receivable subledger posts to."""

# The manual entry lifecycle; POSTED → REVERSED happens only through `reverse` (it posts the reversing entry).
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"PENDING_APPROVAL"}),
    "PENDING_APPROVAL": frozenset({"POSTED", "DRAFT"}),
    "POSTED": frozenset({"REVERSED"}),
    "REVERSED": frozenset(),
}


async def entry_out(ctx: RequestContext, entry: JournalEntry) -> JournalEntryOut:
    lines = [
        LineOut(
            line_number=line.line_number,
            gl_account_id=account.id,
            account_number=account.account_number,
            account_name=account.name,
            fund=line.fund,
            debit=line.debit,
            credit=line.credit,
            memo=line.memo,
            unit_id=line.unit_id,
        )
        for line, account in await repository.lines_of_entry(ctx.session, entry.id)
    ]
    return records.output(
        JournalEntryOut,
        entry,
        lines=lines,
        total_debit=sum((x.debit for x in lines), Decimal("0.00")),
        total_credit=sum((x.credit for x in lines), Decimal("0.00")),
    )


async def _legs(ctx: RequestContext, association_id: uuid.UUID, data: CreateJournalEntry) -> list[ledger.Leg]:
    legs = []
    for line in data.lines:
        account = await records.find(ctx, kinds.GL_ACCOUNT, line.gl_account_id)
        if line.unit_id is not None:
            unit = await association_api.find_unit(ctx, line.unit_id)
            if unit.association_id != association_id:
                raise rule(AccountingReason.WRONG_ASSOCIATION, "The line's unit belongs to another association.")
        legs.append(ledger.Leg(account, line.debit, line.credit, line.memo, line.unit_id))
    return legs


def refuse_subledger_controls(legs: list[ledger.Leg]) -> None:
    """A manual entry may not touch the receivable or prepaid-assessments control account (module docstring)."""
    for number, leg in enumerate(legs, start=1):
        if leg.account.role in SUBLEDGER_CONTROLS:
            raise rule(
                AccountingReason.SUBLEDGER_CONTROL_ACCOUNT,
                f"Account {leg.account.account_number} ({leg.account.name}) is a control account of the unit "
                "receivables: it is posted only through charges and payments (and their voids), so that unit "
                "balances and the aging agree with the ledger. Charge the unit or record a payment instead.",
                line=number,
                account_number=leg.account.account_number,
                role=leg.account.role,
            )


async def create(ctx: RequestContext, data: CreateJournalEntry) -> JournalEntryOut:
    """A manual entry, balanced from the start and off the receivable control accounts; it posts only after
    approval."""
    await association_api.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.JOURNAL_ENTRY, "create")
    legs = await _legs(ctx, data.association_id, data)
    refuse_subledger_controls(legs)
    ledger.check_balanced(legs)
    entry = await ledger.record(
        ctx,
        data.association_id,
        entry_date=data.entry_date,
        memo=data.memo,
        legs=legs,
        source_type="MANUAL",
        status="PENDING_APPROVAL" if data.submit else "DRAFT",
    )
    return await entry_out(ctx, entry)


async def get(ctx: RequestContext, entry_id: uuid.UUID) -> JournalEntryOut:
    return await entry_out(ctx, await records.load(ctx, kinds.JOURNAL_ENTRY, entry_id))


async def list_(ctx: RequestContext, data: ListJournalEntries) -> Page[JournalEntrySummary]:
    filters = [JournalEntry.association_id == data.association_id]
    if data.status:
        filters.append(JournalEntry.status == data.status)
    if data.from_date:
        filters.append(JournalEntry.entry_date >= data.from_date)
    if data.to_date:
        filters.append(JournalEntry.entry_date <= data.to_date)
    items, cursor = await records.page(ctx, kinds.JOURNAL_ENTRY, data, *filters)
    return Page[JournalEntrySummary](items=[JournalEntrySummary.model_validate(e) for e in items], next_cursor=cursor)


async def _move(ctx: RequestContext, entry_id: uuid.UUID, action: str, target: str) -> JournalEntry:
    entry = await records.load(ctx, kinds.JOURNAL_ENTRY, entry_id, action, lock=True)
    check_transition("journal entry", TRANSITIONS, entry.status, target)
    return entry


async def submit(ctx: RequestContext, entry_id: uuid.UUID) -> JournalEntryOut:
    entry = await _move(ctx, entry_id, "submit", "PENDING_APPROVAL")
    await records.change(ctx, kinds.JOURNAL_ENTRY, entry, {"status": "PENDING_APPROVAL"}, action="submitted")
    return await entry_out(ctx, entry)


async def post(ctx: RequestContext, entry_id: uuid.UUID) -> JournalEntryOut:
    """Posts an approved entry; from here on it is immutable and can only be reversed."""
    entry = await _move(ctx, entry_id, "post", "POSTED")
    legs = await ledger.legs_of(ctx, entry)
    refuse_subledger_controls(legs)
    ledger.check_balanced(legs)
    changes = {"status": "POSTED", "posted_by": ctx.user_id, "posted_at": datetime.now(UTC)}
    await records.change(ctx, kinds.JOURNAL_ENTRY, entry, changes, action="posted")
    return await entry_out(ctx, entry)


async def reverse(ctx: RequestContext, data: ReverseJournalEntry) -> JournalEntryOut:
    """Posts the reversing entry (same lines, debits and credits swapped) and marks the original REVERSED."""
    entry = await records.load(ctx, kinds.JOURNAL_ENTRY, data.id, "reverse", lock=True)
    check_transition("journal entry", TRANSITIONS, entry.status, "REVERSED")
    if entry.source_type != "MANUAL":
        raise rule(
            AccountingReason.SOURCE_DOCUMENT_ENTRY,
            f"Entry {entry.entry_number} was made by a {entry.source_type.lower().replace('_', ' ')}; "
            "correct it through that document (void the payment or invoice).",
            source_type=entry.source_type,
            source_id=str(entry.source_id) if entry.source_id else None,
        )
    reversal = await ledger.reverse(
        ctx,
        entry,
        entry_date=data.entry_date or date.today(),
        memo=data.memo or f"Reversal of entry {entry.entry_number}: {entry.memo}",
        source_type="REVERSAL",
    )
    return await entry_out(ctx, reversal)

"""The steps of `apPaymentProcessing_v1`, each one transaction on the locked batch that does its work once: a
step that committed and runs again (a crash before DBOS recorded it) finds its stamp and does nothing.

- post: one journal entry for the batch (Dr accounts payable per invoice / Cr the bank account's cash account by
  the total; inter-fund legs when the fund is RESERVE) and every invoice PAID with that entry, its payment date and
  reference (the check number or the ACH trace number). An invoice voided since the batch was processed leaves it.
- nacha: the NACHA file of the batch's ACH credits, written to storage (`<org>/disbursements/<batch>/...`).
- positive pay: the check register of its checks, written to storage.
- complete: COMPLETED.

The files' bytes depend only on the batch (its processing time, numbers and items), so a step run again writes
the same bytes under the same key.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting import ledger
from hestami.cam.accounting import repository as accounting_repository
from hestami.cam.accounting.disbursements import kinds, repository, rules
from hestami.cam.accounting.disbursements.models import PaymentBatch, PaymentBatchItem
from hestami.cam.accounting.services import payables
from hestami.core import records, runtime
from hestami.core.context import RequestContext

ZERO = Decimal("0.00")
NACHA = "NACHA"
POSITIVE_PAY = "POSITIVE_PAY"
FILES = {
    NACHA: ("nacha_file_key", "ach", "text/plain"),
    POSITIVE_PAY: ("positive_pay_file_key", "csv", "text/csv"),
}


def file_name(batch: PaymentBatch, file: str) -> str:
    _, extension, _ = FILES[file]
    prefix = "nacha" if file == NACHA else "positive-pay"
    return f"{prefix}-batch-{batch.batch_number}.{extension}"


def _key(batch: PaymentBatch, file: str) -> str:
    return f"{batch.organization_id}/disbursements/{batch.id}/{file_name(batch, file)}"


def _state(batch: PaymentBatch) -> dict[str, Any]:
    return {"status": batch.status, "journal_entry_id": str(batch.journal_entry_id or "")}


async def visible_batch(ctx: RequestContext, batch_id: uuid.UUID) -> PaymentBatch | None:
    """The batch, locked, once the transaction that started processing it has committed."""
    batch = await repository.batch(ctx.session, batch_id, lock=True)
    return batch if batch is not None and batch.status != "OPEN" else None


async def _drop_unpayable(ctx: RequestContext, batch: PaymentBatch, items: list[PaymentBatchItem]) -> list[Any]:
    invoices = await repository.invoices(ctx.session, [item.invoice_id for item in items])
    payable = [(item, invoices[item.invoice_id]) for item in items if invoices[item.invoice_id].status == "APPROVED"]
    if len(payable) != len(items):
        for item in items:
            if invoices[item.invoice_id].status != "APPROVED":
                await ctx.session.delete(item)
        await ctx.session.flush()
    return payable


async def post(ctx: RequestContext, batch: PaymentBatch) -> dict[str, Any]:
    if batch.status != "PROCESSING" or batch.entry_posted_at is not None:
        return _state(batch)
    items = (await repository.items_of(ctx.session, [batch.id]))[batch.id]
    payable = await _drop_unpayable(ctx, batch, items)
    now = datetime.now(UTC)
    if not payable:
        changes = {"status": "CANCELLED", "cancelled_at": now, "total": ZERO, "invoice_count": 0}
        await records.change(ctx, kinds.PAYMENT_BATCH, batch, changes, action="cancelled")
        return _state(batch)
    total = sum((item.amount for item, _ in payable), ZERO)
    bank = await records.find(ctx, accounting_kinds.BANK_ACCOUNT, batch.bank_account_id)
    cash = await accounting_repository.account(ctx.session, bank.gl_account_id)
    assert cash is not None
    ap = await ledger.account_for(ctx, batch.association_id, "AP")
    legs = [ledger.debit(ap, item.amount, f"Invoice {invoice.invoice_number}") for item, invoice in payable]
    legs.append(ledger.credit(cash, total, f"Payment batch {batch.batch_number}"))
    entry = await ledger.record(
        ctx, batch.association_id, entry_date=batch.payment_date, memo=f"AP payment batch {batch.batch_number}",
        legs=legs, source_type="AP_PAYMENT", source_id=batch.id, interfund=True,
    )  # fmt: skip
    for item, invoice in payable:
        reference = f"ACH {item.trace_number}" if item.method == "ACH" else f"Check {item.check_number}"
        changes = {
            "status": "PAID", "payment_journal_entry_id": entry.id, "paid_on": batch.payment_date,
            "payment_reference": reference,
        }  # fmt: skip
        await records.change(ctx, accounting_kinds.AP_INVOICE, invoice, changes, action="paid")
        await payables.announce_paid(ctx, invoice)
    changes = {"journal_entry_id": entry.id, "entry_posted_at": now, "total": total, "invoice_count": len(payable)}
    await records.change(ctx, kinds.PAYMENT_BATCH, batch, changes, action="entry_posted")
    return _state(batch)


async def nacha_content(ctx: RequestContext, batch: PaymentBatch, items: list[PaymentBatchItem]) -> str:
    profile = await repository.payment_profile(ctx.session, batch.bank_account_id)
    bank = await records.find(ctx, accounting_kinds.BANK_ACCOUNT, batch.bank_account_id)
    assert profile is not None
    assert batch.processing_started_at is not None
    origin = rules.Origin(profile.routing_number, bank.bank_name, profile.company_name, profile.company_identification)
    invoices = await repository.invoices(ctx.session, [item.invoice_id for item in items])
    vendors = await repository.vendors(ctx.session, [item.vendor_id for item in items])
    credits = [
        rules.Credit(
            routing_number=item.routing_number or "", account_number=item.account_number or "",
            account_type=item.account_type or "CHECKING", amount=item.amount,
            identification=invoices[item.invoice_id].invoice_number, name=vendors[item.vendor_id].name,
        )
        for item in sorted(items, key=lambda i: i.trace_number or "")
    ]  # fmt: skip
    return rules.nacha_file(
        origin, credits, created=batch.processing_started_at, effective=batch.payment_date, batch=batch.batch_number
    )


async def positive_pay_content(ctx: RequestContext, batch: PaymentBatch, items: list[PaymentBatchItem]) -> str:
    bank = await records.find(ctx, accounting_kinds.BANK_ACCOUNT, batch.bank_account_id)
    vendors = await repository.vendors(ctx.session, [item.vendor_id for item in items])
    checks = [
        rules.IssuedCheck(item.check_number or 0, item.amount, vendors[item.vendor_id].name, batch.payment_date)
        for item in sorted(items, key=lambda i: i.check_number or 0)
    ]
    return rules.positive_pay_file(bank.account_last4, checks)


async def write_file(ctx: RequestContext, batch: PaymentBatch, file: str) -> dict[str, Any]:
    """The batch's NACHA or positive-pay file written to storage, once (none when it has no ACH credits, or no
    checks: the step is done all the same)."""
    key_column, _, content_type = FILES[file]
    stamp = "nacha_written_at" if file == NACHA else "positive_pay_written_at"
    if batch.status != "PROCESSING" or getattr(batch, stamp) is not None:
        return _state(batch)
    method = "ACH" if file == NACHA else "CHECK"
    items = [i for i in (await repository.items_of(ctx.session, [batch.id]))[batch.id] if i.method == method]
    changes: dict[str, Any] = {stamp: datetime.now(UTC)}
    if items:
        content = await (nacha_content if file == NACHA else positive_pay_content)(ctx, batch, items)
        key = _key(batch, file)
        await runtime.current().files.put_bytes(key, content.encode("ascii", "replace"), content_type)
        changes[key_column] = key
    await records.change(ctx, kinds.PAYMENT_BATCH, batch, changes, action=f"{file.lower()}_written")
    return _state(batch)


async def complete(ctx: RequestContext, batch: PaymentBatch) -> dict[str, Any]:
    if batch.status == "PROCESSING":
        changes = {"status": "COMPLETED", "completed_at": datetime.now(UTC)}
        await records.change(ctx, kinds.PAYMENT_BATCH, batch, changes, action="completed")
    return _state(batch)

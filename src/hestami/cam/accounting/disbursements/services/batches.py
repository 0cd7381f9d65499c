"""Payment batches: approved invoices of one association paid together from one bank account of one fund.

`create` checks every invoice (in the caller's scope, approved, of the association, its lines all of the bank
account's fund, its vendor with a W-9, in no other batch) and decides how each is paid: by ACH when the vendor has
bank details (a trace number), else by check (the bank account's next check numbers). `process` starts
`apPaymentProcessing_v1` (workflow id from the batch), which posts one entry for the batch, marks the invoices
PAID and writes the bank files (services/processing.py).

Invoices are locked in id order while a batch is made, so two batches naming one invoice take turns and the
second is refused (ALREADY_IN_BATCH); the unique index on an item's invoice holds it whatever path writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting.disbursements import kinds, lifecycle, repository, rules
from hestami.cam.accounting.disbursements.errors import DisbursementReason, conflict, rule
from hestami.cam.accounting.disbursements.models import PaymentBatch, PaymentBatchItem
from hestami.cam.accounting.disbursements.schemas import (
    BatchesOut,
    BatchItemOut,
    BatchOut,
    CreateBatch,
    ListBatches,
    StepOut,
)
from hestami.cam.accounting.disbursements.workflows import start as start_workflow
from hestami.cam.accounting.models import APInvoice, BankAccount
from hestami.cam.association import api as association
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition

ZERO = Decimal("0.00")


def _item_out(item: PaymentBatchItem) -> BatchItemOut:
    return BatchItemOut(
        invoice_id=item.invoice_id, vendor_id=item.vendor_id, amount=item.amount, method=item.method,
        check_number=item.check_number, trace_number=item.trace_number,
        account_number_masked=rules.mask(item.account_number),
    )  # fmt: skip


def batch_out(batch: PaymentBatch, items: list[PaymentBatchItem]) -> BatchOut:
    steps = [StepOut(name=name, done=getattr(batch, column) is not None, done_at=getattr(batch, column))
             for name, column in lifecycle.STEPS]  # fmt: skip
    return records.output(
        BatchOut, batch, workflow_id=lifecycle.workflow_id(batch.id), steps=steps,
        has_nacha_file=batch.nacha_file_key is not None, has_positive_pay_file=batch.positive_pay_file_key is not None,
        items=[_item_out(item) for item in items],
    )  # fmt: skip


async def batches_out(ctx: RequestContext, batches: Sequence[PaymentBatch]) -> list[BatchOut]:
    items = await repository.items_of(ctx.session, [b.id for b in batches])
    return [batch_out(b, items[b.id]) for b in batches]


async def output(ctx: RequestContext, batch: PaymentBatch) -> BatchOut:
    return (await batches_out(ctx, [batch]))[0]


async def _bank(ctx: RequestContext, association_id: uuid.UUID, bank_account_id: uuid.UUID) -> BankAccount:
    bank = await records.load(ctx, accounting_kinds.BANK_ACCOUNT, bank_account_id)
    if bank.association_id != association_id:
        raise rule(DisbursementReason.WRONG_ASSOCIATION, "That bank account is another association's.")
    if not bank.is_active:
        raise rule(DisbursementReason.INACTIVE_BANK_ACCOUNT, f"{bank.name} is inactive.")
    return bank


async def _payable(ctx: RequestContext, bank: BankAccount, invoice_ids: list[uuid.UUID]) -> list[APInvoice]:
    """The invoices (loaded in the caller's scope, locked in id order) once each may be paid from `bank`."""
    loaded = [
        await records.load(ctx, accounting_kinds.AP_INVOICE, invoice_id, "pay", lock=True)
        for invoice_id in sorted(invoice_ids)
    ]
    funds = await repository.invoice_funds(ctx.session, [i.id for i in loaded])
    vendors = await repository.vendors(ctx.session, [i.vendor_id for i in loaded])
    batched = await repository.batched_invoices(ctx.session, [i.id for i in loaded])
    for invoice in loaded:
        details = {"invoice_id": str(invoice.id), "invoice_number": invoice.invoice_number}
        if invoice.association_id != bank.association_id:
            raise rule(DisbursementReason.WRONG_ASSOCIATION, "The invoice is another association's.", **details)
        if invoice.status != "APPROVED":
            raise rule(
                DisbursementReason.INVOICE_NOT_APPROVED,
                f"Invoice {invoice.invoice_number} is {invoice.status}; only APPROVED invoices are paid.",
                status=invoice.status, **details,
            )  # fmt: skip
        if funds[invoice.id] != {bank.fund}:
            raise rule(
                DisbursementReason.WRONG_FUND,
                f"Invoice {invoice.invoice_number} is charged to {sorted(funds[invoice.id])}, not to the bank "
                f"account's fund {bank.fund}.",
                fund=bank.fund, **details,
            )  # fmt: skip
        if not vendors[invoice.vendor_id].w9_on_file:
            vendor = vendors[invoice.vendor_id]
            raise rule(DisbursementReason.W9_MISSING, f"{vendor.name} has no W-9 on file.", **details)
        if invoice.id in batched:
            raise conflict(
                DisbursementReason.ALREADY_IN_BATCH,
                f"Invoice {invoice.invoice_number} is already in batch {batched[invoice.id]}.",
                batch_number=batched[invoice.id], **details,
            )  # fmt: skip
    return loaded


async def create(ctx: RequestContext, data: CreateBatch) -> BatchOut:
    await association.load_association(ctx, data.association_id)
    bank = await _bank(ctx, data.association_id, data.bank_account_id)
    batch = PaymentBatch(
        organization_id=ctx.require_org(), association_id=data.association_id, bank_account_id=bank.id,
        fund=bank.fund, payment_date=data.payment_date, status="OPEN", memo=data.memo, total=ZERO, invoice_count=0,
        batch_number=0, created_by=ctx.user_id,
    )  # fmt: skip
    await records.authorize_record(ctx, kinds.PAYMENT_BATCH, batch, "create")
    profile = await repository.payment_profile(ctx.session, bank.id, lock=True)
    if profile is None:
        raise rule(
            DisbursementReason.NO_PAYMENT_PROFILE,
            f"{bank.name} has no payment profile (routing number, company identification, check numbers) yet.",
        )
    invoices = await _payable(ctx, bank, list(dict.fromkeys(data.invoice_ids)))
    await repository.lock(ctx.session, "batch_number", data.association_id)
    batch.batch_number = await repository.next_batch_number(ctx.session, data.association_id)
    batch.total = sum((i.amount for i in invoices), ZERO)
    batch.invoice_count = len(invoices)
    batch = await records.insert(ctx, kinds.PAYMENT_BATCH, batch)
    banks = await repository.vendor_banks(ctx.session, [i.vendor_id for i in invoices])
    sequence = 0
    for invoice in invoices:
        item = PaymentBatchItem(
            organization_id=batch.organization_id, batch_id=batch.id, invoice_id=invoice.id,
            vendor_id=invoice.vendor_id, bank_account_id=bank.id, amount=invoice.amount,
        )  # fmt: skip
        vendor_bank = banks.get(invoice.vendor_id)
        if vendor_bank is not None:
            sequence += 1
            item.method, item.trace_number = "ACH", profile.routing_number[:8] + str(sequence).rjust(7, "0")
            item.routing_number, item.account_number = vendor_bank.routing_number, vendor_bank.account_number
            item.account_type = vendor_bank.account_type
        else:
            item.method, item.check_number = "CHECK", profile.next_check_number
            profile.next_check_number += 1
        ctx.session.add(item)
    try:
        async with ctx.session.begin_nested():
            await ctx.session.flush()
    except IntegrityError:
        raise conflict(DisbursementReason.ALREADY_IN_BATCH, "An invoice or check number is already taken.") from None
    return await output(ctx, batch)


async def get(ctx: RequestContext, batch_id: uuid.UUID) -> BatchOut:
    return await output(ctx, await records.load(ctx, kinds.PAYMENT_BATCH, batch_id))


async def list_batches(ctx: RequestContext, data: ListBatches) -> BatchesOut:
    filters = []
    if data.association_id is not None:
        filters.append(PaymentBatch.association_id == data.association_id)
    if data.status is not None:
        filters.append(PaymentBatch.status == data.status)
    items, cursor = await records.page(ctx, kinds.PAYMENT_BATCH, data, *filters)
    return BatchesOut(items=await batches_out(ctx, items), next_cursor=cursor)


async def cancel(ctx: RequestContext, batch_id: uuid.UUID) -> BatchOut:
    """An OPEN batch only (BATCH_NOT_OPEN): its invoices are free for another batch, its check numbers unused."""
    batch = await records.load(ctx, kinds.PAYMENT_BATCH, batch_id, "cancel", lock=True)
    if batch.status != "OPEN":
        raise rule(DisbursementReason.BATCH_NOT_OPEN, f"Batch {batch.batch_number} is {batch.status}.")
    await repository.delete_items(ctx.session, batch.id)
    changes = {"status": "CANCELLED", "cancelled_at": datetime.now(UTC), "invoice_count": 0, "total": ZERO}
    batch = await records.change(ctx, kinds.PAYMENT_BATCH, batch, changes, action="cancelled")
    return await output(ctx, batch)


async def process(ctx: RequestContext, batch_id: uuid.UUID) -> BatchOut:
    """OPEN → PROCESSING and `apPaymentProcessing_v1` started (before this commits; it waits for it). Every invoice
    must still be APPROVED (INVOICE_NOT_APPROVED: voided since)."""
    batch = await records.load(ctx, kinds.PAYMENT_BATCH, batch_id, "process", lock=True)
    if batch.status != "OPEN":
        raise rule(DisbursementReason.BATCH_NOT_OPEN, f"Batch {batch.batch_number} is {batch.status}.")
    check_transition("payment batch", lifecycle.TRANSITIONS, batch.status, "PROCESSING")
    items = (await repository.items_of(ctx.session, [batch.id]))[batch.id]
    invoices = await repository.invoices(ctx.session, [item.invoice_id for item in items])
    for invoice in invoices.values():
        if invoice.status != "APPROVED":
            raise rule(
                DisbursementReason.INVOICE_NOT_APPROVED,
                f"Invoice {invoice.invoice_number} is {invoice.status}; cancel the batch and make another.",
                invoice_id=str(invoice.id), status=invoice.status,
            )  # fmt: skip
    changes = {"status": "PROCESSING", "processing_started_at": datetime.now(UTC), "processed_by": ctx.user_id}
    batch = await records.change(ctx, kinds.PAYMENT_BATCH, batch, changes, action="processing")
    await start_workflow(batch.organization_id, batch.id)
    return batch_out(batch, items)

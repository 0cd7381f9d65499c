"""The demo records of disbursements (`demo_data.py`): at Sunset Ridge, four invoices PENDING_APPROVAL for Journey 1
step 3 (Morgan Manager approves three under her 5,000.00 limit; the fourth waits for a board member, Blair Board),
the operating bank account's payment profile and the landscaper's ACH account, so a payment batch pays the approved
ones by ACH and by check. Besides them, a payment batch already paid (COMPLETED: its journal entry, invoices PAID,
its NACHA file and check register in storage) and two approved invoices waiting for the next batch.

Runs after the accounting seeder, as the demo manager, through the services (every rule, policy and audit event
applies). An association whose operating account already has a payment profile gets no more waiting invoices, and
one that has a payment batch no paid batch, so `hestami dev` can run this on every start.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from hestami.cam.accounting import repository as accounting_repository
from hestami.cam.accounting.demo_data import BOOKS, VENDORS
from hestami.cam.accounting.disbursements import demo_data as data
from hestami.cam.accounting.disbursements import repository
from hestami.cam.accounting.disbursements.schemas import CreateBatch, ListBatches, SetPaymentProfile, SetVendorBank
from hestami.cam.accounting.disbursements.services import bank_details, batches, processing
from hestami.cam.accounting.schemas import ByAssociation, CreateInvoice, InvoiceLineIn, ListVendors
from hestami.cam.accounting.services import banking, payables
from hestami.cam.association import api as association_api
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity import demo as identity
from hestami.identity.demo import email_of


async def _invoice(
    ctx: RequestContext, association_id: uuid.UUID, vendor_id: uuid.UUID, bill: data.Bill, on: date
) -> uuid.UUID:
    accounts = await accounting_repository.account_numbers(ctx.session, association_id)
    line = InvoiceLineIn(gl_account_id=accounts[bill.account], description=bill.description, amount=bill.amount)
    made = await payables.create_invoice(ctx, CreateInvoice(
        association_id=association_id, vendor_id=vendor_id, invoice_number=bill.number, invoice_date=on,
        due_date=on + timedelta(days=30), amount=bill.amount, memo=bill.description, lines=[line], submit=True,
    ))  # fmt: skip
    return made.id


async def _waiting(
    ctx: RequestContext, association_id: uuid.UUID, operating_id: uuid.UUID, vendors: dict[str, uuid.UUID]
) -> str:
    if await repository.payment_profile(ctx.session, operating_id) is not None:
        return "  payables awaiting approval: already loaded"
    await bank_details.set_profile(ctx, SetPaymentProfile(
        bank_account_id=operating_id, routing_number=data.ODFI_ROUTING, company_name=data.COMPANY_NAME,
        company_identification=data.COMPANY_IDENTIFICATION, next_check_number=data.FIRST_CHECK,
    ))  # fmt: skip
    await bank_details.set_vendor_bank(ctx, SetVendorBank(
        vendor_id=vendors[data.ACH_VENDOR], routing_number=data.ACH_ROUTING, account_number=data.ACH_ACCOUNT,
    ))  # fmt: skip
    on = date.today() - timedelta(days=6)
    for bill in data.WAITING:
        await _invoice(ctx, association_id, vendors[bill.vendor], bill, on)
    return f"  payables awaiting approval: {len(data.WAITING)} invoices, a payment profile, one ACH vendor"


async def _pay_now(ctx: RequestContext, batch_id: uuid.UUID) -> str:
    """What `apPaymentProcessing_v1` does, in this transaction: `process` starts the workflow (it waits for this
    transaction to commit), and its steps run here in its order, so the paid batch exists as soon as the demo is
    loaded whether or not the seeder's DBOS gets to run it; the workflow then finds the batch COMPLETED and ends."""
    await batches.process(ctx, batch_id)
    batch = await processing.visible_batch(ctx, batch_id)
    assert batch is not None
    await processing.post(ctx, batch)
    await processing.write_file(ctx, batch, processing.NACHA)
    await processing.write_file(ctx, batch, processing.POSITIVE_PAY)
    return str((await processing.complete(ctx, batch))["status"])


async def _paid_batch(
    ctx: RequestContext, association_id: uuid.UUID, operating_id: uuid.UUID, vendors: dict[str, uuid.UUID]
) -> str:
    """The invoices of `PAID` approved and paid in one batch; those of `TO_PAY` approved, for the next one."""
    made = await batches.list_batches(ctx, ListBatches(association_id=association_id, limit=1))
    if made.items:
        return "  paid batch: already loaded"
    today = date.today()
    approved: dict[str, uuid.UUID] = {}
    for bill in (*data.PAID, *data.TO_PAY):
        on = today - timedelta(days=data.PAID_INVOICE_DAYS_AGO if bill in data.PAID else data.TO_PAY_DAYS_AGO)
        approved[bill.number] = await _invoice(ctx, association_id, vendors[bill.vendor], bill, on)
        await payables.approve_invoice(ctx, approved[bill.number])
    batch = await batches.create(ctx, CreateBatch(
        association_id=association_id, bank_account_id=operating_id,
        invoice_ids=[approved[bill.number] for bill in data.PAID],
        payment_date=today - timedelta(days=data.PAID_ON_DAYS_AGO), memo=data.PAID_MEMO,
    ))  # fmt: skip
    status = await _pay_now(ctx, batch.id)
    return (
        f"  paid batch: batch {batch.batch_number} {status} ({batch.invoice_count} invoices, {batch.total}); "
        f"{len(data.TO_PAY)} approved invoices for the next batch"
    )


async def _seed(ctx: RequestContext, association_id: uuid.UUID) -> list[str]:
    banks = await banking.list_(ctx, ByAssociation(association_id=association_id, limit=50))
    operating = next((b for b in banks.items if b.fund == "OPERATING" and b.is_primary), None)
    if operating is None:
        return ["  payables: skipped, no primary operating bank account"]
    names = {spec.role: spec.name for spec in VENDORS[data.ORGANIZATION]}
    listed = await payables.list_vendors(ctx, ListVendors(limit=200))
    vendors = {role: next(v.id for v in listed.items if v.name == name) for role, name in names.items()}
    return [
        await _waiting(ctx, association_id, operating.id, vendors),
        await _paid_batch(ctx, association_id, operating.id, vendors),
    ]


@demo_seed("disbursements", order=36)
async def seed_disbursements(runtime: Runtime) -> list[str]:
    users = await identity.demo_users(runtime)
    admin_id, manager_id = users.get("admin"), users.get("manager")
    if admin_id is None or manager_id is None:
        return ["demo payables: skipped, the demo admin or manager does not exist"]
    orgs = await identity.demo_organizations(runtime, admin_id)
    books = next(b for b in BOOKS if b.slug == data.ORGANIZATION)
    if books.slug not in orgs:
        return [f"demo payables: skipped, organization {books.slug} is missing"]
    async with acting(
        runtime, procedure="seed-demo", organization_id=orgs[books.slug], user_id=manager_id,
        email=email_of("manager"),
    ) as ctx:  # fmt: skip
        association = await association_api.association_named(ctx, books.name)
        if association is None:
            return ["demo payables: skipped, the association is missing"]
        return ["demo payables:", *(await _seed(ctx, association.id))]

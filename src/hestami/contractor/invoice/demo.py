"""The demo's invoices (`demo_data.py`), through the invoices' own services as Evergreen's manager: the pool deck
shower valve job the field demo completed for Sunset Ridge HOA is invoiced from its time and materials and issued,
and `invoice_payment_v1` enters it in Sunset Ridge's payables (PENDING_APPROVAL, Repairs and Maintenance, linked to
the work order; the seeder waits for it, bounded); a homeowner's accepted "Better" tankless estimate gets a 30 %
deposit invoice paid by card through the payment port; a water softener invoice is partly paid by check; two invoices
are overdue (the aging shows them past 30 and past 60 days). Runs after the field work (order 52); not again once
Evergreen has an invoice."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date, timedelta

from hestami.contractor.estimate import procedures as estimates
from hestami.contractor.estimate.schemas import GenerateEstimate, ItemIn, OptionIn, RecordAcceptance, SendEstimate
from hestami.contractor.invoice import repository
from hestami.contractor.invoice.demo_data import (
    DEPOSIT,
    EVERGREEN,
    OVERDUE,
    PARTLY_PAID,
    PAYABLES_WAIT_SECONDS,
    POOL_SHOWER,
    DemoBill,
)
from hestami.contractor.invoice.schemas import AddLine, CollectPayment, CreateFromJob, Issue, RecordPayment
from hestami.contractor.invoice.services import invoices, payments
from hestami.contractor.job import procedures as job_procedures
from hestami.contractor.job.lifecycle import path
from hestami.contractor.job.schemas import CreateJob, JobOut, ListCustomers, ListJobs, TransitionJob
from hestami.contractor.profile import api as profile
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


async def _jobs(ctx: RequestContext) -> list[JobOut]:
    found, cursor = [], None
    while True:
        page = await job_procedures.list_jobs(ctx, ListJobs(limit=200, cursor=cursor))
        found += page.items
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


async def _pool_invoice(cast: DemoCast, keeper: str, job: JobOut) -> list[str]:
    async with cast.acting(keeper, EVERGREEN) as ctx:
        made = await invoices.create_from_job(ctx, CreateFromJob(job_id=job.id, kind="FINAL"))
        issued = await invoices.issue(ctx, Issue(id=made.id))
    deadline = time.monotonic() + PAYABLES_WAIT_SECONDS
    while time.monotonic() < deadline:
        async with cast.acting(keeper, EVERGREEN) as ctx:
            found = await invoices.get(ctx, issued.id)
        if found.ap_invoice_id is not None:
            return [f"  {found.number} {found.bill_to}: {found.total} for {job.number} (pool deck shower valve), "
                    f"in the association's payables PENDING_APPROVAL"]  # fmt: skip
        await asyncio.sleep(0.25)
    waited = f"{PAYABLES_WAIT_SECONDS:.0f}s"
    return [f"  {issued.number} for {job.number}: issued; not in Sunset Ridge's payables after {waited} "
            "(invoice_payment_v1 enters it once the work order is COMPLETED)"]  # fmt: skip


async def _deposit(ctx: RequestContext, job: JobOut) -> str:
    options = [
        OptionIn(name=name, tier=tier, items=[ItemIn(code=c, quantity=q) for c, q in items])
        for name, tier, items in DEPOSIT.options
    ]
    estimate = await estimates.generate(ctx, GenerateEstimate(job_id=job.id, options=options))
    sent = await estimates.send(ctx, SendEstimate(id=estimate.id))
    chosen = next(o for o in sent.options if o.name == DEPOSIT.accepted)
    await estimates.record_acceptance(
        ctx, RecordAcceptance(id=estimate.id, option_id=chosen.id, accepted_by_name=DEPOSIT.accepted_by)
    )
    made = await invoices.create_from_job(ctx, CreateFromJob(job_id=job.id, kind="DEPOSIT", percent=DEPOSIT.percent))
    await invoices.issue(ctx, Issue(id=made.id))
    paid = await payments.collect(
        ctx, CollectPayment(invoice_id=made.id, amount=made.total, method="CARD", payment_token=DEPOSIT.card_token)
    )
    return f"  {made.number} {made.bill_to}: {made.total} deposit on {DEPOSIT.accepted}, {paid.invoice.status} by card"


async def _job_for(ctx: RequestContext, bill: DemoBill, by_title: dict[str, JobOut]) -> uuid.UUID:
    if bill.job_title in by_title:
        return by_title[bill.job_title].id
    assert bill.customer is not None
    found = await job_procedures.list_customers(ctx, ListCustomers(name=bill.customer, limit=1))
    made = await job_procedures.create_job(
        ctx, CreateJob(customer_id=found.items[0].id, title=bill.job_title, trade="PLUMBING", status="TICKET")
    )
    for to in path("TICKET", "COMPLETED"):
        await job_procedures.transition_job(ctx, TransitionJob(id=made.id, to=to))
    return made.id


async def _bill(ctx: RequestContext, bill: DemoBill, by_title: dict[str, JobOut], today: date) -> str:
    job_id = await _job_for(ctx, bill, by_title)
    made = await invoices.create_from_job(ctx, CreateFromJob(job_id=job_id, kind="STANDARD"))
    for code, text, quantity, price, taxable in bill.lines:
        await invoices.add_line(ctx, AddLine(invoice_id=made.id, code=code, description=text, quantity=quantity,
                                             unit_price=price, taxable=taxable))  # fmt: skip
    issued_on = today - timedelta(days=bill.issued_days_ago)
    issued = await invoices.issue(ctx, Issue(id=made.id, issue_date=issued_on,
                                             due_date=issued_on + timedelta(days=bill.terms_days)))  # fmt: skip
    status = issued.status
    if bill.paid > 0:
        paid = await payments.record(ctx, RecordPayment(invoice_id=made.id, amount=bill.paid, method="CHECK",
                                                        reference="Check 2217"))  # fmt: skip
        status = paid.invoice.status
    assert issued.due_date is not None
    late = (today - issued.due_date).days
    due = f"{late} days overdue" if late > 0 else f"due {issued.due_date.isoformat()}"
    return f"  {issued.number} {issued.bill_to}: {issued.total}, {status}, {due}"


@demo_seed("invoices", order=56)
async def seed_invoices(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None or EVERGREEN not in cast.orgs:
        return ["demo invoices: skipped, Evergreen Plumbing & HVAC is missing"]
    keeper = await cast.keeper(EVERGREEN)
    async with cast.acting(keeper, EVERGREEN) as ctx:
        try:
            await profile.require_contractor(ctx)
        except HestamiError:
            return ["demo invoices: skipped, Evergreen Plumbing & HVAC has no contractor profile"]
        if await repository.any_invoice(ctx.session):
            return ["demo invoices (Evergreen Plumbing & HVAC): already loaded"]
        every = await _jobs(ctx)
    by_title = {j.title: j for j in every if j.source == "DIRECT"}
    pool = next((j for j in every if j.source == "WORK_ORDER" and POOL_SHOWER in j.title
                 and j.status == "COMPLETED"), None)  # fmt: skip
    lines = ["demo invoices (Evergreen Plumbing & HVAC):"]
    if pool is not None:
        lines += await _pool_invoice(cast, keeper, pool)
    else:
        lines.append("  no completed pool deck shower valve job (the field demo completes it): no HOA invoice")
    today = date.today()
    async with cast.acting(keeper, EVERGREEN) as ctx:
        if DEPOSIT.job_title in by_title:
            lines.append(await _deposit(ctx, by_title[DEPOSIT.job_title]))
        for bill in (PARTLY_PAID, *OVERDUE):
            if bill.job_title in by_title or bill.customer is not None:
                lines.append(await _bill(ctx, bill, by_title, today))
    return lines

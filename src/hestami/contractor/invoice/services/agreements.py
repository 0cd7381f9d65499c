"""Invoices of maintenance agreements: one ISSUED invoice of kind AGREEMENT per billing period of an agreement (no
job), with one line (the period's charge, not taxable), numbered and issued like any invoice, its
`invoice_payment_v1` started in the same transaction.

Once per period: the unique index on (organization, agreement, period start) holds it; a call that finds the
period billed, or loses the race to a concurrent one (its insert fails in a savepoint), answers that invoice. An
agreement of another organization fails its foreign key: NOT_FOUND, like a random id.

An HOA agreement's invoice is addressed to the HOA (its organization and association; the HOA's managers may view
it) as a plain receivable: it has no work order, and the association's payables take a provider's invoice only
through a work order (`work_order.api.enter_provider_invoice`), so it does not enter them; the association pays it
like a customer (`recordPayment`, `collectPayment`), and its notices go to the HOA's organization."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from hestami.contractor.invoice import kinds, repository, rules
from hestami.contractor.invoice.errors import InvoiceReason, rule
from hestami.contractor.invoice.models import ContractorInvoice
from hestami.contractor.invoice.services import billing
from hestami.contractor.invoice.services.invoices import issue_dates, mark_issued, new_line, retotal
from hestami.contractor.job import api as jobs
from hestami.contractor.profile import api as profile
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

ONE = Decimal("1")


@dataclass(frozen=True, slots=True)
class Period:
    """One billing period of an agreement (`invoice.api.AgreementBill`): whom it bills (its customer, or its HOA's
    organization and association), what (`description`, `amount` for the period) and when (`issue_date`;
    `due_date`, default the issue date plus INVOICE_DUE_DAYS)."""

    agreement_id: uuid.UUID
    agreement_number: str
    period_start: date
    period_end: date
    customer_id: uuid.UUID | None
    hoa_organization_id: uuid.UUID | None
    association_id: uuid.UUID | None
    description: str
    amount: Decimal
    issue_date: date
    due_date: date | None


def _check(period: Period) -> None:
    if (period.customer_id is None) == (period.hoa_organization_id is None):
        raise ValueError("An agreement bills its customer or its HOA: exactly one of customer_id, hoa_organization_id")
    if period.period_end < period.period_start:
        raise ValueError("A billing period ends on or after its start")
    if period.amount <= 0:
        raise rule(InvoiceReason.NEGATIVE_TOTAL, f"{period.agreement_number} bills {period.amount}: nothing is due.",
                   total=str(period.amount))  # fmt: skip


async def _authorize(ctx: RequestContext) -> None:
    """With a caller: a contractor's member who may make and issue invoices; as the system (the agreement's
    workflow) the calling domain has authorized its own action."""
    if ctx.principal is None:
        return
    await profile.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.INVOICE, "create")
    await records.authorize_new(ctx, kinds.INVOICE, "issue")


async def _bill_to(ctx: RequestContext, period: Period) -> str:
    if period.customer_id is not None:
        contact = await jobs.contact_of_customer(ctx, period.customer_id)
        if contact is not None:
            return contact.name
        return f"The customer of {period.agreement_number}"
    return f"The association of {period.agreement_number}"


async def bill_period(ctx: RequestContext, period: Period, *, start_payment: bool = True) -> ContractorInvoice:
    """The period's ISSUED invoice: made and issued now, or the one made before (void or not)."""
    _check(period)
    await _authorize(ctx)
    found = await repository.agreement_period_invoice(ctx.session, period.agreement_id, period.period_start)
    if found is not None:
        return found
    issued_on, due = issue_dates(period.issue_date, period.due_date)
    try:
        async with ctx.session.begin_nested():
            draft = await _draft(ctx, period)
    except IntegrityError:  # a concurrent call billed the period first (committed: the unique index waited for it)
        found = await repository.agreement_period_invoice(ctx.session, period.agreement_id, period.period_start)
        if found is None:  # else the agreement is not the organization's (its foreign key): like a random id
            raise not_found("maintenance_agreement", period.agreement_id) from None
        return found
    return await mark_issued(ctx, draft, issued_on, due, start_payment=start_payment)


async def _draft(ctx: RequestContext, period: Period) -> ContractorInvoice:
    invoice = ContractorInvoice(
        number=await repository.next_number(ctx.session, ctx.require_org()), job_id=None, kind="AGREEMENT",
        status="DRAFT", agreement_id=period.agreement_id, agreement_number=period.agreement_number,
        period_start=period.period_start, period_end=period.period_end, customer_id=period.customer_id,
        hoa_organization_id=period.hoa_organization_id, association_id=period.association_id,
        bill_to=await _bill_to(ctx, period), tax_rate=runtime.current().settings.invoice_tax_rate_percent,
    )  # fmt: skip
    invoice = await records.insert(ctx, kinds.INVOICE, invoice)
    amount = rules.line_total(ONE, period.amount)
    line = billing.DraftLine("AGREEMENT", None, period.description[:500], None, ONE, amount, amount, False)
    ctx.session.add(new_line(invoice, 1, line))
    await ctx.session.flush()
    locked = await repository.invoice(ctx.session, invoice.id, lock=True)
    assert locked is not None
    return await retotal(ctx, locked)


async def of_agreement(ctx: RequestContext, agreement_id: uuid.UUID) -> list[ContractorInvoice]:
    """The agreement's invoices by period (as the system, or a caller who may view them: the others are left out)."""
    found = await repository.invoices_of_agreement(ctx.session, agreement_id)
    if ctx.principal is None:
        return found
    await profile.require_contractor(ctx)
    return [x for x in found if await records.can(ctx, kinds.INVOICE, x, "view")]

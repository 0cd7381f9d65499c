"""Invoices: made from a job (`create_from_job`; an agreement's billing period: `services.agreements`), numbered
INV-000001 per organization without gaps, edited while DRAFT (their lines; the totals follow), issued (frozen;
`invoice_payment_v1` starts in the same transaction) or voided. Every procedure first requires a contractor on the
platform."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.estimate import api as estimates
from hestami.contractor.invoice import kinds, repository, rules, workflows
from hestami.contractor.invoice.errors import InvoiceReason, conflict, rule
from hestami.contractor.invoice.models import ContractorInvoice, InvoiceLine
from hestami.contractor.invoice.schemas import (
    AddLine,
    CreateFromJob,
    InvoiceDetailOut,
    InvoiceOut,
    Issue,
    LineOut,
    ListInvoices,
    UpdateLine,
    Void,
)
from hestami.contractor.invoice.services import billing
from hestami.contractor.job import api as jobs
from hestami.contractor.profile import api as profile
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition, not_found
from hestami.core.pagination import Page

ZERO = Decimal("0.00")
NOT_VOID = frozenset({"DRAFT"}) | rules.BILLED


def invoice_out(invoice: ContractorInvoice) -> InvoiceOut:
    return records.output(InvoiceOut, invoice, number=invoice.display_number)


async def detail_out(ctx: RequestContext, invoice: ContractorInvoice) -> InvoiceDetailOut:
    lines = [records.output(LineOut, x) for x in await repository.lines(ctx.session, invoice.id)]
    return records.output(InvoiceDetailOut, invoice, number=invoice.display_number, lines=lines)


async def load(
    ctx: RequestContext, invoice_id: uuid.UUID, action: str = "view", *, lock: bool = False
) -> ContractorInvoice:
    """An invoice of the caller's organization the caller may `action` (NOT_FOUND unless they may view it)."""
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.INVOICE, invoice_id, action, lock=lock)


# --- making one ----------------------------------------------------------------------------------------------


async def _bill_to(ctx: RequestContext, job: jobs.JobRef) -> str:
    if job.work_order_id is not None:
        work = await work_orders.provider_work_order(ctx, job.work_order_id)
        if work is not None:
            return jobs.association_label(work.association_name, work.organization_name)
        return f"The association of {job.number}"
    contact = await jobs.customer_contact(ctx, job.id)
    return contact.name if contact is not None else f"Walk-in customer ({job.number})"


def _check_kind(job: jobs.JobRef, data: CreateFromJob) -> None:
    if job.status == "CANCELLED":
        raise rule(InvoiceReason.JOB_CANCELLED, f"{job.number} was cancelled: there is nothing to invoice.")
    if job.work_order_id is not None and data.kind != "FINAL":
        raise rule(
            InvoiceReason.HOA_BILLS_ON_COMPLETION,
            f"{job.number} is an association's work order: it is invoiced once, FINAL, when the work is done.",
        )
    if data.kind == "FINAL" and job.status not in rules.WORK_DONE:
        raise rule(InvoiceReason.JOB_NOT_COMPLETED, f"{job.number} is {job.status}: complete it first.",
                   status=job.status)  # fmt: skip
    if data.kind in ("DEPOSIT", "PROGRESS") and data.percent is None:
        raise rule(InvoiceReason.PERCENT_REQUIRED, f"A {data.kind} invoice bills a percent of the accepted option.")


async def _already_final(ctx: RequestContext, job: jobs.JobRef) -> None:
    existing = await repository.final_of(ctx.session, job.id)
    if existing is not None:
        raise conflict(
            InvoiceReason.ALREADY_INVOICED, f"{job.number} already has its final invoice {existing.display_number}.",
            invoice_id=str(existing.id), invoice_number=existing.display_number,
        )  # fmt: skip


async def _no_unissued_share(ctx: RequestContext, job: jobs.JobRef) -> None:
    """A FINAL invoice credits the issued deposits and progress billings: one still in draft would be billed again
    when issued later, so it is issued or voided first."""
    drafts = await repository.shares_of_job(ctx.session, job.id, {"DRAFT"})
    if drafts:
        first = drafts[0]
        raise rule(
            InvoiceReason.UNISSUED_SHARE,
            f"{first.kind.capitalize()} invoice {first.display_number} of {job.number} is a draft: issue or void it "
            "before the final invoice, which credits what was issued.",
            invoice_id=str(first.id), invoice_number=first.display_number, kind=first.kind,
        )  # fmt: skip


async def _no_final_yet(ctx: RequestContext, job_id: uuid.UUID) -> None:
    """A deposit or progress billing comes before the FINAL invoice, which credits it."""
    final = await repository.final_of(ctx.session, job_id)
    if final is not None:
        raise rule(
            InvoiceReason.FINAL_EXISTS,
            f"The job has its final invoice {final.display_number}: a deposit or progress billing now would not be "
            "credited.",
            invoice_id=str(final.id), invoice_number=final.display_number,
        )  # fmt: skip


async def _progress_line(
    ctx: RequestContext, job: jobs.JobRef, option: estimates.AcceptedOption, data: CreateFromJob
) -> billing.DraftLine:
    assert data.percent is not None
    line = billing.share_of_option(option, data.kind, data.percent)
    billed = sum((i.total for i in await repository.shares_of_job(ctx.session, job.id, NOT_VOID)), ZERO)
    if billed + line.total > option.total:
        raise rule(
            InvoiceReason.OVER_BILLED,
            f"{job.number} has {billed} billed of {option.total}: {line.total} more is too much.",
            billed=str(billed), option_total=str(option.total), requested=str(line.total),
        )  # fmt: skip
    return line


async def _lines_for(
    ctx: RequestContext, job: jobs.JobRef, option: estimates.AcceptedOption | None, data: CreateFromJob
) -> list[billing.DraftLine]:
    if data.kind == "STANDARD":
        return []
    if data.kind in ("DEPOSIT", "PROGRESS"):
        if option is None:
            raise rule(InvoiceReason.NO_ACCEPTED_OPTION, f"{job.number} has no accepted estimate to bill a share of.")
        return [await _progress_line(ctx, job, option, data)]
    work = billing.option_lines(option) if option is not None else await billing.time_and_materials(ctx, job)
    if not work:
        raise rule(InvoiceReason.NOTHING_TO_INVOICE, f"{job.number} has no accepted option, time or materials.")
    credited = await repository.shares_of_job(ctx.session, job.id, rules.BILLED)
    earlier = [(i.display_number, i.kind, i.total) for i in credited]
    return work + billing.credit_lines(earlier)


async def create_from_job(ctx: RequestContext, data: CreateFromJob) -> InvoiceDetailOut:
    job = await jobs.load_job(ctx, data.job_id)
    await records.authorize_new(ctx, kinds.INVOICE, "create")
    await repository.hold_job_invoicing(ctx.session, job.id)
    _check_kind(job, data)
    if data.kind == "FINAL":
        await _already_final(ctx, job)
        await _no_unissued_share(ctx, job)
    elif data.kind in rules.SHARE_KINDS:
        await _no_final_yet(ctx, job.id)
    option = await estimates.accepted_option(ctx, job.id)
    lines = await _lines_for(ctx, job, option, data)
    invoice = ContractorInvoice(
        number=await repository.next_number(ctx.session, ctx.require_org()), job_id=job.id, kind=data.kind,
        status="DRAFT", customer_id=job.customer_id, hoa_organization_id=job.hoa_organization_id,
        association_id=job.association_id, work_order_id=job.work_order_id, bill_to=await _bill_to(ctx, job),
        percent=data.percent, memo=data.memo, tax_rate=runtime.current().settings.invoice_tax_rate_percent,
    )  # fmt: skip
    if option is not None and data.kind != "STANDARD":  # billed from the accepted option: its terms
        invoice.estimate_id, invoice.estimate_number = option.estimate_id, option.estimate_number
        invoice.option_name, invoice.tax_rate = option.option_name, option.tax_rate
    invoice = await records.insert(ctx, kinds.INVOICE, invoice)
    for position, line in enumerate(lines, start=1):
        ctx.session.add(new_line(invoice, position, line))
    await ctx.session.flush()
    await retotal(ctx, invoice)
    return await detail_out(ctx, invoice)


def new_line(invoice: ContractorInvoice, position: int, x: billing.DraftLine) -> InvoiceLine:
    return InvoiceLine(
        organization_id=invoice.organization_id, invoice_id=invoice.id, position=position, source=x.source,
        code=x.code, description=x.description, unit=x.unit, quantity=x.quantity, unit_price=x.unit_price,
        total=x.total, taxable=x.taxable,
    )  # fmt: skip


async def retotal(ctx: RequestContext, invoice: ContractorInvoice) -> ContractorInvoice:
    found = rules.totals(((x.total, x.taxable) for x in await repository.lines(ctx.session, invoice.id)),
                         invoice.tax_rate)  # fmt: skip
    changes = {"subtotal": found.subtotal, "tax": found.tax, "total": found.total,
               "balance": found.total - invoice.amount_paid}  # fmt: skip
    if all(getattr(invoice, k) == v for k, v in changes.items()):
        return invoice
    return await records.change(ctx, kinds.INVOICE, invoice, changes, action="totalled")


# --- reading -------------------------------------------------------------------------------------------------


async def get(ctx: RequestContext, invoice_id: uuid.UUID) -> InvoiceDetailOut:
    return await detail_out(ctx, await load(ctx, invoice_id))


async def list_invoices(ctx: RequestContext, data: ListInvoices) -> Page[InvoiceOut]:
    await profile.require_contractor(ctx)
    wanted: list[tuple[Any, Any]] = [
        (ContractorInvoice.status, data.status), (ContractorInvoice.kind, data.kind),
        (ContractorInvoice.job_id, data.job_id), (ContractorInvoice.customer_id, data.customer_id),
        (ContractorInvoice.agreement_id, data.agreement_id),
    ]  # fmt: skip
    filters = [column == value for column, value in wanted if value is not None]
    rows, cursor = await records.page(ctx, kinds.INVOICE, data, *filters)
    return Page[InvoiceOut](items=[invoice_out(r) for r in rows], next_cursor=cursor)


# --- a draft's lines -----------------------------------------------------------------------------------------


def _require_draft(invoice: ContractorInvoice) -> None:
    if invoice.status != "DRAFT":
        raise rule(InvoiceReason.NOT_EDITABLE, f"{invoice.display_number} is {invoice.status}: issued invoices are "
                   "frozen.", status=invoice.status)  # fmt: skip


async def add_line(ctx: RequestContext, data: AddLine) -> InvoiceDetailOut:
    invoice = await load(ctx, data.invoice_id, "update", lock=True)
    _require_draft(invoice)
    total = rules.line_total(data.quantity, data.unit_price)
    draft = billing.DraftLine("MANUAL", data.code, data.description, data.unit, data.quantity, data.unit_price,
                              total, data.taxable)  # fmt: skip
    ctx.session.add(new_line(invoice, await repository.next_position(ctx.session, invoice.id), draft))
    await ctx.session.flush()
    return await detail_out(ctx, await retotal(ctx, invoice))


async def _line_of_draft(ctx: RequestContext, line_id: uuid.UUID) -> tuple[ContractorInvoice, InvoiceLine]:
    await profile.require_contractor(ctx)
    line = await repository.line(ctx.session, line_id)
    if line is None:
        raise not_found("contractor_invoice_line", line_id)
    invoice = await records.find(ctx, kinds.INVOICE, line.invoice_id, lock=True)
    if not await records.can(ctx, kinds.INVOICE, invoice, "view"):
        raise not_found("contractor_invoice_line", line_id)
    await records.authorize_record(ctx, kinds.INVOICE, invoice, "update")
    _require_draft(invoice)
    locked = await repository.line(ctx.session, line_id, lock=True)
    assert locked is not None
    return invoice, locked


async def update_line(ctx: RequestContext, data: UpdateLine) -> InvoiceDetailOut:
    """Any line of a draft may change (a priced line too: the office corrects it before issuing)."""
    invoice, line = await _line_of_draft(ctx, data.id)
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None}
    quantity, price = changes.get("quantity", line.quantity), changes.get("unit_price", line.unit_price)
    changes["total"] = rules.line_total(quantity, price)
    for name, value in changes.items():
        setattr(line, name, value)
    await ctx.session.flush()
    return await detail_out(ctx, await retotal(ctx, invoice))


async def remove_line(ctx: RequestContext, line_id: uuid.UUID) -> InvoiceDetailOut:
    invoice, line = await _line_of_draft(ctx, line_id)
    await ctx.session.delete(line)
    await ctx.session.flush()
    return await detail_out(ctx, await retotal(ctx, invoice))


# --- issuing and voiding -------------------------------------------------------------------------------------


async def issue(ctx: RequestContext, data: Issue) -> InvoiceDetailOut:
    """DRAFT → ISSUED with its dates, frozen; `invoice_payment_v1` starts in this transaction (durable with it)."""
    invoice = await load(ctx, data.id, "issue", lock=True)
    check_transition("contractor invoice", rules.TRANSITIONS, invoice.status, "ISSUED")
    if not await repository.lines(ctx.session, invoice.id):
        raise rule(InvoiceReason.EMPTY_INVOICE, f"{invoice.display_number} has no lines.")
    if invoice.total <= 0:
        raise rule(InvoiceReason.NEGATIVE_TOTAL, f"{invoice.display_number} totals {invoice.total}: nothing is due.",
                   total=str(invoice.total))  # fmt: skip
    issued_on, due = issue_dates(data.issue_date, data.due_date)
    if invoice.kind in rules.SHARE_KINDS:  # the FINAL, made under the same lock, credits only what was issued
        job_id = _job_of(invoice)
        await repository.hold_job_invoicing(ctx.session, job_id)
        await _no_final_yet(ctx, job_id)
    return await detail_out(ctx, await mark_issued(ctx, invoice, issued_on, due))


def issue_dates(issue_date: date | None, due_date: date | None) -> tuple[date, date]:
    """The issue date (default today) and the due date (default the issue date plus INVOICE_DUE_DAYS)."""
    issued_on = issue_date or date.today()
    due = due_date or issued_on + timedelta(days=runtime.current().settings.invoice_due_days)
    if due < issued_on:
        raise rule(InvoiceReason.DUE_BEFORE_ISSUE, "The due date is before the issue date.")
    return issued_on, due


async def mark_issued(
    ctx: RequestContext, invoice: ContractorInvoice, issued_on: date, due: date, *, start_payment: bool = True
) -> ContractorInvoice:
    """The locked DRAFT (its lines and total checked) → ISSUED, frozen; `invoice_payment_v1` starts in this
    transaction (durable with it), unless the caller (a workflow step, where DBOS starts no workflow) starts it
    from its workflow afterwards (`start_payment=False`)."""
    changes = {"status": "ISSUED", "issue_date": issued_on, "due_date": due, "issued_at": datetime.now(UTC),
               "balance": invoice.total - invoice.amount_paid}  # fmt: skip
    invoice = await records.change(ctx, kinds.INVOICE, invoice, changes, action="issued")
    if start_payment:
        await workflows.start(invoice.organization_id, invoice.id)
    return invoice


def _job_of(invoice: ContractorInvoice) -> uuid.UUID:
    """The job of an invoice of a job's kind (every kind but AGREEMENT has one: a check holds it)."""
    assert invoice.job_id is not None, invoice.kind
    return invoice.job_id


async def void(ctx: RequestContext, data: Void) -> InvoiceDetailOut:
    """DRAFT or ISSUED without payments → VOID; an issued invoice of an association's work order went to its
    payables, where the association decides (IN_PAYABLES), until the association voided that payable; an issued
    deposit or progress billing that the job's FINAL invoice credits stays (CREDITED_BY_FINAL)."""
    invoice = await load(ctx, data.id, "void", lock=True)
    check_transition("contractor invoice", rules.TRANSITIONS, invoice.status, "VOID")
    if invoice.amount_paid > 0:
        raise rule(InvoiceReason.HAS_PAYMENTS, f"{invoice.display_number} has payments: it cannot be voided.")
    if invoice.work_order_id is not None and invoice.status != "DRAFT" and invoice.ap_status != "VOIDED":
        raise rule(
            InvoiceReason.IN_PAYABLES,
            f"{invoice.display_number} went to the association's payables when issued: the association voids it there.",
            ap_invoice_id=str(invoice.ap_invoice_id) if invoice.ap_invoice_id else None,
        )
    if invoice.kind in rules.SHARE_KINDS and invoice.status != "DRAFT":
        await _not_credited(ctx, invoice)
    changes = {"status": "VOID", "voided_at": datetime.now(UTC), "void_reason": data.reason, "balance": ZERO}
    was_issued = invoice.status != "DRAFT"
    invoice = await records.change(ctx, kinds.INVOICE, invoice, changes, action="voided")
    if was_issued:
        invoice_id = invoice.id
        ctx.after_commit(lambda: workflows.wake(invoice_id))
    return await detail_out(ctx, invoice)


async def _not_credited(ctx: RequestContext, invoice: ContractorInvoice) -> None:
    """An issued deposit or progress billing is credited by the job's FINAL invoice once there is one (made after
    it, under the job's invoicing lock): voiding it would leave that credit standing."""
    job_id = _job_of(invoice)
    await repository.hold_job_invoicing(ctx.session, job_id)
    final = await repository.final_of(ctx.session, job_id)
    if final is not None:
        raise rule(
            InvoiceReason.CREDITED_BY_FINAL,
            f"{invoice.display_number} is credited on the final invoice {final.display_number}: void that first.",
            invoice_id=str(final.id), invoice_number=final.display_number,
        )  # fmt: skip

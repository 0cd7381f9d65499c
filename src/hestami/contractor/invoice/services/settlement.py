"""What `invoice_payment_v1` does on each turn, in the contractor's organization, as the system (one transaction on
the locked invoice; everything it does is done once however often a turn runs: statuses and the outbox's dedupe
keys say what is done already):

- the invoice goes out to its customer or association (`invoice.issued`, once);
- the job moves COMPLETED → INVOICED (a FINAL or STANDARD invoice; an AGREEMENT invoice has no job: its notices
  name the agreement and period, and go to the agreement's customer, or to the HOA's organization);
- an HOA job's invoice: until it is in the association's payables, the turn says what to enter there (the workflow
  enters it in the association's scope, `work_order.api.enter_provider_invoice`, then `record_payables` keeps the
  payable's id, `services.books`); once it is, each turn reads the payable provider-side
  (`work_order.api.provider_work`) and keeps its status (`ap_status`): the association paying it there pays the
  invoice (a HOA_AP payment, once: a unique index); the association voiding it there ends the run (no payment will
  come, no more reminders; the invoice stays ISSUED for the contractor to void, and its managers are told once);
- reminders: one before the due date and some after it while the invoice is open (`rules.reminders`), each at its
  moment counted from when the invoice was issued in "days" of `INVOICE_DAY_SECONDS`; the run waits until the next
  one, or INVOICE_POLL_SECONDS at most (a lost wake-up, or the association's payment, is found by then);
- once the invoice is PAID: the job INVOICED → PAID → CLOSED (CLOSED only when no QA checkpoint keeps it open and
  no other invoice of the job is open or in draft; an AGREEMENT invoice has no job to move), and the workflow ends.
  A void invoice ends it too."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.invoice import kinds, repository, rules
from hestami.contractor.invoice.models import ContractorInvoice, Payment
from hestami.contractor.invoice.services import books
from hestami.contractor.invoice.services.receipts import apply_payment
from hestami.contractor.job import api as jobs
from hestami.core.context import RequestContext
from hestami.core.errors import HestamiError
from hestami.core.outbox import Channel, OutboundMessage, record_once

BILLS_THE_JOB = frozenset({"FINAL", "STANDARD"})


@dataclass(frozen=True, slots=True)
class Timing:
    day_seconds: float
    poll_seconds: float
    days_before: int
    overdue_every: int
    overdue_count: int


@dataclass
class Turn:
    status: str
    finished: bool = False
    wait_seconds: float = 0.0
    payables: dict[str, Any] | None = None
    happened: list[str] = field(default_factory=list)


async def take_turn(ctx: RequestContext, invoice_id: uuid.UUID, timing: Timing, now: datetime) -> Turn | None:
    """One turn; None while the invoice is not visible as issued (the issuing request has not committed)."""
    invoice = await repository.invoice(ctx.session, invoice_id, lock=True)
    if invoice is None or invoice.status == "DRAFT":
        return None
    turn = Turn(invoice.status)
    if invoice.status == "VOID":
        turn.finished = True
        return turn
    job = await jobs.load_job(ctx, invoice.job_id) if invoice.job_id is not None else None
    audience = await _audience(ctx, invoice, job)
    await _announce_issue(ctx, invoice, audience, turn)
    if job is not None and invoice.kind in BILLS_THE_JOB and job.status == "COMPLETED":
        await jobs.transition(ctx, job.id, "INVOICED", f"invoice {invoice.display_number} issued", actor=None)
        turn.happened.append("job_invoiced")
    if invoice.work_order_id is not None:
        invoice = await _follow_payables(ctx, invoice, turn)
    if invoice.status in rules.OPEN and not turn.finished:
        turn.wait_seconds = min(await _remind(ctx, invoice, audience, timing, now, turn), timing.poll_seconds)
    if invoice.status == "PAID":
        if job is not None:
            await _close_job(ctx, invoice, job.id, turn)
        turn.finished = True
    turn.status = invoice.status
    return turn


# --- the customer or association hears -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Audience:
    """Where the invoice's customer or association hears of it (None: nowhere, a walk-in), and what it bills: the
    job's number, or the agreement's."""

    to: tuple[Channel, str] | None
    about: dict[str, str | None]


async def _audience(ctx: RequestContext, invoice: ContractorInvoice, job: jobs.JobRef | None) -> Audience:
    if job is not None:
        return Audience(await jobs.customer_address(ctx, job), {"job": job.number})
    about: dict[str, str | None] = {"agreement": invoice.agreement_number, "period_start": _iso(invoice.period_start),
                                    "period_end": _iso(invoice.period_end)}  # fmt: skip
    if invoice.hoa_organization_id is not None:
        return Audience(("EMAIL", f"hoa:{invoice.hoa_organization_id}"), about)
    contact = None if invoice.customer_id is None else await jobs.contact_of_customer(ctx, invoice.customer_id)
    if contact is not None and contact.email:
        return Audience(("EMAIL", contact.email), about)
    if contact is not None and contact.phone:
        return Audience(("SMS", contact.phone), about)
    return Audience(None, about)


async def _notify(ctx: RequestContext, invoice: ContractorInvoice, audience: Audience, template: str, key: str) -> bool:
    """Records the message once (a dedupe key per invoice and message); whether it was recorded now."""
    dedupe_key = f"contractor_invoice:{invoice.id}:{key}"
    if audience.to is None or dedupe_key in await repository.sent_keys(ctx.session, invoice.id):
        return False
    channel, address = audience.to
    payload = {
        "invoice": invoice.display_number, **audience.about, "bill_to": invoice.bill_to, "total": str(invoice.total),
        "balance": str(invoice.balance), "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
    }  # fmt: skip
    await record_once(
        ctx.session,
        OutboundMessage(
            organization_id=invoice.organization_id, channel=channel, recipient=address, template=template,
            payload=payload, entity_type=kinds.INVOICE.name, entity_id=invoice.id,
            dedupe_key=dedupe_key,
        ),
    )  # fmt: skip
    return True


async def _announce_issue(ctx: RequestContext, invoice: ContractorInvoice, audience: Audience, turn: Turn) -> None:
    if await _notify(ctx, invoice, audience, "invoice.issued", "issued"):
        turn.happened.append("issued_notice")


def _moment(invoice: ContractorInvoice, day: int, timing: Timing) -> datetime:
    """`day` days after the issue date: counted from when the invoice was issued, less the days its issue date lies
    before that (an invoice dated in the past is as far along as its dates say)."""
    assert invoice.issued_at is not None
    assert invoice.issue_date is not None
    backdated = (invoice.issued_at.date() - invoice.issue_date).days
    return invoice.issued_at + timedelta(seconds=(day - backdated) * timing.day_seconds)


async def _remind(
    ctx: RequestContext, invoice: ContractorInvoice, audience: Audience, timing: Timing, now: datetime, turn: Turn
) -> float:
    """Records every reminder whose moment has come (each once); the seconds until the next one (else a poll)."""
    assert invoice.issue_date is not None
    assert invoice.due_date is not None
    planned = rules.reminders(invoice.issue_date, invoice.due_date, days_before=timing.days_before,
                              overdue_every=timing.overdue_every, overdue_count=timing.overdue_count)  # fmt: skip
    for reminder in planned:
        at = _moment(invoice, reminder.day, timing)
        if at > now:
            return max(0.0, (at - now).total_seconds())
        template = "invoice.due_soon" if reminder.key == "due_soon" else "invoice.overdue"
        if await _notify(ctx, invoice, audience, template, reminder.key):
            turn.happened.append(reminder.key)
    return timing.poll_seconds


# --- the association's payables ------------------------------------------------------------------------------------


def payable_lines(invoice: ContractorInvoice, lines: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """The invoice's lines as the payable's (tax as a line of its own); one line for the whole when a line is not
    positive (a credit)."""
    if any(amount <= 0 for _, amount in lines):
        return [(f"{invoice.display_number}: {invoice.bill_to}"[:500], invoice.total)]
    tax = [("Sales tax", invoice.tax)] if invoice.tax > 0 else []
    return [(text[:500], amount) for text, amount in lines] + tax


async def _follow_payables(ctx: RequestContext, invoice: ContractorInvoice, turn: Turn) -> ContractorInvoice:
    if invoice.ap_invoice_id is None:
        if invoice.status in rules.OPEN:
            lines = [(x.description, x.total) for x in await repository.lines(ctx.session, invoice.id)]
            turn.payables = {
                "hoa_organization_id": str(invoice.hoa_organization_id), "work_order_id": str(invoice.work_order_id),
                "provider_organization_id": str(invoice.organization_id), "invoice_number": invoice.display_number,
                "invoice_date": _iso(invoice.issue_date), "due_date": _iso(invoice.due_date),
                "amount": str(invoice.total),
                "lines": [[text, str(amount)] for text, amount in payable_lines(invoice, lines)],
            }  # fmt: skip
        return invoice
    work = None if invoice.work_order_id is None else await work_orders.provider_work_order(ctx, invoice.work_order_id)
    if work is None:
        return invoice
    voided_before = invoice.ap_status == books.VOIDED
    invoice = await books.mirror_status(ctx, invoice, work.invoice_status, now_utc())
    if invoice.status not in rules.OPEN:
        return invoice
    if work.invoice_status == "PAID":
        return await _paid_by_association(ctx, invoice, work.invoice_paid_on, turn)
    if invoice.ap_status == books.VOIDED:  # no payment will come: the run ends, the invoice stays for its contractor
        if not voided_before:
            turn.happened.append("payable_voided")
        turn.finished = True
    return invoice


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


async def _paid_by_association(
    ctx: RequestContext, invoice: ContractorInvoice, paid_on: date | None, turn: Turn
) -> ContractorInvoice:
    if await repository.hoa_payment(ctx.session, invoice.id) is not None:
        return invoice
    payment = Payment(
        invoice_id=invoice.id, amount=invoice.balance, method="HOA_AP", reference=f"AP invoice {invoice.ap_invoice_id}",
        received_on=paid_on or date.today(),
    )  # fmt: skip
    invoice, _, _ = await apply_payment(ctx, invoice, payment)
    turn.happened.append("paid_by_association")
    return invoice


# --- the job is paid ---------------------------------------------------------------------------------------------


async def _close_job(ctx: RequestContext, invoice: ContractorInvoice, job_id: uuid.UUID, turn: Turn) -> None:
    """The job is paid once it has a FINAL or STANDARD invoice and every invoice of it that is not void is PAID
    (whichever of them is paid last)."""
    billed = [other for other in await repository.invoices_of_job(ctx.session, job_id) if other.status != "VOID"]
    if any(other.status != "PAID" for other in billed) or not any(x.kind in BILLS_THE_JOB for x in billed):
        return
    job = await jobs.load_job(ctx, job_id)
    note = f"invoice {invoice.display_number} paid"
    if job.status == "INVOICED":
        job = await jobs.transition(ctx, job.id, "PAID", note, actor=None)
        turn.happened.append("job_paid")
    if job.status == "PAID":
        try:
            async with ctx.session.begin_nested():
                await jobs.transition(ctx, job.id, "CLOSED", note, actor=None)
            turn.happened.append("job_closed")
        except HestamiError:  # a QA checkpoint not passed keeps it open: the job stays PAID
            turn.happened.append("job_kept_open")


def now_utc() -> datetime:
    return datetime.now(UTC)

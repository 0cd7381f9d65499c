"""`invoice_payment_v1` (id `contractorInvoice:<invoice id>:payment:v1`): one run per issued invoice, started in
the transaction that issues it (durable with it; its first turn retries until that has committed). Each turn is one
step in one transaction on the locked invoice (`services.settlement.take_turn`): the customer or association hears
of it, the job moves INVOICED, reminders fall due, the association's payment is read; an HOA job's invoice enters
the association's payables in two more steps (entered in the association's scope as the system, then kept on the
invoice), once; while the association's books refuse it, the refusal is kept on the invoice (a fourth step; the
contractor's managers told once per distinct refusal) and it is tried again every turn. Between turns it waits for
a wake-up (a payment, a void, the association paying or voiding its payable, the work order completed) or until the
next reminder, INVOICE_POLL_SECONDS at most (an association's payment or void is read from the association's side; a
wake-up lost in a crash is made up for). It ends once the invoice is PAID (the job PAID, then CLOSED) or VOID, or
once the association voided its payable (no payment will come).

Timing settings (the length of a "day", the reminders) are recorded when the run starts, so a recovered run keeps
the schedule it started with."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.accounting import api as accounting
from hestami.cam.work_order import api as work_orders
from hestami.contractor.invoice import repository, rules
from hestami.contractor.invoice.services import books, settlement
from hestami.core import runtime, workflows
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.errors import HestamiError

log = structlog.get_logger("hestami.invoice")
TOPIC = "contractor_invoice"


class InvoiceNotVisibleError(workflows.NotCommittedYet):
    """The request that issued the invoice has not committed (yet); the step retries."""


def workflow_id(invoice_id: uuid.UUID | str) -> str:
    return f"contractorInvoice:{invoice_id}:payment:v1"


@DBOS.step(name="invoicePaymentTiming")
async def timing() -> dict[str, Any]:
    s = runtime.current().settings
    return {
        "day_seconds": s.invoice_day_seconds, "poll_seconds": s.invoice_poll_seconds,
        "days_before": s.invoice_reminder_days_before, "overdue_every": s.invoice_overdue_reminder_every_days,
        "overdue_count": s.invoice_overdue_reminders,
    }  # fmt: skip


@DBOS.step(name="invoicePaymentTurn", **workflows.step_retries(InvoiceNotVisibleError))
async def turn(organization_id: str, invoice_id: str, timed: dict[str, Any]) -> dict[str, Any]:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=rules.WORKFLOW, organization_id=org) as ctx:
        done = await settlement.take_turn(ctx, uuid.UUID(invoice_id), settlement.Timing(**timed), settlement.now_utc())
        if done is None:
            raise InvoiceNotVisibleError(invoice_id)
    if done.happened:
        log.info("invoice_payment_turn", invoice_id=invoice_id, happened=done.happened)
    return {"status": done.status, "finished": done.finished, "wait": done.wait_seconds, "payables": done.payables}


@DBOS.step(name="invoicePaymentEnterPayables", **workflows.step_retries())
async def enter_payables(payables: dict[str, Any]) -> dict[str, Any]:
    """In the association's organization, as the system: the work order's payable (`ap_invoice_id`); none while the
    work order is not COMPLETED yet, or while the association's books refuse it (`refused`: its code, reason and
    message, e.g. no Repairs and Maintenance account, or the vendor's invoice number taken), and a later turn tries
    again."""
    hoa = uuid.UUID(payables["hoa_organization_id"])
    invoice = work_orders.ProviderInvoice(
        invoice_number=payables["invoice_number"], invoice_date=date.fromisoformat(payables["invoice_date"]),
        due_date=date.fromisoformat(payables["due_date"]) if payables["due_date"] else None,
        amount=Decimal(payables["amount"]), lines=tuple((text, Decimal(amount)) for text, amount in payables["lines"]),
    )  # fmt: skip
    try:
        async with acting(runtime.current(), procedure=rules.WORKFLOW, organization_id=hoa) as ctx:
            entered = await work_orders.enter_provider_invoice(
                ctx, uuid.UUID(payables["work_order_id"]), uuid.UUID(payables["provider_organization_id"]), invoice
            )
    except HestamiError as refused:  # the association's books cannot take it yet: tried again on a later turn
        log.warning("invoice_payables_refused", invoice=payables["invoice_number"], code=refused.code.value,
                    details=refused.details, message=refused.message)  # fmt: skip
        reason = refused.details.get("reason") if isinstance(refused.details, dict) else None
        found = {"code": refused.code.value, "reason": str(reason) if reason else None, "message": refused.message}
        return {"ap_invoice_id": None, "refused": found}
    return {"ap_invoice_id": str(entered.ap_invoice_id) if entered is not None else None, "refused": None}


@DBOS.step(name="invoicePaymentRecordPayables", **workflows.step_retries())
async def record_payables(organization_id: str, invoice_id: str, ap_invoice_id: str) -> None:
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=rules.WORKFLOW, organization_id=org) as ctx:
        await books.record_payables(ctx, uuid.UUID(invoice_id), uuid.UUID(ap_invoice_id))


@DBOS.step(name="invoicePaymentRecordRefusal", **workflows.step_retries())
async def record_refusal(organization_id: str, invoice_id: str, refused: dict[str, Any]) -> None:
    """The refusal kept on the invoice, and the contractor's managers told (once per distinct refusal)."""
    org = uuid.UUID(organization_id)
    async with acting(runtime.current(), procedure=rules.WORKFLOW, organization_id=org) as ctx:
        await books.record_refusal(ctx, uuid.UUID(invoice_id), books.Refusal(**refused), settlement.now_utc())


@DBOS.workflow(name=rules.WORKFLOW, max_recovery_attempts=100_000)
async def invoice_payment_v1(organization_id: str, invoice_id: str) -> str:
    timed = await timing()
    while True:
        state = await turn(organization_id, invoice_id, timed)
        if state["payables"] is not None:
            entered = await enter_payables(state["payables"])
            if entered["ap_invoice_id"] is not None:
                await record_payables(organization_id, invoice_id, entered["ap_invoice_id"])
                continue
            if entered["refused"] is not None:
                await record_refusal(organization_id, invoice_id, entered["refused"])
        if state["finished"]:
            return str(state["status"])
        await DBOS.recv_async(TOPIC, timeout_seconds=max(float(state["wait"]), 0.05))


async def start(organization_id: uuid.UUID, invoice_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the invoice."""
    with SetWorkflowID(workflow_id(invoice_id)):
        await DBOS.start_workflow_async(invoice_payment_v1, str(organization_id), str(invoice_id))


async def wake(invoice_id: uuid.UUID) -> None:
    """Wakes the invoice's run (a lost wake-up only delays it: each turn reads committed state)."""
    workflows.wakeups.post(workflow_id(invoice_id), TOPIC, {"wake": True})


async def _wake_for_work_order(provider_organization_id: uuid.UUID, work_order_id: uuid.UUID) -> None:
    """The provider's invoice for the work order, found in the provider's organization as the system, woken."""
    async with acting(runtime.current(), procedure=rules.WORKFLOW, organization_id=provider_organization_id) as ctx:
        found = await repository.issued_for_work_order(ctx.session, work_order_id)
    if found is not None:
        await wake(found.id)


async def _payable_paid(ctx: RequestContext, paid: accounting.PaidPayable) -> None:
    """An association paid an invoice of its payables (its transaction): a work order's provider's invoice is woken
    after commit, to read the payment provider-side."""
    _wake_after_commit(ctx, paid.service_provider_org_id, paid.source_type, paid.source_id)


async def _payable_voided(ctx: RequestContext, voided: accounting.VoidedPayable) -> None:
    """An association voided an invoice of its payables (its transaction): a work order's provider's invoice is
    woken after commit, to read the void provider-side (and stop waiting for a payment)."""
    _wake_after_commit(ctx, voided.service_provider_org_id, voided.source_type, voided.source_id)


def _wake_after_commit(
    ctx: RequestContext, provider: uuid.UUID | None, source_type: str | None, source: uuid.UUID | None
) -> None:
    if source_type == "WORK_ORDER" and provider is not None and source is not None:
        ctx.after_commit(lambda: _wake_for_work_order(provider, source))


async def _work_order_moved(ctx: RequestContext, work: work_orders.AssignedWork, _from: str, to: str) -> None:
    """A work order completed by its provider's job (the hand-off, in the provider's scope): the provider's issued
    invoice may now enter the payables: woken after commit."""
    provider = work.provider_organization_id
    if to == "COMPLETED" and provider is not None and ctx.organization_id == provider:
        work_order_id = work.work_order_id
        ctx.after_commit(lambda: _wake_for_work_order(provider, work_order_id))


accounting.when_payable_paid(_payable_paid)
accounting.when_payable_voided(_payable_voided)
work_orders.when_status_changed(_work_order_moved)

"""Payments of an invoice: through the payment port (`collect`: a payment intent stores the request and the
provider's answer, then the payment when it succeeded), by check or cash (`record`), or by the association paying
the invoice in its payables (`settlement`). Each payment gets its receipt, numbered RCT-000001 per organization, and
moves the invoice to PARTIALLY_PAID or PAID; a payment is never more than the balance (OVERPAYMENT). The invoice is
locked while it is paid, so two payments racing cannot both take the same balance."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from hestami.contractor.invoice import gateway, kinds, repository, rules, workflows
from hestami.contractor.invoice.errors import InvoiceReason, rule
from hestami.contractor.invoice.models import ContractorInvoice, Payment, PaymentIntent
from hestami.contractor.invoice.schemas import (
    CollectPayment,
    IntentOut,
    IntentsOut,
    PaymentOut,
    PaymentResultOut,
    PaymentsOut,
    RecordPayment,
)
from hestami.contractor.invoice.services import receipts
from hestami.contractor.invoice.services.invoices import invoice_out, load
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.ids import new_id


def _payable(invoice: ContractorInvoice, amount: Decimal, *, through_port_or_hand: bool = True) -> None:
    if invoice.status not in rules.OPEN:
        raise rule(InvoiceReason.NOT_PAYABLE, f"{invoice.display_number} is {invoice.status}: it takes no payment.",
                   status=invoice.status)  # fmt: skip
    if through_port_or_hand and invoice.work_order_id is not None:
        raise rule(
            InvoiceReason.PAID_THROUGH_AP,
            f"{invoice.display_number} is in the association's payables: the association pays it there.",
        )
    if amount > invoice.balance:
        raise rule(InvoiceReason.OVERPAYMENT, f"{amount} is more than the balance of {invoice.balance}.",
                   balance=str(invoice.balance), amount=str(amount))  # fmt: skip


async def collect(ctx: RequestContext, data: CollectPayment) -> PaymentResultOut:
    """Charges the card or account through the port: the intent is stored with the outcome either way; a declined
    charge answers with the intent and no payment (nothing else changes)."""
    invoice = await load(ctx, data.invoice_id, "collect", lock=True)
    _payable(invoice, data.amount)
    port = gateway.current()
    intent_id = new_id()
    outcome = await port.charge(
        gateway.ChargeRequest(intent_id, invoice.display_number, data.amount, data.method, data.payment_token)
    )
    intent = PaymentIntent(
        id=intent_id, organization_id=invoice.organization_id, invoice_id=invoice.id, amount=data.amount,
        method=data.method, token_hint=gateway.token_hint(data.payment_token), provider=port.name,
        outcome="SUCCEEDED" if outcome.succeeded else "DECLINED", provider_reference=outcome.provider_reference,
        failure_reason=outcome.failure_reason, requested_by=ctx.user_id,
    )  # fmt: skip
    ctx.session.add(intent)
    await ctx.session.flush()
    if not outcome.succeeded:
        return PaymentResultOut(invoice=invoice_out(invoice), intent=IntentOut.model_validate(intent), payment=None)
    payment = Payment(
        invoice_id=invoice.id, amount=data.amount, method=data.method, reference=outcome.provider_reference,
        received_on=date.today(), intent_id=intent.id, recorded_by=ctx.user_id,
    )  # fmt: skip
    invoice, payment, receipt = await receipts.apply_payment(ctx, invoice, payment)
    _wake_after_commit(ctx, invoice.id)
    await ctx.session.refresh(intent)
    return PaymentResultOut(
        invoice=invoice_out(invoice),
        intent=IntentOut.model_validate(intent),
        payment=receipts.payment_out(payment, receipt),
    )


async def record(ctx: RequestContext, data: RecordPayment) -> PaymentResultOut:
    """A check or cash received by the office."""
    invoice = await load(ctx, data.invoice_id, "record_payment", lock=True)
    _payable(invoice, data.amount)
    payment = Payment(
        invoice_id=invoice.id, amount=data.amount, method=data.method, reference=data.reference,
        received_on=data.received_on or date.today(), recorded_by=ctx.user_id,
    )  # fmt: skip
    invoice, payment, receipt = await receipts.apply_payment(ctx, invoice, payment)
    _wake_after_commit(ctx, invoice.id)
    return PaymentResultOut(invoice=invoice_out(invoice), intent=None, payment=receipts.payment_out(payment, receipt))


async def list_payments(ctx: RequestContext, invoice_id: uuid.UUID) -> PaymentsOut:
    invoice = await load(ctx, invoice_id)
    found = await repository.payments(ctx.session, invoice.id)
    return PaymentsOut(items=[receipts.payment_out(p, r) for p, r in found])


async def list_intents(ctx: RequestContext, invoice_id: uuid.UUID) -> IntentsOut:
    """What the port was asked for the invoice, with each answer (the recording adapter's record)."""
    invoice = await load(ctx, invoice_id, "collect")
    return IntentsOut(items=[IntentOut.model_validate(i) for i in await repository.intents(ctx.session, invoice.id)])


async def get_payment(ctx: RequestContext, payment_id: uuid.UUID) -> PaymentOut:
    """One payment with its receipt."""
    await profile.require_contractor(ctx)
    payment = await records.load(ctx, kinds.PAYMENT, payment_id)
    return receipts.payment_out(payment, await repository.receipt_of(ctx.session, payment.id))


def _wake_after_commit(ctx: RequestContext, invoice_id: uuid.UUID) -> None:
    ctx.after_commit(lambda: workflows.wake(invoice_id))

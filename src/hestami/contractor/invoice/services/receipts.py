"""A payment applied to an invoice: the payment, its receipt (RCT-000001 per organization, gapless) and the invoice
moved on, in the caller's transaction on the locked invoice."""

from __future__ import annotations

from datetime import UTC, datetime

from hestami.contractor.invoice import kinds, repository, rules
from hestami.contractor.invoice.models import ContractorInvoice, Payment, Receipt
from hestami.contractor.invoice.schemas import PaymentOut, ReceiptOut
from hestami.core import records
from hestami.core.context import RequestContext


def payment_out(payment: Payment, receipt: Receipt | None) -> PaymentOut:
    made = None
    if receipt is not None:
        made = ReceiptOut(id=receipt.id, number=receipt.display_number, amount=receipt.amount,
                          balance_after=receipt.balance_after, received_on=receipt.received_on)  # fmt: skip
    return records.output(PaymentOut, payment, receipt=made)


async def apply_payment(
    ctx: RequestContext, invoice: ContractorInvoice, payment: Payment
) -> tuple[ContractorInvoice, Payment, Receipt]:
    """Stores the payment and its receipt and moves the locked invoice on (PARTIALLY_PAID or PAID)."""
    payment = await records.insert(ctx, kinds.PAYMENT, payment)
    paid = invoice.amount_paid + payment.amount
    status = rules.status_after_payment(invoice.total, paid)
    changes: dict[str, object] = {"amount_paid": paid, "balance": invoice.total - paid, "status": status}
    if status == "PAID":
        changes["paid_at"] = datetime.now(UTC)
    invoice = await records.change(ctx, kinds.INVOICE, invoice, changes, action="paid" if status == "PAID" else
                                   "partially_paid")  # fmt: skip
    receipt = Receipt(
        organization_id=invoice.organization_id, payment_id=payment.id, invoice_id=invoice.id,
        number=await repository.next_receipt_number(ctx.session, invoice.organization_id), amount=payment.amount,
        balance_after=invoice.balance, received_on=payment.received_on,
    )  # fmt: skip
    ctx.session.add(receipt)
    await ctx.session.flush()
    return invoice, payment, receipt

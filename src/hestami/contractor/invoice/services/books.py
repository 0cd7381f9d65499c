"""What the association's books did with an invoice of its work order, kept on the invoice for the contractor to see
(in the contractor's organization, as the system, from `invoice_payment_v1`):

- entered: `ap_invoice_id` (once) and any refusal cleared;
- refused (no Repairs and Maintenance account, a duplicate vendor invoice number, ...): the refusal's code, reason,
  message and when it was first met (`ap_refusal_*`); the workflow tries again every poll, and the contractor's
  managers (ADMIN, MANAGER) are told once per distinct refusal;
- read on each turn (`work_order.api.provider_work`): the payable's status (`ap_status`); VOIDED also records
  `ap_voided_at` and tells the managers once (the workflow then stops waiting for a payment)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from hestami.contractor.invoice import kinds, repository
from hestami.contractor.invoice.models import ContractorInvoice
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

MANAGING_ROLES = ["ADMIN", "MANAGER"]
VOIDED = "VOIDED"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the association's books did not take the invoice: the platform error code, the domain's reason (when it
    gave one) and its message."""

    code: str
    reason: str | None
    message: str

    @property
    def key(self) -> str:
        """The same for the same refusal, different for another (a notice is sent once per key)."""
        text = f"{self.code}\n{self.reason or ''}\n{self.message}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def refusal_of(invoice: ContractorInvoice) -> Refusal | None:
    if invoice.ap_refusal_code is None:
        return None
    return Refusal(invoice.ap_refusal_code, invoice.ap_refusal_reason, invoice.ap_refusal_message or "")


async def record_payables(ctx: RequestContext, invoice_id: uuid.UUID, ap_invoice_id: uuid.UUID) -> None:
    """Keeps the association's payable the invoice became (once), and clears the last refusal."""
    invoice = await records.find(ctx, kinds.INVOICE, invoice_id, lock=True)
    if invoice.ap_invoice_id is None:
        changes = {"ap_invoice_id": ap_invoice_id, "ap_refusal_code": None, "ap_refusal_reason": None,
                   "ap_refusal_message": None, "ap_refused_at": None}  # fmt: skip
        await records.change(ctx, kinds.INVOICE, invoice, changes, action="in_payables")


async def record_refusal(ctx: RequestContext, invoice_id: uuid.UUID, refusal: Refusal, now: datetime) -> bool:
    """Keeps the refusal on the invoice (a new one replaces the last, with its moment; the same one again changes
    nothing) and tells the managers once per distinct refusal; whether they were told now."""
    invoice = await records.find(ctx, kinds.INVOICE, invoice_id, lock=True)
    if invoice.ap_invoice_id is not None:  # entered meanwhile
        return False
    if refusal_of(invoice) != refusal:
        changes = {"ap_refusal_code": refusal.code, "ap_refusal_reason": refusal.reason,
                   "ap_refusal_message": refusal.message, "ap_refused_at": now}  # fmt: skip
        invoice = await records.change(ctx, kinds.INVOICE, invoice, changes, action="payables_refused")
    payload = {"code": refusal.code, "reason": refusal.reason, "message": refusal.message}
    return await tell_managers(ctx, invoice, "invoice.payables_refused", f"payables_refused:{refusal.key}", payload)


async def mirror_status(
    ctx: RequestContext, invoice: ContractorInvoice, ap_status: str | None, now: datetime
) -> ContractorInvoice:
    """Keeps the payable's status as the association's books have it; a VOIDED payable records when it was learnt,
    once, and tells the managers once."""
    if ap_status is None or ap_status == invoice.ap_status:
        return invoice
    changes: dict[str, object] = {"ap_status": ap_status}
    if ap_status == VOIDED and invoice.ap_voided_at is None:
        changes["ap_voided_at"] = now
    invoice = await records.change(ctx, kinds.INVOICE, invoice, changes, action="payable_status")
    if ap_status == VOIDED:
        payload = {"ap_invoice_id": str(invoice.ap_invoice_id)}
        await tell_managers(ctx, invoice, "invoice.payable_voided", f"payable_voided:{invoice.ap_invoice_id}", payload)
    return invoice


async def tell_managers(
    ctx: RequestContext, invoice: ContractorInvoice, template: str, key: str, payload: Mapping[str, object]
) -> bool:
    """One email to each of the organization's ADMIN and MANAGER members about the invoice, once per `key` and
    member (the outbox's dedupe key); whether any was new."""
    people = await identity.members_in_roles(ctx, MANAGING_ROLES)
    about = {"invoice": invoice.display_number, "bill_to": invoice.bill_to, "total": str(invoice.total), **payload}
    messages = [
        OutboundMessage(
            organization_id=invoice.organization_id, channel="EMAIL", recipient=email, recipient_user_id=user_id,
            template=template, payload=about, entity_type=kinds.INVOICE.name, entity_id=invoice.id,
            dedupe_key=f"contractor_invoice:{invoice.id}:{key}:{email}",
        )
        for user_id, email in people
    ]  # fmt: skip
    sent = await repository.sent_keys(ctx.session, invoice.id)
    fresh = [m for m in messages if m.dedupe_key not in sent]
    await record_all_once(ctx.session, fresh)  # the dedupe key's unique index holds "once" under concurrency
    return bool(fresh)

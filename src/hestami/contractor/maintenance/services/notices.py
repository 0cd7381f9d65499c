"""Notices to an agreement's customer or HOA through the outbox (the notifications port the invoices and estimates
use): RENEWAL_DUE before term end, RENEWED, LAPSED, CANCELLED; each once per kind and term (a row claimed with the
unique key, and the message's dedupe key). A customer hears by email, else SMS; an HOA by `hoa:<organization id>`
(as its invoices do). A customer with neither: the notice is recorded without a message."""

from __future__ import annotations

from hestami.contractor.job import api as jobs
from hestami.contractor.maintenance import kinds, repository
from hestami.contractor.maintenance.models import Agreement
from hestami.core.context import RequestContext
from hestami.core.outbox import Channel, OutboundMessage, record_once

TEMPLATES = {
    "RENEWAL_DUE": "maintenance.renewal_due",
    "RENEWED": "maintenance.renewed",
    "LAPSED": "maintenance.lapsed",
    "CANCELLED": "maintenance.cancelled",
}


async def address_of(ctx: RequestContext, agreement: Agreement) -> tuple[Channel, str] | None:
    if agreement.hoa_organization_id is not None:
        return "EMAIL", f"hoa:{agreement.hoa_organization_id}"
    assert agreement.customer_id is not None
    contact = await jobs.contact_of_customer(ctx, agreement.customer_id)
    if contact is None:
        return None
    if contact.email:
        return "EMAIL", contact.email
    return ("SMS", contact.phone) if contact.phone else None


async def notify(ctx: RequestContext, agreement: Agreement, kind: str, term_number: int) -> bool:
    """The notice of `kind` for the term, once; whether it was recorded now."""
    to = await address_of(ctx, agreement)
    claimed = await repository.claim_notice(ctx.session, {
        "organization_id": agreement.organization_id, "agreement_id": agreement.id, "kind": kind,
        "term_number": term_number, "recipient": to[1] if to else None,
    })  # fmt: skip
    if claimed is None or to is None:
        return claimed is not None
    payload = {
        "agreement": agreement.display_number, "name": agreement.name, "plan": agreement.plan,
        "term_number": term_number, "term_start": agreement.term_start.isoformat(),
        "term_end": agreement.term_end.isoformat(), "price": str(agreement.price), "auto_renew": agreement.auto_renew,
    }  # fmt: skip
    await record_once(
        ctx.session,
        OutboundMessage(
            organization_id=agreement.organization_id, channel=to[0], recipient=to[1], template=TEMPLATES[kind],
            payload=payload, entity_type=kinds.AGREEMENT.name, entity_id=agreement.id,
            dedupe_key=f"maintenance_agreement:{agreement.id}:{kind}:{term_number}",
        ),
    )  # fmt: skip
    return True

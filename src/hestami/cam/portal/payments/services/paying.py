"""Paying now: an owner charges one of their stored methods for a unit they own, through the payment provider (the
recording adapter stores the call), and a paid charge becomes a payment in the association's books in the same
transaction (applied to the oldest open charges first, the rest kept as credit). A declined charge records the
provider's answer and nothing else. The request's Idempotency-Key is the provider's, so a retried request charges
once; the owner is told by email of a payment received."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from hestami.cam.accounting import api as accounting
from hestami.cam.association.api import UnitRef
from hestami.cam.portal.payments import kinds
from hestami.cam.portal.payments.errors import PaymentsReason, rule
from hestami.cam.portal.payments.schemas import BalanceIn, PayIn, PayOut
from hestami.cam.portal.payments.services import gateway, history, notices
from hestami.cam.portal.payments.services.autopay import owned_unit
from hestami.cam.portal.payments.services.methods import expired
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.ids import new_id


async def pay(ctx: RequestContext, data: PayIn) -> PayOut:
    """Charges the method and books the payment (see the module docstring). A unit the caller does not own, or a
    method that is not theirs or was removed, is NOT_FOUND; an expired card is refused (CARD_EXPIRED) before the
    provider is asked."""
    unit, owner = await owned_unit(ctx, data.unit_id, lock=True)
    method = await records.load(ctx, kinds.PAYMENT_METHOD, data.method_id)
    if method.deleted_at is not None:
        raise not_found(kinds.PAYMENT_METHOD.name, data.method_id)
    if expired(method):
        raise rule(PaymentsReason.CARD_EXPIRED, "This card has expired; choose or add another method.")
    key = f"portal-pay:{ctx.idempotency_key or new_id()}"
    payer = gateway.Payer(owner.party_id, ctx.require_user(), unit.association_id, unit.id)
    charged = await gateway.current().charge(
        ctx, gateway.ChargeRequest(payer, None, method.id, method.provider_token, data.amount, key)
    )
    if not charged.succeeded:
        return await _answer(ctx, unit, "DECLINED", data.amount, charged.reference, None)
    receipt = await accounting.receive_payment(
        ctx, unit_id=unit.id, amount=data.amount, method="CARD" if method.kind == "CARD" else "ACH",
        reference=charged.reference,
    )  # fmt: skip
    await notices.tell_owner(
        ctx, email=ctx.principal.email if ctx.principal else None, user_id=ctx.user_id,
        template="payment.received", entity_type="payment", entity_id=receipt.id, event="received",
        payload={"unit_number": unit.unit_number, "amount": str(receipt.amount), "method": method.label,
                 "reference": charged.reference, "paid_on": date.today().isoformat()},
    )  # fmt: skip
    return await _answer(ctx, unit, "PAID", receipt.amount, charged.reference, receipt.id)


async def _answer(
    ctx: RequestContext,
    unit: UnitRef,
    status: Literal["PAID", "DECLINED"],
    amount: Decimal,
    reference: str,
    payment_id: uuid.UUID | None,
) -> PayOut:
    """The charge's outcome with the unit's balance after it."""
    after = await history.balance(ctx, BalanceIn(unit_id=unit.id))
    return PayOut(status=status, amount=amount, reference=reference, payment_id=payment_id, balance=after)

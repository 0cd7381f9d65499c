"""The payment provider, as a port: exchange a checkout token for a stored method, enrol and cancel auto-pay,
charge a method. Real processing is out of scope; `RecordingGateway` is the adapter in use: it answers like a
provider (deterministic tokens and references) and stores every call in `payment_gateway_records`, in the
caller's transaction, so the calls made are exactly those of the changes that committed, and managers (and the
owner concerned) read them through `portal/payment/v1/gatewayRecords`. Tokens are secrets to everyone but the
provider: a record shows them only as hints (`pm_…a1b2`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from hestami.cam.portal.payments import repository
from hestami.cam.portal.payments.models import GatewayRecord
from hestami.cam.portal.payments.rules import token_hint
from hestami.core.context import RequestContext

RECORDING = "RECORDING"
DECLINING_MARK = "decline"
"""A checkout token with this in it (`tok_decline0001`) makes a method whose charges the recording provider
declines, as a test card number does at a real provider."""


@dataclass(frozen=True, slots=True)
class Payer:
    """Whom a call is for: the party, its owner's account, and the unit and association when there is one."""

    party_id: uuid.UUID
    user_id: uuid.UUID
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class TokenizeRequest:
    payer: Payer
    method_id: uuid.UUID
    checkout_token: str
    kind: str
    last4: str
    brand: str | None
    exp_month: int | None
    exp_year: int | None
    bank_name: str | None
    account_type: str | None


@dataclass(frozen=True, slots=True)
class MandateRequest:
    payer: Payer
    enrolment_id: uuid.UUID
    method_id: uuid.UUID
    method_token: str
    day_of_month: int
    max_amount: Decimal | None
    start_date: date


@dataclass(frozen=True, slots=True)
class CancelRequest:
    payer: Payer
    enrolment_id: uuid.UUID
    method_id: uuid.UUID
    mandate_reference: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class ChargeRequest:
    payer: Payer
    enrolment_id: uuid.UUID | None
    method_id: uuid.UUID
    method_token: str
    amount: Decimal
    idempotency_key: str
    """The same key asks once: a repeated request answers what the first one did."""


@dataclass(frozen=True, slots=True)
class ChargeResult:
    succeeded: bool
    reference: str


class PaymentGateway(Protocol):
    """What the platform asks of a payment provider."""

    provider: str

    async def tokenize(self, ctx: RequestContext, request: TokenizeRequest) -> str:
        """A reusable method token for the checkout's one-time token."""
        ...

    async def enrol_autopay(self, ctx: RequestContext, request: MandateRequest) -> str:
        """The provider's mandate reference for charging the method each month."""
        ...

    async def cancel_autopay(self, ctx: RequestContext, request: CancelRequest) -> str:
        """Ends the mandate; answers its reference."""
        ...

    async def charge(self, ctx: RequestContext, request: ChargeRequest) -> ChargeResult:
        """Charges the method once per idempotency key."""
        ...


def _digest(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:24]


class RecordingGateway:
    """The local adapter: answers like a provider and records each call (see the module docstring)."""

    provider = RECORDING

    def _record(
        self,
        ctx: RequestContext,
        operation: str,
        payer: Payer,
        request: dict[str, Any],
        reference: str,
        *,
        method_id: uuid.UUID,
        enrolment_id: uuid.UUID | None = None,
        outcome: str = "SUCCEEDED",
        amount: Decimal | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        ctx.session.add(
            GatewayRecord(
                organization_id=ctx.require_org(), operation=operation, provider=self.provider,
                association_id=payer.association_id, unit_id=payer.unit_id, party_id=payer.party_id,
                user_id=payer.user_id, payment_method_id=method_id, enrolment_id=enrolment_id,
                requested_by=ctx.user_id, request=request, outcome=outcome, provider_reference=reference,
                amount=amount, idempotency_key=idempotency_key,
            )
        )  # fmt: skip

    async def tokenize(self, ctx: RequestContext, request: TokenizeRequest) -> str:
        token = f"pm_rec_{_digest(ctx.require_org(), request.checkout_token)}"
        if DECLINING_MARK in request.checkout_token:
            token = f"pm_rec_{DECLINING_MARK}_{_digest(ctx.require_org(), request.checkout_token)}"
        details = {
            "kind": request.kind, "checkout_token": token_hint(request.checkout_token), "last4": request.last4,
            "brand": request.brand, "exp_month": request.exp_month, "exp_year": request.exp_year,
            "bank_name": request.bank_name, "account_type": request.account_type,
        }  # fmt: skip
        asked = {key: value for key, value in details.items() if value is not None}
        self._record(ctx, "TOKENIZE", request.payer, asked, token_hint(token), method_id=request.method_id)
        return token

    async def enrol_autopay(self, ctx: RequestContext, request: MandateRequest) -> str:
        reference = f"mandate_rec_{request.enrolment_id.hex[:24]}"
        asked: dict[str, Any] = {
            "method_token": token_hint(request.method_token),
            "day_of_month": request.day_of_month,
            "max_amount": str(request.max_amount) if request.max_amount is not None else None,
            "start_date": request.start_date.isoformat(),
        }
        self._record(
            ctx, "ENROL_AUTOPAY", request.payer, asked, reference,
            method_id=request.method_id, enrolment_id=request.enrolment_id,
        )  # fmt: skip
        return reference

    async def cancel_autopay(self, ctx: RequestContext, request: CancelRequest) -> str:
        asked = {"mandate": request.mandate_reference, "reason": request.reason}
        self._record(
            ctx, "CANCEL_AUTOPAY", request.payer, asked, request.mandate_reference,
            method_id=request.method_id, enrolment_id=request.enrolment_id,
        )  # fmt: skip
        return request.mandate_reference

    async def charge(self, ctx: RequestContext, request: ChargeRequest) -> ChargeResult:
        earlier = await repository.gateway_record_by_key(ctx.session, request.idempotency_key)
        if earlier is not None:
            return ChargeResult(earlier.outcome == "SUCCEEDED", earlier.provider_reference)
        declined = DECLINING_MARK in request.method_token
        reference = f"{'decline' if declined else 'ch'}_rec_{_digest(ctx.require_org(), request.idempotency_key)}"
        asked = {"method_token": token_hint(request.method_token), "amount": str(request.amount), "currency": "USD"}
        self._record(
            ctx, "CHARGE", request.payer, asked, reference, method_id=request.method_id,
            enrolment_id=request.enrolment_id, outcome="DECLINED" if declined else "SUCCEEDED",
            amount=request.amount, idempotency_key=request.idempotency_key,
        )  # fmt: skip
        await ctx.session.flush()
        return ChargeResult(not declined, reference)


_GATEWAY: PaymentGateway = RecordingGateway()


def current() -> PaymentGateway:
    """The payment provider in use (the recording adapter: real processing is out of scope)."""
    return _GATEWAY

"""The payment provider, as a port: charge a card or a bank account for an invoice. Real processing is out of scope;
`RecordingGateway` is the adapter in use: it answers like a provider (a deterministic reference per request; a
token with `decline` in it is declined, as a test card number is at a real provider) and the invoice domain stores
every request with its outcome as a payment intent, in the caller's transaction, readable through
`invoice/v1/listPaymentIntents`. Tokens are the provider's secrets: an intent keeps only a hint (`tok_…a1b2`)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

RECORDING = "RECORDING"
DECLINING_MARK = "decline"


@dataclass(frozen=True, slots=True)
class ChargeRequest:
    intent_id: uuid.UUID
    invoice_number: str
    amount: Decimal
    method: str
    token: str


@dataclass(frozen=True, slots=True)
class ChargeOutcome:
    succeeded: bool
    provider_reference: str | None
    failure_reason: str | None


class PaymentGateway(Protocol):
    name: str

    async def charge(self, request: ChargeRequest) -> ChargeOutcome: ...


class RecordingGateway:
    """Answers every charge at once: declined for a `decline` token, else succeeded with a reference derived from the
    intent (the same request answers the same)."""

    name = RECORDING

    async def charge(self, request: ChargeRequest) -> ChargeOutcome:
        if DECLINING_MARK in request.token.lower():
            return ChargeOutcome(False, None, "card_declined")
        digest = hashlib.sha256(f"{request.intent_id}:{request.amount}".encode()).hexdigest()[:16]
        return ChargeOutcome(True, f"rec_{digest}", None)


_gateway: list[PaymentGateway] = [RecordingGateway()]


def current() -> PaymentGateway:
    return _gateway[0]


def use(gateway: PaymentGateway) -> None:
    """Replaces the adapter (a real provider's, once there is one)."""
    _gateway[0] = gateway


def token_hint(token: str) -> str:
    prefix = token.split("_", 1)[0] if "_" in token else "tok"
    return f"{prefix}_…{token[-4:]}"

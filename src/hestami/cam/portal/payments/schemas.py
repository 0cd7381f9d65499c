"""The owner portal's payment inputs and outputs. No output carries a provider token: a method shows its
`token_hint` (`pm_…a1b2`) at most."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from hestami.cam.portal.payments.rules import CHECKOUT_PATTERN, token_prefix
from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, PositiveMoney, Record, Trimmed

MethodKind = Literal["CARD", "ACH"]
Brand = Literal["VISA", "MASTERCARD", "AMEX", "DISCOVER", "OTHER"]
AccountType = Literal["CHECKING", "SAVINGS"]
EnrolmentStatus = Literal["ACTIVE", "CANCELLED"]
Operation = Literal["TOKENIZE", "ENROL_AUTOPAY", "CANCEL_AUTOPAY", "CHARGE"]
Outcome = Literal["SUCCEEDED", "DECLINED"]
CheckoutToken = Annotated[
    str,
    Field(
        pattern=CHECKOUT_PATTERN,
        description="The one-time token the payment provider's checkout answered for the card (`tok_…`) or bank "
        "account (`btok_…`); never a card or account number.",
    ),
]
Last4 = Annotated[str, Field(pattern=r"^[0-9]{4}$", description="The last four digits of the card or account.")]

_CARD_FIELDS = ("brand", "exp_month", "exp_year")
_BANK_FIELDS = ("bank_name", "account_type")


# --- payment methods ---------------------------------------------------------------------------------------------


class AddMethod(Input):
    party_id: uuid.UUID = Field(description="The caller's own party (the person or company paying).")
    kind: MethodKind
    token: CheckoutToken
    last4: Last4
    label: Trimmed | None = Field(default=None, min_length=1, max_length=80)
    brand: Brand | None = Field(default=None, description="CARD only, required.")
    exp_month: int | None = Field(default=None, ge=1, le=12, description="CARD only, required.")
    exp_year: int | None = Field(default=None, ge=2000, le=2100, description="CARD only, required.")
    bank_name: Trimmed | None = Field(default=None, min_length=1, max_length=100, description="ACH only, required.")
    account_type: AccountType | None = Field(default=None, description="ACH only, required.")
    make_default: bool = Field(default=False, description="The party's first method is its default anyway.")

    @model_validator(mode="after")
    def _details(self) -> AddMethod:
        needed, foreign = (_CARD_FIELDS, _BANK_FIELDS) if self.kind == "CARD" else (_BANK_FIELDS, _CARD_FIELDS)
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} method needs {', '.join(missing)}")
        given = [name for name in foreign if getattr(self, name) is not None]
        if given:
            raise ValueError(f"a {self.kind} method takes no {', '.join(given)}")
        if not self.token.startswith(token_prefix(self.kind)):
            raise ValueError(f"a {self.kind} token starts with {token_prefix(self.kind)}")
        return self


class ListMethods(PageRequest):
    party_id: uuid.UUID | None = Field(default=None, description="Only this party's methods.")


class MethodOut(Record):
    party_id: uuid.UUID
    user_id: uuid.UUID
    kind: MethodKind
    label: str
    provider: str
    token_hint: str = Field(description="The provider token's prefix and last four characters; never the token.")
    last4: str
    brand: Brand | None
    exp_month: int | None
    exp_year: int | None
    expired: bool = Field(description="A card past its expiry month.")
    bank_name: str | None
    account_type: AccountType | None
    is_default: bool
    deleted_at: datetime | None = Field(description="When it was removed (removed methods are kept for history).")


class MethodsOut(BaseModel):
    items: list[MethodOut]
    next_cursor: str | None


# --- auto-pay ----------------------------------------------------------------------------------------------------


class EnrolAutopay(Input):
    unit_id: uuid.UUID = Field(description="A unit the caller owns.")
    payment_method_id: uuid.UUID = Field(description="One of the caller's stored methods.")
    day_of_month: int = Field(ge=1, le=28, description="The day each month's charge is made (1-28).")
    max_amount: PositiveMoney | None = Field(
        default=None, description="Never charge more than this in one month (the rest stays owed)."
    )
    start_date: date | None = Field(default=None, description="The first day it may charge (default today).")


class CancelAutopay(Input):
    id: uuid.UUID
    reason: Trimmed | None = Field(default=None, min_length=1, max_length=500)


class AutopayOfUnit(Input):
    unit_id: uuid.UUID


class ListAutopay(PageRequest):
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    status: EnrolmentStatus | None = None


class MethodSummary(BaseModel):
    """A method as an enrolment shows it: what it is, never its token."""

    id: uuid.UUID
    kind: MethodKind
    label: str
    last4: str
    brand: Brand | None
    exp_month: int | None
    exp_year: int | None
    bank_name: str | None
    removed: bool


class AutopayOut(Record):
    association_id: uuid.UUID
    unit_id: uuid.UUID
    unit_number: str
    party_id: uuid.UUID
    user_id: uuid.UUID
    payment_method_id: uuid.UUID
    method: MethodSummary
    day_of_month: int
    max_amount: Decimal | None
    start_date: date
    status: EnrolmentStatus
    next_charge_on: date | None = Field(description="The next auto-pay day while ACTIVE.")
    cancelled_at: datetime | None
    cancelled_by: uuid.UUID | None
    cancel_reason: str | None


class AutopayOfUnitOut(BaseModel):
    unit_id: uuid.UUID
    enrolment: AutopayOut | None = Field(description="The unit's ACTIVE enrolment, if any.")


class AutopaysOut(BaseModel):
    items: list[AutopayOut]
    next_cursor: str | None


# --- history and balance -----------------------------------------------------------------------------------------


class HistoryIn(PageRequest):
    unit_id: uuid.UUID = Field(description="A unit the caller owns.")


class AppliedChargeOut(BaseModel):
    charge_id: uuid.UUID
    description: str
    due_date: date
    charge_amount: Decimal
    amount: Decimal = Field(description="What this payment paid of the charge.")


class PaymentReceivedOut(BaseModel):
    id: uuid.UUID
    payment_date: date
    amount: Decimal
    method: str
    reference: str | None
    status: Literal["POSTED", "VOIDED"]
    void_reason: str | None
    credit_left: Decimal = Field(description="What the payment still holds as credit for later charges.")
    applied_to: list[AppliedChargeOut]


class HistoryOut(BaseModel):
    unit_id: uuid.UUID
    unit_number: str
    items: list[PaymentReceivedOut]
    next_cursor: str | None


class BalanceIn(Input):
    unit_id: uuid.UUID = Field(description="A unit the caller owns.")


class OpenChargeOut(BaseModel):
    charge_id: uuid.UUID
    description: str
    due_date: date
    amount: Decimal
    amount_paid: Decimal
    open_amount: Decimal


class BalanceOut(BaseModel):
    unit_id: uuid.UUID
    unit_number: str
    as_of: date
    balance: Decimal = Field(description="Open charges minus unapplied credit (negative: in credit).")
    charges_open: Decimal
    unapplied_credit: Decimal
    open_charges: list[OpenChargeOut] = Field(description="The charges behind `charges_open`, oldest due first.")
    next_autopay_on: date | None = Field(description="When auto-pay charges next, if the unit is enrolled.")


# --- paying now --------------------------------------------------------------------------------------------------


class PayIn(Input):
    unit_id: uuid.UUID = Field(description="A unit the caller owns.")
    method_id: uuid.UUID = Field(description="One of the caller's stored methods (`listMethods`).")
    amount: PositiveMoney = Field(description="What to pay now; more than the balance is kept as credit.")


class PayOut(BaseModel):
    status: Literal["PAID", "DECLINED"]
    amount: Decimal
    reference: str = Field(description="The payment provider's reference for the charge (paid or declined).")
    payment_id: uuid.UUID | None = Field(description="The payment in the association's books; null when declined.")
    balance: BalanceOut = Field(description="The unit's balance after the charge.")


# --- gateway records ---------------------------------------------------------------------------------------------


class ListGatewayRecords(PageRequest):
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    operation: Operation | None = None


class GatewayRecordOut(Record):
    operation: Operation
    provider: str
    association_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    party_id: uuid.UUID | None
    user_id: uuid.UUID | None
    payment_method_id: uuid.UUID | None
    enrolment_id: uuid.UUID | None
    requested_by: uuid.UUID | None = Field(description="Who asked (none: the auto-pay schedule).")
    request: dict[str, Any] = Field(description="What the provider was asked; tokens appear only as hints.")
    outcome: Outcome
    provider_reference: str = Field(description="What the provider answered (a token only as its hint).")
    amount: Decimal | None
    idempotency_key: str | None


class GatewayRecordsOut(BaseModel):
    items: list[GatewayRecordOut]
    next_cursor: str | None

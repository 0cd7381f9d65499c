"""Inputs and outputs of the invoices' procedures (`invoice/v1/*`). Money travels as decimal strings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Percentage, PositiveMoney, Record, Text, Trimmed

JobKind = Literal["DEPOSIT", "PROGRESS", "FINAL", "STANDARD"]
Kind = Literal["DEPOSIT", "PROGRESS", "FINAL", "STANDARD", "AGREEMENT"]
Status = Literal["DRAFT", "ISSUED", "PARTIALLY_PAID", "PAID", "VOID"]
Source = Literal["TIME", "MATERIAL", "OPTION", "DEPOSIT_CREDIT", "MANUAL", "AGREEMENT"]
APStatus = Literal["DRAFT", "PENDING_APPROVAL", "PENDING_BOARD", "APPROVED", "PAID", "VOIDED"]
PortMethod = Literal["CARD", "ACH"]
ManualMethod = Literal["CHECK", "CASH"]
Method = Literal["CARD", "ACH", "CHECK", "CASH", "HOA_AP"]
Quantity = Annotated[Decimal, Field(gt=0, le=1_000_000, max_digits=18, decimal_places=4)]
UnitPrice = Annotated[Decimal, Field(ge=-1_000_000_000, le=1_000_000_000, max_digits=18, decimal_places=2)]
Description = Annotated[Trimmed, Field(min_length=1, max_length=500)]
Code = Annotated[Trimmed, Field(min_length=1, max_length=60)]
Reference = Annotated[Trimmed, Field(min_length=1, max_length=120)]
Token = Annotated[str, Field(min_length=4, max_length=200, pattern=r"^[A-Za-z0-9_\-]+$")]
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]


class CreateFromJob(Input):
    job_id: uuid.UUID
    kind: JobKind = "FINAL"
    percent: Percentage | None = Field(
        default=None, description="DEPOSIT and PROGRESS: the percent of the accepted option's total to bill."
    )
    memo: Text | None = None


class ListInvoices(PageRequest):
    status: Status | None = None
    kind: Kind | None = None
    job_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    agreement_id: uuid.UUID | None = Field(default=None, description="A maintenance agreement: its period invoices.")


class AddLine(Input):
    invoice_id: uuid.UUID
    description: Description
    quantity: Quantity = Decimal("1")
    unit_price: UnitPrice
    taxable: bool = False
    code: Code | None = None
    unit: Code | None = None


class UpdateLine(Input):
    id: uuid.UUID
    description: Description | None = None
    quantity: Quantity | None = None
    unit_price: UnitPrice | None = None
    taxable: bool | None = None


class Issue(Input):
    id: uuid.UUID
    issue_date: Day | None = Field(default=None, description="Default: today.")
    due_date: Day | None = Field(default=None, description="Default: the issue date plus INVOICE_DUE_DAYS.")


class Void(Input):
    id: uuid.UUID
    reason: Annotated[Trimmed, Field(min_length=1, max_length=500)]


class CollectPayment(Input):
    invoice_id: uuid.UUID
    amount: PositiveMoney
    method: PortMethod = "CARD"
    payment_token: Token = Field(description="The provider's token for the card or account (from its checkout).")


class RecordPayment(Input):
    invoice_id: uuid.UUID
    amount: PositiveMoney
    method: ManualMethod = "CHECK"
    reference: Reference | None = Field(default=None, description="The check number, or a note for cash.")
    received_on: Day | None = Field(default=None, description="Default: today.")


class ByInvoice(Input):
    invoice_id: uuid.UUID


class Aging(Input):
    as_of: Day | None = Field(default=None, description="Default: today.")


class LineOut(Record):
    invoice_id: uuid.UUID
    position: int
    source: Source
    code: str | None
    description: str
    unit: str | None
    quantity: Decimal
    unit_price: Decimal
    total: Decimal
    taxable: bool


class InvoiceOut(Record):
    number: str
    job_id: uuid.UUID | None = Field(description="The job invoiced; null for an AGREEMENT invoice.")
    agreement_id: uuid.UUID | None = Field(description="An AGREEMENT invoice: the maintenance agreement it bills.")
    agreement_number: str | None = Field(description="The agreement's number (AGR-000001).")
    period_start: date | None = Field(description="An AGREEMENT invoice: the first day of the period it bills.")
    period_end: date | None = Field(description="An AGREEMENT invoice: the last day of the period it bills.")
    kind: Kind
    status: Status
    customer_id: uuid.UUID | None
    hoa_organization_id: uuid.UUID | None
    association_id: uuid.UUID | None
    work_order_id: uuid.UUID | None
    bill_to: str
    percent: Decimal | None
    estimate_id: uuid.UUID | None
    estimate_number: str | None
    option_name: str | None
    tax_rate: Decimal
    issue_date: date | None
    due_date: date | None
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    amount_paid: Decimal
    balance: Decimal
    memo: str | None
    ap_invoice_id: uuid.UUID | None
    issued_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    ap_status: APStatus | None = Field(
        description="An association's invoice: the status of the payable it became in the association's books, as "
        "last read (PENDING_APPROVAL, PENDING_BOARD, APPROVED, PAID, VOIDED); null until it is entered there."
    )
    ap_voided_at: datetime | None = Field(description="When the invoice learned the association voided its payable.")
    ap_refusal_code: str | None = Field(
        description="The association's books refused to take the invoice: the error code (e.g. CONFLICT); null once "
        "they took it."
    )
    ap_refusal_reason: str | None = Field(
        description="The refusal's reason (e.g. DUPLICATE_INVOICE, MISSING_SYSTEM_ACCOUNT)."
    )
    ap_refusal_message: str | None = Field(description="The refusal's message, as the association's books gave it.")
    ap_refused_at: datetime | None = Field(description="When this refusal was first met (retried every poll).")


class InvoiceDetailOut(InvoiceOut):
    lines: list[LineOut]


class IntentOut(Record):
    invoice_id: uuid.UUID
    amount: Decimal
    method: str
    token_hint: str
    provider: str
    outcome: Literal["SUCCEEDED", "DECLINED"]
    provider_reference: str | None
    failure_reason: str | None
    requested_by: uuid.UUID | None


class ReceiptOut(BaseModel):
    id: uuid.UUID
    number: str
    amount: Decimal
    balance_after: Decimal
    received_on: date


class PaymentOut(Record):
    invoice_id: uuid.UUID
    amount: Decimal
    method: Method
    reference: str | None
    received_on: date
    intent_id: uuid.UUID | None
    recorded_by: uuid.UUID | None
    receipt: ReceiptOut | None


class PaymentResultOut(BaseModel):
    invoice: InvoiceOut
    intent: IntentOut | None = Field(description="The request to the payment port and its outcome (port payments).")
    payment: PaymentOut | None = Field(description="The payment made; null when the port declined the charge.")


class IntentsOut(BaseModel):
    items: list[IntentOut]


class PaymentsOut(BaseModel):
    items: list[PaymentOut]


class BucketsOut(BaseModel):
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal
    total: Decimal


class AgingRowOut(BucketsOut):
    bill_to: str
    customer_id: uuid.UUID | None
    hoa_organization_id: uuid.UUID | None
    invoices: int


class AgingOut(BaseModel):
    as_of: date
    rows: list[AgingRowOut]
    totals: BucketsOut
    open_balance: Decimal = Field(description="The sum of the open invoices' balances: equal to `totals.total`.")

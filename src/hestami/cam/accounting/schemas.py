"""Inputs and outputs of domain 2's procedures. Money is a decimal string on the wire ("1250.00")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, PositiveMoney, Record, Trimmed

AccountType = Literal["ASSET", "LIABILITY", "EQUITY", "REVENUE", "EXPENSE"]
EntryStatus = Literal["DRAFT", "PENDING_APPROVAL", "POSTED", "REVERSED"]
Frequency = Literal["MONTHLY", "QUARTERLY", "SEMI_ANNUAL", "ANNUAL", "ONE_TIME"]
AssessmentKind = Literal["REGULAR", "SPECIAL", "LATE_FEE", "FINE"]
LateFeeType = Literal["NONE", "FIXED", "PERCENT"]
PaymentMethod = Literal["CHECK", "ACH", "CARD", "CASH", "LOCKBOX", "OTHER"]
InvoiceStatus = Literal["DRAFT", "PENDING_APPROVAL", "PENDING_BOARD", "APPROVED", "PAID", "VOIDED"]

Fund = Annotated[
    str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,29}$", description="OPERATING, RESERVE or a fund the association defines.")
]


class ByAssociation(PageRequest):
    association_id: uuid.UUID


# --- chart of accounts -----------------------------------------------------------------------------------


class CreateGLAccount(Input):
    association_id: uuid.UUID
    account_number: str = Field(pattern=r"^[0-9]{3,6}(-[0-9]{1,4})?$")
    name: Name
    account_type: AccountType
    fund: Fund = "OPERATING"
    parent_id: uuid.UUID | None = None
    description: Trimmed | None = Field(default=None, max_length=1000)


class UpdateGLAccount(Input):
    id: uuid.UUID
    name: Name | None = None
    description: Trimmed | None = Field(default=None, max_length=1000)
    is_active: bool | None = None
    parent_id: uuid.UUID | None = None


class GLAccountOut(Record):
    association_id: uuid.UUID
    account_number: str
    name: str
    account_type: AccountType
    normal_balance: Literal["DEBIT", "CREDIT"]
    fund: str
    parent_id: uuid.UUID | None
    role: str | None
    description: str | None
    is_active: bool


class ListGLAccounts(ByAssociation):
    limit: int = Field(default=200, ge=1, le=200)
    account_type: AccountType | None = None
    fund: Fund | None = None
    include_inactive: bool = False


class SeedDefaults(Input):
    association_id: uuid.UUID


class SeededOut(BaseModel):
    created: int
    existing: int


# --- journal entries -------------------------------------------------------------------------------------


class LineIn(Input):
    gl_account_id: uuid.UUID
    debit: Money = Decimal("0.00")
    credit: Money = Decimal("0.00")
    memo: Trimmed | None = Field(default=None, max_length=500)
    unit_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _one_side(self) -> LineIn:
        if (self.debit > 0) == (self.credit > 0):
            raise ValueError("a line has either a debit or a credit, greater than zero")
        return self


class CreateJournalEntry(Input):
    association_id: uuid.UUID
    entry_date: date
    memo: Trimmed = Field(min_length=1, max_length=500)
    lines: list[LineIn] = Field(min_length=2, max_length=500)
    submit: bool = Field(default=False, description="Send straight to PENDING_APPROVAL instead of DRAFT.")


class LineOut(BaseModel):
    line_number: int
    gl_account_id: uuid.UUID
    account_number: str
    account_name: str
    fund: str
    debit: Decimal
    credit: Decimal
    memo: str | None
    unit_id: uuid.UUID | None


class JournalEntryOut(Record):
    association_id: uuid.UUID
    entry_number: int
    entry_date: date
    memo: str
    status: EntryStatus
    source_type: str
    source_id: uuid.UUID | None
    reverses_entry_id: uuid.UUID | None
    reversed_by_entry_id: uuid.UUID | None
    posted_at: datetime | None
    total_debit: Decimal
    total_credit: Decimal
    lines: list[LineOut]


class ListJournalEntries(ByAssociation):
    status: EntryStatus | None = None
    from_date: date | None = None
    to_date: date | None = None


class JournalEntrySummary(Record):
    association_id: uuid.UUID
    entry_number: int
    entry_date: date
    memo: str
    status: EntryStatus
    source_type: str


class ReverseJournalEntry(Input):
    id: uuid.UUID
    entry_date: date | None = Field(default=None, description="Defaults to today.")
    memo: Trimmed | None = Field(default=None, max_length=500)


# --- assessments -----------------------------------------------------------------------------------------


class CreateAssessmentType(Input):
    association_id: uuid.UUID
    name: Name
    kind: AssessmentKind = "REGULAR"
    frequency: Frequency
    amount: Money
    revenue_account_id: uuid.UUID | None = Field(
        default=None, description="Defaults to the association's income account for the kind."
    )
    late_fee_type: LateFeeType = "NONE"
    late_fee_amount: Money | None = None
    late_fee_percent: Decimal | None = Field(default=None, gt=0, le=100, decimal_places=4)
    late_fee_grace_days: int = Field(default=15, ge=0, le=120)
    prorate_on_transfer: bool = Field(
        default=False,
        description="A period whose unit changes hands (an ownership ends or starts inside it) is charged in parts, "
        "one per stretch of days between transfers, each the amount times its days over the period's.",
    )


class AssessmentTypeOut(Record):
    association_id: uuid.UUID
    name: str
    kind: AssessmentKind
    frequency: Frequency
    amount: Decimal
    revenue_account_id: uuid.UUID
    late_fee_type: LateFeeType
    late_fee_amount: Decimal | None
    late_fee_percent: Decimal | None
    late_fee_grace_days: int
    prorate_on_transfer: bool
    is_active: bool


class CreateCharge(Input):
    assessment_type_id: uuid.UUID
    unit_id: uuid.UUID
    due_date: date
    amount: PositiveMoney | None = Field(default=None, description="Defaults to the type's amount.")
    description: Trimmed | None = Field(default=None, max_length=500)


class ChargeOut(Record):
    association_id: uuid.UUID
    assessment_type_id: uuid.UUID
    unit_id: uuid.UUID
    due_date: date
    amount: Decimal
    amount_paid: Decimal
    balance: Decimal
    description: str
    journal_entry_id: uuid.UUID
    late_fee_for_charge_id: uuid.UUID | None
    covers_from: date | None = Field(
        default=None, description="A part of a period prorated on an ownership transfer: its first day covered."
    )
    covers_to: date | None = Field(default=None, description="... and its last day covered (None: the whole period).")
    voided_on: date | None = Field(default=None, description="Voided charges count until this date (balance 0).")
    void_reason: str | None = None


class VoidCharge(Input):
    id: uuid.UUID
    reason: Trimmed = Field(min_length=1, max_length=500)


class BillPeriod(Input):
    assessment_type_id: uuid.UUID
    due_date: date
    unit_ids: list[uuid.UUID] | None = Field(default=None, max_length=50_000, description="Defaults to every unit.")
    amount: PositiveMoney | None = Field(default=None, description="Defaults to the type's amount.")
    allocation: Literal["EQUAL", "ASSESSMENT_SHARE"] = Field(
        default="EQUAL",
        description="EQUAL: each unit is charged the amount. ASSESSMENT_SHARE: the amount is the total, split by "
        "each unit's assessment_share (rounded half up to the cent).",
    )
    description: Trimmed | None = Field(default=None, max_length=500)


class BilledOut(BaseModel):
    charged: int = Field(description="Units charged.")
    skipped_already_charged: int
    total: Decimal
    prorated: int = Field(
        default=0, description="Units among them whose period was split at an ownership transfer (a charge per part)."
    )


class ListCharges(PageRequest):
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    open_only: bool = False


class UnitBalanceIn(Input):
    unit_id: uuid.UUID
    as_of: date | None = Field(
        default=None,
        description="The balance at the end of this day (default today): charges due and payments dated by then.",
    )


class UnitBalanceOut(BaseModel):
    unit_id: uuid.UUID
    as_of: date
    balance: Decimal = Field(description="Open charges minus unapplied credit.")
    charges_open: Decimal
    unapplied_credit: Decimal
    oldest_open_due_date: date | None
    open_charges: int


class ApplyLateFees(Input):
    association_id: uuid.UUID
    as_of: date


class LateFeesOut(BaseModel):
    created: int
    charge_ids: list[uuid.UUID]


# --- payments --------------------------------------------------------------------------------------------


class CreatePayment(Input):
    association_id: uuid.UUID
    unit_id: uuid.UUID
    amount: PositiveMoney
    payment_date: date
    method: PaymentMethod
    reference: Trimmed | None = Field(default=None, max_length=100)


class PaymentLine(Input):
    unit_id: uuid.UUID
    amount: PositiveMoney
    payment_date: date
    method: PaymentMethod
    reference: Trimmed | None = Field(default=None, max_length=100)


class CreatePaymentBatch(Input):
    association_id: uuid.UUID
    payments: list[PaymentLine] = Field(min_length=1, max_length=5000)


class PaymentBatchOut(BaseModel):
    recorded: int
    total: Decimal
    applied: Decimal
    unapplied: Decimal
    payment_ids: list[uuid.UUID]


class ApplicationOut(BaseModel):
    charge_id: uuid.UUID
    amount: Decimal


class PaymentOut(Record):
    association_id: uuid.UUID
    unit_id: uuid.UUID
    amount: Decimal
    unapplied_amount: Decimal
    payment_date: date
    method: PaymentMethod
    reference: str | None
    status: Literal["POSTED", "VOIDED"]
    journal_entry_id: uuid.UUID
    void_journal_entry_id: uuid.UUID | None
    void_reason: str | None
    applications: list[ApplicationOut]


class ListPayments(PageRequest):
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None


class VoidPayment(Input):
    id: uuid.UUID
    reason: Trimmed = Field(min_length=1, max_length=500)


# --- vendors and payables --------------------------------------------------------------------------------


class CreateVendor(Input):
    name: Name
    contact_name: Trimmed | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Trimmed | None = Field(default=None, max_length=40)
    address: Trimmed | None = Field(default=None, max_length=500)
    tax_id: str | None = Field(
        default=None,
        pattern=r"^[0-9]{2}-?[0-9]{7}$|^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$",
        description="EIN or SSN; stored masked (last four digits) and hashed.",
    )
    w9_on_file: bool = False
    is_1099_eligible: bool = False
    service_provider_org_id: uuid.UUID | None = None


class UpdateVendor(Input):
    id: uuid.UUID
    name: Name | None = None
    contact_name: Trimmed | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Trimmed | None = Field(default=None, max_length=40)
    address: Trimmed | None = Field(default=None, max_length=500)
    tax_id: str | None = Field(default=None, pattern=r"^[0-9]{2}-?[0-9]{7}$|^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$")
    w9_on_file: bool | None = None
    is_1099_eligible: bool | None = None
    is_active: bool | None = None


class VendorOut(Record):
    name: str
    contact_name: str | None
    email: str | None
    phone: str | None
    address: str | None
    tax_id_masked: str | None
    w9_on_file: bool
    is_1099_eligible: bool
    service_provider_org_id: uuid.UUID | None
    is_active: bool


class ListVendors(PageRequest):
    include_inactive: bool = False


class InvoiceLineIn(Input):
    gl_account_id: uuid.UUID
    description: Trimmed = Field(min_length=1, max_length=500)
    amount: PositiveMoney


class CreateInvoice(Input):
    association_id: uuid.UUID
    vendor_id: uuid.UUID
    invoice_number: Trimmed = Field(min_length=1, max_length=60)
    invoice_date: date
    due_date: date | None = None
    amount: PositiveMoney
    memo: Trimmed | None = Field(default=None, max_length=500)
    lines: list[InvoiceLineIn] = Field(min_length=1, max_length=200)
    submit: bool = Field(default=True, description="Create in PENDING_APPROVAL (default) or DRAFT.")


class InvoiceLineOut(BaseModel):
    gl_account_id: uuid.UUID
    description: str
    amount: Decimal
    gl_account_number: str | None = Field(default=None, description="The line's account's number, as it is now.")
    gl_account_name: str | None = Field(default=None, description="The line's account's name, as it is now.")
    fund: str | None = Field(default=None, description="The fund of the line's account (OPERATING, RESERVE, ...).")


class InvoiceOut(Record):
    association_id: uuid.UUID
    vendor_id: uuid.UUID
    invoice_number: str
    invoice_date: date
    due_date: date | None
    amount: Decimal
    memo: str | None
    status: InvoiceStatus
    journal_entry_id: uuid.UUID | None
    payment_journal_entry_id: uuid.UUID | None
    approved_by: uuid.UUID | None
    approved_at: datetime | None
    paid_on: date | None
    payment_reference: str | None
    source_type: str | None
    source_id: uuid.UUID | None
    lines: list[InvoiceLineOut]
    vendor_name: str | None = Field(default=None, description="The vendor's name, as it is now.")
    association_name: str | None = Field(default=None, description="The association's name, as it is now.")


class ListInvoices(PageRequest):
    association_id: uuid.UUID | None = None
    vendor_id: uuid.UUID | None = None
    status: InvoiceStatus | None = None
    statuses: list[InvoiceStatus] | None = Field(
        default=None,
        min_length=1,
        max_length=6,
        description="Invoices in any of these statuses (with `status` too: those in both).",
    )


class PayInvoice(Input):
    id: uuid.UUID
    paid_on: date
    reference: Trimmed | None = Field(default=None, max_length=100)
    bank_account_id: uuid.UUID | None = Field(default=None, description="Defaults to the primary operating account.")


class VoidInvoice(Input):
    id: uuid.UUID
    reason: Trimmed = Field(min_length=1, max_length=500)


# --- bank accounts ---------------------------------------------------------------------------------------


class CreateBankAccount(Input):
    association_id: uuid.UUID
    gl_account_id: uuid.UUID
    name: Name
    bank_name: Name
    account_last4: str = Field(pattern=r"^[0-9]{4}$")
    is_primary: bool = False


class UpdateBankAccount(Input):
    id: uuid.UUID
    name: Name | None = None
    bank_name: Name | None = None
    is_primary: bool | None = None


class UpdateBankBalance(Input):
    id: uuid.UUID
    bank_balance: Decimal = Field(max_digits=18, decimal_places=2)
    as_of: date
    reconciled: bool = Field(default=False, description="Mark the account reconciled as of this date.")


class BankAccountOut(Record):
    association_id: uuid.UUID
    gl_account_id: uuid.UUID
    name: str
    bank_name: str
    account_last4: str
    fund: str
    book_balance: Decimal
    bank_balance: Decimal | None
    bank_balance_date: date | None
    difference: Decimal | None = Field(description="Bank balance minus book balance, when a bank balance is known.")
    last_reconciled_date: date | None
    is_primary: bool
    is_active: bool


# --- reports ---------------------------------------------------------------------------------------------


class TrialBalanceIn(Input):
    association_id: uuid.UUID
    as_of: date | None = None
    fund: Fund | None = None


class TrialBalanceLine(BaseModel):
    gl_account_id: uuid.UUID
    account_number: str
    name: str
    account_type: AccountType
    fund: str
    debit: Decimal
    credit: Decimal


class TrialBalanceOut(BaseModel):
    association_id: uuid.UUID
    as_of: date
    lines: list[TrialBalanceLine]
    total_debit: Decimal
    total_credit: Decimal
    balanced: bool


class StatementSection(BaseModel):
    fund: str
    accounts: list[TrialBalanceLine]
    total: Decimal


class BalanceSheetIn(Input):
    association_id: uuid.UUID
    as_of: date | None = None


class FundBalanceSheet(BaseModel):
    fund: str
    assets: Decimal
    liabilities: Decimal
    equity: Decimal
    net_income: Decimal = Field(description="Revenue minus expenses not yet closed to fund balance.")
    balanced: bool


class BalanceSheetOut(BaseModel):
    association_id: uuid.UUID
    as_of: date
    funds: list[FundBalanceSheet]
    lines: list[TrialBalanceLine]


class IncomeStatementIn(Input):
    association_id: uuid.UUID
    from_date: date
    to_date: date


class FundIncome(BaseModel):
    fund: str
    revenue: Decimal
    expenses: Decimal
    net_income: Decimal


class IncomeStatementOut(BaseModel):
    association_id: uuid.UUID
    from_date: date
    to_date: date
    funds: list[FundIncome]
    lines: list[TrialBalanceLine]


class ArAgingIn(Input):
    association_id: uuid.UUID
    as_of: date | None = Field(
        default=None,
        description="Age the receivable at the end of this day (default today): charges due and payments dated by "
        "then; it equals the receivable control account of the trial balance on that date.",
    )
    min_days_past_due: int = Field(default=0, ge=0, le=3650)


class ArAgingRow(BaseModel):
    unit_id: uuid.UUID
    unit_number: str
    current: Decimal = Field(description="Due 0-30 days before `as_of` (charges due later are not in the aging yet).")
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal
    total: Decimal


class ArAgingOut(BaseModel):
    association_id: uuid.UUID
    as_of: date
    rows: list[ArAgingRow]
    totals: ArAgingRow | None

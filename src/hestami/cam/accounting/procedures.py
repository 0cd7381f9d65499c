"""Domain 2 procedures under `accounting/` (roadmap Appendix D) and `vendor/v1`. All org-scoped; money is a
decimal string. Managers and admins post; board members read; owners and tenants see only their own unit's
charges, payments and balance; vendors see nothing of the ledger."""

from __future__ import annotations

from hestami.cam.accounting.schemas import (
    ApplyLateFees,
    ArAgingIn,
    ArAgingOut,
    AssessmentTypeOut,
    BalanceSheetIn,
    BalanceSheetOut,
    BankAccountOut,
    BilledOut,
    BillPeriod,
    ByAssociation,
    ChargeOut,
    CreateAssessmentType,
    CreateBankAccount,
    CreateCharge,
    CreateGLAccount,
    CreateInvoice,
    CreateJournalEntry,
    CreatePayment,
    CreatePaymentBatch,
    CreateVendor,
    GLAccountOut,
    IncomeStatementIn,
    IncomeStatementOut,
    InvoiceOut,
    JournalEntryOut,
    JournalEntrySummary,
    LateFeesOut,
    ListCharges,
    ListGLAccounts,
    ListInvoices,
    ListJournalEntries,
    ListPayments,
    ListVendors,
    PayInvoice,
    PaymentBatchOut,
    PaymentOut,
    ReverseJournalEntry,
    SeedDefaults,
    SeededOut,
    TrialBalanceIn,
    TrialBalanceOut,
    UnitBalanceIn,
    UnitBalanceOut,
    UpdateBankAccount,
    UpdateBankBalance,
    UpdateGLAccount,
    UpdateVendor,
    VendorOut,
    VoidCharge,
    VoidInvoice,
    VoidPayment,
)
from hestami.cam.accounting.services import banking, billing, chart_of_accounts, journal, payables, receivables, reports
from hestami.cam.association import api as association_api
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc import ProcedureRouter
from hestami.core.schemas import REMOVED, ById, Removed

TAGS = ("accounting",)
gl_account = ProcedureRouter("accounting/glAccount", tags=TAGS)
journal_entry = ProcedureRouter("accounting/journalEntry", tags=TAGS)
assessment = ProcedureRouter("accounting/assessment", tags=TAGS)
payment = ProcedureRouter("accounting/payment", tags=TAGS)
ap_invoice = ProcedureRouter("accounting/apInvoice", tags=TAGS)
bank_account = ProcedureRouter("accounting/bankAccount", tags=TAGS)
report = ProcedureRouter("accounting/report", tags=TAGS)
vendor = ProcedureRouter("vendor", tags=TAGS)
ROUTERS = (gl_account, journal_entry, assessment, payment, ap_invoice, bank_account, report, vendor)
association_api.when_created(chart_of_accounts.seed_standard_chart)  # every new association gets the chart


# --- chart of accounts -----------------------------------------------------------------------------------


@gl_account.mutation("create")
async def create_gl_account(ctx: RequestContext, data: CreateGLAccount) -> GLAccountOut:
    """Add an account to an association's chart. The number is unique per association (CONFLICT)."""
    return await chart_of_accounts.create(ctx, data)


@gl_account.query("get")
async def get_gl_account(ctx: RequestContext, data: ById) -> GLAccountOut:
    """One account."""
    return await chart_of_accounts.get(ctx, data.id)


@gl_account.query("list")
async def list_gl_accounts(ctx: RequestContext, data: ListGLAccounts) -> Page[GLAccountOut]:
    """An association's chart of accounts, by number, optionally by type or fund."""
    return await chart_of_accounts.list_(ctx, data)


@gl_account.mutation("update")
async def update_gl_account(ctx: RequestContext, data: UpdateGLAccount) -> GLAccountOut:
    """Rename, describe, re-parent or (de)activate an account; system accounts stay active."""
    return await chart_of_accounts.update(ctx, data)


@gl_account.mutation("delete")
async def delete_gl_account(ctx: RequestContext, data: ById) -> Removed:
    """Delete an unused, non-system account (others are deactivated through update)."""
    await chart_of_accounts.delete(ctx, data.id)
    return REMOVED


@gl_account.mutation("seedDefaults")
async def seed_default_accounts(ctx: RequestContext, data: SeedDefaults) -> SeededOut:
    """Add the standard HOA chart of accounts (60+ accounts, operating and reserve funds); idempotent.
    New associations get it automatically."""
    return await chart_of_accounts.seed_defaults(ctx, data)


# --- journal entries -------------------------------------------------------------------------------------


@journal_entry.mutation("create")
async def create_journal_entry(ctx: RequestContext, data: CreateJournalEntry) -> JournalEntryOut:
    """A manual entry in DRAFT (or PENDING_APPROVAL with `submit`). It must balance in total and per fund:
    otherwise BUSINESS_RULE_VIOLATION with `details.reason` UNBALANCED or FUND_UNBALANCED. Every line's account
    and unit must be the association's (else NOT_FOUND, or `details.reason` WRONG_ASSOCIATION). No line may post
    to the receivable subledger's control accounts (Assessments Receivable, Prepaid Assessments: roles AR and
    PREPAID), with or without a unit: those move only through charges, payments and voids, so that unit balances
    and the aging always equal them (else `details.reason` SUBLEDGER_CONTROL_ACCOUNT, with `details.line`)."""
    return await journal.create(ctx, data)


@journal_entry.query("get")
async def get_journal_entry(ctx: RequestContext, data: ById) -> JournalEntryOut:
    """One entry with its lines and totals."""
    return await journal.get(ctx, data.id)


@journal_entry.query("list")
async def list_journal_entries(ctx: RequestContext, data: ListJournalEntries) -> Page[JournalEntrySummary]:
    """An association's journal, optionally by status and date range."""
    return await journal.list_(ctx, data)


@journal_entry.mutation("submit")
async def submit_journal_entry(ctx: RequestContext, data: ById) -> JournalEntryOut:
    """DRAFT → PENDING_APPROVAL."""
    return await journal.submit(ctx, data.id)


@journal_entry.mutation("post")
async def post_journal_entry(ctx: RequestContext, data: ById) -> JournalEntryOut:
    """PENDING_APPROVAL → POSTED. Posted entries are immutable; corrections are reversals. An entry on a
    receivable control account is refused here too (SUBLEDGER_CONTROL_ACCOUNT)."""
    return await journal.post(ctx, data.id)


@journal_entry.mutation("reverse")
async def reverse_journal_entry(ctx: RequestContext, data: ReverseJournalEntry) -> JournalEntryOut:
    """Post the reversing entry of a POSTED entry (returned) and mark the original REVERSED."""
    return await journal.reverse(ctx, data)


# --- assessments -----------------------------------------------------------------------------------------


@assessment.mutation("createType")
async def create_assessment_type(ctx: RequestContext, data: CreateAssessmentType) -> AssessmentTypeOut:
    """An assessment (regular dues, special assessment, late fee, fine) with frequency, amount, income
    account (defaults by kind) and late-fee rule."""
    return await receivables.create_type(ctx, data)


@assessment.query("listTypes")
async def list_assessment_types(ctx: RequestContext, data: ByAssociation) -> Page[AssessmentTypeOut]:
    """An association's assessment types."""
    return await receivables.list_types(ctx, data)


@assessment.mutation("createCharge")
async def create_charge(ctx: RequestContext, data: CreateCharge) -> ChargeOut:
    """Charge a unit; posts Dr Assessments Receivable / Cr the type's income in the same transaction (with
    the inter-fund legs when the income is the reserve fund's) and uses any credit the unit holds.

    A REGULAR or SPECIAL assessment is charged once per unit and due date, by this procedure or by `billPeriod`:
    a second one, at the same moment too, is CONFLICT with `details.reason` DUPLICATE_CHARGE and the first
    charge's `charge_id` (a retry with the same Idempotency-Key replays the first answer instead). Fines and
    late-fee types may be charged to a unit several times on one date (two violations fined the same day)."""
    return await receivables.create_charge(ctx, data)


@assessment.mutation("billPeriod")
async def bill_period(ctx: RequestContext, data: BillPeriod) -> BilledOut:
    """Charge one period of an assessment type to every unit (or the units given), each with its journal
    entry, in one batch; units already charged this type on this due date are skipped (safe to run again, also
    at the same moment: a second run waits for the first, then skips the units it charged)."""
    return await billing.bill_period(ctx, data)


@assessment.query("listCharges")
async def list_charges(ctx: RequestContext, data: ListCharges) -> Page[ChargeOut]:
    """Charges the caller may see (owners and tenants: their own unit's), by association or unit."""
    return await receivables.list_charges(ctx, data)


@assessment.query("getUnitBalance")
async def get_unit_balance(ctx: RequestContext, data: UnitBalanceIn) -> UnitBalanceOut:
    """What a unit owes at the end of `as_of` (default today): charges due by then, less what payments dated by
    then paid of them, less the credit the unit held then (negative when in credit). Zero before its books
    start; charges billed ahead and post-dated payments count from their dates, as in the ledger."""
    return await receivables.unit_balance(ctx, data)


@assessment.mutation("voidCharge")
async def void_charge(ctx: RequestContext, data: VoidCharge) -> ChargeOut:
    """Void a charge made in error (or a waived fine) that nothing was paid on: the mirror of its entry
    (Dr income / Cr Assessments Receivable) is posted today, or on its due date when that is later, and the charge
    counts in the unit's balance, the aging and the trial balance until then. BUSINESS_RULE_VIOLATION with
    `details.reason` CHARGE_PAID when money was applied to it (void the payment first), CHARGE_VOIDED when it is
    voided already."""
    return await receivables.void_charge(ctx, data)


@assessment.mutation("applyLateFees")
async def apply_late_fees(ctx: RequestContext, data: ApplyLateFees) -> LateFeesOut:
    """Charge one late fee per charge still open after its grace period (the type's rule, else the
    association's). Running it again charges nothing twice, also at the same moment (runs take turns)."""
    return await receivables.apply_late_fees(ctx, data)


# --- payments --------------------------------------------------------------------------------------------


@payment.mutation("create")
async def create_payment(ctx: RequestContext, data: CreatePayment) -> PaymentOut:
    """Record a payment for a unit, applied to the oldest open charges first; any excess is kept as credit
    (prepaid assessments). Posts Dr cash / Cr receivable (and prepaid) on `payment_date`, which may be in the
    future (a post-dated check): it counts from that date in balances, aging and ledger alike. What it pays of
    charges not yet due moves from prepaid to the receivable on their due dates."""
    return await receivables.create_payment(ctx, data)


@payment.mutation("createBatch")
async def create_payment_batch(ctx: RequestContext, data: CreatePaymentBatch) -> PaymentBatchOut:
    """Record up to 5,000 payments at once (a lockbox or ACH file), each applied oldest charge first with its
    own journal entry."""
    return await receivables.create_payment_batch(ctx, data)


@payment.query("get")
async def get_payment(ctx: RequestContext, data: ById) -> PaymentOut:
    """One payment with the charges it paid."""
    return await receivables.get_payment(ctx, data.id)


@payment.query("list")
async def list_payments(ctx: RequestContext, data: ListPayments) -> Page[PaymentOut]:
    """Payments the caller may see (owners and tenants: their own unit's)."""
    return await receivables.list_payments(ctx, data)


@payment.mutation("void")
async def void_payment(ctx: RequestContext, data: VoidPayment) -> PaymentOut:
    """Void a payment (e.g. a returned check): the charges it paid are owed again; the ledger is corrected by
    an entry dated today (or the payment's date, if that is later). Balances and aging before that date still
    show it paid."""
    return await receivables.void_payment(ctx, data)


# --- vendors and payables --------------------------------------------------------------------------------


@vendor.mutation("create")
async def create_vendor(ctx: RequestContext, data: CreateVendor) -> VendorOut:
    """A payee: contact, W-9 on file, 1099 eligibility; the tax id is stored masked (last four) and hashed.
    `service_provider_org_id`, when given, must be a SERVICE_PROVIDER organization (else NOT_FOUND)."""
    return await payables.create_vendor(ctx, data)


@vendor.query("get")
async def get_vendor(ctx: RequestContext, data: ById) -> VendorOut:
    """One vendor (tax id masked)."""
    return await payables.get_vendor(ctx, data.id)


@vendor.query("list")
async def list_vendors(ctx: RequestContext, data: ListVendors) -> Page[VendorOut]:
    """The organization's vendors."""
    return await payables.list_vendors(ctx, data)


@vendor.mutation("update")
async def update_vendor(ctx: RequestContext, data: UpdateVendor) -> VendorOut:
    """Change a vendor (only the fields sent)."""
    return await payables.update_vendor(ctx, data)


@vendor.mutation("delete")
async def delete_vendor(ctx: RequestContext, data: ById) -> Removed:
    """Soft-delete a vendor; its invoices stay."""
    await payables.delete_vendor(ctx, data.id)
    return REMOVED


@ap_invoice.mutation("create")
async def create_invoice(ctx: RequestContext, data: CreateInvoice) -> InvoiceOut:
    """A vendor invoice with lines coded to expense accounts, in PENDING_APPROVAL (or DRAFT). Lines must add
    up to the amount; a vendor's invoice number is accepted once (CONFLICT)."""
    return await payables.create_invoice(ctx, data)


@ap_invoice.query("get")
async def get_invoice(ctx: RequestContext, data: ById) -> InvoiceOut:
    """One invoice with its lines."""
    return await payables.get_invoice(ctx, data.id)


@ap_invoice.query("list")
async def list_invoices(ctx: RequestContext, data: ListInvoices) -> Page[InvoiceOut]:
    """Invoices by association, vendor, status or several statuses at once (`statuses`: an approval queue of
    PENDING_APPROVAL and PENDING_BOARD in one call), each with its vendor's and association's names and each line's
    account number, name and fund."""
    return await payables.list_invoices(ctx, data)


@ap_invoice.mutation("submit")
async def submit_invoice(ctx: RequestContext, data: ById) -> InvoiceOut:
    """DRAFT → PENDING_APPROVAL."""
    return await payables.submit_invoice(ctx, data.id)


@ap_invoice.mutation("approve")
async def approve_invoice(ctx: RequestContext, data: ById) -> InvoiceOut:
    """Approves an invoice by the association's approval chain (`accounting/apApproval/v1/getSettings`): a manager up
    to the manager limit; above it the invoice waits (PENDING_BOARD) for a board member seated on the association
    (or an admin), two distinct ones above the dual threshold. Once approved (APPROVED) it posts Dr expense / Cr
    accounts payable; every approval is in `accounting/apApproval/v1/history`."""
    return await payables.approve_invoice(ctx, data.id)


@ap_invoice.mutation("pay")
async def pay_invoice(ctx: RequestContext, data: PayInvoice) -> InvoiceOut:
    """APPROVED → PAID; posts Dr accounts payable / Cr cash. Needs a W-9 on file."""
    return await payables.pay_invoice(ctx, data)


@ap_invoice.mutation("void")
async def void_invoice(ctx: RequestContext, data: VoidInvoice) -> InvoiceOut:
    """Void an unpaid invoice; an approved one's expense entry is reversed."""
    return await payables.void_invoice(ctx, data)


# --- bank accounts ---------------------------------------------------------------------------------------


@bank_account.mutation("create")
async def create_bank_account(ctx: RequestContext, data: CreateBankAccount) -> BankAccountOut:
    """A bank account linked to a cash account of the chart (its fund follows the account). A new primary
    account takes the primary flag of its fund."""
    return await banking.create(ctx, data)


@bank_account.query("get")
async def get_bank_account(ctx: RequestContext, data: ById) -> BankAccountOut:
    """One bank account with book balance (ledger) and bank balance (statement)."""
    return await banking.get(ctx, data.id)


@bank_account.query("list")
async def list_bank_accounts(ctx: RequestContext, data: ByAssociation) -> Page[BankAccountOut]:
    """An association's active bank accounts."""
    return await banking.list_(ctx, data)


@bank_account.mutation("update")
async def update_bank_account(ctx: RequestContext, data: UpdateBankAccount) -> BankAccountOut:
    """Rename or make primary."""
    return await banking.update_bank(ctx, data)


@bank_account.mutation("delete")
async def delete_bank_account(ctx: RequestContext, data: ById) -> BankAccountOut:
    """Deactivate a bank account (its history stays in the ledger)."""
    return await banking.deactivate(ctx, data.id)


@bank_account.mutation("updateBankBalance")
async def update_bank_balance(ctx: RequestContext, data: UpdateBankBalance) -> BankAccountOut:
    """Record the statement balance, optionally marking the account reconciled as of that date."""
    return await banking.update_bank_balance(ctx, data)


# --- reports ---------------------------------------------------------------------------------------------


@report.query("trialBalance")
async def trial_balance(ctx: RequestContext, data: TrialBalanceIn) -> TrialBalanceOut:
    """Every account's posted balance as of a date (optionally one fund), with totals that must agree."""
    return await reports.trial_balance(ctx, data)


@report.query("balanceSheet")
async def balance_sheet(ctx: RequestContext, data: BalanceSheetIn) -> BalanceSheetOut:
    """Assets, liabilities, fund balance and surplus per fund as of a date."""
    return await reports.balance_sheet(ctx, data)


@report.query("incomeStatement")
async def income_statement(ctx: RequestContext, data: IncomeStatementIn) -> IncomeStatementOut:
    """Revenue and expenses per fund between two dates."""
    return await reports.income_statement(ctx, data)


@report.query("arAging")
async def ar_aging(ctx: RequestContext, data: ArAgingIn) -> ArAgingOut:
    """Receivables open at the end of `as_of` (default today) by unit: 0-30, 31-60, 61-90 and over 90 days past
    due. Only charges due by then and payments dated by then count; the total equals the Assessments Receivable
    line of the trial balance on the same date (zero before the books start)."""
    return await reports.ar_aging(ctx, data)

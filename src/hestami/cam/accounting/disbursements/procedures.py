"""Domain 2's `apPaymentProcessing_v1`: invoices approved by amount thresholds, paid in batches with their bank
files, and the year's 1099 totals.

- `accounting/apApproval/v1/*`: an association's approval chain (a manager approves up to `manager_limit`, default
  5,000.00; above it a board member seated on the association's board, or an organization admin acting for it;
  two distinct ones above `dual_approval_threshold`), and an invoice's approval history.
  `accounting/apInvoice/v1/approve` honors it.
- `accounting/vendorBank/v1/*`: a vendor's ACH account (masked in every answer).
- `accounting/bankPaymentProfile/v1/*`: what a bank account needs to pay from (its bank's routing number, the
  company on NACHA files, the next check number).
- `accounting/paymentBatch/v1/*`: approved invoices of one association, bank account and fund paid together by
  `apPaymentProcessing_v1`; its steps, journal entry and bank files (NACHA, positive pay) are readable.
- `accounting/form1099/v1/totals`: payments per 1099-eligible vendor in a calendar year.

Who sees what: managers and admins manage batches and payment details; a board member of the association sees its
batches, settings and invoices' approvals, approves invoices and sets the approval chain (managers may not raise
their own limit: FORBIDDEN); owners, tenants and vendors see none of it (NOT_FOUND for a batch, FORBIDDEN for
settings of an association they may see).
"""

from __future__ import annotations

from hestami.cam.accounting.disbursements.schemas import (
    ApprovalHistoryOut,
    ApprovalSettingsOut,
    BankRef,
    BatchesOut,
    BatchOut,
    ByAssociation,
    ById,
    CreateBatch,
    DownloadFile,
    FileOut,
    Form1099In,
    Form1099Out,
    ListBatches,
    PaymentProfileOut,
    SetPaymentProfile,
    SetVendorBank,
    UpdateApprovalSettings,
    VendorBankOut,
    VendorRef,
)
from hestami.cam.accounting.disbursements.services import (
    approvals,
    bank_details,
    batches,
    files,
    form1099,
)
from hestami.cam.accounting.services import payables
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter

TAGS = ("accounting",)
approval = ProcedureRouter("accounting/apApproval", tags=TAGS)
vendor_bank = ProcedureRouter("accounting/vendorBank", tags=TAGS)
payment_profile = ProcedureRouter("accounting/bankPaymentProfile", tags=TAGS)
batch = ProcedureRouter("accounting/paymentBatch", tags=TAGS)
form_1099 = ProcedureRouter("accounting/form1099", tags=TAGS)
ROUTERS: list[ProcedureRouter] = [approval, vendor_bank, payment_profile, batch, form_1099]

payables.approval_gate(approvals.gate)


@approval.query("getSettings")
async def get_approval_settings(ctx: RequestContext, data: ByAssociation) -> ApprovalSettingsOut:
    """The association's approval chain: `manager_limit` (a manager or admin approves invoices up to it; default
    5000.00) and `dual_approval_threshold` (above it two distinct board members must approve; none by default).
    `customized` is false while the defaults apply. Management and the association's board."""
    return await approvals.get_settings(ctx, data.association_id)


@approval.mutation("updateSettings")
async def update_approval_settings(ctx: RequestContext, data: UpdateApprovalSettings) -> ApprovalSettingsOut:
    """Set the association's approval chain (both fields; the threshold may not be below the limit:
    VALIDATION_FAILED). A board member seated on the association's board or an admin; a manager may not set their
    own limit (FORBIDDEN). Audited, before and after."""
    return await approvals.update_settings(ctx, data)


@approval.query("history")
async def approval_history(ctx: RequestContext, data: ById) -> ApprovalHistoryOut:
    """An invoice's approvals, oldest first (who, role MANAGER / ADMIN / BOARD_MEMBER, the amount, the status each
    left it in), how many board approvals its amount needs and has, and who it `awaiting`: BOARD_MEMBER while
    PENDING_BOARD. Whoever may view the invoice."""
    return await approvals.history(ctx, data.id)


@vendor_bank.mutation("set")
async def set_vendor_bank(ctx: RequestContext, data: SetVendorBank) -> VendorBankOut:
    """A vendor's ACH account (a valid ABA routing number: else INVALID_ROUTING_NUMBER; 4 to 17 digits; CHECKING or
    SAVINGS); from then on its invoices in a new batch are paid by ACH. Whoever may update the vendor. The account
    number is answered masked (`****1234`) here and everywhere."""
    return await bank_details.set_vendor_bank(ctx, data)


@vendor_bank.query("get")
async def get_vendor_bank(ctx: RequestContext, data: VendorRef) -> VendorBankOut:
    """A vendor's ACH account, masked; NOT_FOUND when it has none (paid by check)."""
    return await bank_details.get_vendor_bank(ctx, data.vendor_id)


@payment_profile.mutation("set")
async def set_payment_profile(ctx: RequestContext, data: SetPaymentProfile) -> PaymentProfileOut:
    """What a bank account needs before a batch pays from it: its bank's routing number (INVALID_ROUTING_NUMBER),
    the company name (16 characters) and identification (10) on NACHA files, and the next check number. Whoever
    may update the bank account."""
    return await bank_details.set_profile(ctx, data)


@payment_profile.query("get")
async def get_payment_profile(ctx: RequestContext, data: BankRef) -> PaymentProfileOut:
    """A bank account's payment profile; NOT_FOUND when it has none."""
    return await bank_details.get_profile(ctx, data.bank_account_id)


@batch.mutation("create")
async def create_batch(ctx: RequestContext, data: CreateBatch) -> BatchOut:
    """An OPEN batch paying the invoices named from the bank account on `payment_date`. The bank account must be
    the association's (WRONG_ASSOCIATION), active (INACTIVE_BANK_ACCOUNT) and have a payment profile
    (NO_PAYMENT_PROFILE); every invoice (NOT_FOUND unless the caller may see it) must be the association's
    (WRONG_ASSOCIATION), APPROVED (INVOICE_NOT_APPROVED), coded only to the bank account's fund (WRONG_FUND), of a
    vendor with a W-9 (W9_MISSING) and in no other batch (CONFLICT, ALREADY_IN_BATCH). A vendor with an ACH account
    is paid by ACH (a trace number), others by check (the next check numbers). Management."""
    return await batches.create(ctx, data)


@batch.query("get")
async def get_batch(ctx: RequestContext, data: ById) -> BatchOut:
    """A batch with its items, status, journal entry, whether its files are written, and its workflow's `steps`
    (POST_ENTRY, WRITE_NACHA_FILE, WRITE_POSITIVE_PAY_FILE, COMPLETE) with when each was done."""
    return await batches.get(ctx, data.id)


@batch.query("list")
async def list_batches(ctx: RequestContext, data: ListBatches) -> BatchesOut:
    """The batches the caller may see, oldest first, optionally of one association or status."""
    return await batches.list_batches(ctx, data)


@batch.mutation("process")
async def process_batch(ctx: RequestContext, data: ById) -> BatchOut:
    """OPEN → PROCESSING: `apPaymentProcessing_v1` (workflow id from the batch) posts one journal entry (Dr accounts
    payable per invoice / Cr the bank account's cash by the total), marks each invoice PAID (reference: the check
    or ACH trace number), writes the NACHA file (ACH credits) and the positive-pay register (checks) to storage,
    then COMPLETED. BATCH_NOT_OPEN otherwise; INVOICE_NOT_APPROVED when an invoice was voided since. Management."""
    return await batches.process(ctx, data.id)


@batch.mutation("cancel")
async def cancel_batch(ctx: RequestContext, data: ById) -> BatchOut:
    """OPEN → CANCELLED: its invoices may go in another batch (BATCH_NOT_OPEN once processing). Management."""
    return await batches.cancel(ctx, data.id)


@batch.query("file")
async def batch_file(ctx: RequestContext, data: DownloadFile) -> FileOut:
    """The batch's NACHA file or positive-pay register as written to storage (NO_FILE until written, or when the
    batch has no ACH credits / no checks). Whoever may download the batch's files: management."""
    return await files.read(ctx, data)


@form_1099.query("totals")
async def form_1099_totals(ctx: RequestContext, data: Form1099In) -> Form1099Out:
    """What the association paid each 1099-eligible vendor in the calendar year `year` (invoices PAID with their
    payment date in it, one by one or in batches), with the count and `reportable` at 600.00 or more (1099-NEC).
    Vendors paid nothing that year are left out. Management and the association's board."""
    return await form1099.totals(ctx, data)

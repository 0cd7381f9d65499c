"""The contractor's invoices, payments and receivables (issue 23, P2.7): `invoice/v1/*`.

Only a contractor on the platform has invoices (any other organization: BUSINESS_RULE_VIOLATION, NOT_A_CONTRACTOR).
Its ADMIN and MANAGER members make, edit, issue and void invoices and take payments; its VENDOR members (the office
staff) read them; technicians and dispatchers do not see invoices. An invoice of another organization, or one the
caller may not view, is NOT_FOUND exactly like a random id. An association's manager sees an invoice addressed to
the association in the association's own payables (`accounting/apInvoice/v1/*`), where `invoice_payment_v1` puts
it."""

from __future__ import annotations

from hestami.contractor.invoice import workflows as workflows  # invoice_payment_v1; its hooks register
from hestami.contractor.invoice.schemas import (
    AddLine,
    Aging,
    AgingOut,
    ById,
    ByInvoice,
    CollectPayment,
    CreateFromJob,
    IntentsOut,
    InvoiceDetailOut,
    InvoiceOut,
    Issue,
    ListInvoices,
    PaymentOut,
    PaymentResultOut,
    PaymentsOut,
    RecordPayment,
    UpdateLine,
    Void,
)
from hestami.contractor.invoice.services import aging, invoices, payments
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter

invoice = ProcedureRouter("invoice", tags=("invoice",))
ROUTERS: tuple[ProcedureRouter, ...] = (invoice,)


@invoice.mutation("createFromJob")
async def create_from_job(ctx: RequestContext, data: CreateFromJob) -> InvoiceDetailOut:
    """A DRAFT invoice for one of your jobs (ADMIN, MANAGER), numbered INV-000001 per organization without gaps.
    `kind`: FINAL (default; the job's work done: COMPLETED or later, else JOB_NOT_COMPLETED): the lines of the
    accepted option of the job's accepted estimate when there is one (its tax rate), else the job's time (at the
    pricebook's labour item of the job's trade, per technician and travel/work) and materials (at their items),
    priced through the pricebook's rules for the job's association at the time the job was completed (tax at
    INVOICE_TAX_RATE_PERCENT), less a DEPOSIT_CREDIT line per issued deposit or progress invoice of the job (ISSUED,
    PARTIALLY_PAID or PAID; a void one is not credited). While a deposit or progress invoice of the job is still a
    DRAFT the FINAL is refused (UNISSUED_SHARE, naming it: issue or void it first), so nothing is billed twice. One
    FINAL per job: asking again answers CONFLICT, reason ALREADY_INVOICED, naming it (`invoice_id`,
    `invoice_number`). DEPOSIT or PROGRESS: `percent` of the accepted option's total (NO_ACCEPTED_OPTION without one;
    OVER_BILLED beyond the option's total, drafts counted; FINAL_EXISTS once the job has its FINAL invoice).
    STANDARD: an empty invoice for manual lines. An association's work order job is invoiced FINAL only
    (HOA_BILLS_ON_COMPLETION). A cancelled job: JOB_CANCELLED. All of a job's invoicing is one at a time."""
    return await invoices.create_from_job(ctx, data)


@invoice.query("get")
async def get_invoice(ctx: RequestContext, data: ById) -> InvoiceDetailOut:
    """One invoice with its lines (management and VENDOR members). An association's invoice also shows what the
    association's books did with it: `ap_invoice_id` and `ap_status` (the payable's status as last read: PAID pays
    the invoice; VOIDED, with `ap_voided_at`, ends the wait for a payment and lets you void the invoice), and, while
    the books refuse to take it (no Repairs and Maintenance account, the invoice number already recorded for your
    vendor record, ...), the refusal: `ap_refusal_code`, `ap_refusal_reason`, `ap_refusal_message`, `ap_refused_at`
    (cleared once entered; tried again every INVOICE_POLL_SECONDS; your ADMIN and MANAGER members are emailed once
    per distinct refusal, and once when the association voids the payable: `invoice.payables_refused`,
    `invoice.payable_voided` in `notification/v1/list`)."""
    return await invoices.get(ctx, data.id)


@invoice.query("list")
async def list_invoices(ctx: RequestContext, data: ListInvoices) -> Page[InvoiceOut]:
    """The invoices, oldest first, filtered by `status`, `kind`, `job_id`, `customer_id` or `agreement_id`; each
    with the association's side as `get` shows it (`ap_status`, `ap_voided_at`, `ap_refusal_*`). An AGREEMENT
    invoice bills one period of a maintenance agreement (`agreement_id`, `agreement_number`, `period_start`,
    `period_end`; no job: `job_id` null), made and issued by the agreement's workflow, once per period; an HOA
    agreement's is addressed to the HOA but, without a work order, does not enter its payables: it is paid like a
    customer's."""
    return await invoices.list_invoices(ctx, data)


@invoice.mutation("addLine")
async def add_line(ctx: RequestContext, data: AddLine) -> InvoiceDetailOut:
    """A MANUAL line on a DRAFT invoice (NOT_EDITABLE once issued): `description`, `quantity` (default 1),
    `unit_price` (negative for a discount), `taxable`; the totals follow."""
    return await invoices.add_line(ctx, data)


@invoice.mutation("updateLine")
async def update_line(ctx: RequestContext, data: UpdateLine) -> InvoiceDetailOut:
    """Change a line of a DRAFT invoice (only the fields sent); its total and the invoice's totals follow."""
    return await invoices.update_line(ctx, data)


@invoice.mutation("removeLine")
async def remove_line(ctx: RequestContext, data: ById) -> InvoiceDetailOut:
    """Remove a line of a DRAFT invoice."""
    return await invoices.remove_line(ctx, data.id)


@invoice.mutation("issue")
async def issue(ctx: RequestContext, data: Issue) -> InvoiceDetailOut:
    """DRAFT → ISSUED, frozen, with its `issue_date` (default today) and `due_date` (default the issue date plus
    INVOICE_DUE_DAYS; before the issue date: DUE_BEFORE_ISSUE). Refused without lines (EMPTY_INVOICE) or with a total
    of zero or less (NEGATIVE_TOTAL); a DEPOSIT or PROGRESS invoice once the job has its FINAL invoice, which would
    not credit it (FINAL_EXISTS). Starts `invoice_payment_v1`: the customer or association is told, the job
    moves INVOICED (FINAL, STANDARD), an association's work order invoice enters the association's payables
    PENDING_APPROVAL linked to the work order, reminders go out before the due date and when overdue, and once paid
    the job moves PAID (and CLOSED when nothing else keeps it open); an AGREEMENT invoice (no job) is issued by
    its agreement's workflow, not here."""
    return await invoices.issue(ctx, data)


@invoice.mutation("void")
async def void(ctx: RequestContext, data: Void) -> InvoiceDetailOut:
    """DRAFT or ISSUED → VOID with a `reason`, when nothing was paid (HAS_PAYMENTS). An issued invoice of an
    association's work order is in its payables (IN_PAYABLES) until the association voids the payable there
    (`ap_status` VOIDED): then it is yours to void (the work order keeps the voided payable, so billing the
    association again is arranged with it, not by issuing another invoice). An issued DEPOSIT or PROGRESS invoice
    credited on the job's FINAL invoice stays while that FINAL does (CREDITED_BY_FINAL)."""
    return await invoices.void(ctx, data)


@invoice.mutation("collectPayment")
async def collect_payment(ctx: RequestContext, data: CollectPayment) -> PaymentResultOut:
    """Charge `amount` (at most the balance: OVERPAYMENT) of an ISSUED or PARTIALLY_PAID invoice (NOT_PAYABLE
    otherwise) to a card or bank account through the payment port (`payment_token` from the provider's checkout).
    The request and the provider's answer are stored as a payment intent either way; a declined charge answers
    with the intent and `payment: null`. A successful one records the payment with its receipt (RCT-000001) and
    moves the invoice to PARTIALLY_PAID or PAID. An association's invoice is paid in its payables (PAID_THROUGH_AP)."""
    return await payments.collect(ctx, data)


@invoice.mutation("recordPayment")
async def record_payment(ctx: RequestContext, data: RecordPayment) -> PaymentResultOut:
    """Record a CHECK (default) or CASH payment received (`reference`: the check number; `received_on`: default
    today), with its receipt; the same rules as `collectPayment`."""
    return await payments.record(ctx, data)


@invoice.query("listPayments")
async def list_payments(ctx: RequestContext, data: ByInvoice) -> PaymentsOut:
    """The invoice's payments with their receipts, oldest first (an association's payment: method HOA_AP)."""
    return await payments.list_payments(ctx, data.invoice_id)


@invoice.query("getPayment")
async def get_payment(ctx: RequestContext, data: ById) -> PaymentOut:
    """One payment with its receipt."""
    return await payments.get_payment(ctx, data.id)


@invoice.query("listPaymentIntents")
async def list_payment_intents(ctx: RequestContext, data: ByInvoice) -> IntentsOut:
    """What the payment port was asked for the invoice and what it answered (SUCCEEDED with the provider's
    reference, or DECLINED with the reason); tokens show as hints (ADMIN, MANAGER)."""
    return await payments.list_intents(ctx, data.invoice_id)


@invoice.query("aging")
async def receivables_aging(ctx: RequestContext, data: Aging) -> AgingOut:
    """The receivables on `as_of` (default today): the balance of every open invoice issued by then, per customer or
    association, in buckets by days past due (current, 1-30, 31-60, 61-90, over 90); the rows add up to the totals,
    and the totals to `open_balance`."""
    return await aging.aging(ctx, data)

"""What other domains may use of domain 2: one way in for a payable and one for a charge to a unit.

Work-order invoices (and later contractor invoices) enter the association's payables through
`submit_payable`; fines (violations) and other unit charges through `charge_unit`. Both post through the one
ledger with the caller's scope and policies, exactly as the accounting procedures do. Other domains never
import `accounting.models`, `accounting.repository` or build accounting's wire schemas.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hestami.cam.accounting import kinds, ledger, repository
from hestami.cam.accounting.schemas import (
    ArAgingIn,
    ArAgingOut,
    BalanceSheetIn,
    BalanceSheetOut,
    ChargeOut,
    CreateCharge,
    CreateInvoice,
    CreateVendor,
    IncomeStatementIn,
    IncomeStatementOut,
    InvoiceLineIn,
    ListPayments,
    PaymentMethod,
    TrialBalanceIn,
    TrialBalanceOut,
    UnitBalanceIn,
    VoidCharge,
)
from hestami.cam.accounting.services import chart_of_accounts, decided_charges, payables, receivables, reports
from hestami.cam.association import api as association_api
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

REPAIRS_EXPENSE = "REPAIRS_EXPENSE"
PaidPayable = payables.PaidPayable
PaidHook = payables.PaidHook
when_payable_paid = payables.when_paid
"""Registers `hook(ctx, paid)`, run in the transaction that pays an invoice of the payables (either payment path),
in the association's scope: the contractor's invoices hear that their association paid them."""
VoidedPayable = payables.VoidedPayable
VoidedHook = payables.VoidedHook
when_payable_voided = payables.when_voided
"""Registers `hook(ctx, voided)`, run in the transaction that voids an invoice of the payables, in the association's
scope: the contractor's invoices hear that their association voided them."""


@dataclass(frozen=True, slots=True)
class PayableLine:
    gl_account_id: uuid.UUID
    description: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Payable:
    """A vendor's invoice to an association, from another domain's record (`source_type`, `source_id`)."""

    association_id: uuid.UUID
    vendor_id: uuid.UUID
    invoice_number: str
    invoice_date: date
    due_date: date | None
    amount: Decimal
    memo: str
    lines: list[PayableLine]
    source_type: str
    source_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class PayableRef:
    id: uuid.UUID
    status: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ChargeRef:
    id: uuid.UUID
    unit_id: uuid.UUID
    amount: Decimal
    due_date: date
    journal_entry_id: uuid.UUID


async def expense_account_id(ctx: RequestContext, association_id: uuid.UUID, role: str = REPAIRS_EXPENSE) -> uuid.UUID:
    """The association's account of a standard role (by default Repairs and Maintenance)."""
    return (await ledger.account_for(ctx, association_id, role)).id


async def codable_account_id(ctx: RequestContext, association_id: uuid.UUID, account_id: uuid.UUID) -> uuid.UUID:
    """An account of the association a payable line can be coded to (an expense or asset account): NOT_FOUND out
    of scope, else BUSINESS_RULE_VIOLATION with reason NOT_AN_EXPENSE_ACCOUNT."""
    return (await payables.codable_account(ctx, association_id, account_id)).id


async def vendor_for_provider(
    ctx: RequestContext, provider_organization_id: uuid.UUID, name: str, *, as_system: bool = False
) -> uuid.UUID:
    """The organization's vendor record of a service-provider organization, created on first use (once, even
    when two invoices of the provider arrive at the same moment). `as_system`: see `submit_payable`."""
    vendor_id = await payables.vendor_of_provider(ctx, provider_organization_id, lock=True)
    if vendor_id is None:
        vendor = await payables.create_vendor(
            ctx, CreateVendor(name=name, service_provider_org_id=provider_organization_id), as_system=as_system
        )
        vendor_id = vendor.id
    return vendor_id


async def submit_payable(ctx: RequestContext, payable: Payable, *, as_system: bool = False) -> PayableRef:
    """Records the invoice in PENDING_APPROVAL (lines must add up to the amount; invoice numbers are unique
    per vendor), linked to its source record. `as_system`: without a policy decision of its own, for another
    domain's authorized action (a contractor's invoice for the work order it was assigned, entered by its own
    workflow in the association's scope)."""
    invoice = await payables.create_invoice(
        ctx,
        CreateInvoice(
            association_id=payable.association_id,
            vendor_id=payable.vendor_id,
            invoice_number=payable.invoice_number,
            invoice_date=payable.invoice_date,
            due_date=payable.due_date,
            amount=payable.amount,
            memo=payable.memo,
            submit=True,
            lines=[
                InvoiceLineIn(gl_account_id=line.gl_account_id, description=line.description, amount=line.amount)
                for line in payable.lines
            ],
        ),
        source_type=payable.source_type,
        source_id=payable.source_id,
        as_system=as_system,
    )
    return PayableRef(id=invoice.id, status=invoice.status, amount=invoice.amount)


async def charge_unit(
    ctx: RequestContext,
    *,
    assessment_type_id: uuid.UUID,
    unit_id: uuid.UUID,
    due_date: date,
    amount: Decimal | None = None,
    description: str | None = None,
) -> ChargeRef:
    """Charges a unit (Dr receivable / Cr the type's income) under an assessment type of its association
    (a fine type for violations); any credit the unit holds is applied."""
    charge = await receivables.create_charge(
        ctx,
        CreateCharge(
            assessment_type_id=assessment_type_id,
            unit_id=unit_id,
            due_date=due_date,
            amount=amount,
            description=description,
        ),
    )
    return ChargeRef(
        id=charge.id,
        unit_id=charge.unit_id,
        amount=charge.amount,
        due_date=charge.due_date,
        journal_entry_id=charge.journal_entry_id,
    )


@dataclass(frozen=True, slots=True)
class ReceiptRef:
    id: uuid.UUID
    amount: Decimal
    unapplied_amount: Decimal
    journal_entry_id: uuid.UUID


async def receive_payment(
    ctx: RequestContext, *, unit_id: uuid.UUID, amount: Decimal, method: PaymentMethod, reference: str
) -> ReceiptRef:
    """Records a payment another domain took and authorized (an owner paying their own unit through the payment
    provider in the portal), dated today, applied to the unit's oldest open charges first, the rest held as credit;
    no policy decision of its own. The unit's row is locked first, as every payment does."""
    unit = await association_api.find_unit(ctx, unit_id, lock=True)
    payment = await receivables.post_payment(ctx, unit, amount, date.today(), method, reference, decided=True)
    return ReceiptRef(
        id=payment.id, amount=payment.amount, unapplied_amount=payment.unapplied_amount,
        journal_entry_id=payment.journal_entry_id,
    )  # fmt: skip


async def charge_fine(
    ctx: RequestContext, *, association_id: uuid.UUID, unit_id: uuid.UUID, amount: Decimal, description: str
) -> ChargeRef:
    """Charges a fine the calling domain has decided and authorized (a violation's hearing outcome) to the unit,
    due today, under the association's "Violation fines" type (Dr receivable / Cr Fines income, made on first
    use); any credit the unit holds is applied. No policy decision of its own: the board's decision is the one."""
    charge = await decided_charges.charge_fine(ctx, association_id, unit_id, amount, description)
    return ChargeRef(
        id=charge.id,
        unit_id=charge.unit_id,
        amount=charge.amount,
        due_date=charge.due_date,
        journal_entry_id=charge.journal_entry_id,
    )


@dataclass(frozen=True, slots=True)
class LeviedAssessment:
    assessment_type_id: uuid.UUID
    charges: list[ChargeRef]


async def levy_special_assessment(
    ctx: RequestContext,
    association_id: uuid.UUID,
    *,
    name: str,
    due_date: date,
    fund: str,
    amounts: list[tuple[uuid.UUID, Decimal]],
) -> LeviedAssessment:
    """Charges a special assessment the calling domain has decided and authorized (a resolution adopted at a
    meeting) to each unit of `amounts`, due `due_date`, under a new ONE_TIME SPECIAL assessment type named `name`
    crediting the OPERATING fund's Special Assessments or the RESERVE fund's Reserve Contributions; any credit a
    unit holds is applied. Every charge posts through the one ledger, so the books stay balanced per fund."""
    atype, charges = await decided_charges.levy_special_assessment(
        ctx, association_id, name=name, due_date=due_date, fund=fund, amounts=amounts
    )
    return LeviedAssessment(
        assessment_type_id=atype.id,
        charges=[
            ChargeRef(
                id=c.id, unit_id=c.unit_id, amount=c.amount, due_date=c.due_date, journal_entry_id=c.journal_entry_id
            )
            for c in charges
        ],
    )


async def charged_under(ctx: RequestContext, assessment_type_id: uuid.UUID) -> dict[uuid.UUID, Decimal]:
    """What each unit was charged under an assessment type the calling domain made (a special assessment it levied),
    as charged (voided charges included)."""
    return dict(await repository.charges_of_type(ctx.session, assessment_type_id))


async def void_charge(ctx: RequestContext, charge_id: uuid.UUID, reason: str) -> ChargeRef:
    """Voids a charge the calling domain holds the id of (a fine it charged), after authorizing its own action
    (waiving the fine): its entry is reversed and it stops counting from the void's date. Only a charge nothing
    was paid on (BUSINESS_RULE_VIOLATION, reason CHARGE_PAID; CHARGE_VOIDED when already voided)."""
    charge = await receivables.charge_for_void(ctx, charge_id)
    voided = await receivables.void_charge(ctx, VoidCharge(id=charge_id, reason=reason), charge=charge)
    return ChargeRef(
        id=voided.id,
        unit_id=voided.unit_id,
        amount=voided.amount,
        due_date=voided.due_date,
        journal_entry_id=voided.journal_entry_id,
    )


async def open_amounts(ctx: RequestContext, charge_ids: list[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    """What is still owed today on each of the charges (amount less paid; 0 once paid in full or voided)."""
    return await receivables.open_amounts(ctx, charge_ids)


async def reserve_expense_account(ctx: RequestContext, association_id: uuid.UUID, account_id: uuid.UUID) -> uuid.UUID:
    """An active EXPENSE account of the association's RESERVE fund, loaded in the caller's scope (NOT_FOUND out of
    scope or when the caller may not view it); else BUSINESS_RULE_VIOLATION with reason WRONG_ASSOCIATION (another
    association's), NOT_AN_EXPENSE_ACCOUNT (another fund or type; `details.fund`, `details.account_type`) or
    INACTIVE_ACCOUNT."""
    return (await chart_of_accounts.reserve_expense_account(ctx, association_id, account_id)).id


async def fund_balance(ctx: RequestContext, association_id: uuid.UUID, fund: str, as_of: date) -> Decimal:
    """A fund's balance on `as_of` (OPERATING or RESERVE): its net assets, assets less liabilities, from the
    entries in the books (posted, and reversed ones with their reversals) dated up to `as_of`. The calling domain
    authorizes its own action first; this adds no policy decision."""
    return await reports.fund_net_assets(ctx, association_id, fund, as_of)


@dataclass(frozen=True, slots=True)
class Delinquency:
    """A unit behind on its charges: what is past due and how long the oldest open charge has been due."""

    unit_id: uuid.UUID
    balance: Decimal
    days_past_due: int


async def delinquent_units(
    ctx: RequestContext, association_id: uuid.UUID, min_days_past_due: int, as_of: date
) -> list[Delinquency]:
    """The association's units with a charge open on `as_of` that has been due for at least `min_days_past_due`
    days, with the balance of their charges due by then (the AR aging's rows, `min_days_past_due` filter). The
    calling domain authorizes its own action; this adds no policy decision."""
    open_charges = await repository.open_charges_as_of(ctx.session, as_of, association_id=association_id)
    balance: dict[uuid.UUID, Decimal] = {}
    oldest: dict[uuid.UUID, int] = {}
    for unit_id, due_date, amount in open_charges:
        balance[unit_id] = balance.get(unit_id, Decimal(0)) + amount
        oldest[unit_id] = max(oldest.get(unit_id, 0), (as_of - due_date).days)
    return [
        Delinquency(unit_id, balance[unit_id], days)
        for unit_id, days in oldest.items()
        if days >= min_days_past_due and balance[unit_id] > 0
    ]


@dataclass(frozen=True, slots=True)
class VendorContact:
    vendor_id: uuid.UUID
    name: str
    email: str | None
    phone: str | None
    address: str | None


async def vendor_contacts(ctx: RequestContext) -> list[VendorContact]:
    """The organization's active vendors as contacts, by name. No policy decision of its own."""
    return [
        VendorContact(v.id, v.contact_name or v.name, v.email, v.phone, v.address)
        for v in await repository.active_vendors(ctx.session)
    ]


# --- a unit's statement (the owner portal's payment history and balance) -----------------------------------------


@dataclass(frozen=True, slots=True)
class StatementCharge:
    """A charge as an owner's statement shows it: what, when due, how much, what is still open of it."""

    id: uuid.UUID
    description: str
    due_date: date
    amount: Decimal
    amount_paid: Decimal
    open_amount: Decimal
    voided_on: date | None


@dataclass(frozen=True, slots=True)
class AppliedAmount:
    charge_id: uuid.UUID
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ReceivedPayment:
    """A payment received for a unit, with the charges it paid (oldest first) and what it left as credit."""

    id: uuid.UUID
    unit_id: uuid.UUID
    payment_date: date
    amount: Decimal
    unapplied_amount: Decimal
    method: str
    reference: str | None
    status: str
    void_reason: str | None
    applied: tuple[AppliedAmount, ...]


@dataclass(frozen=True, slots=True)
class UnitStatement:
    """What a unit owes on `as_of` and the open charges behind it (due by then, oldest first)."""

    unit_id: uuid.UUID
    as_of: date
    balance: Decimal
    charges_open: Decimal
    unapplied_credit: Decimal
    open_charges: tuple[StatementCharge, ...]


def _statement_charge(charge: ChargeOut) -> StatementCharge:
    return StatementCharge(
        id=charge.id, description=charge.description, due_date=charge.due_date, amount=charge.amount,
        amount_paid=charge.amount_paid, open_amount=charge.balance, voided_on=charge.voided_on,
    )  # fmt: skip


async def unit_payments(
    ctx: RequestContext, unit_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[list[ReceivedPayment], str | None]:
    """One page of the unit's payments the caller may see (as `accounting/payment/v1/list` shows them: owners and
    tenants their own unit's, management every unit's), oldest first, and the next page's cursor."""
    page = await receivables.list_payments(ctx, ListPayments(unit_id=unit_id, limit=limit, cursor=cursor))
    payments = [
        ReceivedPayment(
            id=p.id, unit_id=p.unit_id, payment_date=p.payment_date, amount=p.amount,
            unapplied_amount=p.unapplied_amount, method=p.method, reference=p.reference, status=p.status,
            void_reason=p.void_reason, applied=tuple(AppliedAmount(a.charge_id, a.amount) for a in p.applications),
        )
        for p in page.items
    ]  # fmt: skip
    return payments, page.next_cursor


async def statement_charges(ctx: RequestContext, charge_ids: list[uuid.UUID]) -> dict[uuid.UUID, StatementCharge]:
    """The charges payments the caller has seen were applied to, in one query. No policy decision of its own: the
    calling domain holds these ids from `unit_payments`."""
    charges = await repository.charges_by_id(ctx.session, charge_ids, lock=False)
    return {charge_id: _statement_charge(receivables.charge_out(c)) for charge_id, c in charges.items()}


async def unit_statement(ctx: RequestContext, unit_id: uuid.UUID, as_of: date | None = None) -> UnitStatement:
    """The unit's balance on `as_of` (default today) exactly as `accounting/assessment/v1/getUnitBalance` answers
    it (the unit loaded in the caller's scope: NOT_FOUND unless they may see it), with the charges open today that
    were due by then, oldest first."""
    balance = await receivables.unit_balance(ctx, UnitBalanceIn(unit_id=unit_id, as_of=as_of))
    charges = await repository.open_charges(ctx.session, [unit_id], lock=False)
    open_charges = tuple(_statement_charge(receivables.charge_out(c)) for c in charges if c.due_date <= balance.as_of)
    return UnitStatement(
        unit_id=unit_id, as_of=balance.as_of, balance=balance.balance, charges_open=balance.charges_open,
        unapplied_credit=balance.unapplied_credit, open_charges=open_charges,
    )  # fmt: skip


# --- financial reports (the reporting domain's reads; each authorizes `financial_report` view first) -------------


async def authorize_financial_reports(ctx: RequestContext, association_id: uuid.UUID) -> None:
    """The caller may read the association's financial reports (management and its board): NOT_FOUND when the
    association is out of their scope, else FORBIDDEN."""
    await reports.authorize_view(ctx, association_id)


async def trial_balance(
    ctx: RequestContext, association_id: uuid.UUID, as_of: date, fund: str | None = None
) -> TrialBalanceOut:
    """`accounting/report/v1/trialBalance` as the caller would get it."""
    return await reports.trial_balance(ctx, TrialBalanceIn(association_id=association_id, as_of=as_of, fund=fund))


async def balance_sheet(ctx: RequestContext, association_id: uuid.UUID, as_of: date) -> BalanceSheetOut:
    """`accounting/report/v1/balanceSheet` as the caller would get it."""
    return await reports.balance_sheet(ctx, BalanceSheetIn(association_id=association_id, as_of=as_of))


async def income_statement(
    ctx: RequestContext, association_id: uuid.UUID, from_date: date, to_date: date
) -> IncomeStatementOut:
    """`accounting/report/v1/incomeStatement` as the caller would get it."""
    return await reports.income_statement(
        ctx, IncomeStatementIn(association_id=association_id, from_date=from_date, to_date=to_date)
    )


async def ar_aging(
    ctx: RequestContext, association_id: uuid.UUID, as_of: date, min_days_past_due: int = 0
) -> ArAgingOut:
    """`accounting/report/v1/arAging` as the caller would get it."""
    return await reports.ar_aging(
        ctx, ArAgingIn(association_id=association_id, as_of=as_of, min_days_past_due=min_days_past_due)
    )


@dataclass(frozen=True, slots=True)
class MonthlyNet:
    """Revenue (credits less debits) and expense (debits less credits) of a month."""

    month: date
    revenue: Decimal
    expense: Decimal


async def monthly_income_and_expense(
    ctx: RequestContext, association_id: uuid.UUID, from_date: date, to_date: date, fund: str | None = None
) -> dict[date, MonthlyNet]:
    """Revenue and expense by month (keyed by its first day; months without lines left out) of the entries in the
    books dated in the period."""
    await reports.authorize_view(ctx, association_id)
    by_month: dict[date, MonthlyNet] = {}
    for month, kind, net in await repository.monthly_income_and_expense(
        ctx.session, association_id, from_date, to_date, fund
    ):
        found = by_month.get(month, MonthlyNet(month, Decimal("0.00"), Decimal("0.00")))
        if kind == "REVENUE":
            found = MonthlyNet(month, found.revenue - net, found.expense)
        else:
            found = MonthlyNet(month, found.revenue, found.expense + net)
        by_month[month] = found
    return by_month


@dataclass(frozen=True, slots=True)
class CashAccountFlow:
    """A cash account's movements in a period (direct method): opening + receipts - disbursements + transfers =
    closing. Receipts from units' payments (less voids), disbursements to vendors' invoices (less voids), transfers
    between cash accounts (in less out), everything else as other receipts (debits) and disbursements (credits)."""

    gl_account_id: uuid.UUID
    account_number: str
    name: str
    fund: str
    opening: Decimal
    assessment_receipts: Decimal
    other_receipts: Decimal
    ap_disbursements: Decimal
    other_disbursements: Decimal
    transfers: Decimal
    closing: Decimal


async def cash_flow(
    ctx: RequestContext, association_id: uuid.UUID, from_date: date, to_date: date, fund: str | None = None
) -> list[CashAccountFlow]:
    """Each cash account's flow in the period (of one fund when given), by account number."""
    await reports.authorize_view(ctx, association_id)
    accounts = [a for a in await repository.cash_accounts(ctx.session, association_id) if fund in (None, a.fund)]
    ids = {a.id for a in accounts}
    opening = {
        a.id: net
        for a, net in await repository.account_balances(
            ctx.session, association_id, to_date=from_date - timedelta(days=1)
        )
        if a.id in ids
    }
    moved: dict[tuple[uuid.UUID, str], tuple[Decimal, Decimal]] = {
        (account_id, kind): (debits, credits)
        for account_id, kind, debits, credits in await repository.cash_activity(
            ctx.session, association_id, from_date, to_date
        )
    }
    zero = Decimal("0.00")
    flows = []
    for account in accounts:
        net = {
            kind: moved.get((account.id, kind), (zero, zero))[0] - moved.get((account.id, kind), (zero, zero))[1]
            for kind in ("RECEIPT", "AP", "TRANSFER", "OTHER")
        }
        other_in, other_out = moved.get((account.id, "OTHER"), (zero, zero))
        start = opening.get(account.id, zero)
        flows.append(
            CashAccountFlow(
                gl_account_id=account.id, account_number=account.account_number, name=account.name,
                fund=account.fund, opening=start, assessment_receipts=net["RECEIPT"], other_receipts=other_in,
                ap_disbursements=-net["AP"], other_disbursements=other_out, transfers=net["TRANSFER"],
                closing=start + sum(net.values(), zero),
            )
        )  # fmt: skip
    return flows


@dataclass(frozen=True, slots=True)
class LedgerLine:
    gl_account_id: uuid.UUID
    account_number: str
    account_name: str
    entry_number: int
    entry_date: date
    memo: str
    unit_id: uuid.UUID | None
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True, slots=True)
class GeneralLedger:
    """The opening balance (debits less credits before the period) of each account with any, and the period's
    lines as a stream: iterate `lines` once, inside the transaction that made it."""

    opening: dict[uuid.UUID, Decimal]
    total_debit: Decimal
    total_credit: Decimal
    lines: AsyncIterator[LedgerLine]


async def _ledger_stream(
    ctx: RequestContext,
    association_id: uuid.UUID,
    from_date: date,
    to_date: date,
    fund: str | None,
    gl_account_id: uuid.UUID | None,
) -> AsyncIterator[LedgerLine]:
    async for row in repository.ledger_lines(
        ctx.session, association_id, from_date, to_date, fund=fund, gl_account_id=gl_account_id
    ):
        yield LedgerLine(*row)


async def general_ledger(
    ctx: RequestContext,
    association_id: uuid.UUID,
    from_date: date,
    to_date: date,
    *,
    fund: str | None = None,
    gl_account_id: uuid.UUID | None = None,
) -> GeneralLedger:
    """Every line in the books in the period (of one fund, or one account when given), by account number, then
    date and entry number, streamed from a server-side cursor. Authorizes first; an account out of scope or of
    another association is NOT_FOUND."""
    await reports.authorize_view(ctx, association_id)
    if gl_account_id is not None:
        account = await records.find(ctx, kinds.GL_ACCOUNT, gl_account_id)
        if account.association_id != association_id:
            raise not_found(kinds.GL_ACCOUNT.name, gl_account_id)
    opening = {
        account.id: net
        for account, net in await repository.account_balances(
            ctx.session, association_id, to_date=from_date - timedelta(days=1), fund=fund
        )
        if gl_account_id in (None, account.id)
    }
    debits, credits = await repository.ledger_totals(
        ctx.session, association_id, from_date, to_date, fund=fund, gl_account_id=gl_account_id
    )
    return GeneralLedger(
        opening, debits, credits, _ledger_stream(ctx, association_id, from_date, to_date, fund, gl_account_id)
    )


# --- reporting (issue 20): the portfolio dashboard, over many associations at once ---------------------------------


async def delinquency_by_association(
    ctx: RequestContext, association_ids: list[uuid.UUID], as_of: date, min_days_past_due: int = 30
) -> dict[uuid.UUID, tuple[int, Decimal]]:
    """Per association of the caller's organization, in one query: (units owing with a part at least
    `min_days_past_due` days past due, the total of those past-due parts) on `as_of`; an association without one is
    absent. No policy decision of its own: the calling domain authorized its own action."""
    return await repository.delinquency_by_association(ctx.session, association_ids, as_of, min_days_past_due)


async def cash_by_fund(
    ctx: RequestContext, association_ids: list[uuid.UUID], as_of: date
) -> dict[tuple[uuid.UUID, str], Decimal]:
    """Per (association, fund) of the caller's organization, in one query: the balance of its cash accounts on
    `as_of`; a pair without cash entries is absent. No policy decision of its own."""
    return await repository.cash_by_fund(ctx.session, association_ids, as_of)

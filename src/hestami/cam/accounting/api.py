"""What other domains may use of domain 2: one way in for a payable and one for a charge to a unit.

Work-order invoices (and later contractor invoices) enter the association's payables through
`submit_payable`; fines (violations) and other unit charges through `charge_unit`. Both post through the one
ledger with the caller's scope and policies, exactly as the accounting procedures do. Other domains never
import `accounting.models`, `accounting.repository` or build accounting's wire schemas.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hestami.cam.accounting import ledger, repository
from hestami.cam.accounting.schemas import CreateCharge, CreateInvoice, CreateVendor, InvoiceLineIn, VoidCharge
from hestami.cam.accounting.services import chart_of_accounts, decided_charges, payables, receivables, reports
from hestami.core.context import RequestContext

REPAIRS_EXPENSE = "REPAIRS_EXPENSE"


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


async def vendor_for_provider(ctx: RequestContext, provider_organization_id: uuid.UUID, name: str) -> uuid.UUID:
    """The organization's vendor record of a service-provider organization, created on first use (once, even
    when two invoices of the provider arrive at the same moment)."""
    vendor_id = await payables.vendor_of_provider(ctx, provider_organization_id, lock=True)
    if vendor_id is None:
        vendor = await payables.create_vendor(
            ctx, CreateVendor(name=name, service_provider_org_id=provider_organization_id)
        )
        vendor_id = vendor.id
    return vendor_id


async def submit_payable(ctx: RequestContext, payable: Payable) -> PayableRef:
    """Records the invoice in PENDING_APPROVAL (lines must add up to the amount; invoice numbers are unique
    per vendor), linked to its source record."""
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

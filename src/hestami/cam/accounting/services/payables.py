"""Payables: vendors (tax id masked, W-9 and 1099 flags) and AP invoices coded to expense accounts.

DRAFT → PENDING_APPROVAL → APPROVED → PAID, or VOIDED before payment. Approval posts Dr expense / Cr
accounts payable; payment posts Dr accounts payable / Cr cash and needs a W-9 on file. An approval above the
manager's limit of the association (`disbursements`' approval chain, registered with `approval_gate`) leaves the
invoice PENDING_BOARD until a board member approves it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError

from hestami.cam.accounting import kinds, ledger, repository
from hestami.cam.accounting.errors import AccountingError, AccountingReason, rule
from hestami.cam.accounting.models import APInvoice, APInvoiceLine, GLAccount, Vendor
from hestami.cam.accounting.schemas import (
    CreateInvoice,
    CreateVendor,
    InvoiceLineOut,
    InvoiceOut,
    ListInvoices,
    ListVendors,
    PayInvoice,
    UpdateVendor,
    VendorOut,
    VoidInvoice,
)
from hestami.cam.accounting.services.receivables import operating_cash
from hestami.cam.association import api as association_api
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, check_transition, not_found
from hestami.core.pagination import Page
from hestami.identity.services import organizations as identity

ZERO = Decimal("0.00")
CODABLE = ("EXPENSE", "ASSET")
PROVIDER_TYPES = ("SERVICE_PROVIDER",)
# The invoice lifecycle; PAID and VOIDED are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"PENDING_APPROVAL", "VOIDED"}),
    "PENDING_APPROVAL": frozenset({"APPROVED", "PENDING_BOARD", "DRAFT", "VOIDED"}),
    "PENDING_BOARD": frozenset({"APPROVED", "DRAFT", "VOIDED"}),
    "APPROVED": frozenset({"PAID", "VOIDED"}),
    "PAID": frozenset(),
    "VOIDED": frozenset(),
}


# --- paid and voided invoices, announced to the domains they came from -----------------------------------


@dataclass(frozen=True, slots=True)
class PaidPayable:
    """An invoice of the association's payables that was just paid, as the domain it came from follows it."""

    ap_invoice_id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID
    service_provider_org_id: uuid.UUID | None
    source_type: str | None
    source_id: uuid.UUID | None
    paid_on: date
    reference: str | None


PaidHook = Callable[[RequestContext, PaidPayable], Awaitable[None]]
_when_paid: list[PaidHook] = []


def when_paid(hook: PaidHook) -> PaidHook:
    """Registers `hook(ctx, paid)`, run in the transaction that marks an invoice PAID (one payment or a payment
    batch), in the association's scope: how another domain (the contractor's invoices) hears its invoice was paid,
    without accounting importing it. Registered at import."""
    _when_paid.append(hook)
    return hook


async def announce_paid(ctx: RequestContext, invoice: APInvoice) -> None:
    """Tells the `when_paid` hooks that `invoice` is PAID (called by both payment paths)."""
    if not _when_paid:
        return
    provider = await repository.provider_of_vendor(ctx.session, invoice.vendor_id)
    paid = PaidPayable(
        ap_invoice_id=invoice.id, organization_id=invoice.organization_id, association_id=invoice.association_id,
        service_provider_org_id=provider, source_type=invoice.source_type, source_id=invoice.source_id,
        paid_on=invoice.paid_on or date.today(), reference=invoice.payment_reference,
    )  # fmt: skip
    for hook in _when_paid:
        await hook(ctx, paid)


@dataclass(frozen=True, slots=True)
class VoidedPayable:
    """An invoice of the association's payables that was just voided, as the domain it came from follows it."""

    ap_invoice_id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID
    service_provider_org_id: uuid.UUID | None
    source_type: str | None
    source_id: uuid.UUID | None
    reason: str


VoidedHook = Callable[[RequestContext, VoidedPayable], Awaitable[None]]
_when_voided: list[VoidedHook] = []


def when_voided(hook: VoidedHook) -> VoidedHook:
    """Registers `hook(ctx, voided)`, run in the transaction that voids an invoice, in the association's scope: how
    another domain (the contractor's invoices) hears its invoice was voided, without accounting importing it.
    Registered at import."""
    _when_voided.append(hook)
    return hook


async def announce_voided(ctx: RequestContext, invoice: APInvoice, reason: str) -> None:
    """Tells the `when_voided` hooks that `invoice` is VOIDED."""
    if not _when_voided:
        return
    provider = await repository.provider_of_vendor(ctx.session, invoice.vendor_id)
    voided = VoidedPayable(
        ap_invoice_id=invoice.id, organization_id=invoice.organization_id, association_id=invoice.association_id,
        service_provider_org_id=provider, source_type=invoice.source_type, source_id=invoice.source_id, reason=reason,
    )  # fmt: skip
    for hook in _when_voided:
        await hook(ctx, voided)


# --- vendors ---------------------------------------------------------------------------------------------


def _tax_id(value: str) -> dict[str, str]:
    digits = value.replace("-", "")
    return {"tax_id_last4": digits[-4:], "tax_id_hash": hashlib.sha256(digits.encode()).hexdigest()}


def vendor_out(vendor: Vendor) -> VendorOut:
    masked = f"***-**-{vendor.tax_id_last4}" if vendor.tax_id_last4 else None
    return records.output(VendorOut, vendor, tax_id_masked=masked)


def _vendor_fields(changes: dict[str, Any]) -> dict[str, Any]:
    tax_id = changes.pop("tax_id", None)
    return {**changes, **_tax_id(tax_id)} if tax_id else changes


async def _check_provider(ctx: RequestContext, organization_id: uuid.UUID | None) -> None:
    """A vendor record names the provider it pays only as a SERVICE_PROVIDER organization; any other
    organization answers like a random id: NOT_FOUND."""
    if organization_id is not None and not await identity.is_organization_of_type(ctx, organization_id, PROVIDER_TYPES):
        raise not_found("service_provider", organization_id)


async def create_vendor(ctx: RequestContext, data: CreateVendor, *, as_system: bool = False) -> VendorOut:
    """`as_system`: another domain's authorized action makes it (a provider's invoice entering the payables)."""
    await _check_provider(ctx, data.service_provider_org_id)
    vendor = Vendor(**_vendor_fields(data.model_dump()), is_active=True)
    return vendor_out(await (records.insert if as_system else records.create)(ctx, kinds.VENDOR, vendor))


async def get_vendor(ctx: RequestContext, vendor_id: uuid.UUID) -> VendorOut:
    return vendor_out(await records.load(ctx, kinds.VENDOR, vendor_id))


async def list_vendors(ctx: RequestContext, data: ListVendors) -> Page[VendorOut]:
    filters = [] if data.include_inactive else [Vendor.is_active.is_(True)]
    items, cursor = await records.page(ctx, kinds.VENDOR, data, *filters)
    return Page[VendorOut](items=[vendor_out(v) for v in items], next_cursor=cursor)


async def update_vendor(ctx: RequestContext, data: UpdateVendor) -> VendorOut:
    vendor = await records.load(ctx, kinds.VENDOR, data.id, "update")
    return vendor_out(await records.change(ctx, kinds.VENDOR, vendor, _vendor_fields(records.changes_of(data))))


async def delete_vendor(ctx: RequestContext, vendor_id: uuid.UUID) -> None:
    """Soft delete: invoices keep their vendor."""
    await records.soft_delete(ctx, kinds.VENDOR, vendor_id)


# --- invoices --------------------------------------------------------------------------------------------


def _line_out(line: APInvoiceLine, account: GLAccount | None) -> InvoiceLineOut:
    out = InvoiceLineOut(gl_account_id=line.gl_account_id, description=line.description, amount=line.amount)
    if account is not None:
        out.gl_account_number, out.gl_account_name, out.fund = account.account_number, account.name, account.fund
    return out


async def invoices_out(ctx: RequestContext, invoices: Sequence[APInvoice]) -> list[InvoiceOut]:
    """The invoices with their lines (each with its account's number, name and fund), their vendor's and
    association's names: one query per kind for the whole page."""
    lines = await repository.lines_of_invoices(ctx.session, [invoice.id for invoice in invoices])
    accounts = await repository.accounts_by_id(ctx.session, [x.gl_account_id for ls in lines.values() for x in ls])
    vendors = await repository.vendor_names(ctx.session, [invoice.vendor_id for invoice in invoices])
    associations = await association_api.association_names(ctx, [invoice.association_id for invoice in invoices])

    def out(invoice: APInvoice) -> InvoiceOut:
        named = [_line_out(x, accounts.get(x.gl_account_id)) for x in lines[invoice.id]]
        return records.output(
            InvoiceOut, invoice, lines=named, vendor_name=vendors.get(invoice.vendor_id),
            association_name=associations.get(invoice.association_id),
        )  # fmt: skip

    return [out(invoice) for invoice in invoices]


async def invoice_out(ctx: RequestContext, invoice: APInvoice) -> InvoiceOut:
    return (await invoices_out(ctx, [invoice]))[0]


async def codable_account(
    ctx: RequestContext, association_id: uuid.UUID, account_id: uuid.UUID, *, as_system: bool = False
) -> GLAccount:
    """An expense (or asset) account of the association, which an invoice line can be coded to."""
    account = await (records.find if as_system else records.load)(ctx, kinds.GL_ACCOUNT, account_id)
    if account.association_id != association_id or account.account_type not in CODABLE:
        raise rule(AccountingReason.NOT_AN_EXPENSE_ACCOUNT, f"{account.account_number} cannot take an invoice line.")
    return account


async def create_invoice(
    ctx: RequestContext,
    data: CreateInvoice,
    *,
    source_type: str | None = None,
    source_id: uuid.UUID | None = None,
    as_system: bool = False,
) -> InvoiceOut:
    """An invoice whose lines add up to its amount, each coded to an expense (or asset) account of the
    association. Invoice numbers are unique per vendor. `as_system`: no policy decision of its own (another
    domain's authorized action: a provider's invoice for work it was assigned)."""
    if as_system:
        await association_api.find_association(ctx, data.association_id)
    else:
        await association_api.load_association(ctx, data.association_id)
    vendor = await (records.find if as_system else records.load)(ctx, kinds.VENDOR, data.vendor_id)
    total = sum((line.amount for line in data.lines), ZERO)
    if total != data.amount:
        raise rule(
            AccountingReason.LINES_DO_NOT_MATCH_TOTAL,
            f"Lines add up to {total}, not {data.amount}.",
            lines_total=str(total),
            amount=str(data.amount),
        )
    for line in data.lines:
        await codable_account(ctx, data.association_id, line.gl_account_id, as_system=as_system)
    invoice = APInvoice(
        **data.model_dump(exclude={"lines", "submit", "vendor_id"}),
        vendor_id=vendor.id,
        status="PENDING_APPROVAL" if data.submit else "DRAFT",
        source_type=source_type,
        source_id=source_id,
    )
    try:
        async with ctx.session.begin_nested():
            invoice = await (records.insert if as_system else records.create)(ctx, kinds.AP_INVOICE, invoice)
    except IntegrityError:
        raise AccountingError(
            ErrorCode.CONFLICT,
            AccountingReason.DUPLICATE_INVOICE,
            f"Invoice {data.invoice_number} of this vendor is already recorded.",
        ) from None
    ctx.session.add_all(
        APInvoiceLine(
            organization_id=invoice.organization_id,
            invoice_id=invoice.id,
            gl_account_id=line.gl_account_id,
            description=line.description,
            amount=line.amount,
        )
        for line in data.lines
    )
    await ctx.session.flush()
    return await invoice_out(ctx, invoice)


async def get_invoice(ctx: RequestContext, invoice_id: uuid.UUID) -> InvoiceOut:
    return await invoice_out(ctx, await records.load(ctx, kinds.AP_INVOICE, invoice_id))


async def list_invoices(ctx: RequestContext, data: ListInvoices) -> Page[InvoiceOut]:
    filters = []
    if data.association_id:
        filters.append(APInvoice.association_id == data.association_id)
    if data.vendor_id:
        filters.append(APInvoice.vendor_id == data.vendor_id)
    if data.status:
        filters.append(APInvoice.status == data.status)
    if data.statuses:
        filters.append(APInvoice.status.in_(data.statuses))
    items, cursor = await records.page(ctx, kinds.AP_INVOICE, data, *filters)
    return Page[InvoiceOut](items=await invoices_out(ctx, items), next_cursor=cursor)


async def _move(ctx: RequestContext, invoice_id: uuid.UUID, action: str, target: str) -> APInvoice:
    invoice = await records.load(ctx, kinds.AP_INVOICE, invoice_id, action, lock=True)
    check_transition("invoice", TRANSITIONS, invoice.status, target)
    return invoice


async def submit_invoice(ctx: RequestContext, invoice_id: uuid.UUID) -> InvoiceOut:
    invoice = await _move(ctx, invoice_id, "submit", "PENDING_APPROVAL")
    await records.change(ctx, kinds.AP_INVOICE, invoice, {"status": "PENDING_APPROVAL"}, action="submitted")
    return await invoice_out(ctx, invoice)


ApprovalGate = Callable[[RequestContext, APInvoice], Awaitable[str | None]]
_approval_gates: list[ApprovalGate] = []


def approval_gate(gate: ApprovalGate) -> ApprovalGate:
    """Registers a step every approval passes first (the approval chain): it records the approval and answers
    None when the invoice may be APPROVED now, else the status it waits in."""
    if gate not in _approval_gates:
        _approval_gates.append(gate)
    return gate


async def approve_invoice(ctx: RequestContext, invoice_id: uuid.UUID) -> InvoiceOut:
    """Approval recognizes the expense: Dr each line's account / Cr accounts payable. Above the approval
    chain's limit the invoice waits (PENDING_BOARD) and nothing posts yet."""
    invoice = await _move(ctx, invoice_id, "approve", "APPROVED")
    for gate in _approval_gates:
        waiting = await gate(ctx, invoice)
        if waiting is not None:
            if waiting != invoice.status:
                check_transition("invoice", TRANSITIONS, invoice.status, waiting)
                await records.change(ctx, kinds.AP_INVOICE, invoice, {"status": waiting}, action="awaiting_board")
            return await invoice_out(ctx, invoice)
    lines = (await repository.lines_of_invoices(ctx.session, [invoice.id]))[invoice.id]
    accounts = await repository.accounts_by_id(ctx.session, [line.gl_account_id for line in lines])
    legs = [ledger.debit(accounts[line.gl_account_id], line.amount, line.description) for line in lines]
    legs.append(ledger.credit(await ledger.account_for(ctx, invoice.association_id, "AP"), invoice.amount))
    entry = await ledger.record(
        ctx,
        invoice.association_id,
        entry_date=invoice.invoice_date,
        legs=legs,
        source_type="AP_INVOICE",
        memo=f"Invoice {invoice.invoice_number}",
        source_id=invoice.id,
        interfund=True,
    )
    changes = {
        "status": "APPROVED",
        "journal_entry_id": entry.id,
        "approved_by": ctx.user_id,
        "approved_at": datetime.now(UTC),
    }
    await records.change(ctx, kinds.AP_INVOICE, invoice, changes, action="approved")
    return await invoice_out(ctx, invoice)


async def _cash_account(ctx: RequestContext, invoice: APInvoice, bank_account_id: uuid.UUID | None) -> GLAccount:
    if bank_account_id is None:
        return await operating_cash(ctx, invoice.association_id)
    bank = await records.find(ctx, kinds.BANK_ACCOUNT, bank_account_id)
    if bank.association_id != invoice.association_id or not bank.is_active:
        raise rule(AccountingReason.WRONG_ASSOCIATION, "That bank account cannot pay this association's invoices.")
    account = await repository.account(ctx.session, bank.gl_account_id)
    assert account is not None
    return account


async def pay_invoice(ctx: RequestContext, data: PayInvoice) -> InvoiceOut:
    """Pays an approved invoice: Dr accounts payable / Cr cash. A vendor without a W-9 cannot be paid."""
    invoice = await _move(ctx, data.id, "pay", "PAID")
    vendor = await records.find(ctx, kinds.VENDOR, invoice.vendor_id)
    if not vendor.w9_on_file:
        raise rule(AccountingReason.W9_MISSING, f"{vendor.name} has no W-9 on file.", vendor_id=str(vendor.id))
    cash = await _cash_account(ctx, invoice, data.bank_account_id)
    ap = await ledger.account_for(ctx, invoice.association_id, "AP")
    entry = await ledger.record(
        ctx,
        invoice.association_id,
        entry_date=data.paid_on,
        source_type="AP_PAYMENT",
        source_id=invoice.id,
        legs=[ledger.debit(ap, invoice.amount), ledger.credit(cash, invoice.amount, data.reference)],
        memo=f"Payment of invoice {invoice.invoice_number}",
        interfund=True,
    )
    changes = {
        "status": "PAID",
        "payment_journal_entry_id": entry.id,
        "paid_on": data.paid_on,
        "payment_reference": data.reference,
    }
    await records.change(ctx, kinds.AP_INVOICE, invoice, changes, action="paid")
    await announce_paid(ctx, invoice)
    return await invoice_out(ctx, invoice)


async def void_invoice(ctx: RequestContext, data: VoidInvoice) -> InvoiceOut:
    """Voids an unpaid invoice; an approved one's expense entry is reversed."""
    invoice = await _move(ctx, data.id, "void", "VOIDED")
    if invoice.journal_entry_id is not None:
        entry = await records.find(ctx, kinds.JOURNAL_ENTRY, invoice.journal_entry_id, lock=True)
        await ledger.reverse(
            ctx,
            entry,
            entry_date=date.today(),
            memo=f"Void invoice {invoice.invoice_number}: {data.reason}",
            source_type="AP_VOID",
        )
    await records.change(ctx, kinds.AP_INVOICE, invoice, {"status": "VOIDED", "memo": data.reason}, action="voided")
    await announce_voided(ctx, invoice, data.reason)
    return await invoice_out(ctx, invoice)


async def repairs_account(ctx: RequestContext, association_id: uuid.UUID) -> GLAccount:
    """Where work-order invoices are coded unless told otherwise."""
    return await ledger.account_for(ctx, association_id, "REPAIRS_EXPENSE")


async def vendor_of_provider(
    ctx: RequestContext, provider_organization_id: uuid.UUID, *, lock: bool = False
) -> uuid.UUID | None:
    """The organization's active vendor record for a service-provider organization, if it has one. `lock`
    (before creating one when there is none): until the transaction ends, no one else in the organization makes
    one for this provider, and a caller that waited for the lock finds the record the first one made."""
    if lock:
        await repository.lock_provider_vendor(ctx.session, ctx.require_org(), provider_organization_id)
    return await repository.vendor_of_provider(ctx.session, provider_organization_id)

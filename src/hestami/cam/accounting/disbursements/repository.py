"""The disbursements' SQL: approval settings and history, vendors' and bank accounts' payment details, batches
with their items (read for a page in one query), batch numbers, and the year's payments per vendor."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.accounting.disbursements.models import (
    ApprovalSettings,
    BankPaymentProfile,
    InvoiceApproval,
    PaymentBatch,
    PaymentBatchItem,
    VendorBankAccount,
)
from hestami.cam.accounting.models import APInvoice, APInvoiceLine, GLAccount, Vendor
from hestami.core.repository import hold_lock


async def lock(session: AsyncSession, rule: str, key: uuid.UUID) -> None:
    """Until the transaction ends, no one else runs `rule` for `key` (`hold_lock`)."""
    await hold_lock(session, f"disbursements:{rule}:{key}")


async def approval_settings(session: AsyncSession, association_id: uuid.UUID) -> ApprovalSettings | None:
    return (
        await session.execute(select(ApprovalSettings).where(ApprovalSettings.association_id == association_id))
    ).scalar_one_or_none()


async def approvals_of(session: AsyncSession, invoice_id: uuid.UUID) -> list[InvoiceApproval]:
    rows = await session.execute(
        select(InvoiceApproval)
        .where(InvoiceApproval.invoice_id == invoice_id)
        .order_by(InvoiceApproval.created_at, InvoiceApproval.id)
    )
    return list(rows.scalars().all())


async def vendor_bank(session: AsyncSession, vendor_id: uuid.UUID) -> VendorBankAccount | None:
    return (
        await session.execute(select(VendorBankAccount).where(VendorBankAccount.vendor_id == vendor_id))
    ).scalar_one_or_none()


async def vendor_banks(session: AsyncSession, vendor_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, VendorBankAccount]:
    if not vendor_ids:
        return {}
    rows = await session.execute(select(VendorBankAccount).where(VendorBankAccount.vendor_id.in_(set(vendor_ids))))
    return {row.vendor_id: row for row in rows.scalars().all()}


async def payment_profile(
    session: AsyncSession, bank_account_id: uuid.UUID, *, lock: bool = False
) -> BankPaymentProfile | None:
    query = select(BankPaymentProfile).where(BankPaymentProfile.bank_account_id == bank_account_id)
    if lock:
        query = query.with_for_update(key_share=True)
    return (await session.execute(query)).scalar_one_or_none()


async def invoices(session: AsyncSession, invoice_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, APInvoice]:
    """The invoices, locked (FOR NO KEY UPDATE) until the transaction ends."""
    rows = await session.execute(
        select(APInvoice)
        .where(APInvoice.id.in_(set(invoice_ids)))
        .order_by(APInvoice.id)
        .with_for_update(key_share=True)
    )
    return {row.id: row for row in rows.scalars().all()}


async def invoice_funds(session: AsyncSession, invoice_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """The funds of each invoice's line accounts."""
    rows = await session.execute(
        select(APInvoiceLine.invoice_id, GLAccount.fund)
        .join(GLAccount, GLAccount.id == APInvoiceLine.gl_account_id)
        .where(APInvoiceLine.invoice_id.in_(set(invoice_ids)))
    )
    funds: dict[uuid.UUID, set[str]] = {invoice_id: set() for invoice_id in invoice_ids}
    for invoice_id, fund in rows.all():
        funds[invoice_id].add(fund)
    return funds


async def vendors(session: AsyncSession, vendor_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Vendor]:
    rows = await session.execute(select(Vendor).where(Vendor.id.in_(set(vendor_ids))))
    return {row.id: row for row in rows.scalars().all()}


async def batched_invoices(session: AsyncSession, invoice_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The invoices already in a batch, with its number."""
    rows = await session.execute(
        select(PaymentBatchItem.invoice_id, PaymentBatch.batch_number)
        .join(PaymentBatch, PaymentBatch.id == PaymentBatchItem.batch_id)
        .where(PaymentBatchItem.invoice_id.in_(set(invoice_ids)))
    )
    return {invoice_id: number for invoice_id, number in rows.all()}


async def next_batch_number(session: AsyncSession, association_id: uuid.UUID) -> int:
    """Under `lock(session, "batch_number", association_id)`."""
    last = await session.scalar(
        select(func.max(PaymentBatch.batch_number)).where(PaymentBatch.association_id == association_id)
    )
    return int(last or 0) + 1


async def batch(session: AsyncSession, batch_id: uuid.UUID, *, lock: bool = False) -> PaymentBatch | None:
    query = select(PaymentBatch).where(PaymentBatch.id == batch_id)
    if lock:
        query = query.with_for_update(key_share=True)
    return (await session.execute(query)).scalar_one_or_none()


async def items_of(session: AsyncSession, batch_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[PaymentBatchItem]]:
    """Each batch's items, checks by number then ACH credits, in one query."""
    grouped: dict[uuid.UUID, list[PaymentBatchItem]] = {batch_id: [] for batch_id in batch_ids}
    if not batch_ids:
        return grouped
    rows = await session.execute(
        select(PaymentBatchItem)
        .where(PaymentBatchItem.batch_id.in_(set(batch_ids)))
        .order_by(PaymentBatchItem.method.desc(), PaymentBatchItem.check_number, PaymentBatchItem.id)
    )
    for row in rows.scalars():
        grouped[row.batch_id].append(row)
    return grouped


async def delete_items(session: AsyncSession, batch_id: uuid.UUID) -> None:
    await session.execute(delete(PaymentBatchItem).where(PaymentBatchItem.batch_id == batch_id))


async def paid_by_vendor(
    session: AsyncSession, association_id: uuid.UUID, year: int
) -> list[tuple[Vendor, Decimal, int]]:
    """Each 1099-eligible vendor with what the association paid it in the calendar year (invoices PAID with
    `paid_on` in the year) and how many invoices; vendors paid nothing in the year are left out."""
    rows = await session.execute(
        select(Vendor, func.sum(APInvoice.amount), func.count(APInvoice.id))
        .join(APInvoice, APInvoice.vendor_id == Vendor.id)
        .where(
            APInvoice.association_id == association_id,
            APInvoice.status == "PAID",
            APInvoice.paid_on >= date(year, 1, 1),
            APInvoice.paid_on <= date(year, 12, 31),
            Vendor.is_1099_eligible.is_(True),
        )
        .group_by(Vendor.id)
        .order_by(Vendor.name, Vendor.id)
    )
    return [(vendor, Decimal(total), int(count)) for vendor, total, count in rows.all()]

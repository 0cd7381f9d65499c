"""The invoices' SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.invoice import rules
from hestami.contractor.invoice.models import ContractorInvoice, InvoiceLine, Payment, PaymentIntent, Receipt
from hestami.core.outbox import OutboundMessage
from hestami.core.repository import hold_lock


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    """The organization's next invoice number, gapless: an advisory lock per organization serializes the takers."""
    await hold_lock(session, f"contractor_invoice_number:{organization_id}")
    last = await session.scalar(
        select(func.max(ContractorInvoice.number)).where(ContractorInvoice.organization_id == organization_id)
    )
    return int(last or 0) + 1


async def next_receipt_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    await hold_lock(session, f"contractor_receipt_number:{organization_id}")
    last = await session.scalar(select(func.max(Receipt.number)).where(Receipt.organization_id == organization_id))
    return int(last or 0) + 1


async def hold_job_invoicing(session: AsyncSession, job_id: uuid.UUID) -> None:
    """One invoicing of a job at a time, until the transaction ends: making an invoice of the job, issuing or voiding
    a deposit or progress billing of it (what was billed before, and whether the FINAL exists, are read after this
    lock); the unique index on a job's FINAL invoice is the database's own guard."""
    await hold_lock(session, f"contractor_job_invoicing:{job_id}")


async def final_of(session: AsyncSession, job_id: uuid.UUID) -> ContractorInvoice | None:
    statement = select(ContractorInvoice).where(
        ContractorInvoice.job_id == job_id, ContractorInvoice.kind == "FINAL", ContractorInvoice.status != "VOID"
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def shares_of_job(session: AsyncSession, job_id: uuid.UUID, statuses: Collection[str]) -> list[ContractorInvoice]:
    """The job's DEPOSIT and PROGRESS invoices in `statuses`, oldest first."""
    statement = (
        select(ContractorInvoice)
        .where(
            ContractorInvoice.job_id == job_id,
            ContractorInvoice.kind.in_(rules.SHARE_KINDS),
            ContractorInvoice.status.in_(sorted(statuses)),
        )
        .order_by(ContractorInvoice.number)
    )
    return list((await session.execute(statement)).scalars())


async def invoices_of_job(session: AsyncSession, job_id: uuid.UUID) -> list[ContractorInvoice]:
    statement = select(ContractorInvoice).where(ContractorInvoice.job_id == job_id).order_by(ContractorInvoice.number)
    return list((await session.execute(statement)).scalars())


async def lines(session: AsyncSession, invoice_id: uuid.UUID) -> list[InvoiceLine]:
    statement = select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.position)
    return list((await session.execute(statement)).scalars())


async def line(session: AsyncSession, line_id: uuid.UUID, *, lock: bool = False) -> InvoiceLine | None:
    statement = select(InvoiceLine).where(InvoiceLine.id == line_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def next_position(session: AsyncSession, invoice_id: uuid.UUID) -> int:
    """The caller holds the invoice's row lock: lines are numbered one at a time."""
    last = await session.scalar(select(func.max(InvoiceLine.position)).where(InvoiceLine.invoice_id == invoice_id))
    return int(last or 0) + 1


async def intents(session: AsyncSession, invoice_id: uuid.UUID) -> list[PaymentIntent]:
    statement = (
        select(PaymentIntent)
        .where(PaymentIntent.invoice_id == invoice_id)
        .order_by(PaymentIntent.created_at, PaymentIntent.id)
    )
    return list((await session.execute(statement)).scalars())


async def payments(session: AsyncSession, invoice_id: uuid.UUID) -> list[tuple[Payment, Receipt | None]]:
    """The invoice's payments with their receipts, oldest first."""
    statement = (
        select(Payment, Receipt)
        .outerjoin(Receipt, (Receipt.organization_id == Payment.organization_id) & (Receipt.payment_id == Payment.id))
        .where(Payment.invoice_id == invoice_id)
        .order_by(Payment.created_at, Payment.id)
    )
    return [(p, r) for p, r in (await session.execute(statement)).all()]


async def receipt_of(session: AsyncSession, payment_id: uuid.UUID) -> Receipt | None:
    return (await session.execute(select(Receipt).where(Receipt.payment_id == payment_id))).scalar_one_or_none()


async def hoa_payment(session: AsyncSession, invoice_id: uuid.UUID) -> Payment | None:
    statement = select(Payment).where(Payment.invoice_id == invoice_id, Payment.method == "HOA_AP")
    return (await session.execute(statement)).scalar_one_or_none()


async def open_invoices(
    session: AsyncSession, statuses: Sequence[str], *visible: ColumnElement[bool]
) -> list[ContractorInvoice]:
    """The invoices in `statuses` the caller may view, by number."""
    statement = (
        select(ContractorInvoice)
        .where(*visible, ContractorInvoice.status.in_(statuses))
        .order_by(ContractorInvoice.number)
    )
    return list((await session.execute(statement)).scalars())


async def issued_for_work_order(session: AsyncSession, work_order_id: uuid.UUID) -> ContractorInvoice | None:
    """The organization's FINAL invoice (not void) of the job of an HOA work order."""
    statement = select(ContractorInvoice).where(
        ContractorInvoice.work_order_id == work_order_id,
        ContractorInvoice.kind == "FINAL",
        ContractorInvoice.status != "VOID",
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def invoice(session: AsyncSession, invoice_id: uuid.UUID, *, lock: bool = False) -> ContractorInvoice | None:
    """The invoice in the session's scope (None while it is not committed, or in another organization)."""
    statement = select(ContractorInvoice).where(ContractorInvoice.id == invoice_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def any_invoice(session: AsyncSession) -> bool:
    return (await session.scalar(select(ContractorInvoice.id).limit(1))) is not None


async def sent_keys(session: AsyncSession, invoice_id: uuid.UUID) -> set[str]:
    """The dedupe keys of the messages already recorded about the invoice."""
    statement = select(OutboundMessage.dedupe_key).where(OutboundMessage.entity_id == invoice_id)
    return {key for key in (await session.execute(statement)).scalars() if key is not None}


async def agreement_period_invoice(
    session: AsyncSession, agreement_id: uuid.UUID, period_start: date
) -> ContractorInvoice | None:
    """The invoice of one billing period of an agreement (void or not: the period is billed once)."""
    statement = select(ContractorInvoice).where(
        ContractorInvoice.agreement_id == agreement_id, ContractorInvoice.period_start == period_start
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def invoices_of_agreement(session: AsyncSession, agreement_id: uuid.UUID) -> list[ContractorInvoice]:
    statement = (
        select(ContractorInvoice)
        .where(ContractorInvoice.agreement_id == agreement_id)
        .order_by(ContractorInvoice.period_start, ContractorInvoice.number)
    )
    return list((await session.execute(statement)).scalars())

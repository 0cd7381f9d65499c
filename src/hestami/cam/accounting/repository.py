"""Domain 2's SQL beyond the common record steps: the chart's accounts, journal lines and balances, open charges
and credits, payment applications, invoice lines, bank accounts.

Lists that need related rows take every id of the list and answer in one query (`applications_of`,
`lines_of_invoices`, `book_balances`). Functions that read rows a posting will change take `lock` and hold them
(`FOR UPDATE`) until the transaction ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.accounting.models import (
    APInvoiceLine,
    AssessmentCharge,
    AssessmentType,
    BankAccount,
    GLAccount,
    JournalEntry,
    JournalLine,
    Payment,
    PaymentApplication,
    Vendor,
)
from hestami.core.repository import children_by_parent

IN_THE_BOOKS = ("POSTED", "REVERSED")
"""Entry statuses that count in balances: a reversed entry stays in the books, its reversal offsets it."""

# --- chart of accounts -----------------------------------------------------------------------------------


async def account(session: AsyncSession, account_id: uuid.UUID) -> GLAccount | None:
    return await session.get(GLAccount, account_id)


async def accounts_by_id(session: AsyncSession, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, GLAccount]:
    if not account_ids:
        return {}
    rows = await session.execute(select(GLAccount).where(GLAccount.id.in_(set(account_ids))))
    return {row.id: row for row in rows.scalars()}


async def account_with_role(session: AsyncSession, association_id: uuid.UUID, role: str) -> GLAccount | None:
    found = await session.execute(
        select(GLAccount).where(GLAccount.association_id == association_id, GLAccount.role == role)
    )
    return found.scalar_one_or_none()


async def account_numbers(session: AsyncSession, association_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """The association's account ids by account number."""
    rows = await session.execute(
        select(GLAccount.account_number, GLAccount.id).where(GLAccount.association_id == association_id)
    )
    return {number: account_id for number, account_id in rows.all()}


async def has_postings(session: AsyncSession, account_id: uuid.UUID) -> bool:
    return bool(await session.scalar(select(exists().where(JournalLine.gl_account_id == account_id))))


# --- journal ---------------------------------------------------------------------------------------------


async def last_entry_number(session: AsyncSession, association_id: uuid.UUID) -> int:
    """The association's highest journal entry number (0 before its first entry)."""
    last = await session.execute(
        select(func.max(JournalEntry.entry_number)).where(JournalEntry.association_id == association_id)
    )
    return int(last.scalar_one() or 0)


async def lines_of_entry(session: AsyncSession, entry_id: uuid.UUID) -> list[tuple[JournalLine, GLAccount]]:
    """The entry's lines with their accounts, in line order."""
    rows = await session.execute(
        select(JournalLine, GLAccount)
        .join(GLAccount, GLAccount.id == JournalLine.gl_account_id)
        .where(JournalLine.journal_entry_id == entry_id)
        .order_by(JournalLine.line_number)
    )
    return [(line, gl_account) for line, gl_account in rows.all()]


async def book_balances(session: AsyncSession, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    """Debits minus credits of each account over the entries in the books (accounts without lines: absent)."""
    if not account_ids:
        return {}
    rows = await session.execute(
        select(JournalLine.gl_account_id, func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalEntry, JournalEntry.id == JournalLine.journal_entry_id)
        .where(JournalLine.gl_account_id.in_(set(account_ids)), JournalEntry.status.in_(IN_THE_BOOKS))
        .group_by(JournalLine.gl_account_id)
    )
    return {account_id: Decimal(total or 0) for account_id, total in rows.all()}


async def account_balances(
    session: AsyncSession,
    association_id: uuid.UUID,
    *,
    to_date: date,
    from_date: date | None = None,
    fund: str | None = None,
) -> list[tuple[GLAccount, Decimal]]:
    """Each account's net (debits minus credits) over the lines in the books in the period, by account number;
    accounts without lines in the period are left out."""
    net = func.sum(JournalLine.debit - JournalLine.credit)
    statement = (
        select(GLAccount, net)
        .join(JournalLine, JournalLine.gl_account_id == GLAccount.id)
        .join(JournalEntry, JournalEntry.id == JournalLine.journal_entry_id)
        .where(
            JournalEntry.association_id == association_id,
            JournalEntry.status.in_(IN_THE_BOOKS),
            JournalEntry.entry_date <= to_date,
        )
        .group_by(GLAccount.id)
        .order_by(GLAccount.account_number)
    )
    if from_date is not None:
        statement = statement.where(JournalEntry.entry_date >= from_date)
    if fund is not None:
        statement = statement.where(GLAccount.fund == fund)
    return [(gl_account, Decimal(total)) for gl_account, total in (await session.execute(statement)).all()]


# --- assessment types and charges ------------------------------------------------------------------------


async def late_fee_type(session: AsyncSession, association_id: uuid.UUID) -> AssessmentType | None:
    """The association's LATE_FEE assessment type, if it has one."""
    found = await session.execute(
        select(AssessmentType).where(AssessmentType.association_id == association_id, AssessmentType.kind == "LATE_FEE")
    )
    return found.scalars().first()


async def open_charges(session: AsyncSession, unit_ids: Sequence[uuid.UUID], *, lock: bool) -> list[AssessmentCharge]:
    """The units' charges not yet paid in full, oldest due first (the order payments are applied in)."""
    statement = (
        select(AssessmentCharge)
        .where(AssessmentCharge.unit_id.in_(set(unit_ids)), AssessmentCharge.amount_paid < AssessmentCharge.amount)
        .order_by(AssessmentCharge.due_date, AssessmentCharge.created_at, AssessmentCharge.id)
    )
    if lock:
        statement = statement.with_for_update()
    return list((await session.execute(statement)).scalars())


async def charges_by_id(
    session: AsyncSession, charge_ids: Sequence[uuid.UUID], *, lock: bool
) -> dict[uuid.UUID, AssessmentCharge]:
    if not charge_ids:
        return {}
    statement = select(AssessmentCharge).where(AssessmentCharge.id.in_(set(charge_ids))).order_by(AssessmentCharge.id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return {charge.id: charge for charge in (await session.execute(statement)).scalars()}


async def units_charged(session: AsyncSession, assessment_type_id: uuid.UUID, due_date: date) -> set[uuid.UUID]:
    """Units already charged this assessment type on this due date."""
    rows = await session.execute(
        select(AssessmentCharge.unit_id).where(
            AssessmentCharge.assessment_type_id == assessment_type_id, AssessmentCharge.due_date == due_date
        )
    )
    return set(rows.scalars())


async def charges_without_late_fee(
    session: AsyncSession, association_id: uuid.UUID
) -> list[tuple[AssessmentCharge, AssessmentType]]:
    """Open regular and special charges of the association that no late fee was charged for yet, with their
    types, oldest due first."""
    already = select(AssessmentCharge.late_fee_for_charge_id).where(
        AssessmentCharge.late_fee_for_charge_id.is_not(None)
    )
    rows = await session.execute(
        select(AssessmentCharge, AssessmentType)
        .join(AssessmentType, AssessmentType.id == AssessmentCharge.assessment_type_id)
        .where(
            AssessmentCharge.association_id == association_id,
            AssessmentCharge.amount_paid < AssessmentCharge.amount,
            AssessmentType.kind.in_(("REGULAR", "SPECIAL")),
            AssessmentCharge.id.not_in(already),
        )
        .order_by(AssessmentCharge.due_date)
    )
    return [(charge, atype) for charge, atype in rows.all()]


async def open_balances(session: AsyncSession, association_id: uuid.UUID) -> list[tuple[uuid.UUID, date, Decimal]]:
    """(unit, due date, balance) of every open charge of the association."""
    rows = await session.execute(
        select(
            AssessmentCharge.unit_id,
            AssessmentCharge.due_date,
            AssessmentCharge.amount - AssessmentCharge.amount_paid,
        ).where(
            AssessmentCharge.association_id == association_id,
            AssessmentCharge.amount_paid < AssessmentCharge.amount,
        )
    )
    return [(unit_id, due_date, balance) for unit_id, due_date, balance in rows.all()]


# --- payments and credit ---------------------------------------------------------------------------------


async def credits(session: AsyncSession, unit_id: uuid.UUID) -> list[Payment]:
    """The unit's posted payments with unapplied credit, oldest first, locked."""
    statement = (
        select(Payment)
        .where(Payment.unit_id == unit_id, Payment.status == "POSTED", Payment.unapplied_amount > 0)
        .order_by(Payment.payment_date, Payment.created_at)
        .with_for_update()
    )
    return list((await session.execute(statement)).scalars())


async def units_with_credit(session: AsyncSession, unit_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    rows = await session.execute(
        select(Payment.unit_id)
        .where(Payment.unit_id.in_(unit_ids), Payment.status == "POSTED", Payment.unapplied_amount > 0)
        .distinct()
    )
    return list(rows.scalars())


async def unapplied_credit(session: AsyncSession, unit_id: uuid.UUID) -> Decimal:
    total = await session.scalar(
        select(func.coalesce(func.sum(Payment.unapplied_amount), 0)).where(
            Payment.unit_id == unit_id, Payment.status == "POSTED"
        )
    )
    return Decimal(total if total is not None else 0)


async def applications_of(
    session: AsyncSession, payment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[PaymentApplication]]:
    """Each payment's applications, in the order they were made (payments without any: an empty list)."""
    return await children_by_parent(session, PaymentApplication, PaymentApplication.payment_id, payment_ids)


async def delete_applications(session: AsyncSession, payment_id: uuid.UUID) -> None:
    await session.execute(delete(PaymentApplication).where(PaymentApplication.payment_id == payment_id))


async def primary_cash_account(session: AsyncSession, association_id: uuid.UUID, fund: str) -> GLAccount | None:
    """The cash account of the fund's active primary bank account, if it has one."""
    found = await session.execute(
        select(GLAccount)
        .join(BankAccount, BankAccount.gl_account_id == GLAccount.id)
        .where(
            BankAccount.association_id == association_id,
            BankAccount.fund == fund,
            BankAccount.is_primary.is_(True),
            BankAccount.is_active.is_(True),
        )
    )
    return found.scalar_one_or_none()


# --- vendors and invoices --------------------------------------------------------------------------------


async def vendor_of_provider(session: AsyncSession, provider_organization_id: uuid.UUID) -> uuid.UUID | None:
    """The first live vendor record of a service-provider organization."""
    found = await session.execute(
        select(Vendor.id)
        .where(Vendor.service_provider_org_id == provider_organization_id, Vendor.deleted_at.is_(None))
        .order_by(Vendor.created_at)
        .limit(1)
    )
    return found.scalar_one_or_none()


async def lines_of_invoices(
    session: AsyncSession, invoice_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[APInvoiceLine]]:
    """Each invoice's lines, in the order they were written (invoices without any: an empty list)."""
    return await children_by_parent(session, APInvoiceLine, APInvoiceLine.invoice_id, invoice_ids)


# --- bank accounts ---------------------------------------------------------------------------------------


async def clear_primary(session: AsyncSession, bank: BankAccount) -> None:
    """Takes the primary flag from the other bank accounts of the bank's association and fund."""
    await session.execute(
        update(BankAccount)
        .where(
            BankAccount.association_id == bank.association_id,
            BankAccount.fund == bank.fund,
            BankAccount.id != bank.id,
            BankAccount.is_primary.is_(True),
        )
        .values(is_primary=False)
    )

"""Domain 2's SQL beyond the common record steps: the chart's accounts, journal lines and balances, open charges
and credits, payment applications, invoice lines, bank accounts.

Lists that need related rows take every id of the list and answer in one query (`applications_of`,
`lines_of_invoices`, `book_balances`). Functions that read rows a posting will change take `lock` and hold them
(`FOR UPDATE`) until the transaction ends.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Row,
    Select,
    and_,
    any_,
    bindparam,
    case,
    cast,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

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
from hestami.core.repository import children_by_parent, hold_lock

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


async def lock_chart(session: AsyncSession, association_id: uuid.UUID) -> None:
    """Until the transaction ends, no one else seeds this association's chart (`hold_lock`)."""
    await hold_lock(session, f"chart_of_accounts:{association_id}")


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
        .where(
            AssessmentCharge.unit_id.in_(set(unit_ids)),
            AssessmentCharge.amount_paid < AssessmentCharge.amount,
            AssessmentCharge.voided_on.is_(None),
        )
        .order_by(AssessmentCharge.due_date, AssessmentCharge.created_at, AssessmentCharge.id)
    )
    if lock:
        statement = statement.with_for_update(key_share=True)
    return list((await session.execute(statement)).scalars())


async def charges_by_id(
    session: AsyncSession, charge_ids: Sequence[uuid.UUID], *, lock: bool
) -> dict[uuid.UUID, AssessmentCharge]:
    if not charge_ids:
        return {}
    statement = select(AssessmentCharge).where(AssessmentCharge.id.in_(set(charge_ids))).order_by(AssessmentCharge.id)
    if lock:
        statement = statement.with_for_update(key_share=True).execution_options(populate_existing=True)
    return {charge.id: charge for charge in (await session.execute(statement)).scalars()}


async def fine_type(session: AsyncSession, association_id: uuid.UUID) -> AssessmentType | None:
    """The association's first active FINE assessment type, if it has one."""
    found = await session.execute(
        select(AssessmentType)
        .where(
            AssessmentType.association_id == association_id,
            AssessmentType.kind == "FINE",
            AssessmentType.is_active.is_(True),
        )
        .order_by(AssessmentType.created_at, AssessmentType.id)
        .limit(1)
    )
    return found.scalar_one_or_none()


async def lock_fine_type(session: AsyncSession, association_id: uuid.UUID) -> None:
    """Until the transaction ends, no one else creates the association's fine type (`hold_lock`)."""
    await hold_lock(session, f"fine_type:{association_id}")


async def units_charged(
    session: AsyncSession,
    assessment_type_id: uuid.UUID,
    due_date: date,
    *,
    unit_ids: Sequence[uuid.UUID] | None = None,
) -> set[uuid.UUID]:
    """Units already charged this assessment type on this due date (of `unit_ids` when given)."""
    statement = select(AssessmentCharge.unit_id).where(
        AssessmentCharge.assessment_type_id == assessment_type_id, AssessmentCharge.due_date == due_date
    )
    if unit_ids is not None:
        ids = bindparam("charged_unit_ids", list(unit_ids), type_=ARRAY(UUID(as_uuid=True)))
        statement = statement.where(AssessmentCharge.unit_id == any_(ids))  # one parameter however many units
    return set((await session.execute(statement)).scalars())


async def lock_billing(session: AsyncSession, assessment_type_id: uuid.UUID, due_date: date) -> None:
    """Until the transaction ends, no one else charges this assessment type on this due date (`hold_lock`)."""
    await hold_lock(session, f"assessment_billing:{assessment_type_id}:{due_date.isoformat()}")


async def lock_late_fees(session: AsyncSession, association_id: uuid.UUID) -> None:
    """Until the transaction ends, no one else charges late fees in this association (`hold_lock`)."""
    await hold_lock(session, f"late_fees:{association_id}")


async def period_charge(
    session: AsyncSession, assessment_type_id: uuid.UUID, unit_id: uuid.UUID, due_date: date
) -> AssessmentCharge | None:
    """The unit's charge of this assessment type on this due date, if it has one."""
    found = await session.execute(
        select(AssessmentCharge)
        .where(
            AssessmentCharge.assessment_type_id == assessment_type_id,
            AssessmentCharge.unit_id == unit_id,
            AssessmentCharge.due_date == due_date,
        )
        .order_by(AssessmentCharge.created_at, AssessmentCharge.id)
        .limit(1)
    )
    return found.scalar_one_or_none()


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
            AssessmentCharge.voided_on.is_(None),
            AssessmentType.kind.in_(("REGULAR", "SPECIAL")),
            AssessmentCharge.id.not_in(already),
        )
        .order_by(AssessmentCharge.due_date)
    )
    return [(charge, atype) for charge, atype in rows.all()]


# --- the receivable subledger as of a date ---------------------------------------------------------------
# A charge counts from its due date (its entry's date); an application from `applied_on` until `reversed_on`; a
# payment from its date until its void entry's date; a voided charge from its due date until `voided_on`. These
# are the dates of the journal entries that move the
# receivable and prepaid-assessment control accounts, so the subledger read here equals them on every date.


def _in_force(as_of: date) -> ColumnElement[bool]:
    """Applications that count on `as_of`."""
    return and_(
        PaymentApplication.applied_on <= as_of,
        or_(PaymentApplication.reversed_on.is_(None), PaymentApplication.reversed_on > as_of),
    )


def _paid_as_of(as_of: date) -> tuple[Any, Any]:
    """For a charge (correlated): what applications in force on `as_of` paid of it, and whether an application
    dated after `as_of` exists (only such a charge, or one open today, can have been open then)."""
    paid = (
        select(func.coalesce(func.sum(PaymentApplication.amount), 0))
        .where(PaymentApplication.charge_id == AssessmentCharge.id, _in_force(as_of))
        .correlate(AssessmentCharge)
        .scalar_subquery()
    )
    paid_later = exists().where(
        PaymentApplication.charge_id == AssessmentCharge.id,
        PaymentApplication.reversed_on.is_(None),
        PaymentApplication.applied_on > as_of,
    )
    return paid, paid_later


async def open_charges_as_of(
    session: AsyncSession,
    as_of: date,
    *,
    association_id: uuid.UUID | None = None,
    unit_ids: Sequence[uuid.UUID] | None = None,
) -> list[tuple[uuid.UUID, date, Decimal]]:
    """(unit, due date, balance on `as_of`) of every charge due by `as_of` and not paid in full on that date,
    of the association or of the units, oldest due first. Only charges open today or paid by an application
    dated after `as_of` can be open then, so paid history is not read; a voided charge is open until its void."""
    paid, paid_later = _paid_as_of(as_of)
    statement = (
        select(AssessmentCharge.unit_id, AssessmentCharge.due_date, AssessmentCharge.amount - paid)
        .where(
            AssessmentCharge.due_date <= as_of,
            or_(AssessmentCharge.amount_paid < AssessmentCharge.amount, paid_later),
            or_(AssessmentCharge.voided_on.is_(None), AssessmentCharge.voided_on > as_of),
        )
        .order_by(AssessmentCharge.unit_id, AssessmentCharge.due_date, AssessmentCharge.created_at, AssessmentCharge.id)
    )
    if association_id is not None:
        statement = statement.where(AssessmentCharge.association_id == association_id)
    if unit_ids is not None:
        statement = statement.where(AssessmentCharge.unit_id.in_(set(unit_ids)))
    rows = (await session.execute(statement)).all()
    return [(unit_id, due_date, Decimal(balance)) for unit_id, due_date, balance in rows if balance != 0]


async def credit_as_of(session: AsyncSession, unit_ids: Sequence[uuid.UUID], as_of: date) -> dict[uuid.UUID, Decimal]:
    """Each unit's payments received by `as_of` and not voided by then, less what was applied to charges by
    then: the credit held in prepaid assessments on that date (units without any: absent)."""
    if not unit_ids:
        return {}
    applied = (
        select(func.coalesce(func.sum(PaymentApplication.amount), 0))
        .where(PaymentApplication.payment_id == Payment.id, _in_force(as_of))
        .correlate(Payment)
        .scalar_subquery()
    )
    voided = aliased(JournalEntry)
    rows = await session.execute(
        select(Payment.unit_id, func.sum(Payment.amount - applied))
        .outerjoin(voided, voided.id == Payment.void_journal_entry_id)
        .where(
            Payment.unit_id.in_(set(unit_ids)),
            Payment.payment_date <= as_of,
            or_(Payment.status == "POSTED", voided.entry_date > as_of),
        )
        .group_by(Payment.unit_id)
    )
    return {unit_id: Decimal(total) for unit_id, total in rows.all() if total}


async def reopened_on(session: AsyncSession, charge_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, date]:
    """The last date each charge was opened again by a void of a payment that had paid some of it (charges
    never reopened: absent). A new application to it may not count before then, or the charge would be paid
    twice over on earlier dates."""
    if not charge_ids:
        return {}
    rows = await session.execute(
        select(PaymentApplication.charge_id, func.max(PaymentApplication.reversed_on))
        .where(
            PaymentApplication.charge_id.in_(set(charge_ids)),
            PaymentApplication.reversed_on > PaymentApplication.applied_on,
        )
        .group_by(PaymentApplication.charge_id)
    )
    return {charge_id: last for charge_id, last in rows.all()}


# --- payments and credit ---------------------------------------------------------------------------------


async def credits(session: AsyncSession, unit_id: uuid.UUID) -> list[Payment]:
    """The unit's posted payments with unapplied credit, oldest first, locked."""
    statement = (
        select(Payment)
        .where(Payment.unit_id == unit_id, Payment.status == "POSTED", Payment.unapplied_amount > 0)
        .order_by(Payment.payment_date, Payment.created_at)
        .with_for_update(key_share=True)
    )
    return list((await session.execute(statement)).scalars())


async def units_with_credit(session: AsyncSession, association_id: uuid.UUID) -> set[uuid.UUID]:
    """The association's units holding unapplied credit (posted payments not wholly applied)."""
    rows = await session.execute(
        select(Payment.unit_id)
        .where(Payment.association_id == association_id, Payment.status == "POSTED", Payment.unapplied_amount > 0)
        .distinct()
    )
    return set(rows.scalars())


async def applications_of(
    session: AsyncSession, payment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[PaymentApplication]]:
    """Each payment's applications in force, in the order they were made (payments without any: an empty list;
    a voided payment's applications are kept for the dates they counted, but are no longer in force)."""
    grouped: dict[uuid.UUID, list[PaymentApplication]] = {payment_id: [] for payment_id in payment_ids}
    if not payment_ids:
        return grouped
    rows = await session.execute(
        select(PaymentApplication)
        .where(PaymentApplication.payment_id.in_(set(payment_ids)), PaymentApplication.reversed_on.is_(None))
        .order_by(PaymentApplication.created_at, PaymentApplication.id)
    )
    for application in rows.scalars():
        grouped[application.payment_id].append(application)
    return grouped


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


async def lock_provider_vendor(
    session: AsyncSession, organization_id: uuid.UUID, provider_organization_id: uuid.UUID
) -> None:
    """Until the transaction ends, no one else in the organization makes a vendor record of this provider
    (`hold_lock`)."""
    await hold_lock(session, f"provider_vendor:{organization_id}:{provider_organization_id}")


async def vendor_of_provider(session: AsyncSession, provider_organization_id: uuid.UUID) -> uuid.UUID | None:
    """The first live vendor record of a service-provider organization."""
    found = await session.execute(
        select(Vendor.id)
        .where(Vendor.service_provider_org_id == provider_organization_id, Vendor.deleted_at.is_(None))
        .order_by(Vendor.created_at)
        .limit(1)
    )
    return found.scalar_one_or_none()


async def vendor_names(session: AsyncSession, vendor_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the given vendors (deleted ones too: their invoices stay), in one query."""
    if not vendor_ids:
        return {}
    rows = await session.execute(select(Vendor.id, Vendor.name).where(Vendor.id.in_(set(vendor_ids))))
    return {vendor_id: name for vendor_id, name in rows.all()}


async def provider_of_vendor(session: AsyncSession, vendor_id: uuid.UUID) -> uuid.UUID | None:
    """The service-provider organization a vendor record pays, if it names one."""
    return await session.scalar(select(Vendor.service_provider_org_id).where(Vendor.id == vendor_id))


async def lines_of_invoices(
    session: AsyncSession, invoice_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[APInvoiceLine]]:
    """Each invoice's lines, in the order they were written (invoices without any: an empty list)."""
    return await children_by_parent(session, APInvoiceLine, APInvoiceLine.invoice_id, invoice_ids)


# --- bank accounts ---------------------------------------------------------------------------------------


async def lock_primary(session: AsyncSession, association_id: uuid.UUID, fund: str) -> None:
    """Until the transaction ends, no one else changes which bank account is the fund's primary (`hold_lock`)."""
    await hold_lock(session, f"primary_bank_account:{association_id}:{fund}")


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


async def charges_of_type(session: AsyncSession, assessment_type_id: uuid.UUID) -> list[tuple[uuid.UUID, Decimal]]:
    """(unit, amount) of every charge made under an assessment type."""
    rows = await session.execute(
        select(AssessmentCharge.unit_id, AssessmentCharge.amount).where(
            AssessmentCharge.assessment_type_id == assessment_type_id
        )
    )
    return [(unit_id, Decimal(amount)) for unit_id, amount in rows.all()]


async def active_vendors(session: AsyncSession) -> list[Vendor]:
    """The organization's live, active vendors, by name."""
    statement = (
        select(Vendor).where(Vendor.deleted_at.is_(None), Vendor.is_active.is_(True)).order_by(Vendor.name, Vendor.id)
    )
    return list((await session.execute(statement)).scalars())


# --- reports: cash activity and the general ledger's lines -------------------------------------------------


def _cash_accounts(association_id: uuid.UUID) -> Select[tuple[uuid.UUID]]:
    """The association's cash accounts: those a bank account sits on, those of a CASH_ role, and their siblings
    under the same cash heading (money market, petty cash)."""
    headings = select(GLAccount.parent_id).where(
        GLAccount.association_id == association_id, GLAccount.role.like("CASH\\_%"), GLAccount.parent_id.is_not(None)
    )
    banked = select(BankAccount.gl_account_id).where(BankAccount.association_id == association_id)
    return select(GLAccount.id).where(
        GLAccount.association_id == association_id,
        GLAccount.account_type == "ASSET",
        or_(GLAccount.id.in_(banked), GLAccount.role.like("CASH\\_%"), GLAccount.parent_id.in_(headings)),
    )


async def cash_accounts(session: AsyncSession, association_id: uuid.UUID) -> list[GLAccount]:
    """The association's cash accounts (`_cash_accounts`), by account number."""
    rows = await session.execute(
        select(GLAccount)
        .where(GLAccount.id.in_(_cash_accounts(association_id)))
        .order_by(GLAccount.account_number, GLAccount.id)
    )
    return list(rows.scalars())


def _booked_between(association_id: uuid.UUID, from_date: date, to_date: date) -> tuple[ColumnElement[bool], ...]:
    """Journal entries of the association in the books (`IN_THE_BOOKS`) dated `from_date` to `to_date`."""
    return (
        JournalEntry.association_id == association_id,
        JournalEntry.status.in_(IN_THE_BOOKS),
        JournalEntry.entry_date >= from_date,
        JournalEntry.entry_date <= to_date,
    )


async def cash_activity(
    session: AsyncSession, association_id: uuid.UUID, from_date: date, to_date: date
) -> list[tuple[uuid.UUID, str, Decimal, Decimal]]:
    """(cash account, kind, debits, credits) of the lines in the books on cash accounts in the period, by the kind
    of the entry they belong to: RECEIPT (a unit's payment or its void), AP (a vendor's payment or its void),
    TRANSFER (an entry moving money between two cash accounts), OTHER."""
    cash = _cash_accounts(association_id)
    other_line = aliased(JournalLine)
    between_cash = exists().where(
        other_line.journal_entry_id == JournalLine.journal_entry_id,
        other_line.gl_account_id != JournalLine.gl_account_id,
        other_line.gl_account_id.in_(cash),
    )
    kind = case(
        (JournalEntry.source_type.in_(("PAYMENT", "PAYMENT_VOID")), "RECEIPT"),
        (JournalEntry.source_type.in_(("AP_PAYMENT", "AP_VOID")), "AP"),
        (between_cash, "TRANSFER"),
        else_="OTHER",
    ).label("kind")
    rows = await session.execute(
        select(JournalLine.gl_account_id, kind, func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .join(JournalEntry, JournalEntry.id == JournalLine.journal_entry_id)
        .where(
            *_booked_between(association_id, from_date, to_date),
            JournalLine.gl_account_id.in_(cash),
        )
        .group_by(JournalLine.gl_account_id, kind)
    )
    return [(account_id, k, Decimal(debits), Decimal(credits)) for account_id, k, debits, credits in rows.all()]


async def monthly_income_and_expense(
    session: AsyncSession, association_id: uuid.UUID, from_date: date, to_date: date, fund: str | None = None
) -> list[tuple[date, str, Decimal]]:
    """(first day of the month, REVENUE or EXPENSE, debits less credits) of the lines in the books in the period."""
    month = cast(func.date_trunc("month", JournalEntry.entry_date), Date).label("month")
    statement = (
        select(month, GLAccount.account_type, func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalLine, JournalLine.journal_entry_id == JournalEntry.id)
        .join(GLAccount, GLAccount.id == JournalLine.gl_account_id)
        .where(
            *_booked_between(association_id, from_date, to_date),
            GLAccount.account_type.in_(("REVENUE", "EXPENSE")),
        )
        .group_by(month, GLAccount.account_type)
    )
    if fund is not None:
        statement = statement.where(GLAccount.fund == fund)
    return [(first, kind, Decimal(net)) for first, kind, net in (await session.execute(statement)).all()]


async def ledger_totals(
    session: AsyncSession,
    association_id: uuid.UUID,
    from_date: date,
    to_date: date,
    *,
    fund: str | None = None,
    gl_account_id: uuid.UUID | None = None,
) -> tuple[Decimal, Decimal]:
    """(debits, credits) of the lines `ledger_lines` streams, summed in the database."""
    statement = (
        select(func.coalesce(func.sum(JournalLine.debit), 0), func.coalesce(func.sum(JournalLine.credit), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.journal_entry_id)
        .where(
            *_booked_between(association_id, from_date, to_date),
        )
    )
    if fund is not None:
        statement = statement.where(JournalLine.fund == fund)
    if gl_account_id is not None:
        statement = statement.where(JournalLine.gl_account_id == gl_account_id)
    debits, credits = (await session.execute(statement)).one()
    return Decimal(debits), Decimal(credits)


LEDGER_BATCH = 2_000
"""Rows fetched from the server-side cursor at a time by `ledger_lines`."""


async def ledger_lines(
    session: AsyncSession,
    association_id: uuid.UUID,
    from_date: date,
    to_date: date,
    *,
    fund: str | None = None,
    gl_account_id: uuid.UUID | None = None,
) -> AsyncIterator[Row[Any]]:
    """Every line in the books in the period, by account number, then entry date, entry number and line number,
    streamed from a server-side cursor `LEDGER_BATCH` rows at a time (never the whole ledger in memory). Each row:
    gl_account_id, account_number, account_name, entry_number, entry_date, memo (the line's, else the entry's),
    unit_id, debit, credit."""
    statement = (
        select(
            GLAccount.id.label("gl_account_id"),
            GLAccount.account_number,
            GLAccount.name.label("account_name"),
            JournalEntry.entry_number,
            JournalEntry.entry_date,
            func.coalesce(JournalLine.memo, JournalEntry.memo).label("memo"),
            JournalLine.unit_id,
            JournalLine.debit,
            JournalLine.credit,
        )
        .join(JournalLine, JournalLine.journal_entry_id == JournalEntry.id)
        .join(GLAccount, GLAccount.id == JournalLine.gl_account_id)
        .where(
            *_booked_between(association_id, from_date, to_date),
        )
        .order_by(
            GLAccount.account_number, GLAccount.id, JournalEntry.entry_date, JournalEntry.entry_number,
            JournalLine.line_number,
        )
        .execution_options(yield_per=LEDGER_BATCH)
    )  # fmt: skip
    if fund is not None:
        statement = statement.where(GLAccount.fund == fund)
    if gl_account_id is not None:
        statement = statement.where(GLAccount.id == gl_account_id)
    result = await session.stream(statement)
    try:
        async for row in result:
            yield row
    finally:
        await result.close()


# --- reporting (issue 20): the portfolio's delinquency and cash, over many associations at once ----------------


async def delinquency_by_association(
    session: AsyncSession, association_ids: Sequence[uuid.UUID], as_of: date, min_days_past_due: int
) -> dict[uuid.UUID, tuple[int, Decimal]]:
    """Per association, in one query: how many units owe (a positive balance of charges due by `as_of`) with a
    part of it due at least `min_days_past_due` days, and the total of those parts (the open balance, on `as_of`,
    of charges due on or before `as_of - min_days_past_due`). Open balances as `open_charges_as_of` computes them;
    associations without such a unit are absent."""
    if not association_ids:
        return {}
    paid, paid_later = _paid_as_of(as_of)
    charges = (
        select(
            AssessmentCharge.association_id,
            AssessmentCharge.unit_id,
            AssessmentCharge.due_date,
            (AssessmentCharge.amount - paid).label("open"),
        )
        .where(
            AssessmentCharge.association_id.in_(set(association_ids)),
            AssessmentCharge.due_date <= as_of,
            or_(AssessmentCharge.amount_paid < AssessmentCharge.amount, paid_later),
            or_(AssessmentCharge.voided_on.is_(None), AssessmentCharge.voided_on > as_of),
        )
        .subquery()
    )
    cutoff = as_of.toordinal() - min_days_past_due
    past_due = func.coalesce(func.sum(charges.c.open).filter(charges.c.due_date <= date.fromordinal(cutoff)), 0)
    units = (
        select(charges.c.association_id, func.sum(charges.c.open).label("balance"), past_due.label("past_due"))
        .group_by(charges.c.association_id, charges.c.unit_id)
        .subquery()
    )
    owing = and_(units.c.balance > 0, units.c.past_due > 0)
    statement = (
        select(units.c.association_id, func.count(), func.sum(units.c.past_due))
        .where(owing)
        .group_by(units.c.association_id)
    )
    return {a: (int(n), Decimal(total)) for a, n, total in (await session.execute(statement)).all()}


async def cash_by_fund(
    session: AsyncSession, association_ids: Sequence[uuid.UUID], as_of: date
) -> dict[tuple[uuid.UUID, str], Decimal]:
    """Per association and fund, in one query: the balance on `as_of` of its cash accounts (those playing a
    CASH_* role and those behind a bank account), from the entries in the books dated up to `as_of`."""
    if not association_ids:
        return {}
    banked = select(BankAccount.gl_account_id).where(BankAccount.organization_id == GLAccount.organization_id)
    cash = or_(GLAccount.role.like("CASH\\_%"), GLAccount.id.in_(banked))
    statement = (
        select(GLAccount.association_id, GLAccount.fund, func.sum(JournalLine.debit - JournalLine.credit))
        .join(JournalLine, JournalLine.gl_account_id == GLAccount.id)
        .join(JournalEntry, JournalEntry.id == JournalLine.journal_entry_id)
        .where(
            GLAccount.association_id.in_(set(association_ids)),
            GLAccount.account_type == "ASSET",
            cash,
            JournalEntry.status.in_(IN_THE_BOOKS),
            JournalEntry.entry_date <= as_of,
        )
        .group_by(GLAccount.association_id, GLAccount.fund)
    )
    return {(a, fund): Decimal(total) for a, fund, total in (await session.execute(statement)).all()}

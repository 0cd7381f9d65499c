"""Receivables: assessment types and charges, payments applied oldest charge first, credits, late fees.

Every charge posts Dr Assessments Receivable / Cr income in the same transaction; every payment posts
Dr cash / Cr receivable (and Cr prepaid assessments for what it does not cover). The receivable subledger
(open charge balances) therefore always equals the AR control account, less the unapplied credit held in
prepaid assessments. Late fees round half up to the cent.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hestami.cam.accounting import kinds, ledger, repository
from hestami.cam.accounting.errors import AccountingReason, rule
from hestami.cam.accounting.models import (
    AssessmentCharge,
    AssessmentType,
    GLAccount,
    Payment,
    PaymentApplication,
)
from hestami.cam.accounting.schemas import (
    ApplicationOut,
    ApplyLateFees,
    AssessmentTypeOut,
    BilledOut,
    BillPeriod,
    ByAssociation,
    ChargeOut,
    CreateAssessmentType,
    CreateCharge,
    CreatePayment,
    CreatePaymentBatch,
    LateFeesOut,
    ListCharges,
    ListPayments,
    PaymentBatchOut,
    PaymentOut,
    UnitBalanceIn,
    UnitBalanceOut,
    VoidPayment,
)
from hestami.cam.association import api as association_api
from hestami.cam.association.api import AssociationRef, UnitRef
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.ids import new_id
from hestami.core.pagination import Page

ZERO = Decimal("0.00")
PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {"POSTED": frozenset({"VOIDED"}), "VOIDED": frozenset()}
INCOME_ROLE = {
    "REGULAR": "ASSESSMENT_INCOME",
    "SPECIAL": "SPECIAL_ASSESSMENT_INCOME",
    "LATE_FEE": "LATE_FEE_INCOME",
    "FINE": "FINE_INCOME",
}


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(ledger.CENT, rounding=ROUND_HALF_UP)


# --- assessment types ------------------------------------------------------------------------------------


def type_out(record: AssessmentType) -> AssessmentTypeOut:
    return AssessmentTypeOut.model_validate(record)


async def create_type(ctx: RequestContext, data: CreateAssessmentType) -> AssessmentTypeOut:
    await association_api.load_association(ctx, data.association_id)
    if data.revenue_account_id is not None:
        revenue = await records.find(ctx, kinds.GL_ACCOUNT, data.revenue_account_id)
        if revenue.association_id != data.association_id or revenue.account_type != "REVENUE":
            raise rule(
                AccountingReason.WRONG_ASSOCIATION, "The revenue account must be a REVENUE account of this association."
            )
    else:
        revenue = await ledger.account_for(ctx, data.association_id, INCOME_ROLE[data.kind])
    fields = data.model_dump(exclude={"revenue_account_id"})
    created = await records.create(ctx, kinds.ASSESSMENT_TYPE, AssessmentType(**fields, revenue_account_id=revenue.id))
    return type_out(created)


async def list_types(ctx: RequestContext, data: ByAssociation) -> Page[AssessmentTypeOut]:
    items, cursor = await records.page(
        ctx, kinds.ASSESSMENT_TYPE, data, AssessmentType.association_id == data.association_id
    )
    return Page[AssessmentTypeOut](items=[type_out(t) for t in items], next_cursor=cursor)


# --- charges ---------------------------------------------------------------------------------------------


async def _revenue_account(ctx: RequestContext, atype: AssessmentType) -> GLAccount:
    revenue = await repository.account(ctx.session, atype.revenue_account_id)
    assert revenue is not None
    return revenue


def charge_out(charge: AssessmentCharge) -> ChargeOut:
    return records.output(ChargeOut, charge, balance=charge.balance)


async def post_charge(
    ctx: RequestContext,
    atype: AssessmentType,
    unit: UnitRef,
    *,
    due_date: date,
    amount: Decimal,
    description: str,
    late_fee_for: uuid.UUID | None = None,
) -> AssessmentCharge:
    """Creates the charge and its journal entry (Dr AR for the unit / Cr the type's income), then applies
    any credit the unit holds."""
    revenue = await _revenue_account(ctx, atype)
    ar = await ledger.account_for(ctx, unit.association_id, "AR")
    charge_id = new_id()
    entry = await ledger.record(
        ctx,
        unit.association_id,
        entry_date=due_date,
        memo=f"{description} - unit {unit.unit_number}",
        legs=[ledger.debit(ar, amount, description, unit.id), ledger.credit(revenue, amount, description, unit.id)],
        source_type="ASSESSMENT_CHARGE",
        source_id=charge_id,
        interfund=True,
    )
    charge = AssessmentCharge(
        id=charge_id,
        association_id=unit.association_id,
        assessment_type_id=atype.id,
        unit_id=unit.id,
        due_date=due_date,
        amount=amount,
        amount_paid=ZERO,
        description=description,
        journal_entry_id=entry.id,
        late_fee_for_charge_id=late_fee_for,
    )
    charge = await records.create(ctx, kinds.ASSESSMENT_CHARGE, charge)
    await apply_credit(ctx, unit, due_date)
    return charge


async def create_charge(ctx: RequestContext, data: CreateCharge) -> ChargeOut:
    atype = await records.load(ctx, kinds.ASSESSMENT_TYPE, data.assessment_type_id)
    unit = await association_api.find_unit(ctx, data.unit_id, lock=True)
    if unit.association_id != atype.association_id:
        raise rule(
            AccountingReason.WRONG_ASSOCIATION, "The unit and the assessment type belong to different associations."
        )
    amount = data.amount if data.amount is not None else atype.amount
    if amount <= ZERO:
        raise rule(AccountingReason.EMPTY_ENTRY, "A charge needs an amount greater than zero.")
    charge = await post_charge(
        ctx, atype, unit, due_date=data.due_date, amount=amount, description=data.description or atype.name
    )
    await ctx.session.refresh(charge)
    return charge_out(charge)


async def bill_period(ctx: RequestContext, data: BillPeriod) -> BilledOut:
    """Charges one period of an assessment type to every unit of its association (or the units given), each
    charge with its own journal entry, in one batch. Units already charged this type on this due date are
    skipped, so running it again charges nobody twice. Units holding credit have it applied."""
    atype = await records.load(ctx, kinds.ASSESSMENT_TYPE, data.assessment_type_id)
    await records.authorize_new(ctx, kinds.ASSESSMENT_CHARGE, "create")
    amount = data.amount if data.amount is not None else atype.amount
    if amount <= ZERO:
        raise rule(AccountingReason.EMPTY_ENTRY, "A charge needs an amount greater than zero.")
    units = await association_api.units_of(ctx, atype.association_id, unit_ids=data.unit_ids)
    if data.unit_ids is not None and len(units) != len(set(data.unit_ids)):
        raise rule(AccountingReason.WRONG_ASSOCIATION, "Some units are not units of this association.")
    charged_already = await repository.units_charged(ctx.session, atype.id, data.due_date)
    to_bill = [u for u in units if u.id not in charged_already]
    description = data.description or atype.name
    revenue = await _revenue_account(ctx, atype)
    ar = await ledger.account_for(ctx, atype.association_id, "AR")
    templates: dict[Decimal, list[ledger.Leg]] = {}
    charges, postings = [], []
    for unit in to_bill:
        unit_amount = amount if data.allocation == "EQUAL" else cents(amount * (unit.assessment_share or ZERO))
        if unit_amount <= ZERO:
            continue
        if unit_amount not in templates:
            plain = [ledger.debit(ar, unit_amount), ledger.credit(revenue, unit_amount)]
            templates[unit_amount] = await ledger.with_interfund_legs(ctx, atype.association_id, plain)
        charge_id = new_id()
        legs = [ledger.Leg(leg.account, leg.debit, leg.credit, description, unit.id) for leg in templates[unit_amount]]
        memo = f"{description} - unit {unit.unit_number}"
        postings.append(ledger.Posting(data.due_date, memo, legs, "ASSESSMENT_CHARGE", charge_id))
        charges.append(
            AssessmentCharge(
                id=charge_id,
                organization_id=ctx.require_org(),
                association_id=atype.association_id,
                assessment_type_id=atype.id,
                unit_id=unit.id,
                due_date=data.due_date,
                amount=unit_amount,
                amount_paid=ZERO,
                description=description,
            )
        )
    entries = await ledger.record_many(ctx, atype.association_id, postings)
    for charge, entry in zip(charges, entries, strict=True):
        charge.journal_entry_id = entry.id
    ctx.session.add_all(charges)
    await ctx.session.flush()
    audit.record(
        ctx,
        "assessment_charge.period_billed",
        "assessment_type",
        atype.id,
        after={"due_date": data.due_date.isoformat(), "charged": len(charges), "allocation": data.allocation},
    )
    by_id = {u.id: u for u in to_bill}
    for unit_id in await repository.units_with_credit(ctx.session, list(by_id)):
        await apply_credit(ctx, by_id[unit_id], data.due_date)
    return BilledOut(
        charged=len(charges), skipped_already_charged=len(units) - len(to_bill), total=amount * len(charges)
    )


async def list_charges(ctx: RequestContext, data: ListCharges) -> Page[ChargeOut]:
    filters = []
    if data.association_id:
        filters.append(AssessmentCharge.association_id == data.association_id)
    if data.unit_id:
        filters.append(AssessmentCharge.unit_id == data.unit_id)
    if data.open_only:
        filters.append(AssessmentCharge.amount_paid < AssessmentCharge.amount)
    items, cursor = await records.page(ctx, kinds.ASSESSMENT_CHARGE, data, *filters)
    return Page[ChargeOut](items=[charge_out(c) for c in items], next_cursor=cursor)


async def _open_charges(ctx: RequestContext, unit_id: uuid.UUID, *, lock: bool) -> list[AssessmentCharge]:
    return await repository.open_charges(ctx.session, [unit_id], lock=lock)


def _apply(payment: Payment, charges: list[AssessmentCharge], available: Decimal) -> list[PaymentApplication]:
    """Applies `available` to the charges, oldest first; returns the applications made."""
    applications = []
    for charge in charges:
        if available <= ZERO:
            break
        amount = min(available, charge.balance)
        if amount <= ZERO:
            continue
        charge.amount_paid += amount
        available -= amount
        applications.append(
            PaymentApplication(
                organization_id=payment.organization_id, payment_id=payment.id, charge_id=charge.id, amount=amount
            )
        )
    return applications


async def apply_credit(ctx: RequestContext, unit: UnitRef, on: date) -> Decimal:
    """Uses the unit's unapplied credit on its open charges: Dr prepaid assessments / Cr AR."""
    credits = await repository.credits(ctx.session, unit.id)
    if not credits:
        return ZERO
    charges = await _open_charges(ctx, unit.id, lock=True)
    applied_total = ZERO
    for payment in credits:
        applications = _apply(payment, charges, payment.unapplied_amount)
        applied = sum((a.amount for a in applications), ZERO)
        if applied == ZERO:
            continue
        payment.unapplied_amount -= applied
        applied_total += applied
        ctx.session.add_all(applications)
    if applied_total > ZERO:
        prepaid = await ledger.account_for(ctx, unit.association_id, "PREPAID")
        ar = await ledger.account_for(ctx, unit.association_id, "AR")
        await ledger.record(
            ctx,
            unit.association_id,
            entry_date=on,
            memo=f"Credit applied - unit {unit.unit_number}",
            legs=[ledger.debit(prepaid, applied_total, None, unit.id), ledger.credit(ar, applied_total, None, unit.id)],
            source_type="PAYMENT",
        )
    await ctx.session.flush()
    return applied_total


async def unit_balance(ctx: RequestContext, data: UnitBalanceIn) -> UnitBalanceOut:
    """What the unit owes now: open charges less unapplied credit (negative when in credit)."""
    await association_api.load_unit(ctx, data.unit_id)
    open_charges = await _open_charges(ctx, data.unit_id, lock=False)
    due = sum((c.balance for c in open_charges), ZERO)
    credit = (await repository.unapplied_credit(ctx.session, data.unit_id)).quantize(ledger.CENT)
    return UnitBalanceOut(
        unit_id=data.unit_id,
        balance=due - credit,
        charges_open=due,
        unapplied_credit=credit,
        oldest_open_due_date=open_charges[0].due_date if open_charges else None,
        open_charges=len(open_charges),
    )


async def _late_fee_type(ctx: RequestContext, association_id: uuid.UUID) -> AssessmentType:
    existing = await repository.late_fee_type(ctx.session, association_id)
    if existing is not None:
        return existing
    revenue = await ledger.account_for(ctx, association_id, "LATE_FEE_INCOME")
    late_fee = AssessmentType(
        association_id=association_id,
        name="Late Fee",
        kind="LATE_FEE",
        frequency="ONE_TIME",
        amount=ZERO,
        revenue_account_id=revenue.id,
    )
    return await records.create(ctx, kinds.ASSESSMENT_TYPE, late_fee)


def late_fee(policy: AssessmentType | AssociationRef, balance: Decimal) -> Decimal:
    """The fee a policy charges on an overdue balance: fixed, or a percent rounded half up to the cent."""
    if policy.late_fee_type == "FIXED" and policy.late_fee_amount:
        return cents(policy.late_fee_amount)
    if policy.late_fee_type == "PERCENT" and policy.late_fee_percent:
        return cents(balance * policy.late_fee_percent / 100)
    return ZERO


async def apply_late_fees(ctx: RequestContext, data: ApplyLateFees) -> LateFeesOut:
    """One late fee per overdue charge: the assessment type's late-fee rule, else the association's default,
    once its grace days have passed. Running it again adds nothing."""
    association = await association_api.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.ASSESSMENT_CHARGE, "apply_late_fees")
    fee_type: AssessmentType | None = None
    created: list[uuid.UUID] = []
    for charge, atype in await repository.charges_without_late_fee(ctx.session, association.id):
        policy: AssessmentType | AssociationRef = atype if atype.late_fee_type != "NONE" else association
        if charge.due_date + timedelta(days=policy.late_fee_grace_days) >= data.as_of:
            continue
        fee = late_fee(policy, charge.balance)
        if fee <= ZERO:
            continue
        fee_type = fee_type or await _late_fee_type(ctx, association.id)
        unit = await association_api.find_unit(ctx, charge.unit_id)
        fee_charge = await post_charge(
            ctx,
            fee_type,
            unit,
            due_date=data.as_of,
            amount=fee,
            description=f"Late fee on {charge.description}",
            late_fee_for=charge.id,
        )
        created.append(fee_charge.id)
    return LateFeesOut(created=len(created), charge_ids=created)


# --- payments --------------------------------------------------------------------------------------------


def _payment_out(payment: Payment, applications: list[PaymentApplication]) -> PaymentOut:
    applied = [ApplicationOut(charge_id=a.charge_id, amount=a.amount) for a in applications]
    return records.output(PaymentOut, payment, applications=applied)


async def payments_out(ctx: RequestContext, payments: Sequence[Payment]) -> list[PaymentOut]:
    """The payments with the charges they paid, read in one query."""
    applications = await repository.applications_of(ctx.session, [payment.id for payment in payments])
    return [_payment_out(payment, applications[payment.id]) for payment in payments]


async def payment_out(ctx: RequestContext, payment: Payment) -> PaymentOut:
    return (await payments_out(ctx, [payment]))[0]


async def operating_cash(ctx: RequestContext, association_id: uuid.UUID) -> GLAccount:
    """The primary operating bank account's cash account, else the chart's operating cash account."""
    primary = await repository.primary_cash_account(ctx.session, association_id, "OPERATING")
    return primary or await ledger.account_for(ctx, association_id, "CASH_OPERATING")


async def create_payment(ctx: RequestContext, data: CreatePayment) -> PaymentOut:
    """Records a payment for a unit and applies it to the oldest open charges first; what is left is held as
    credit (prepaid assessments) and used on the next charges."""
    await association_api.load_association(ctx, data.association_id)
    unit = await association_api.find_unit(ctx, data.unit_id, lock=True)
    if unit.association_id != data.association_id:
        raise rule(AccountingReason.WRONG_ASSOCIATION, "The unit belongs to another association.")
    payment = Payment(
        id=new_id(),
        organization_id=ctx.require_org(),
        association_id=data.association_id,
        unit_id=unit.id,
        amount=data.amount,
        unapplied_amount=data.amount,
        payment_date=data.payment_date,
        method=data.method,
        reference=data.reference,
        status="POSTED",
    )
    applications = _apply(payment, await _open_charges(ctx, unit.id, lock=True), data.amount)
    applied = sum((a.amount for a in applications), ZERO)
    payment.unapplied_amount = data.amount - applied
    cash = await operating_cash(ctx, data.association_id)
    ar = await ledger.account_for(ctx, data.association_id, "AR")
    prepaid = await ledger.account_for(ctx, data.association_id, "PREPAID")
    legs = _payment_legs(cash, ar, prepaid, payment, applied, unit)
    entry = await ledger.record(
        ctx,
        data.association_id,
        entry_date=data.payment_date,
        legs=legs,
        source_type="PAYMENT",
        memo=f"Payment {data.method} {data.reference or ''} - unit {unit.unit_number}".replace("  ", " "),
        source_id=payment.id,
        interfund=True,
    )
    payment.journal_entry_id = entry.id
    payment = await records.create(ctx, kinds.PAYMENT, payment)
    ctx.session.add_all(applications)
    await ctx.session.flush()
    return await payment_out(ctx, payment)


async def create_payment_batch(ctx: RequestContext, data: CreatePaymentBatch) -> PaymentBatchOut:
    """Records many payments at once (a lockbox or ACH file): each is applied to its unit's oldest open
    charges first, excess kept as credit, and each gets its own journal entry, posted in one batch."""
    await association_api.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.PAYMENT, "create")
    unit_ids = list(dict.fromkeys(p.unit_id for p in data.payments))
    units = {u.id: u for u in await association_api.units_of(ctx, data.association_id, unit_ids=unit_ids, lock=True)}
    if len(units) != len(unit_ids):
        raise rule(AccountingReason.WRONG_ASSOCIATION, "Some units are not units of this association.")
    open_by_unit: dict[uuid.UUID, list[AssessmentCharge]] = {u: [] for u in unit_ids}
    for charge in await repository.open_charges(ctx.session, unit_ids, lock=True):
        open_by_unit[charge.unit_id].append(charge)
    cash = await operating_cash(ctx, data.association_id)
    ar = await ledger.account_for(ctx, data.association_id, "AR")
    prepaid = await ledger.account_for(ctx, data.association_id, "PREPAID")
    payments, applications, postings = [], [], []
    for line in data.payments:
        unit = units[line.unit_id]
        payment = Payment(
            id=new_id(),
            organization_id=ctx.require_org(),
            association_id=data.association_id,
            unit_id=unit.id,
            amount=line.amount,
            unapplied_amount=line.amount,
            payment_date=line.payment_date,
            method=line.method,
            reference=line.reference,
            status="POSTED",
        )
        made = _apply(payment, open_by_unit[unit.id], line.amount)
        applied = sum((a.amount for a in made), ZERO)
        payment.unapplied_amount = line.amount - applied
        legs = _payment_legs(cash, ar, prepaid, payment, applied, unit)
        memo = f"Payment {line.method} {line.reference or ''} - unit {unit.unit_number}".replace("  ", " ")
        postings.append(ledger.Posting(line.payment_date, memo, legs, "PAYMENT", payment.id))
        payments.append(payment)
        applications.extend(made)
    entries = await ledger.record_many(ctx, data.association_id, postings)
    for payment, entry in zip(payments, entries, strict=True):
        payment.journal_entry_id = entry.id
    ctx.session.add_all(payments)
    await ctx.session.flush()
    ctx.session.add_all(applications)
    await ctx.session.flush()
    total = sum((p.amount for p in payments), ZERO)
    unapplied = sum((p.unapplied_amount for p in payments), ZERO)
    audit.record(
        ctx,
        "payment.batch_recorded",
        "association",
        data.association_id,
        after={"payments": len(payments), "total": str(total)},
    )
    return PaymentBatchOut(
        recorded=len(payments),
        total=total,
        applied=total - unapplied,
        unapplied=unapplied,
        payment_ids=[p.id for p in payments],
    )


def _payment_legs(
    cash: GLAccount, ar: GLAccount, prepaid: GLAccount, payment: Payment, applied: Decimal, unit: UnitRef
) -> list[ledger.Leg]:
    """Dr cash / Cr receivable for what the payment covered, Cr prepaid assessments for the rest."""
    legs = [ledger.debit(cash, payment.amount, payment.reference, unit.id)]
    if applied:
        legs.append(ledger.credit(ar, applied, None, unit.id))
    if payment.unapplied_amount:
        legs.append(ledger.credit(prepaid, payment.unapplied_amount, None, unit.id))
    return legs


async def get_payment(ctx: RequestContext, payment_id: uuid.UUID) -> PaymentOut:
    return await payment_out(ctx, await records.load(ctx, kinds.PAYMENT, payment_id))


async def list_payments(ctx: RequestContext, data: ListPayments) -> Page[PaymentOut]:
    filters = []
    if data.association_id:
        filters.append(Payment.association_id == data.association_id)
    if data.unit_id:
        filters.append(Payment.unit_id == data.unit_id)
    items, cursor = await records.page(ctx, kinds.PAYMENT, data, *filters)
    return Page[PaymentOut](items=await payments_out(ctx, items), next_cursor=cursor)


async def _cash_received(ctx: RequestContext, payment: Payment) -> GLAccount:
    """The cash account the payment was deposited to (its entry's first line), whatever is primary now."""
    entry = await records.find(ctx, kinds.JOURNAL_ENTRY, payment.journal_entry_id)
    return (await ledger.legs_of(ctx, entry))[0].account


async def void_payment(ctx: RequestContext, data: VoidPayment) -> PaymentOut:
    """Takes the payment back out (a bounced check): every charge it paid is owed again, and the ledger gets
    Dr AR (what it had paid) and Dr prepaid (credit still unused) / Cr cash."""
    payment = await records.load(ctx, kinds.PAYMENT, data.id, "void", lock=True)
    check_transition("payment", PAYMENT_TRANSITIONS, payment.status, "VOIDED")
    unit = await association_api.find_unit(ctx, payment.unit_id, lock=True)
    applications = (await repository.applications_of(ctx.session, [payment.id]))[payment.id]
    charges = await repository.charges_by_id(ctx.session, [a.charge_id for a in applications], lock=True)
    for application in applications:
        charges[application.charge_id].amount_paid -= application.amount
    applied = sum((a.amount for a in applications), ZERO)
    legs = []
    if applied:
        legs.append(ledger.debit(await ledger.account_for(ctx, payment.association_id, "AR"), applied, None, unit.id))
    if payment.unapplied_amount:
        prepaid = await ledger.account_for(ctx, payment.association_id, "PREPAID")
        legs.append(ledger.debit(prepaid, payment.unapplied_amount, None, unit.id))
    legs.append(ledger.credit(await _cash_received(ctx, payment), payment.amount, data.reason, unit.id))
    entry = await ledger.record(
        ctx,
        payment.association_id,
        entry_date=date.today(),
        legs=legs,
        source_type="PAYMENT_VOID",
        memo=f"Void payment - unit {unit.unit_number}: {data.reason}",
        source_id=payment.id,
        interfund=True,
    )
    await repository.delete_applications(ctx.session, payment.id)
    changes = {
        "status": "VOIDED",
        "void_reason": data.reason,
        "void_journal_entry_id": entry.id,
        "unapplied_amount": ZERO,
    }
    payment = await records.change(ctx, kinds.PAYMENT, payment, changes, action="voided")
    await apply_credit(ctx, unit, date.today())
    return await payment_out(ctx, payment)

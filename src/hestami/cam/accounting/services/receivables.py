"""Receivables: assessment types and charges, payments applied oldest charge first, credits, late fees.

Every charge posts Dr Assessments Receivable / Cr income in the same transaction; every payment posts
Dr cash / Cr receivable (and Cr prepaid assessments for what it does not cover). The receivable subledger
(open charge balances) therefore always equals the AR control account, and the unapplied credit the prepaid
assessments account: a unit's balance is its open charges less its credit. Late fees round half up to the cent.

Dating: the subledger equals the control accounts on every date, not only today. A charge is in the books from
its due date (its entry's date), a payment from its payment date, a void from its own date; an application of
money to a charge counts from `applied_on`, the date of the entry that credits the receivable for it, which is
never before the payment's date nor the charge's due date (a payment ahead of a charge is credit until the
charge falls due, then moves out of prepaid assessments on that date), and until `reversed_on` if its payment is
voided. Future dates are allowed for charges (billing ahead) and payments (a post-dated check): they count from
their dates, in the reports as in the ledger. The receivable and prepaid accounts are posted only from here;
manual journal entries to them are refused (see `journal`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from hestami.cam.accounting import kinds, ledger, repository
from hestami.cam.accounting.errors import AccountingError, AccountingReason, rule
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
    PaymentMethod,
    PaymentOut,
    UnitBalanceIn,
    UnitBalanceOut,
    VoidCharge,
    VoidPayment,
)
from hestami.cam.association import api as association_api
from hestami.cam.association.api import AssociationRef, UnitRef
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, check_transition
from hestami.core.ids import new_id
from hestami.core.pagination import Page

ZERO = Decimal("0.00")
PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {"POSTED": frozenset({"VOIDED"}), "VOIDED": frozenset()}
PERIOD_KINDS = frozenset({"REGULAR", "SPECIAL"})
"""Assessments charged at most once per unit, type and due date (the period's assessment); fines and late fees
may repeat (two violations fined on one day; one late fee per overdue charge, held by its own unique index)."""
INCOME_ROLE = {
    "REGULAR": "ASSESSMENT_INCOME",
    "SPECIAL": "SPECIAL_ASSESSMENT_INCOME",
    "LATE_FEE": "LATE_FEE_INCOME",
    "FINE": "FINE_INCOME",
}


cents = ledger.cents


# --- assessment types ------------------------------------------------------------------------------------


def type_out(record: AssessmentType) -> AssessmentTypeOut:
    return AssessmentTypeOut.model_validate(record)


async def create_type(ctx: RequestContext, data: CreateAssessmentType) -> AssessmentTypeOut:
    await association_api.load_association(ctx, data.association_id)
    if data.revenue_account_id is not None:
        revenue = await records.load(ctx, kinds.GL_ACCOUNT, data.revenue_account_id)
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


async def revenue_account(ctx: RequestContext, atype: AssessmentType) -> GLAccount:
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
    decided: bool = False,
) -> AssessmentCharge:
    """Creates the charge and its journal entry (Dr AR for the unit / Cr the type's income), then applies
    any credit the unit holds. `decided`: another domain authorized the action that makes the charge (a fine the
    board imposed), so no `create` decision on the charge itself is asked."""
    revenue = await revenue_account(ctx, atype)
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
        period_assessment=atype.kind in PERIOD_KINDS and late_fee_for is None,
    )
    if decided:
        charge = await records.insert(ctx, kinds.ASSESSMENT_CHARGE, charge)
    else:
        charge = await records.create(ctx, kinds.ASSESSMENT_CHARGE, charge)
    await apply_credit(ctx, unit, due_date)
    return charge


async def _refuse_second_assessment(ctx: RequestContext, atype: AssessmentType, unit: UnitRef, due_date: date) -> None:
    """A REGULAR or SPECIAL assessment is charged once per unit and due date (CONFLICT, naming the charge made);
    the caller holds the type's billing lock for that date, so a concurrent charge is seen here once committed."""
    if atype.kind not in PERIOD_KINDS:
        return
    existing = await repository.period_charge(ctx.session, atype.id, unit.id, due_date)
    if existing is not None:
        raise AccountingError(
            ErrorCode.CONFLICT,
            AccountingReason.DUPLICATE_CHARGE,
            f"Unit {unit.unit_number} is already charged {atype.name} due {due_date.isoformat()}.",
            charge_id=str(existing.id),
        )


async def create_charge(ctx: RequestContext, data: CreateCharge) -> ChargeOut:
    """A one-off charge. Fines and late-fee types may be charged to a unit several times on one date; a REGULAR
    or SPECIAL assessment only once per due date, whether by `bill_period` or here (DUPLICATE_CHARGE)."""
    atype = await records.load(ctx, kinds.ASSESSMENT_TYPE, data.assessment_type_id)
    await repository.lock_billing(ctx.session, atype.id, data.due_date)
    unit = await association_api.load_unit(ctx, data.unit_id, lock=True)
    if unit.association_id != atype.association_id:
        raise rule(
            AccountingReason.WRONG_ASSOCIATION, "The unit and the assessment type belong to different associations."
        )
    amount = data.amount if data.amount is not None else atype.amount
    if amount <= ZERO:
        raise rule(AccountingReason.EMPTY_ENTRY, "A charge needs an amount greater than zero.")
    await _refuse_second_assessment(ctx, atype, unit, data.due_date)
    charge = await post_charge(
        ctx, atype, unit, due_date=data.due_date, amount=amount, description=data.description or atype.name
    )
    await ctx.session.refresh(charge)
    return charge_out(charge)


async def void_charge(ctx: RequestContext, data: VoidCharge, *, charge: AssessmentCharge | None = None) -> ChargeOut:
    """Takes back a charge nothing was paid on (a waived fine, a charge made in error): the mirror of its entry
    (Dr income / Cr receivable) is posted today, or on the charge's due date when that is later (a charge billed
    ahead and voided before it falls due never counts), and the charge counts in balances and aging until then,
    as in the ledger. A charge with money applied is refused (CHARGE_PAID: void the payment first); a voided one
    cannot be voided again (CHARGE_VOIDED)."""
    if charge is None:
        charge = await records.load(ctx, kinds.ASSESSMENT_CHARGE, data.id, "void", lock=True)
    if charge.voided_on is not None:
        raise rule(AccountingReason.CHARGE_VOIDED, "This charge is already voided.", voided_on=str(charge.voided_on))
    if charge.amount_paid != ZERO:
        raise rule(
            AccountingReason.CHARGE_PAID,
            "Money was applied to this charge; void the payment first.",
            amount_paid=str(charge.amount_paid),
        )
    unit = await association_api.find_unit(ctx, charge.unit_id, lock=True)
    voided_on = max(date.today(), charge.due_date)
    entry = await records.find(ctx, kinds.JOURNAL_ENTRY, charge.journal_entry_id, lock=True)
    reversal = await ledger.reverse(
        ctx, entry, entry_date=voided_on, memo=f"Void {charge.description} - unit {unit.unit_number}: {data.reason}",
        source_type="CHARGE_VOID",
    )  # fmt: skip
    changes = {"voided_on": voided_on, "void_journal_entry_id": reversal.id, "void_reason": data.reason}
    charge = await records.change(ctx, kinds.ASSESSMENT_CHARGE, charge, changes, action="voided")
    return charge_out(charge)


async def charge_for_void(ctx: RequestContext, charge_id: uuid.UUID) -> AssessmentCharge:
    """A charge the system holds the id of (a fine's), locked, without a policy check: the owning domain has
    authorized its own action (waiving the fine)."""
    return await records.find(ctx, kinds.ASSESSMENT_CHARGE, charge_id, lock=True)


async def open_amounts(ctx: RequestContext, charge_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    """What is still owed on each charge today (0 for a voided or paid one; ids not in scope: absent)."""
    charges = await repository.charges_by_id(ctx.session, list(charge_ids), lock=False)
    return {charge_id: charge.balance for charge_id, charge in charges.items()}


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


def _apply(
    payment: Payment,
    charges: list[AssessmentCharge],
    available: Decimal,
    *,
    on: date,
    reopened: dict[uuid.UUID, date],
) -> list[PaymentApplication]:
    """Applies `available` to the charges, oldest first; returns the applications made. Each is dated when the
    ledger credits the receivable for it: not before `on` (the event applying it), the payment's date, the
    charge's due date, nor the day a void last reopened the charge (`reopened`), so that on no date is a charge
    paid by money not yet received, before it is owed, or twice."""
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
                organization_id=payment.organization_id,
                payment_id=payment.id,
                charge_id=charge.id,
                amount=amount,
                applied_on=max(on, payment.payment_date, charge.due_date, reopened.get(charge.id, on)),
            )
        )
    return applications


async def _applying_to(
    ctx: RequestContext, unit_ids: list[uuid.UUID]
) -> tuple[list[AssessmentCharge], dict[uuid.UUID, date]]:
    """The units' open charges (locked, oldest first) with the dates voids last reopened them."""
    charges = await repository.open_charges(ctx.session, unit_ids, lock=True)
    return charges, await repository.reopened_on(ctx.session, [c.id for c in charges])


async def _control_accounts(ctx: RequestContext, association_id: uuid.UUID) -> tuple[GLAccount, GLAccount]:
    """The receivable and prepaid-assessments control accounts."""
    return await ledger.account_for(ctx, association_id, "AR"), await ledger.account_for(ctx, association_id, "PREPAID")


def _amounts_by_date(applications: Sequence[PaymentApplication]) -> list[tuple[date, Decimal]]:
    by_date: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for application in applications:
        by_date[application.applied_on] += application.amount
    return sorted(by_date.items())


def _credit_postings(
    ar: GLAccount, prepaid: GLAccount, unit: UnitRef, applications: Sequence[PaymentApplication]
) -> list[ledger.Posting]:
    """Credit applied to charges: Dr prepaid assessments / Cr AR, one entry for each date it takes effect."""
    memo = f"Credit applied - unit {unit.unit_number}"
    return [
        ledger.Posting(
            on,
            memo,
            [ledger.debit(prepaid, amount, None, unit.id), ledger.credit(ar, amount, None, unit.id)],
            "PAYMENT",
        )
        for on, amount in _amounts_by_date(applications)
    ]


def _withdrawn_postings(
    ar: GLAccount, prepaid: GLAccount, unit: UnitRef, payment: Payment, applications: Sequence[PaymentApplication]
) -> list[ledger.Posting]:
    """A voided payment's applications that would have taken effect after the void: Dr AR / Cr prepaid on each
    one's date, so that they never count (their own entries stay in the books, offset on the same date)."""
    memo = f"Void payment - unit {unit.unit_number}: credit no longer applied"
    return [
        ledger.Posting(
            on,
            memo,
            [ledger.debit(ar, amount, None, unit.id), ledger.credit(prepaid, amount, None, unit.id)],
            "PAYMENT_VOID",
            payment.id,
        )
        for on, amount in _amounts_by_date(applications)
    ]


async def apply_credit(ctx: RequestContext, unit: UnitRef, on: date) -> Decimal:
    """Uses the unit's unapplied credit on its open charges, no earlier than `on`: Dr prepaid assessments /
    Cr AR on the date each application takes effect (see `_apply`)."""
    credits = await repository.credits(ctx.session, unit.id)
    if not credits:
        return ZERO
    charges, reopened = await _applying_to(ctx, [unit.id])
    made: list[PaymentApplication] = []
    for payment in credits:
        applications = _apply(payment, charges, payment.unapplied_amount, on=on, reopened=reopened)
        payment.unapplied_amount -= sum((a.amount for a in applications), ZERO)
        made.extend(applications)
    if made:
        ctx.session.add_all(made)
        ar, prepaid = await _control_accounts(ctx, unit.association_id)
        await ledger.record_many(ctx, unit.association_id, _credit_postings(ar, prepaid, unit, made))
    await ctx.session.flush()
    return sum((a.amount for a in made), ZERO)


async def unit_balance(ctx: RequestContext, data: UnitBalanceIn) -> UnitBalanceOut:
    """What the unit owes on `as_of` (default today): the charges due by then, less what payments received by
    then had paid of them, less the credit it held then (negative when in credit); zero before its books
    start. Read from the dated subledger, so on every date it agrees with the receivable and prepaid control
    accounts of the trial balance."""
    await association_api.load_unit(ctx, data.unit_id)
    as_of = data.as_of or date.today()
    open_charges = await repository.open_charges_as_of(ctx.session, as_of, unit_ids=[data.unit_id])
    due = sum((balance for _, _, balance in open_charges), ZERO).quantize(ledger.CENT)
    credits = await repository.credit_as_of(ctx.session, [data.unit_id], as_of)
    credit = credits.get(data.unit_id, ZERO).quantize(ledger.CENT)
    return UnitBalanceOut(
        unit_id=data.unit_id,
        as_of=as_of,
        balance=due - credit,
        charges_open=due,
        unapplied_credit=credit,
        oldest_open_due_date=open_charges[0][1] if open_charges else None,
        open_charges=len(open_charges),
    )


async def _late_fee_type(ctx: RequestContext, association_id: uuid.UUID, *, decided: bool) -> AssessmentType:
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
    if decided:
        return await records.insert(ctx, kinds.ASSESSMENT_TYPE, late_fee)
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
    once its grace days have passed. Running it again adds nothing, even at the same moment: runs in one
    association take turns (a lock held until commit), so the second finds the first one's fees."""
    association = await association_api.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.ASSESSMENT_CHARGE, "apply_late_fees")
    return await post_late_fees(ctx, association, data.as_of)


async def post_late_fees(
    ctx: RequestContext, association: AssociationRef, as_of: date, *, decided: bool = False
) -> LateFeesOut:
    """`apply_late_fees` after its checks; `decided`: the daily posting schedule (`accounting.posting`) charges
    them as the system, without a policy decision of its own."""
    await repository.lock_late_fees(ctx.session, association.id)
    fee_type: AssessmentType | None = None
    created: list[uuid.UUID] = []
    for charge, atype in await repository.charges_without_late_fee(ctx.session, association.id):
        policy: AssessmentType | AssociationRef = atype if atype.late_fee_type != "NONE" else association
        if charge.due_date + timedelta(days=policy.late_fee_grace_days) >= as_of:
            continue
        fee = late_fee(policy, charge.balance)
        if fee <= ZERO:
            continue
        fee_type = fee_type or await _late_fee_type(ctx, association.id, decided=decided)
        unit = await association_api.find_unit(ctx, charge.unit_id)
        fee_charge = await post_charge(
            ctx,
            fee_type,
            unit,
            due_date=as_of,
            amount=fee,
            description=f"Late fee on {charge.description}",
            late_fee_for=charge.id,
            decided=decided,
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
    credit (prepaid assessments) and used on the next charges. It counts from its payment date (a future date
    too); what it pays of charges falling due later moves out of prepaid assessments on their due dates."""
    await association_api.load_association(ctx, data.association_id)
    unit = await association_api.load_unit(ctx, data.unit_id, lock=True)
    if unit.association_id != data.association_id:
        raise rule(AccountingReason.WRONG_ASSOCIATION, "The unit belongs to another association.")
    return await post_payment(ctx, unit, data.amount, data.payment_date, data.method, data.reference)


async def post_payment(
    ctx: RequestContext,
    unit: UnitRef,
    amount: Decimal,
    payment_date: date,
    method: PaymentMethod,
    reference: str | None,
    *,
    decided: bool = False,
) -> PaymentOut:
    """`create_payment` after its checks, the unit's row locked; `decided`: a payment another domain took and
    authorized (an owner paying their own unit in the portal), recorded without a policy decision of its own."""
    payment = Payment(
        id=new_id(),
        organization_id=ctx.require_org(),
        association_id=unit.association_id,
        unit_id=unit.id,
        amount=amount,
        unapplied_amount=amount,
        payment_date=payment_date,
        method=method,
        reference=reference,
        status="POSTED",
    )
    charges, reopened = await _applying_to(ctx, [unit.id])
    applications = _apply(payment, charges, amount, on=payment_date, reopened=reopened)
    payment.unapplied_amount = amount - sum((a.amount for a in applications), ZERO)
    cash = await operating_cash(ctx, unit.association_id)
    ar, prepaid = await _control_accounts(ctx, unit.association_id)
    legs = _payment_legs(cash, ar, prepaid, payment, applications, unit)
    entry = await ledger.record(
        ctx,
        unit.association_id,
        entry_date=payment_date,
        legs=legs,
        source_type="PAYMENT",
        memo=f"Payment {method} {reference or ''} - unit {unit.unit_number}".replace("  ", " "),
        source_id=payment.id,
        interfund=True,
    )
    payment.journal_entry_id = entry.id
    payment = await (records.insert if decided else records.create)(ctx, kinds.PAYMENT, payment)
    ctx.session.add_all(applications)
    later = [a for a in applications if a.applied_on > payment.payment_date]
    await ledger.record_many(ctx, unit.association_id, _credit_postings(ar, prepaid, unit, later))
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
    charges, reopened = await _applying_to(ctx, unit_ids)
    for charge in charges:
        open_by_unit[charge.unit_id].append(charge)
    cash = await operating_cash(ctx, data.association_id)
    ar, prepaid = await _control_accounts(ctx, data.association_id)
    payments, applications, postings, credit_postings = [], [], [], []
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
        made = _apply(payment, open_by_unit[unit.id], line.amount, on=line.payment_date, reopened=reopened)
        payment.unapplied_amount = line.amount - sum((a.amount for a in made), ZERO)
        legs = _payment_legs(cash, ar, prepaid, payment, made, unit)
        memo = f"Payment {line.method} {line.reference or ''} - unit {unit.unit_number}".replace("  ", " ")
        postings.append(ledger.Posting(line.payment_date, memo, legs, "PAYMENT", payment.id))
        later = [a for a in made if a.applied_on > line.payment_date]
        credit_postings.extend(_credit_postings(ar, prepaid, unit, later))
        payments.append(payment)
        applications.extend(made)
    entry_ids = await ledger.record_many(ctx, data.association_id, postings + credit_postings)
    for payment, entry_id in zip(payments, entry_ids[: len(payments)], strict=True):
        payment.journal_entry_id = entry_id
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
    cash: GLAccount,
    ar: GLAccount,
    prepaid: GLAccount,
    payment: Payment,
    applications: list[PaymentApplication],
    unit: UnitRef,
) -> list[ledger.Leg]:
    """Dr cash / Cr receivable for the charges it pays on its own date, Cr prepaid assessments for the rest
    (its credit, and what it pays of charges falling due later: see `_credit_postings`)."""
    on_receipt = sum((a.amount for a in applications if a.applied_on == payment.payment_date), ZERO)
    legs = [ledger.debit(cash, payment.amount, payment.reference, unit.id)]
    if on_receipt:
        legs.append(ledger.credit(ar, on_receipt, None, unit.id))
    if payment.amount - on_receipt:
        legs.append(ledger.credit(prepaid, payment.amount - on_receipt, None, unit.id))
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
    """Takes the payment back out (a bounced check) today, or on the payment's own date when that is later (a
    post-dated payment voided before its date never counts): every charge it paid is owed again from then, and
    the ledger gets Dr AR (what it had paid by then) and Dr prepaid (what it still held as credit then) / Cr cash.
    What it was to pay of charges falling due after that date never takes effect. Its applications are kept with
    the dates they counted, so earlier dates still read as they were."""
    payment = await records.load(ctx, kinds.PAYMENT, data.id, "void", lock=True)
    check_transition("payment", PAYMENT_TRANSITIONS, payment.status, "VOIDED")
    unit = await association_api.find_unit(ctx, payment.unit_id, lock=True)
    voided_on = max(date.today(), payment.payment_date)
    applications = (await repository.applications_of(ctx.session, [payment.id]))[payment.id]
    charges = await repository.charges_by_id(ctx.session, [a.charge_id for a in applications], lock=True)
    for application in applications:
        charges[application.charge_id].amount_paid -= application.amount
        application.reversed_on = max(voided_on, application.applied_on)
    paid_by_then = sum((a.amount for a in applications if a.applied_on <= voided_on), ZERO)
    ar, prepaid = await _control_accounts(ctx, payment.association_id)
    legs = []
    if paid_by_then:
        legs.append(ledger.debit(ar, paid_by_then, None, unit.id))
    if payment.amount - paid_by_then:
        legs.append(ledger.debit(prepaid, payment.amount - paid_by_then, None, unit.id))
    legs.append(ledger.credit(await _cash_received(ctx, payment), payment.amount, data.reason, unit.id))
    entry = await ledger.record(
        ctx,
        payment.association_id,
        entry_date=voided_on,
        legs=legs,
        source_type="PAYMENT_VOID",
        memo=f"Void payment - unit {unit.unit_number}: {data.reason}",
        source_id=payment.id,
        interfund=True,
    )
    never = [a for a in applications if a.applied_on > voided_on]
    await ledger.record_many(ctx, payment.association_id, _withdrawn_postings(ar, prepaid, unit, payment, never))
    changes = {
        "status": "VOIDED",
        "void_reason": data.reason,
        "void_journal_entry_id": entry.id,
        "unapplied_amount": ZERO,
    }
    payment = await records.change(ctx, kinds.PAYMENT, payment, changes, action="voided")
    await apply_credit(ctx, unit, date.today())
    return await payment_out(ctx, payment)

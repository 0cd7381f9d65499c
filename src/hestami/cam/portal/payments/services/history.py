"""An owner's payment history and balance for a unit they own, read from the books (`accounting.api`): the
payments received with the charges each paid, and what the unit owes with the open charges behind it."""

from __future__ import annotations

import uuid
from datetime import date

from hestami.cam.accounting import api as accounting
from hestami.cam.portal.payments import repository, rules
from hestami.cam.portal.payments.schemas import (
    AppliedChargeOut,
    BalanceIn,
    BalanceOut,
    HistoryIn,
    HistoryOut,
    OpenChargeOut,
    PaymentReceivedOut,
)
from hestami.cam.portal.payments.services.autopay import owned_unit
from hestami.core.context import RequestContext


def _applied(
    payment: accounting.ReceivedPayment, charges: dict[uuid.UUID, accounting.StatementCharge]
) -> list[AppliedChargeOut]:
    applied = []
    for part in payment.applied:
        charge = charges.get(part.charge_id)
        if charge is None:
            continue
        applied.append(
            AppliedChargeOut(
                charge_id=charge.id, description=charge.description, due_date=charge.due_date,
                charge_amount=charge.amount, amount=part.amount,
            )
        )  # fmt: skip
    return applied


async def history(ctx: RequestContext, data: HistoryIn) -> HistoryOut:
    unit, _ = await owned_unit(ctx, data.unit_id)
    payments, cursor = await accounting.unit_payments(ctx, unit.id, limit=data.limit, cursor=data.cursor)
    charges = await accounting.statement_charges(ctx, [a.charge_id for p in payments for a in p.applied])
    items = [
        PaymentReceivedOut(
            id=p.id, payment_date=p.payment_date, amount=p.amount, method=p.method, reference=p.reference,
            status=p.status, void_reason=p.void_reason, credit_left=p.unapplied_amount,
            applied_to=_applied(p, charges),
        )
        for p in payments
    ]  # fmt: skip
    return HistoryOut(unit_id=unit.id, unit_number=unit.unit_number, items=items, next_cursor=cursor)


async def balance(ctx: RequestContext, data: BalanceIn) -> BalanceOut:
    unit, _ = await owned_unit(ctx, data.unit_id)
    statement = await accounting.unit_statement(ctx, unit.id)
    enrolment = await repository.active_enrolment_of_unit(ctx.session, unit.id)
    next_autopay = (
        rules.next_charge_on(enrolment.day_of_month, enrolment.start_date, date.today()) if enrolment else None
    )
    open_charges = [
        OpenChargeOut(
            charge_id=c.id, description=c.description, due_date=c.due_date, amount=c.amount,
            amount_paid=c.amount_paid, open_amount=c.open_amount,
        )
        for c in statement.open_charges
    ]  # fmt: skip
    return BalanceOut(
        unit_id=unit.id, unit_number=unit.unit_number, as_of=statement.as_of, balance=statement.balance,
        charges_open=statement.charges_open, unapplied_credit=statement.unapplied_credit, open_charges=open_charges,
        next_autopay_on=next_autopay,
    )  # fmt: skip

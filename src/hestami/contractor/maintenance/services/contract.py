"""What `maintenance_contract_v1` does on each turn, in the contractor's organization, as the system (one
transaction on the locked agreement; everything it does is done once however often a turn runs: unique rows say
what is done already), on the agreement's clock (`rules.Clock`):

1. SLA: each visit whose outcome is known gets its record (ON_TIME, LATE, MISSED), once;
2. term end: the day after the term ends, a renewed term (manual, or auto-renewal now: the price changed by the
   renewal percent) comes into force, with a RENEWED notice; without a renewal or auto-renew the agreement LAPSES,
   with a LAPSED notice, and the run ends;
3. visits: every occurrence within MAINTENANCE_HORIZON_DAYS and the terms becomes a job with one visit, once;
4. billing: each billing period that has started gets one invoice (`invoice.api.bill_agreement`, once per period:
   its unique index, and a `maintenance_billing_periods` row here);
5. the renewal notice, MAINTENANCE_RENEWAL_NOTICE_DAYS before the term ends, once.

The run waits until the agreement's next day begins, MAINTENANCE_POLL_SECONDS at most, or a wake-up (a renewal,
cancellation or change)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hestami.contractor.invoice import api as invoices
from hestami.contractor.maintenance import lifecycle, repository, rules
from hestami.contractor.maintenance.models import Agreement
from hestami.contractor.maintenance.services import moves, notices, visits
from hestami.core.context import RequestContext

MAX_TERMS_A_TURN = 12
"""Terms caught up in one turn at most (an agreement whose run was stopped for long continues on the next)."""


@dataclass(frozen=True, slots=True)
class Timing:
    poll_seconds: float
    horizon_days: int
    notice_days: int


@dataclass
class Turn:
    status: str
    finished: bool = False
    wait_seconds: float = 0.0
    happened: list[str] = field(default_factory=list)
    invoices: list[str] = field(default_factory=list)
    """The invoices billed in the turn: the workflow starts their payment runs once the turn has committed."""


def now_utc() -> datetime:
    return datetime.now(UTC)


async def take_turn(ctx: RequestContext, agreement_id: uuid.UUID, timing: Timing, real_now: datetime) -> Turn | None:
    """One turn; None while the agreement is not visible as activated (the activating request has not committed)."""
    agreement = await repository.agreement(ctx.session, agreement_id, lock=True)
    if agreement is None or agreement.status == "DRAFT":
        return None
    turn = Turn(agreement.status)
    if agreement.status in lifecycle.ENDED:
        turn.finished = True
        return turn
    clock = visits.clock_of(agreement)
    today = clock.today(real_now)
    if recorded := await visits.record_outcomes(ctx, agreement, real_now):
        turn.happened.append(f"sla_recorded:{recorded}")
    agreement = await _term_end(ctx, agreement, today, real_now, turn)
    if agreement.status == "ACTIVE":
        if made := await visits.generate(ctx, agreement, today, timing.horizon_days):
            turn.happened.append(f"visits:{made}")
        await _bill(ctx, agreement, today, turn)
        await _renewal_notice(ctx, agreement, today, timing, turn)
    turn.status = agreement.status
    turn.finished = agreement.status in lifecycle.ENDED
    next_day = clock.start_of(today + timedelta(days=1))
    turn.wait_seconds = min(timing.poll_seconds, max(0.05, (next_day - real_now).total_seconds()))
    return turn


async def _term_end(ctx: RequestContext, agreement: Agreement, today: date, real_now: datetime,
                    turn: Turn) -> Agreement:  # fmt: skip
    """Each term that has ended: the next in force (renewed by hand, or auto-renewed now), else LAPSED."""
    for _ in range(MAX_TERMS_A_TURN):
        if agreement.status != "ACTIVE" or today <= agreement.term_end:
            break
        renewal = await repository.renewal_of(ctx.session, agreement.id, agreement.term_number)
        if renewal is None and not agreement.auto_renew:
            ended = f"term {agreement.term_number} ended on {agreement.term_end} without a renewal"
            agreement = await moves.transition(ctx, agreement, "lapse", ended, actor=None,
                                               changes={"lapsed_at": real_now})  # fmt: skip
            await notices.notify(ctx, agreement, "LAPSED", agreement.term_number)
            turn.happened.append("lapsed")
            break
        if renewal is None:
            agreement = await moves.renew_term(ctx, agreement, "AUTO", None)
            turn.happened.append("auto_renewed")
        agreement = await moves.start_next_term(ctx, agreement)
        await notices.notify(ctx, agreement, "RENEWED", agreement.term_number)
        turn.happened.append(f"term:{agreement.term_number}")
    return agreement


async def _bill(ctx: RequestContext, agreement: Agreement, today: date, turn: Turn) -> None:
    billed = {p.period_start for p in await repository.billed_periods(ctx.session, agreement.id)}
    for term in await repository.terms(ctx.session, agreement.id):
        if term.term_number > agreement.term_number:
            continue
        for period in rules.billing_periods(term.term_start, term.term_end, agreement.term_months,
                                            agreement.billing_frequency, term.price):  # fmt: skip
            if period.start > today or period.start in billed or period.amount <= 0:
                continue
            bill = _bill_of(agreement, period, today)
            invoice = await invoices.bill_agreement(ctx, bill, start_payment=False)
            await repository.claim_period(ctx.session, {
                "organization_id": agreement.organization_id, "agreement_id": agreement.id,
                "term_number": term.term_number, "period_start": period.start, "period_end": period.end,
                "amount": period.amount, "invoice_id": invoice.id, "invoice_number": invoice.number,
            })  # fmt: skip
            billed.add(period.start)
            turn.happened.append(f"billed:{period.start}")
            turn.invoices.append(str(invoice.id))


def _bill_of(agreement: Agreement, period: rules.Period, today: date) -> invoices.AgreementBill:
    what = f"{agreement.display_number} {agreement.plan or agreement.name}: {period.start} to {period.end}"
    return invoices.AgreementBill(
        agreement_id=agreement.id, agreement_number=agreement.display_number, period_start=period.start,
        period_end=period.end, customer_id=agreement.customer_id, hoa_organization_id=agreement.hoa_organization_id,
        association_id=agreement.association_id, description=what[:500], amount=period.amount, issue_date=today,
        due_date=None,
    )  # fmt: skip


async def _renewal_notice(ctx: RequestContext, agreement: Agreement, today: date, timing: Timing, turn: Turn) -> None:
    if today < agreement.term_end - timedelta(days=timing.notice_days):
        return
    if await repository.renewal_of(ctx.session, agreement.id, agreement.term_number) is not None:
        return
    if await notices.notify(ctx, agreement, "RENEWAL_DUE", agreement.term_number):
        turn.happened.append("renewal_notice")

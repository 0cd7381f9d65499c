"""Hearing outcomes and fines. The hearing body decides: FINED (the fine of the type's schedule unless an amount is
given, within the type's cap and the association's cap per violation), WAIVED or DISMISSED, or CURED. A fine is a
charge on the unit's ledger under the association's FINE assessment type (income: Fines), so it shows in the
unit's balance, the aging and the trial balance; a waived fine's charge is voided. While a FINED violation
continues the board may add fines (the type's daily fine unless an amount is given), within the same caps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from hestami.cam.accounting import api as accounting
from hestami.cam.violations import kinds, lifecycle, repository
from hestami.cam.violations.errors import ViolationReason, rule
from hestami.cam.violations.lifecycle import reference
from hestami.cam.violations.models import Fine, Hearing, Violation
from hestami.cam.violations.schemas import (
    AssessFine,
    FineOut,
    FinesOut,
    HearingsOut,
    RecordOutcome,
    ViolationOut,
    WaiveFine,
)
from hestami.cam.violations.services import notices
from hestami.cam.violations.services.hearings import hearing_out
from hestami.cam.violations.services.violations import move, output
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

ZERO = Decimal("0.00")


def fine_out(fine: Fine) -> FineOut:
    return records.output(FineOut, fine)


def _money(value: object) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


def caps(violation: Violation) -> list[Decimal | None]:
    """The type's cap (as it was when the violation was recorded) and the association's cap per violation."""
    terms = violation.settings.get("type", {})
    return [_money(terms.get("fine_cap")), _money(violation.settings.get("fine_cap_per_violation"))]


async def _allowed(ctx: RequestContext, violation: Violation, amount: Decimal) -> Decimal:
    already = await repository.fined_total(ctx.session, violation.id)
    allowed = lifecycle.within_cap(amount, already, caps(violation))
    if allowed <= ZERO:
        raise rule(
            ViolationReason.FINE_CAP_REACHED,
            "This violation has been fined the most its caps allow.",
            fined=str(already),
            caps=[str(c) for c in caps(violation) if c is not None],
        )
    return allowed


async def post_fine(ctx: RequestContext, violation: Violation, amount: Decimal, reason: str) -> Fine:
    """Charges the unit (Dr receivable / Cr Fines) and records the fine."""
    charge = await accounting.charge_fine(
        ctx, association_id=violation.association_id, unit_id=violation.unit_id, amount=amount,
        description=f"{reference(violation.number)} fine: {reason}"[:500],
    )  # fmt: skip
    fine = Fine(
        organization_id=violation.organization_id, violation_id=violation.id, amount=amount, charge_id=charge.id,
        status="ASSESSED", reason=reason, assessed_by=ctx.user_id,
    )  # fmt: skip
    ctx.session.add(fine)
    await ctx.session.flush()
    await ctx.session.refresh(fine)
    audit.record(
        ctx, "violation.fine_assessed", kinds.VIOLATION.name, violation.id,
        after={"fine_id": str(fine.id), "amount": str(amount), "charge_id": str(charge.id), "reason": reason},
    )  # fmt: skip
    return fine


def _decide(ctx: RequestContext, hearing: Hearing, data: RecordOutcome, now: datetime) -> None:
    hearing.status = "DECIDED"
    hearing.outcome = data.outcome
    hearing.decision_notes = data.notes
    hearing.decided_by = ctx.user_id
    hearing.decided_at = now


async def record_outcome(ctx: RequestContext, data: RecordOutcome) -> ViolationOut:
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "record_outcome", lock=True)
    hearing = await repository.open_hearing(ctx.session, violation.id)
    if hearing is None or violation.status != "HEARING_SCHEDULED":
        raise rule(ViolationReason.NO_HEARING, "This violation has no scheduled hearing to decide.")
    now = datetime.now(UTC)
    if data.outcome == "FINED":
        terms = violation.settings.get("type", {})
        scheduled = lifecycle.scheduled_fine(
            _money(terms.get("fine_first")), _money(terms.get("fine_repeat")), violation.is_repeat
        )
        wanted = data.fine_amount if data.fine_amount is not None else scheduled
        if wanted is None:
            raise rule(
                ViolationReason.FINE_AMOUNT_REQUIRED, "The violation's type has no fine schedule: give fine_amount."
            )
        amount = await _allowed(ctx, violation, wanted)
        await post_fine(ctx, violation, amount, data.notes or "imposed after the hearing")
        _decide(ctx, hearing, data, now)
        hearing.fine_amount = amount
        hearing.appeal_deadline = lifecycle.after_days(
            now, int(violation.settings.get("appeal_days", 15)), notices.day_seconds()
        )
        await move(ctx, violation, "FINED", data.notes or f"Fined {amount} after the hearing.")
        await notices.send(ctx, violation, "FINE", amount=amount)
    else:
        _decide(ctx, hearing, data, now)
        await move(ctx, violation, "CURED" if data.outcome == "CURED" else "DISMISSED", data.notes)
    await ctx.session.flush()
    audit.record(
        ctx, "violation.hearing_decided", kinds.VIOLATION.name, violation.id,
        after={"hearing_id": str(hearing.id), "outcome": data.outcome,
               "fine_amount": str(hearing.fine_amount) if hearing.fine_amount is not None else None},
    )  # fmt: skip
    return await output(ctx, violation)


async def list_hearings(ctx: RequestContext, violation_id: uuid.UUID) -> HearingsOut:
    violation = await records.load(ctx, kinds.VIOLATION, violation_id)
    return HearingsOut(items=[hearing_out(h) for h in await repository.hearings(ctx.session, violation.id)])


async def assess_fine(ctx: RequestContext, data: AssessFine) -> FineOut:
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "assess_fine", lock=True)
    if violation.status != "FINED":
        raise rule(
            ViolationReason.FINE_REQUIRES_HEARING,
            "Further fines follow a hearing's fine: the violation must be FINED.",
            status=violation.status,
        )
    wanted = data.amount if data.amount is not None else _money(violation.settings.get("type", {}).get("fine_daily"))
    if wanted is None:
        raise rule(ViolationReason.FINE_AMOUNT_REQUIRED, "The violation's type has no daily fine: give amount.")
    amount = await _allowed(ctx, violation, wanted)
    return fine_out(await post_fine(ctx, violation, amount, data.reason))


async def waive_fine(ctx: RequestContext, data: WaiveFine) -> FineOut:
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "waive_fine", lock=True)
    fine = await repository.fine(ctx.session, violation.id, data.fine_id, lock=True)
    if fine is None:
        raise not_found("violation_fine", data.fine_id)
    if fine.status != "ASSESSED":
        raise rule(ViolationReason.FINE_NOT_WAIVABLE, "This fine is already waived.", status=fine.status)
    await accounting.void_charge(ctx, fine.charge_id, f"{reference(violation.number)} fine waived: {data.reason}")
    fine.status = "WAIVED"
    fine.waived_by = ctx.user_id
    fine.waived_at = datetime.now(UTC)  # the assessment's reason stays; the waiver's is on the charge's void and audit
    await ctx.session.flush()
    await ctx.session.refresh(fine)
    audit.record(
        ctx, "violation.fine_waived", kinds.VIOLATION.name, violation.id,
        after={"fine_id": str(fine.id), "amount": str(fine.amount), "reason": data.reason},
    )  # fmt: skip
    return fine_out(fine)


async def list_fines(ctx: RequestContext, violation_id: uuid.UUID) -> FinesOut:
    violation = await records.load(ctx, kinds.VIOLATION, violation_id)
    return FinesOut(items=[fine_out(f) for f in await repository.fines(ctx.session, violation.id)])

"""The agreement's moves, all through `transition` (the lifecycle's table, a history row per move): activate (the
compliance gate; the first term; the visits of the horizon generated at once; `maintenance_contract_v1` started in
the same transaction), renew (the next term agreed, once per term: ALREADY_RENEWED), start the next term, lapse,
cancel (future visits' jobs cancelled)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hestami.contractor.maintenance import kinds, lifecycle, repository, rules, workflows
from hestami.contractor.maintenance.errors import MaintenanceReason, conflict, rule
from hestami.contractor.maintenance.models import Agreement
from hestami.contractor.maintenance.schemas import AgreementDetailOut, Cancel, Renew
from hestami.contractor.maintenance.services import notices, visits
from hestami.contractor.maintenance.services.agreements import detail_out, history_row, load, wake_after_commit
from hestami.contractor.profile import api as profile
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError


def check(agreement: Agreement, action: str) -> lifecycle.Move:
    """INVALID_STATE_TRANSITION (with `from`, `to`, the `action` and what is `allowed`) unless the move exists."""
    move = lifecycle.MOVES[action]
    if agreement.status not in move.sources:
        raise HestamiError(
            ErrorCode.INVALID_STATE_TRANSITION,
            f"A maintenance agreement cannot {action.replace('_', ' ')} from {agreement.status}.",
            details={"from": agreement.status, "to": move.target, "action": action,
                     "allowed": sorted(lifecycle.TRANSITIONS[agreement.status])},
        )  # fmt: skip
    return move


async def transition(ctx: RequestContext, agreement: Agreement, action: str, note: str | None = None, *,
                     actor: uuid.UUID | None, changes: dict[str, Any] | None = None) -> Agreement:  # fmt: skip
    """The one way an agreement moves (locked by the caller, authorized for the move by its procedure or acting as
    the system): checked against the table, changed (audited as `maintenance_agreement.<action>`), recorded."""
    move = check(agreement, action)
    before = agreement.status
    agreement = await records.change(ctx, kinds.AGREEMENT, agreement, {"status": move.target, **(changes or {})},
                                     action=action)  # fmt: skip
    ctx.session.add(history_row(agreement, action, before, move.target, actor, note))
    await ctx.session.flush()
    return agreement


def today_of(agreement: Agreement, now: datetime) -> date:
    return visits.clock_of(agreement).today(now)


# --- activate -----------------------------------------------------------------------------------------------------


async def _compliant(ctx: RequestContext, agreement: Agreement) -> None:
    """The contractor's license and insurance are in force (`profile.api.compliance_of`): visits are scheduled
    only then."""
    standing = await profile.compliance_of(ctx)
    if standing.status != "COMPLIANT":
        codes = [issue.code for issue in standing.reasons]
        raise rule(MaintenanceReason.NOT_COMPLIANT, f"{agreement.display_number} cannot be activated while your "
                   f"license or insurance is not in force: {', '.join(codes)}.", reasons=codes)  # fmt: skip


async def activate(ctx: RequestContext, agreement_id: uuid.UUID) -> AgreementDetailOut:
    agreement = await load(ctx, agreement_id, "activate", lock=True)
    check(agreement, "activate")
    await _compliant(ctx, agreement)
    if not rules.occurrences(agreement.schedule_rrule, agreement.term_start, agreement.term_start, agreement.term_end):
        raise rule(MaintenanceReason.NO_VISITS, f"The schedule has no visit in the term ({agreement.term_start} to "
                   f"{agreement.term_end}).")  # fmt: skip
    settings = runtime.current().settings
    now = datetime.now(UTC)
    if now.astimezone(ZoneInfo(settings.dispatch_time_zone)).date() > agreement.term_end:
        raise rule(MaintenanceReason.TERM_OVER, f"The term ended on {agreement.term_end}.")
    changes = {"clock_started_at": now, "clock_day_seconds": settings.maintenance_day_seconds, "activated_at": now}
    agreement = await transition(ctx, agreement, "activate", actor=ctx.user_id, changes=changes)
    await repository.claim_term(ctx.session, _term_values(agreement, 1, agreement.term_start, agreement.price))
    await visits.generate(ctx, agreement, today_of(agreement, now), settings.maintenance_horizon_days)
    await workflows.start(agreement.organization_id, agreement.id)
    return await detail_out(ctx, agreement)


def _term_values(agreement: Agreement, number: int, start: date, price: Decimal) -> dict[str, Any]:
    return {"organization_id": agreement.organization_id, "agreement_id": agreement.id, "term_number": number,
            "term_start": start, "term_end": rules.term_end(start, agreement.term_months), "price": price}  # fmt: skip


# --- renew --------------------------------------------------------------------------------------------------------


async def renew_term(ctx: RequestContext, agreement: Agreement, kind: str, actor: uuid.UUID | None,
                     price: Decimal | None = None, note: str | None = None) -> Agreement:  # fmt: skip
    """The current term renewed into the next (its term row: starting the day after this one ends, at `price` or
    the renewal change), once: a second renewal of the same term is CONFLICT, ALREADY_RENEWED."""
    check(agreement, "renew")
    after = price if price is not None else rules.renewal_price(agreement.price, agreement.renewal_price_change_percent)
    claimed = await repository.claim_renewal(ctx.session, {
        "organization_id": agreement.organization_id, "agreement_id": agreement.id,
        "renewed_term_number": agreement.term_number, "new_term_number": agreement.term_number + 1, "kind": kind,
        "price_before": agreement.price, "price_after": after, "renewed_by": actor,
    })  # fmt: skip
    if claimed is None:
        renewed = f"Term {agreement.term_number} of {agreement.display_number} is renewed already."
        raise conflict(MaintenanceReason.ALREADY_RENEWED, renewed, term_number=agreement.term_number)
    start = agreement.term_end + timedelta(days=1)
    await repository.claim_term(ctx.session, _term_values(agreement, agreement.term_number + 1, start, after))
    text = note or f"term {agreement.term_number + 1} from {start} at {after}"
    return await transition(ctx, agreement, "renew", text, actor=actor)


async def renew(ctx: RequestContext, data: Renew) -> AgreementDetailOut:
    agreement = await load(ctx, data.id, "renew", lock=True)
    agreement = await renew_term(ctx, agreement, "MANUAL", ctx.user_id, data.price, data.note)
    await notices.notify(ctx, agreement, "RENEWED", agreement.term_number + 1)
    now = datetime.now(UTC)
    await visits.generate(ctx, agreement, today_of(agreement, now), runtime.current().settings.maintenance_horizon_days)
    wake_after_commit(ctx, agreement.id)
    return await detail_out(ctx, agreement)


async def start_next_term(ctx: RequestContext, agreement: Agreement) -> Agreement:
    """The renewed next term in force: the agreement's current term, price and dates follow its term row."""
    nxt = next(t for t in await repository.terms(ctx.session, agreement.id)
               if t.term_number == agreement.term_number + 1)  # fmt: skip
    changes = {"term_number": nxt.term_number, "term_start": nxt.term_start, "term_end": nxt.term_end,
               "price": nxt.price}  # fmt: skip
    return await transition(ctx, agreement, "start_term", f"term {nxt.term_number} in force", actor=None,
                            changes=changes)  # fmt: skip


# --- cancel -------------------------------------------------------------------------------------------------------


async def cancel(ctx: RequestContext, data: Cancel) -> AgreementDetailOut:
    agreement = await load(ctx, data.id, "cancel", lock=True)
    was = agreement.status
    now = datetime.now(UTC)
    agreement = await transition(ctx, agreement, "cancel", data.reason, actor=ctx.user_id,
                                 changes={"cancelled_at": now, "cancel_reason": data.reason})  # fmt: skip
    if was == "ACTIVE":
        await visits.cancel_future(ctx, agreement, today_of(agreement, now), ctx.user_id)
        await notices.notify(ctx, agreement, "CANCELLED", agreement.term_number)
        wake_after_commit(ctx, agreement.id)
    return await detail_out(ctx, agreement)

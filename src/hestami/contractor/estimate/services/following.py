"""The estimate answering an HOA's bid request follows the bid's end (`work_order.api.when_bid_decided`), in the
bid's transaction, through the estimate's own transition path (`moves.move`), once: an estimate decided already (by
the association's decision on its proposal, which ends the bid itself) is left as it is.

- The bid ACCEPTED by the association directly (`bid/v1/acceptBid`) → a SENT estimate is ACCEPTED with the option
  whose total is the bid's amount (the lowest: sending submitted it), the other options DECLINED.
- REJECTED (`bid/v1/rejectBid`, or another bid accepted) or EXPIRED (vendorAssignment_v1) → a SENT estimate is
  DECLINED.
- Any end of a bid whose estimate was not sent yet (DRAFT, PENDING_APPROVAL, APPROVED), and a bid WITHDRAWN by a
  VENDOR member → the estimate is VOID: it can no longer be sent (the lifecycle leads to DECLINED and ACCEPTED only
  from SENT).

The association's decision runs in its scope: the contractor's rows are written through the scope switch the
acceptance of a proposal uses (`repository.acting_for_contractor`), as the system in the contractor's organization."""

from __future__ import annotations

from decimal import Decimal

from hestami.cam.work_order import api as work_orders
from hestami.contractor.estimate import repository, signals
from hestami.contractor.estimate.models import Estimate, EstimateOption
from hestami.contractor.estimate.services import decisions, moves
from hestami.core.acting import scoped_context
from hestami.core.context import RequestContext

WHAT = {"ACCEPTED": "accepted", "REJECTED": "rejected", "EXPIRED": "expired", "WITHDRAWN": "withdrawn"}


def chosen(options: list[EstimateOption], amount: Decimal | None) -> EstimateOption:
    """The option whose total is the bid's amount (the first by position), else the lowest."""
    matching = [option for option in options if amount is not None and option.total == amount]
    return matching[0] if matching else min(options, key=lambda option: (option.total, option.position))


def _decider(ctx: RequestContext) -> str:
    if ctx.principal is not None and ctx.principal.email:
        return ctx.principal.email
    return str(ctx.user_id) if ctx.user_id is not None else "the association"


async def _follow(
    inner: RequestContext, estimate: Estimate, decision: work_orders.BidDecision, *, actor: RequestContext
) -> None:
    note = f"the bid was {WHAT.get(decision.status, decision.status.lower())}"
    if estimate.status != "SENT" or decision.status == "WITHDRAWN":
        await moves.move(inner, estimate, "VOID", note, actor=actor.user_id)
        signals.wake_after_commit(inner, estimate.id)
        return
    name = _decider(actor)
    if decision.status == "ACCEPTED":
        option = chosen(await repository.options(inner.session, estimate.id), decision.amount)
        await decisions.accept(inner, estimate, option, actor=actor.user_id, name=name,
                               organization_id=decision.organization_id)  # fmt: skip
        return
    await decisions.decline_estimate(inner, estimate, actor=actor.user_id, name=name,
                                     organization_id=decision.organization_id, reason=note)  # fmt: skip


async def bid_decided(ctx: RequestContext, decision: work_orders.BidDecision) -> None:
    """`work_order.api.when_bid_decided`: see the module."""
    contractor = decision.provider_organization_id
    inner = scoped_context(ctx.session, procedure=ctx.procedure, organization_id=contractor, authorizer=ctx.authorizer)
    async with repository.acting_for_contractor(ctx.session, contractor, caller=(ctx.organization_id, ctx.user_id)):
        estimate = await repository.undecided_for_bid(ctx.session, decision.bid_id)
        if estimate is not None:
            await _follow(inner, estimate, decision, actor=ctx)
    decisions.hand_over(inner, ctx)


work_orders.when_bid_decided(bid_decided)

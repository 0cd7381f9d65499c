"""The addressee's decision on a sent estimate: one option accepted (the others declined, the content frozen for
good), or the whole estimate declined.

A customer's decision is recorded by the contractor (`record_acceptance`, `record_decline`: the name of who
decided, and when). An HOA's managers decide themselves, from their own organization, on the proposals addressed
to it (`accept_option`, `decline`): the decision is authorized in their scope (the proposal policy), then the
transaction switches to the contractor's scope to write the estimate (`repository.acting_for_contractor`), then
back: for a bid request, the association's bid is accepted at the chosen option's total through the bids' own
`accept_bid` (the contractor's licence and insurance checked, the provider assigned, the other bids rejected),
whose assignment hands the work order off to the contractor's new job. Two acceptances at once: the estimate's row
lock orders them, and the second finds it ACCEPTED (INVALID_STATE_TRANSITION). Declining a bid request's
proposal rejects the association's bid through the bids' own `reject_bid`; a bid the association decides directly
is followed by `services.following`.

An accepted estimate of a job updates the job: a job still waiting for it (TICKET, ESTIMATE_REQUIRED) becomes
JOB_CREATED (`job.api.transition`), and its description names the accepted option."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.cam.work_order import api as work_orders
from hestami.contractor.estimate import kinds, repository, signals
from hestami.contractor.estimate.errors import EstimateReason, rule
from hestami.contractor.estimate.models import Estimate, EstimateOption, Proposal
from hestami.contractor.estimate.schemas import (
    AcceptOption,
    DeclineProposal,
    EstimateOut,
    ProposalOut,
    RecordAcceptance,
    RecordDecline,
)
from hestami.contractor.estimate.services import moves
from hestami.contractor.estimate.services.proposals import proposal_out
from hestami.contractor.estimate.services.reading import estimate_out, load
from hestami.contractor.job import api as jobs
from hestami.core import records
from hestami.core.acting import scoped_context
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

WAITING_FOR_ESTIMATE = frozenset({"TICKET", "ESTIMATE_REQUIRED"})


def _addressed_to_hoa(estimate: Estimate) -> None:
    if estimate.hoa_organization_id is not None:
        raise rule(
            EstimateReason.ADDRESSEE_DECIDES,
            f"{estimate.display_number} is addressed to an association: its managers decide on it themselves.",
        )


async def _option(ctx: RequestContext, estimate: Estimate, option_id: uuid.UUID) -> EstimateOption:
    option = await repository.option(ctx.session, option_id)
    if option is None or option.estimate_id != estimate.id:
        raise not_found("estimate_option", option_id)
    return option


async def accept(
    ctx: RequestContext, estimate: Estimate, option: EstimateOption, *, actor: uuid.UUID | None, name: str,
    organization_id: uuid.UUID | None, at: datetime | None = None,
) -> Estimate:  # fmt: skip
    """SENT → ACCEPTED with `option` (the others DECLINED), then the job follows (see the module); the caller holds
    the estimate's row lock, in the contractor's scope."""
    estimate = await moves.move(
        ctx, estimate, "ACCEPTED", f"{option.name} accepted by {name}", actor=actor, actor_name=name,
        accepted_option_id=option.id, decided_at=at or datetime.now(UTC), decided_by_name=name,
        decided_by_user_id=actor, decided_by_organization_id=organization_id,
    )  # fmt: skip
    await repository.decide_options(ctx.session, estimate.id, option.id)
    if estimate.job_id is not None:
        await follow_on_job(ctx, estimate, option, estimate.job_id)
    signals.wake_after_commit(ctx, estimate.id)
    return estimate


async def follow_on_job(ctx: RequestContext, estimate: Estimate, option: EstimateOption, job_id: uuid.UUID) -> None:
    """The job of an accepted estimate: created when it was waiting for it, its description naming the option."""
    job = await jobs.committed_job(ctx, job_id)
    if job is None:
        return
    note = f"{estimate.display_number}: {option.name} accepted ({option.total})"
    if job.status in WAITING_FOR_ESTIMATE:
        await jobs.transition(ctx, job.id, "JOB_CREATED", note, actor=ctx.user_id)
    accepted = f"Accepted option: {option.name} of {estimate.display_number}, total {option.total}."
    description = job.description or ""
    if accepted not in description:
        await jobs.describe(ctx, job.id, f"{description}\n\n{accepted}".strip())


async def decline_estimate(ctx: RequestContext, estimate: Estimate, *, actor: uuid.UUID | None, name: str,
                           organization_id: uuid.UUID | None, reason: str | None) -> Estimate:  # fmt: skip
    """SENT → DECLINED (every option DECLINED); the caller holds the estimate's row lock, in the contractor's
    scope."""
    estimate = await moves.move(
        ctx, estimate, "DECLINED", reason or f"declined by {name}", actor=actor, actor_name=name,
        decided_at=datetime.now(UTC), decided_by_name=name, decided_by_user_id=actor,
        decided_by_organization_id=organization_id,
    )  # fmt: skip
    await repository.decide_options(ctx.session, estimate.id, None)
    signals.wake_after_commit(ctx, estimate.id)
    return estimate


async def record_acceptance(ctx: RequestContext, data: RecordAcceptance) -> EstimateOut:
    """The customer accepted one option (recorded by a manager, with the customer's name and the time)."""
    estimate = await load(ctx, data.id, "record_decision", lock=True)
    _addressed_to_hoa(estimate)
    option = await _option(ctx, estimate, data.option_id)
    estimate = await accept(ctx, estimate, option, actor=ctx.user_id, name=data.accepted_by_name,
                            organization_id=None, at=data.accepted_at)  # fmt: skip
    return await estimate_out(ctx, estimate)


async def record_decline(ctx: RequestContext, data: RecordDecline) -> EstimateOut:
    estimate = await load(ctx, data.id, "record_decision", lock=True)
    _addressed_to_hoa(estimate)
    estimate = await decline_estimate(ctx, estimate, actor=ctx.user_id, name=data.declined_by_name,
                                      organization_id=None, reason=data.reason)  # fmt: skip
    return await estimate_out(ctx, estimate)


def _decider(ctx: RequestContext) -> str:
    return ctx.principal.email if ctx.principal and ctx.principal.email else str(ctx.user_id)


async def _on_contractor_side(ctx: RequestContext, proposal: Proposal) -> tuple[RequestContext, Estimate]:
    """The contractor's context (as the system, on the same transaction) and the proposal's estimate, locked; the
    proposal must be the estimate's latest (PROPOSAL_SUPERSEDED)."""
    inner = scoped_context(
        ctx.session, procedure=ctx.procedure, organization_id=proposal.organization_id, authorizer=ctx.authorizer
    )
    estimate = await repository.estimate(ctx.session, proposal.estimate_id, lock=True)  # the bid held first
    if estimate is None:
        raise not_found(kinds.PROPOSAL.name, proposal.id)
    latest = await repository.latest_proposal(ctx.session, estimate.id)
    if latest is None or latest.id != proposal.id:
        raise rule(EstimateReason.PROPOSAL_SUPERSEDED, "A later proposal replaced this one.")
    return inner, estimate


async def _hold_bid(ctx: RequestContext, proposal: Proposal) -> None:
    """The association's bid answered by the proposal's estimate (which the association reads once sent), and its
    work order, locked before the estimate is (`work_order.api.hold_bid`: one lock order with `bid/v1/acceptBid`)."""
    estimate = await repository.estimate(ctx.session, proposal.estimate_id)
    if estimate is not None and estimate.bid_id is not None:
        await work_orders.hold_bid(ctx, estimate.bid_id)


def hand_over(inner: RequestContext, ctx: RequestContext) -> None:
    """The effects `inner` (the contractor's side) registered run once `ctx`'s transaction has committed."""
    for effect in inner.drain_after_commit():
        ctx.after_commit(effect)


async def accept_option(ctx: RequestContext, data: AcceptOption) -> ProposalOut:
    """An HOA manager accepts one option of a proposal addressed to their organization (see the module)."""
    proposal = await records.load(ctx, kinds.PROPOSAL, data.proposal_id, "accept")
    offered = {option["id"] for option in proposal.content.get("options", [])}
    if str(data.option_id) not in offered:
        raise not_found("estimate_option", data.option_id)
    await _hold_bid(ctx, proposal)
    caller = (ctx.organization_id, ctx.user_id)
    async with repository.acting_for_contractor(ctx.session, proposal.organization_id, caller=caller):
        inner, estimate = await _on_contractor_side(ctx, proposal)
        option = await _option(inner, estimate, data.option_id)
        estimate = await accept(inner, estimate, option, actor=ctx.user_id, name=_decider(ctx),
                                organization_id=ctx.organization_id)  # fmt: skip
        bid_id, total, scope = estimate.bid_id, option.total, f"{estimate.display_number}: {option.name}"
    hand_over(inner, ctx)
    if bid_id is not None:
        await work_orders.accept_estimated_bid(ctx, bid_id, total, scope)
    return await proposal_out(ctx, proposal)


async def decline(ctx: RequestContext, data: DeclineProposal) -> ProposalOut:
    """An HOA manager declines a proposal addressed to their organization: every option is declined, and for a bid
    request the association's bid is rejected through the bids' own `reject_bid` (whose announcement then finds
    the estimate decided already)."""
    proposal = await records.load(ctx, kinds.PROPOSAL, data.proposal_id, "decline")
    await _hold_bid(ctx, proposal)
    caller = (ctx.organization_id, ctx.user_id)
    async with repository.acting_for_contractor(ctx.session, proposal.organization_id, caller=caller):
        inner, estimate = await _on_contractor_side(ctx, proposal)
        await decline_estimate(inner, estimate, actor=ctx.user_id, name=_decider(ctx),
                               organization_id=ctx.organization_id, reason=data.reason)  # fmt: skip
        bid_id = estimate.bid_id
    hand_over(inner, ctx)
    if bid_id is not None:
        await work_orders.reject_estimated_bid(ctx, bid_id)
    return await proposal_out(ctx, proposal)


async def link_handed_off_job(ctx: RequestContext, job_id: uuid.UUID) -> bool:
    """The job the hand-off opened for a work order (ctx: the contractor's organization, as the system) becomes the
    job of the estimate accepted for that work order's bid, and names the accepted option; whether there was one to
    link (once: an estimate linked already is left as it is)."""
    job = await jobs.committed_job(ctx, job_id)
    if job is None or job.work_order_id is None:
        return False
    estimate = await repository.accepted_for_work_order(ctx.session, job.work_order_id)
    if estimate is None or estimate.job_id is not None or estimate.accepted_option_id is None:
        return False
    option_id = estimate.accepted_option_id
    estimate = await records.change(ctx, kinds.ESTIMATE, estimate, {"job_id": job.id}, action="job_linked")
    option = await repository.option(ctx.session, option_id)
    if option is not None:
        await follow_on_job(ctx, estimate, option, job.id)
    return True

"""Estimates and proposals with good/better/best options (issue 23, P2.7): `estimate/v1/*`.

A contractor on the platform (its ADMIN and MANAGER members; DISPATCHER and VENDOR members draft and read)
generates an estimate for a job, a customer, or an HOA's request to bid on a work order: options (GOOD, BETTER,
BEST or free ones), each priced from the pricebook's ACTIVE version through its price rules, with tax at the
estimate's rate and a validity date. A manager sends it (a discount above the approval threshold waits for a
manager's approval first) as a proposal; the customer's decision is recorded by the contractor, while an HOA's
managers list, read and decide the proposals addressed to their organization themselves. Accepting one option
declines the others and freezes the estimate for good; an HOA's acceptance accepts the contractor's bid on the work
order, which becomes the contractor's job. The bid and the estimate never disagree: declining the proposal rejects
the bid, voiding a sent estimate withdraws it, and the association deciding the bid directly (`bid/v1/acceptBid`,
`rejectBid`, vendorAssignment_v1's expiry) decides the estimate (`services.following`). An association's managers
are also e-mailed each proposal and reminder about its work order. An estimate or proposal of another organization,
or one the caller may not view, is NOT_FOUND exactly like a random id."""

from __future__ import annotations

from hestami.contractor.estimate import workflows as workflows  # estimate_generation_v1 registers
from hestami.contractor.estimate.schemas import (
    AcceptOption,
    AddOption,
    ById,
    DecideApproval,
    DeclineProposal,
    EstimateOut,
    GenerateEstimate,
    HistoryOut,
    ListEstimates,
    ListProposals,
    ProposalOut,
    RecordAcceptance,
    RecordDecline,
    RemoveOption,
    ReplaceOption,
    SendEstimate,
    UpdateEstimate,
    VoidEstimate,
)
from hestami.contractor.estimate.services import decisions, drafting, proposals, sending
from hestami.contractor.estimate.services import following as following  # follows the bids' ends
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter

estimate = ProcedureRouter("estimate", tags=("estimate",))
ROUTERS: tuple[ProcedureRouter, ...] = (estimate,)


@estimate.mutation("generate")
async def generate(ctx: RequestContext, data: GenerateEstimate) -> EstimateOut:
    """Generate a DRAFT estimate (ADMIN, MANAGER, DISPATCHER, VENDOR), numbered EST-000001 per organization, for
    exactly one of: a `job_id` (one of your jobs; a work order's job is addressed to the association), a
    `customer_id` (one of your customers), or a `bid_id` (an association's request to your organization to bid on a
    work order, still open: one live estimate per request). Each of the `options` (1 to 6: `name`, `tier` GOOD,
    BETTER or BEST, a job template's items (`template_id`) and extra `items` ({code, quantity}), a
    `discount_percent`) is priced from the ACTIVE pricebook version through its price rules: the association's
    rate sheet for an HOA, the member discount (`member`; left unset, it applies when the customer or association
    has an ACTIVE maintenance agreement in force today), after-hours at `planned_at`. Tax at `tax_rate` (percent;
    default the setting) on taxable lines; `valid_until` defaults to 30 days from today. Starts
    `estimate_generation_v1`."""
    return await drafting.generate(ctx, data)


@estimate.query("get")
async def get_estimate(ctx: RequestContext, data: ById) -> EstimateOut:
    """One estimate with its options and their lines, and whom it is for (`customer_name`) (technicians: the
    estimates of jobs they work)."""
    return await drafting.get(ctx, data.id)


@estimate.query("list")
async def list_estimates(ctx: RequestContext, data: ListEstimates) -> Page[EstimateOut]:
    """Your estimates the caller may view, oldest first, filtered by `status`, `job_id`, `customer_id` or
    `work_order_id`; each names whom it is for (`customer_name`)."""
    return await drafting.list_estimates(ctx, data)


@estimate.query("history")
async def history(ctx: RequestContext, data: ById) -> HistoryOut:
    """The estimate's status changes, oldest first, each with who made it (a customer's or HOA manager's name for
    their decision)."""
    return await drafting.history(ctx, data.id)


@estimate.mutation("update")
async def update(ctx: RequestContext, data: UpdateEstimate) -> EstimateOut:
    """Change a DRAFT's `title`, `notes`, `valid_until`, or what prices it (`tax_rate`, `planned_at`, `member`:
    every option is priced again). Any other status: NOT_EDITABLE (FROZEN once accepted)."""
    return await drafting.update(ctx, data)


@estimate.mutation("proposeOptions")
async def propose_option(ctx: RequestContext, data: AddOption) -> EstimateOut:
    """Add one more option to a DRAFT (priced like `generate`'s), after the others."""
    return await drafting.add_option(ctx, data)


@estimate.mutation("replaceOption")
async def replace_option(ctx: RequestContext, data: ReplaceOption) -> EstimateOut:
    """Re-make one option of a DRAFT from the input, at its position, priced again."""
    return await drafting.replace_option(ctx, data)


@estimate.mutation("removeOption")
async def remove_option(ctx: RequestContext, data: RemoveOption) -> EstimateOut:
    """Remove one option of a DRAFT."""
    return await drafting.remove_option(ctx, data)


@estimate.mutation("send")
async def send(ctx: RequestContext, data: SendEstimate) -> EstimateOut:
    """Send the estimate (ADMIN, MANAGER): a DRAFT or APPROVED one, with options, still valid. With an option's
    discount above the approval threshold a DRAFT goes to PENDING_APPROVAL instead, and is sent once a manager
    approves it. Sending freezes its content as a proposal (with its SHA-256) to the addressee: a customer
    (`to_name`, `to_email`; default the customer's), or the association of a work order, whose managers then decide
    on it; the message is recorded (`notification/v1/list`). For a bid request it submits your bid: the lowest
    option's total."""
    return await sending.send(ctx, data)


@estimate.mutation("approve")
async def approve(ctx: RequestContext, data: DecideApproval) -> EstimateOut:
    """Decide on a PENDING_APPROVAL estimate (ADMIN, MANAGER): `approved` (default) and it is sent by
    `estimate_generation_v1`; refused (`approved: false`) and it is a DRAFT again."""
    return await sending.decide_approval(ctx, data)


@estimate.mutation("recordAcceptance")
async def record_acceptance(ctx: RequestContext, data: RecordAcceptance) -> EstimateOut:
    """Record that the customer accepted one option of a SENT estimate (ADMIN, MANAGER): `accepted_by_name`,
    `accepted_at` (default now). The other options are declined, the estimate is frozen for good, and its job moves
    on (to JOB_CREATED when it waited for the estimate) naming the accepted option. An association's estimate is
    decided by its managers (ADDRESSEE_DECIDES)."""
    return await decisions.record_acceptance(ctx, data)


@estimate.mutation("recordDecline")
async def record_decline(ctx: RequestContext, data: RecordDecline) -> EstimateOut:
    """Record that the customer declined a SENT estimate (ADMIN, MANAGER), with their name and a reason."""
    return await decisions.record_decline(ctx, data)


@estimate.mutation("void")
async def void(ctx: RequestContext, data: VoidEstimate) -> EstimateOut:
    """Withdraw an estimate not decided yet (ADMIN, MANAGER); an accepted one is FROZEN. A SENT estimate answering
    a bid request was your bid: the bid is WITHDRAWN with it (an unsent one leaves the request open for another
    estimate)."""
    return await sending.void(ctx, data.id, data.reason)


@estimate.query("listProposals")
async def list_proposals(ctx: RequestContext, data: ListProposals) -> Page[ProposalOut]:
    """The proposals addressed to your organization (an association's ADMIN and MANAGER members), oldest first,
    each with the content as sent and the estimate's status now; or, for the contractor, the proposals (each
    sending) of one of its estimates (`estimate_id`)."""
    return await proposals.list_proposals(ctx, data)


@estimate.query("getProposal")
async def get_proposal(ctx: RequestContext, data: ById) -> ProposalOut:
    """One proposal addressed to your organization (or one of your own, for the contractor)."""
    return await proposals.get(ctx, data.id)


@estimate.mutation("acceptOption")
async def accept_option(ctx: RequestContext, data: AcceptOption) -> ProposalOut:
    """Accept one option of a proposal addressed to your organization (an association's ADMIN or MANAGER), the
    estimate's latest: the estimate is ACCEPTED with that option, the others declined. For a bid request, your
    association accepts the contractor's bid at that option's total (licence and insurance checked; the other bids
    rejected) and the work order is assigned: the contractor's job follows. Only once: a second acceptance is
    INVALID_STATE_TRANSITION."""
    return await decisions.accept_option(ctx, data)


@estimate.mutation("decline")
async def decline(ctx: RequestContext, data: DeclineProposal) -> ProposalOut:
    """Decline a proposal addressed to your organization (an association's ADMIN or MANAGER): every option. For a
    bid request, your association rejects the contractor's bid with it (as `bid/v1/rejectBid`). Only once: a second
    decision is INVALID_STATE_TRANSITION."""
    return await decisions.decline(ctx, data)

"""Proposals as their addressee reads them: an HOA's managers list and read the proposals addressed to their
organization (RLS admits them to those rows, the proposal policy decides), each with the content as sent and the
estimate's status now. The contractor reads its own proposals the same way."""

from __future__ import annotations

import uuid

from hestami.contractor.estimate import kinds, repository
from hestami.contractor.estimate.models import Proposal
from hestami.contractor.estimate.schemas import ListProposals, ProposalOut
from hestami.contractor.estimate.services.reading import load
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.pagination import Page


async def proposal_out(ctx: RequestContext, proposal: Proposal) -> ProposalOut:
    estimate = await repository.estimate(ctx.session, proposal.estimate_id)
    if estimate is None:
        raise not_found(kinds.PROPOSAL.name, proposal.id)
    return records.output(
        ProposalOut, proposal, estimate_number=estimate.display_number, estimate_status=estimate.status,
        accepted_option_id=estimate.accepted_option_id, decided_at=estimate.decided_at,
        decided_by_name=estimate.decided_by_name,
    )  # fmt: skip


async def get(ctx: RequestContext, proposal_id: uuid.UUID) -> ProposalOut:
    return await proposal_out(ctx, await records.load(ctx, kinds.PROPOSAL, proposal_id))


async def list_proposals(ctx: RequestContext, data: ListProposals) -> Page[ProposalOut]:
    """The proposals addressed to the caller's organization that the caller may view, oldest first; with
    `estimate_id`, the proposals of one of the caller's estimates (NOT_FOUND unless the caller may view it)."""
    if data.estimate_id is not None:
        estimate = await load(ctx, data.estimate_id)
        wanted = Proposal.estimate_id == estimate.id
    else:
        wanted = Proposal.addressee_organization_id == ctx.require_org()
    rows, cursor = await records.page(ctx, kinds.PROPOSAL, data, wanted)
    return Page[ProposalOut](items=[await proposal_out(ctx, row) for row in rows], next_cursor=cursor)

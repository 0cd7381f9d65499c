"""Loading estimates for an action, and their outputs (options with their lines)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.estimate import kinds, repository
from hestami.contractor.estimate.models import Estimate, EstimateLine
from hestami.contractor.estimate.schemas import EstimateOut, LineOut, OptionOut
from hestami.contractor.job import api as jobs
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext


async def load(ctx: RequestContext, estimate_id: uuid.UUID, action: str = "view", *, lock: bool = False) -> Estimate:
    """An estimate of the caller's organization the caller may `action` (a contractor on the platform only)."""
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.ESTIMATE, estimate_id, action, lock=lock)


async def load_locked(ctx: RequestContext, estimate_id: uuid.UUID, action: str) -> Estimate:
    """`load`, locked; an estimate answering a bid request takes the bid's lock first (`work_order.api.hold_bid`:
    one lock order with the bids' decisions it follows)."""
    estimate = await load(ctx, estimate_id, action)
    if estimate.bid_id is not None:
        await work_orders.hold_bid(ctx, estimate.bid_id)
    await ctx.session.refresh(estimate, with_for_update={"key_share": True})  # FOR NO KEY UPDATE
    return estimate


async def estimates_out(ctx: RequestContext, estimates: Sequence[Estimate]) -> list[EstimateOut]:
    """The estimates with their options and lines, and whom each is for (`customer_name`): a customer's name, or
    for an HOA work order's estimate its association's; the names read once for the whole page (one query per
    kind: `job.api.customer_names`, `job.api.work_order_associations`)."""
    customers = await jobs.customer_names(ctx, [e.customer_id for e in estimates if e.customer_id is not None])
    hoa = [e.work_order_id for e in estimates if e.customer_id is None and e.work_order_id is not None]
    associations = await jobs.work_order_associations(ctx, hoa)
    named: list[EstimateOut] = []
    for estimate in estimates:
        name = (
            customers.get(estimate.customer_id) if estimate.customer_id is not None
            else associations.get(estimate.work_order_id) if estimate.work_order_id is not None else None
        )  # fmt: skip
        named.append(await _out(ctx, estimate, customer_name=name))
    return named


async def estimate_out(ctx: RequestContext, estimate: Estimate) -> EstimateOut:
    (out,) = await estimates_out(ctx, [estimate])
    return out


async def content_out(ctx: RequestContext, estimate: Estimate) -> EstimateOut:
    """The estimate with its options and lines, without the names of whom it is for (the content a proposal
    freezes)."""
    return await _out(ctx, estimate)


async def _out(ctx: RequestContext, estimate: Estimate, **more: Any) -> EstimateOut:
    by_option: dict[uuid.UUID, list[EstimateLine]] = defaultdict(list)
    for line in await repository.lines(ctx.session, estimate.id):
        by_option[line.option_id].append(line)
    options = [
        records.output(OptionOut, o, lines=[records.output(LineOut, line) for line in by_option[o.id]])
        for o in await repository.options(ctx.session, estimate.id)
    ]
    return records.output(EstimateOut, estimate, number=estimate.display_number, options=options, **more)

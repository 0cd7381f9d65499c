"""One turn of `estimate_generation_v1` on the locked estimate (as the system, in the contractor's organization):
an APPROVED estimate with a sending asked for is sent; a SENT one is reminded once its reminder is due and EXPIRED
at its expiry (its bid, for a bid request, lapses with it). An estimate answering a bid request takes the bid's lock
first (`work_order.api.hold_bid`). Returns where the estimate is and when to look again; None while it is not
visible (the request that made it has not committed)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from hestami.cam.work_order import api as work_orders
from hestami.contractor.estimate import lifecycle, repository
from hestami.contractor.estimate.services import sending
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class Turn:
    status: str
    finished: bool
    next_at: datetime | None
    happened: tuple[str, ...]


async def take_turn(ctx: RequestContext, estimate_id: uuid.UUID, now: datetime) -> Turn | None:
    estimate = await repository.estimate(ctx.session, estimate_id)
    if estimate is None:
        return None
    if estimate.bid_id is not None and estimate.status not in lifecycle.DECIDED:
        await work_orders.hold_bid(ctx, estimate.bid_id)  # the bid first: one lock order with its decisions
    estimate = await repository.estimate(ctx.session, estimate_id, lock=True)
    if estimate is None:
        return None
    happened: list[str] = []
    if estimate.status == "APPROVED" and estimate.send_request is not None:
        estimate = await sending.deliver(ctx, estimate, estimate.send_request)
        happened.append("sent")
    next_at: datetime | None = None
    if estimate.status == "SENT" and estimate.expires_at is not None:
        due = sending.reminder_due(estimate)
        if now >= estimate.expires_at:
            estimate = await sending.expire(ctx, estimate)
            happened.append("expired")
        elif due is not None and estimate.reminded_at is None and now >= due:
            estimate = await sending.remind(ctx, estimate)
            happened.append("reminded")
        if estimate.status == "SENT":
            next_at = due if due is not None and estimate.reminded_at is None else estimate.expires_at
    finished = estimate.status in lifecycle.DECIDED
    return Turn(status=estimate.status, finished=finished, next_at=next_at, happened=tuple(happened))

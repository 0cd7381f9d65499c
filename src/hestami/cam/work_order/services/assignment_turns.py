"""One turn of `vendorAssignment_v1`: whatever is due now for a work order's vendor assignment, in one transaction
on the locked run.

- The first turn asks the top `wanted` matches (`services.matching`) to bid, through the bid path
  (`bids.requested_bid`, one bid per work order and provider): each request is due `response_hours` later and
  reminded at half of that.
- A request still unanswered (its bid REQUESTED) at its reminder time is reminded once; at its due time its bid
  becomes EXPIRED and the provider is told.
- When the first round is over (its deadline passed, or nobody is left to answer) and fewer providers priced the
  work than wanted, the next matches not asked yet are asked, once (the second round, for the shortfall); when
  that round is over too, or none was needed, the run is COMPLETED.
- A work order that left SUBMITTED and TRIAGED (assigned, cancelled) STOPS the run: nothing more is sent.

Everything a turn does is recorded with the stamps that say it happened (`reminded_at`, `expired_at`, the run's
round), and every message has a dedupe key, so a turn that committed but whose completion the workflow did not
record (kill -9) finds nothing left to do when it runs again. Bids are locked while the turn reads them: a provider
answering at the deadline either answers first (and is not expired) or finds its bid EXPIRED.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from hestami.cam.work_order import kinds, repository
from hestami.cam.work_order.models import Bid, VendorAssignment, VendorAssignmentRequest, WorkOrder
from hestami.cam.work_order.services import bids, matching, notifications
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

ROUNDS = 2
PRICED = frozenset({"SUBMITTED", "ACCEPTED", "REJECTED"})
"""Statuses of a bid that was priced (with `submitted_at`): a REJECTED one may also have been refused unpriced."""


@dataclass(frozen=True, slots=True)
class Turn:
    """What a turn left: the run's status, what it did, and when the next thing falls due (None: nothing)."""

    status: str
    happened: tuple[str, ...] = ()
    next_at: datetime | None = None


def hour_seconds() -> float:
    """How long a response "hour" lasts: `VENDOR_ASSIGNMENT_HOUR_SECONDS` (an hour, but for tests and demos)."""
    return runtime.current().settings.vendor_assignment_hour_seconds


def timers(now: datetime, response_hours: int, hour: float) -> tuple[datetime, datetime]:
    """(remind at, due at) of a request sent `now`: half the response time, and all of it."""
    due = now + timedelta(seconds=response_hours * hour)
    return now + (due - now) / 2, due


def priced(bid: Bid) -> bool:
    return bid.submitted_at is not None and bid.status in PRICED


def _message(order: WorkOrder, run: VendorAssignment, request: VendorAssignmentRequest, what: str) -> OutboundMessage:
    payload: dict[str, Any] = {
        "provider": request.provider_name,
        "priority": order.priority,
        "category": order.category,
        "round": request.round,
        "due_at": request.due_at.isoformat(),
    }
    recipient = f"provider:{request.provider_organization_id}"
    key = f"vendor_assignment:{run.id}:{request.provider_organization_id}:{what}"
    return notifications.message(order, recipient, None, f"work_order.bid_{what}", payload, key)


async def _ask(
    ctx: RequestContext, run: VendorAssignment, order: WorkOrder, count: int, now: datetime
) -> list[VendorAssignmentRequest]:
    """Asks the best `count` matches not asked to bid on the work order yet (by anyone), as the run's next round."""
    found = await matching.matches_for(ctx, order, date.today())
    asked = {bid.provider_organization_id for bid in await repository.bids_on(ctx.session, order.id)}
    chosen = [(rank, c) for rank, c in enumerate(found.matches, 1) if c.provider_organization_id not in asked][:count]
    remind_at, due_at = timers(now, run.response_hours, hour_seconds())
    sent = []
    for rank, chosen_one in chosen:
        bid = bids.requested_bid(order, chosen_one.provider_organization_id, chosen_one.provider_name)
        bid = await records.insert(ctx, kinds.BID, bid)
        request = VendorAssignmentRequest(
            organization_id=order.organization_id, assignment_id=run.id, work_order_id=order.id, bid_id=bid.id,
            provider_organization_id=bid.provider_organization_id, provider_name=bid.provider_name,
            round=run.round + 1, rank=rank, requested_at=now, remind_at=remind_at, due_at=due_at,
        )  # fmt: skip
        ctx.session.add(request)
        sent.append(request)
    await ctx.session.flush()
    await record_all_once(ctx.session, [_message(order, run, request, "requested") for request in sent])
    return sent


async def _finish(ctx: RequestContext, run: VendorAssignment, status: str, outcome: str, now: datetime) -> Turn:
    changes = {"status": status, "outcome": outcome, "finished_at": now}
    await records.change(ctx, kinds.VENDOR_ASSIGNMENT, run, changes, action=status.lower())
    return Turn(status, (f"{status.lower()}: {outcome}",))


async def _no_matches(ctx: RequestContext, run: VendorAssignment, order: WorkOrder, now: datetime) -> Turn:
    """Nobody to ask at all: the managers hear it (once each), and the run is over."""
    payload = {"priority": order.priority, "category": order.category}
    managers = await identity.members_in_roles(ctx, notifications.MANAGING_ROLES)
    template = "work_order.no_provider_matched"
    messages = [
        notifications.message(
            order, email, user_id, template, payload, f"vendor_assignment:{run.id}:no_matches:{email}"
        )
        for user_id, email in managers
    ]
    await record_all_once(ctx.session, messages)
    return await _finish(ctx, run, "COMPLETED", "No provider matched.", now)


async def _remind_and_expire(
    ctx: RequestContext,
    run: VendorAssignment,
    order: WorkOrder,
    requests: Sequence[tuple[VendorAssignmentRequest, Bid]],
    now: datetime,
) -> list[str]:
    happened, messages = [], []
    for request, bid in requests:
        if bid.status != "REQUESTED" or request.expired_at is not None:
            continue
        if request.due_at <= now:
            await bids.expire(ctx, bid, now)
            request.expired_at = now
            messages.append(_message(order, run, request, "expired"))
            happened.append(f"expired {request.provider_name}")
        elif request.remind_at <= now and request.reminded_at is None:
            request.reminded_at = now
            messages.append(_message(order, run, request, "reminder"))
            happened.append(f"reminded {request.provider_name}")
    await ctx.session.flush()
    await record_all_once(ctx.session, messages)
    return happened


def _next_at(requests: Sequence[tuple[VendorAssignmentRequest, Bid]]) -> datetime | None:
    """The next reminder or deadline of the requests still waiting for an answer."""
    times = [
        r.due_at if r.reminded_at is not None else min(r.remind_at, r.due_at)
        for r, bid in requests
        if bid.status == "REQUESTED" and r.expired_at is None
    ]
    return min(times, default=None)


async def take_turn(ctx: RequestContext, work_order_id: uuid.UUID, now: datetime) -> Turn | None:
    """Does what is due for the work order's vendor assignment now (None: the run is not visible, not committed
    yet). `ctx` acts as the system in the work order's organization."""
    run = await repository.vendor_assignment_of(ctx.session, work_order_id, lock=True)
    if run is None:
        return None
    if run.status != "RUNNING":
        return Turn(run.status)
    order = await records.find(ctx, kinds.WORK_ORDER, run.work_order_id, lock=True)
    if order.status not in bids.OPEN_FOR_BIDS:
        return await _finish(ctx, run, "STOPPED", f"The work order is {order.status}.", now)
    happened: list[str] = []
    if run.round == 0:
        sent = await _ask(ctx, run, order, run.wanted, now)
        if not sent:
            return await _no_matches(ctx, run, order, now)
        await records.change(
            ctx, kinds.VENDOR_ASSIGNMENT, run, {"round": 1, "round_deadline_at": sent[0].due_at}, action="round_sent"
        )
        happened.append(f"round 1: asked {', '.join(r.provider_name for r in sent)}")
    requests = await repository.vendor_assignment_requests(ctx.session, run.id, lock=True)
    happened += await _remind_and_expire(ctx, run, order, requests, now)
    waiting = _next_at(requests)
    if waiting is not None:
        return Turn(run.status, tuple(happened), waiting)
    # The round is over: every request was answered, or expired at its deadline.
    answered = sum(1 for _, bid in requests if priced(bid))
    if run.round < ROUNDS and run.next_round_at is None and answered < run.wanted:
        sent = await _ask(ctx, run, order, run.wanted - answered, now)
        changes: dict[str, Any] = {"next_round_at": now}
        if sent:
            changes |= {"round": run.round + 1, "round_deadline_at": sent[0].due_at}
        await records.change(ctx, kinds.VENDOR_ASSIGNMENT, run, changes, action="next_round")
        happened.append(f"round 2: asked {', '.join(r.provider_name for r in sent) or 'nobody (no other match)'}")
        if sent:
            return Turn(run.status, tuple(happened), min(r.remind_at for r in sent))
    finished = await _finish(ctx, run, "COMPLETED", f"{answered} of {run.wanted} bids in.", now)
    return Turn(finished.status, (*happened, *finished.happened))

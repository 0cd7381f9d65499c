"""Bids: an association asks linked providers to bid on a work order; each provider answers from its own
organization; accepting one assigns its provider (documents checked) and rejects the others.

Every bid that ends (ACCEPTED, REJECTED, EXPIRED by vendorAssignment_v1, WITHDRAWN) is announced to the `when_decided`
hooks in its transaction, in the scope of whoever ended it (how the contractor pillar's estimate answering the bid
follows; CAM never imports it)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from hestami.cam.work_order import assignment_workflow, kinds, repository
from hestami.cam.work_order.errors import WorkOrderReason, rule
from hestami.cam.work_order.models import Bid, WorkOrder
from hestami.cam.work_order.schemas import BidById, BidOut, BidsOut, ListBids, RequestBids, SubmitBid
from hestami.cam.work_order.services import providers, work_orders
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

OPEN_FOR_BIDS = frozenset({"SUBMITTED", "TRIAGED"})

DecidedHook = Callable[[RequestContext, Bid], Awaitable[None]]
_when_decided: list[DecidedHook] = []


def when_decided(hook: DecidedHook) -> DecidedHook:
    """Registers `hook(ctx, bid)`, run in the transaction of every bid that ends, once its status is written."""
    _when_decided.append(hook)
    return hook


async def _decided(ctx: RequestContext, bid: Bid) -> Bid:
    for hook in _when_decided:
        await hook(ctx, bid)
    return bid


def bid_out(bid: Bid) -> BidOut:
    return BidOut.model_validate(bid)


def requested_bid(order: WorkOrder, provider_organization_id: uuid.UUID, provider_name: str) -> Bid:
    """A new request to a linked provider to bid on the work order (REQUESTED now); the caller checks the provider
    and stores it (`records.create`, or `records.insert` for vendorAssignment_v1's own requests)."""
    return Bid(
        work_order_id=order.id,
        provider_organization_id=provider_organization_id,
        provider_name=provider_name,
        status="REQUESTED",
        requested_at=datetime.now(UTC),
    )


async def request_bids(ctx: RequestContext, data: RequestBids) -> BidsOut:
    """Invites each linked, approved provider with current documents; inviting one twice changes nothing."""
    order = await records.find(ctx, kinds.WORK_ORDER, data.work_order_id, lock=True)
    await records.authorize_record(ctx, kinds.WORK_ORDER, order, "request_bids")
    if order.status not in OPEN_FOR_BIDS:
        raise rule(WorkOrderReason.BID_NOT_OPEN, f"A work order in {order.status} does not take bids.")
    existing = {b.provider_organization_id: b for b in await repository.bids_on(ctx.session, order.id)}
    bids = []
    for provider_org in dict.fromkeys(data.provider_organization_ids):
        if provider_org in existing:
            bids.append(existing[provider_org])
            continue
        link = await providers.eligible_provider(ctx, order.association_id, provider_org)
        bids.append(await records.create(ctx, kinds.BID, requested_bid(order, provider_org, link.provider_name)))
    return BidsOut(items=[bid_out(b) for b in bids], next_cursor=None)


async def _bid(ctx: RequestContext, bid_id: uuid.UUID, action: str) -> Bid:
    return await records.load(ctx, kinds.BID, bid_id, action, lock=True)


def _wake_assignment(ctx: RequestContext, bid: Bid) -> None:
    """Once this answer or decision has committed, the work order's vendorAssignment_v1 (if it has one) takes its
    next turn at once instead of at its next timer."""
    work_order_id = bid.work_order_id
    ctx.after_commit(lambda: assignment_workflow.wake(work_order_id))


async def submit_bid(ctx: RequestContext, data: SubmitBid) -> BidOut:
    """The invited provider prices the work (from its own organization scope); it may revise until a decision."""
    bid = await _bid(ctx, data.bid_id, "submit")
    if bid.status not in ("REQUESTED", "SUBMITTED"):
        raise rule(WorkOrderReason.BID_NOT_OPEN, f"The bid is {bid.status}.")
    changes = {
        "status": "SUBMITTED",
        "amount": data.amount,
        "scope": data.scope,
        "valid_until": data.valid_until,
        "submitted_at": datetime.now(UTC),
        "submitted_by": ctx.user_id,
    }
    _wake_assignment(ctx, bid)
    return bid_out(await records.change(ctx, kinds.BID, bid, changes, action="submitted"))


async def submit_for_provider(
    ctx: RequestContext, bid_id: uuid.UUID, amount: Decimal, scope: str, valid_until: date | None
) -> Bid:
    """`submit_bid` for the provider's own domain that authorized its own action (the contractor's estimate is sent:
    its manager, not a VENDOR member, answers the request): the bid must be the caller's organization's
    (NOT_FOUND otherwise) and open (BID_NOT_OPEN)."""
    bid = await records.find(ctx, kinds.BID, bid_id, lock=True)
    if bid.provider_organization_id != ctx.organization_id:
        raise not_found(kinds.BID.name, bid_id)
    if bid.status not in ("REQUESTED", "SUBMITTED"):
        raise rule(WorkOrderReason.BID_NOT_OPEN, f"The bid is {bid.status}.")
    changes = {
        "status": "SUBMITTED", "amount": amount, "scope": scope, "valid_until": valid_until,
        "submitted_at": datetime.now(UTC), "submitted_by": ctx.user_id,
    }  # fmt: skip
    _wake_assignment(ctx, bid)
    return await records.change(ctx, kinds.BID, bid, changes, action="submitted")


async def accept_at(ctx: RequestContext, bid_id: uuid.UUID, amount: Decimal, scope: str) -> BidOut:
    """The association accepts the provider's bid at the option it chose of the provider's proposal: the bid's
    amount and scope become that option's, then `accept_bid` (licence and insurance checked, the provider
    assigned, the other bids rejected). The caller must be allowed to accept the bid (NOT_FOUND / FORBIDDEN)."""
    bid = await records.load(ctx, kinds.BID, bid_id, "accept")
    await records.find(ctx, kinds.WORK_ORDER, bid.work_order_id, lock=True)  # the work order first, as accept_bid
    await ctx.session.refresh(bid, with_for_update=True)
    if bid.status != "SUBMITTED":
        raise rule(WorkOrderReason.BID_NOT_OPEN, f"Only a SUBMITTED bid can be accepted; this one is {bid.status}.")
    if bid.amount != amount or bid.scope != scope:
        await records.change(ctx, kinds.BID, bid, {"amount": amount, "scope": scope}, action="revised")
    return await accept_bid(ctx, BidById(bid_id=bid.id))


async def _withdraw(ctx: RequestContext, bid: Bid) -> Bid:
    if bid.status not in ("REQUESTED", "SUBMITTED"):
        raise rule(WorkOrderReason.BID_NOT_OPEN, f"The bid is {bid.status}.")
    _wake_assignment(ctx, bid)
    return await _decided(ctx, await records.change(ctx, kinds.BID, bid, {"status": "WITHDRAWN"}, action="withdrawn"))


async def withdraw_bid(ctx: RequestContext, data: BidById) -> BidOut:
    return bid_out(await _withdraw(ctx, await _bid(ctx, data.bid_id, "withdraw")))


async def withdraw_for_provider(ctx: RequestContext, bid_id: uuid.UUID) -> Bid:
    """`withdraw_bid` for the provider's own domain that authorized its own action (the contractor voids the
    estimate it sent as its bid): the bid must be the caller's organization's (NOT_FOUND otherwise) and open
    (BID_NOT_OPEN)."""
    bid = await records.find(ctx, kinds.BID, bid_id, lock=True)
    if bid.provider_organization_id != ctx.organization_id:
        raise not_found(kinds.BID.name, bid_id)
    return await _withdraw(ctx, bid)


async def reject_bid(ctx: RequestContext, data: BidById) -> BidOut:
    bid = await _bid(ctx, data.bid_id, "reject")
    if bid.status not in ("REQUESTED", "SUBMITTED"):
        raise rule(WorkOrderReason.BID_NOT_OPEN, f"The bid is {bid.status}.")
    changes = {"status": "REJECTED", "decided_at": datetime.now(UTC)}
    _wake_assignment(ctx, bid)
    return bid_out(await _decided(ctx, await records.change(ctx, kinds.BID, bid, changes, action="rejected")))


async def expire(ctx: RequestContext, bid: Bid, now: datetime) -> Bid:
    """vendorAssignment_v1's deadline passed on an unanswered (REQUESTED, locked) bid: EXPIRED."""
    return await _decided(
        ctx, await records.change(ctx, kinds.BID, bid, {"status": "EXPIRED", "decided_at": now}, action="expired")
    )


async def accept_bid(ctx: RequestContext, data: BidById) -> BidOut:
    """Accepts a submitted bid: its provider is assigned to the work order (licence and insurance must be
    current) at the bid's amount, and every other open bid is rejected.

    One bid per work order is accepted: the work order is locked before the bid is read again and checked, so
    of two acceptances at once the second finds its bid already rejected (BID_NOT_OPEN); a unique index on
    accepted bids holds the same rule in the database."""
    bid = await records.load(ctx, kinds.BID, data.bid_id, "accept")
    order = await records.find(ctx, kinds.WORK_ORDER, bid.work_order_id, lock=True)
    await ctx.session.refresh(bid, with_for_update=True)  # as it is now that we hold the work order
    if bid.status != "SUBMITTED":
        raise rule(WorkOrderReason.BID_NOT_OPEN, f"Only a SUBMITTED bid can be accepted; this one is {bid.status}.")
    link = await providers.eligible_provider(ctx, order.association_id, bid.provider_organization_id)
    now = datetime.now(UTC)
    accepted = await records.change(ctx, kinds.BID, bid, {"status": "ACCEPTED", "decided_at": now}, action="accepted")
    await _decided(ctx, accepted)
    for other in await repository.other_open_bids(ctx.session, order.id, bid.id):
        rejected = {"status": "REJECTED", "decided_at": now}
        await _decided(ctx, await records.change(ctx, kinds.BID, other, rejected, action="rejected"))
    changes = {
        "assigned_provider_org_id": link.provider_organization_id,
        "assigned_vendor_id": link.vendor_id,
        "estimated_cost": bid.amount,
    }
    await work_orders.transition(ctx, order, "ASSIGNED", f"bid of {link.provider_name} accepted", **changes)
    _wake_assignment(ctx, bid)
    return bid_out(accepted)


async def list_bids(ctx: RequestContext, data: ListBids) -> BidsOut:
    """With `work_order_id`: the association's bids on it. Without: the bids this provider was invited to."""
    filters = []
    if data.work_order_id is not None:
        order = await records.load(ctx, kinds.WORK_ORDER, data.work_order_id)
        filters.append(Bid.work_order_id == order.id)
    else:
        filters.append(Bid.provider_organization_id == ctx.require_org())
    if data.status:
        filters.append(Bid.status == data.status)
    items, cursor = await records.page(ctx, kinds.BID, data, *filters)
    return BidsOut(items=[bid_out(b) for b in items], next_cursor=cursor)

"""Sending an estimate, and its approval.

`send` on a DRAFT whose options all stay within the approval threshold (ESTIMATE_APPROVAL_DISCOUNT_PERCENT) approves
and sends it at once; with a discount above it, the estimate waits in PENDING_APPROVAL with the sending asked for,
until a MANAGER or ADMIN decides (`decide_approval`): approved, `estimate_generation_v1` sends it; refused, it is a
DRAFT again. Sending (`deliver`) freezes the content into a proposal (options and lines as JSON, its SHA-256, the
estimate's version), records the message to the addressee (the outbox: a customer's email, or the HOA's portal),
sets when the estimate expires, and for an HOA bid request submits the contractor's bid on the work order: the
lowest option's total, the options' summary as its scope. A proposal (and its reminder) to an HOA also reaches the
association's managers by e-mail, in the HOA's outbox about the work order (`work_order.api.
notify_managers_of_proposal`), once each. Voiding a SENT bid estimate withdraws the bid, and so does its expiry."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.estimate import kinds, lifecycle, repository, signals
from hestami.contractor.estimate.errors import EstimateReason, rule
from hestami.contractor.estimate.models import Estimate, EstimateOption, Proposal
from hestami.contractor.estimate.schemas import DecideApproval, EstimateOut, SendEstimate
from hestami.contractor.estimate.services import moves
from hestami.contractor.estimate.services.reading import content_out, estimate_out, load, load_locked
from hestami.contractor.job import api as jobs
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.outbox import OutboundMessage, record_once

PROPOSAL_TEMPLATE = "estimate_proposal"
REMINDER_TEMPLATE = "estimate_expiry_reminder"


def needs_approval(options: list[EstimateOption]) -> bool:
    threshold = runtime.current().settings.estimate_approval_discount_percent
    return any(option.discount_percent > threshold for option in options)


async def send(ctx: RequestContext, data: SendEstimate) -> EstimateOut:
    """See the module: sent now, or PENDING_APPROVAL until a manager decides."""
    estimate = await load_locked(ctx, data.id, "send")
    if estimate.status == "ACCEPTED":
        moves.require_draft(estimate)
    if estimate.status not in ("DRAFT", "APPROVED"):
        check_transition("estimate", lifecycle.TRANSITIONS, estimate.status, "SENT")
    options = await repository.options(ctx.session, estimate.id)
    if not options:
        raise rule(EstimateReason.NO_OPTIONS, f"{estimate.display_number} has no options to propose.")
    if estimate.valid_until < datetime.now(UTC).date():
        raise rule(
            EstimateReason.VALIDITY_PASSED, f"{estimate.display_number} was valid until {estimate.valid_until}.",
            valid_until=estimate.valid_until.isoformat(),
        )  # fmt: skip
    request = {"message": data.message, "to_name": data.to_name, "to_email": data.to_email,
               "sent_by": str(ctx.user_id) if ctx.user_id else None}  # fmt: skip
    if estimate.status == "DRAFT" and needs_approval(options):
        estimate = await moves.move(ctx, estimate, "PENDING_APPROVAL", "a discount above the threshold",
                                    send_request=request)  # fmt: skip
    else:
        if estimate.status == "DRAFT":
            estimate = await moves.move(ctx, estimate, "APPROVED", "no discount needs approval",
                                        approved_at=datetime.now(UTC))  # fmt: skip
        estimate = await deliver(ctx, estimate, request)
    signals.wake_after_commit(ctx, estimate.id)
    return await estimate_out(ctx, estimate)


async def decide_approval(ctx: RequestContext, data: DecideApproval) -> EstimateOut:
    """A manager's decision on a PENDING_APPROVAL estimate: approved (sent by `estimate_generation_v1`), or back to
    DRAFT."""
    estimate = await load(ctx, data.id, "approve", lock=True)
    if data.approved:
        note = data.note or "approved"
        estimate = await moves.move(ctx, estimate, "APPROVED", note, approved_by=ctx.user_id,
                                    approved_at=datetime.now(UTC))  # fmt: skip
    else:
        estimate = await moves.move(ctx, estimate, "DRAFT", data.note or "approval refused", send_request=None)
    signals.wake_after_commit(ctx, estimate.id)
    return await estimate_out(ctx, estimate)


async def frozen_content(ctx: RequestContext, estimate: Estimate) -> dict[str, Any]:
    """The estimate as sent: its terms, options and lines, as JSON (money as decimal strings)."""
    out = await content_out(ctx, estimate)
    options = [
        option.model_dump(mode="json", exclude={"organization_id", "created_at", "updated_at", "status", "estimate_id"})
        for option in out.options
    ]
    for option in options:
        for line in option["lines"]:
            for key in ("organization_id", "created_at", "updated_at", "option_id"):
                line.pop(key, None)
    return {
        "number": out.number, "title": out.title, "version": out.version, "tax_rate": str(out.tax_rate),
        "valid_until": out.valid_until.isoformat(), "notes": out.notes, "options": options,
    }  # fmt: skip


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


async def _addressee(ctx: RequestContext, estimate: Estimate, request: dict[str, Any]) -> dict[str, Any]:
    if estimate.hoa_organization_id is not None:
        return {"addressee_kind": "HOA", "addressee_name": "The association's management",
                "addressee_email": None, "addressee_organization_id": estimate.hoa_organization_id}  # fmt: skip
    name, email = request.get("to_name"), request.get("to_email")
    if estimate.job_id is not None and (name is None or email is None):
        contact = await jobs.customer_contact(ctx, estimate.job_id)
        if contact is not None:
            name, email = name or contact.name, email or contact.email
    elif estimate.customer_id is not None and (name is None or email is None):
        customer = await jobs.load_customer(ctx, estimate.customer_id)
        name, email = name or customer.name, email or customer.email
    if name is None:
        raise rule(EstimateReason.NO_ADDRESSEE, f"Name the addressee of {estimate.display_number} (to_name).")
    return {"addressee_kind": "CUSTOMER", "addressee_name": name, "addressee_email": email,
            "addressee_organization_id": None}  # fmt: skip


def expiry(sent_at: datetime, estimate: Estimate) -> datetime:
    """The end of the validity: the days from the sending through `valid_until`, each ESTIMATE_DAY_SECONDS long
    (a real day in production: the time of the sending, the day after `valid_until`)."""
    days = (estimate.valid_until - sent_at.date()).days + 1
    return sent_at + timedelta(seconds=max(days, 0) * runtime.current().settings.estimate_day_seconds)


def reminder_due(estimate: Estimate) -> datetime | None:
    """When the expiry reminder is due: ESTIMATE_REMINDER_DAYS before the expiry, if that is after the sending."""
    if estimate.expires_at is None or estimate.sent_at is None:
        return None
    settings = runtime.current().settings
    due = estimate.expires_at - timedelta(seconds=settings.estimate_reminder_days * settings.estimate_day_seconds)
    return due if settings.estimate_reminder_days > 0 and due > estimate.sent_at else None


async def deliver(ctx: RequestContext, estimate: Estimate, request: dict[str, Any]) -> Estimate:
    """Sends an APPROVED estimate (see the module); the caller holds its row lock."""
    now = datetime.now(UTC)
    content = await frozen_content(ctx, estimate)
    sender = request.get("sent_by")
    proposal = Proposal(
        estimate_id=estimate.id, estimate_version=estimate.version, message=request.get("message"), sent_at=now,
        sent_by=uuid.UUID(sender) if sender else None, content=content, content_hash=content_hash(content),
        **(await _addressee(ctx, estimate, request)),
    )  # fmt: skip
    proposal = await records.insert(ctx, kinds.PROPOSAL, proposal)
    estimate = await moves.move(
        ctx, estimate, "SENT", f"proposal to {proposal.addressee_name}", actor=proposal.sent_by,
        sent_at=now, expires_at=expiry(now, estimate), send_request=None,
    )  # fmt: skip
    await _notify(ctx, estimate, proposal, PROPOSAL_TEMPLATE, f"estimate:{proposal.id}:proposal")
    if estimate.bid_id is not None:
        await _submit_bid(ctx, estimate, content)
    return estimate


async def _submit_bid(ctx: RequestContext, estimate: Estimate, content: dict[str, Any]) -> None:
    totals = [(Decimal(option["total"]), option["name"]) for option in content["options"]]
    summary = "; ".join(f"{name}: {total}" for total, name in totals)
    scope = f"{estimate.display_number} ({estimate.title}), options {summary}"
    assert estimate.bid_id is not None
    await work_orders.submit_estimated_bid(ctx, estimate.bid_id, min(totals)[0], scope, estimate.valid_until)


async def _notify(ctx: RequestContext, estimate: Estimate, proposal: Proposal, template: str, key: str) -> None:
    """The message to the proposal's addressee, recorded once (the outbox's dedupe key): a customer's email (the
    mail room when there is none), or the HOA organization's portal and an e-mail to each of the association's
    managers (in the HOA's outbox, about the work order, as CAM tells them of its work orders)."""
    if proposal.addressee_organization_id is not None:
        channel, recipient = "PORTAL", f"organization:{proposal.addressee_organization_id}"
    elif proposal.addressee_email:
        channel, recipient = "EMAIL", proposal.addressee_email
    else:
        channel, recipient = "MAIL", proposal.addressee_name
    payload = {"estimate": estimate.display_number, "title": estimate.title, "proposal_id": str(proposal.id),
               "valid_until": estimate.valid_until.isoformat(), "message": proposal.message}  # fmt: skip
    message = OutboundMessage(
        organization_id=estimate.organization_id, channel=channel, recipient=recipient, template=template,
        payload=payload, request_id=ctx.request_id, entity_type=kinds.ESTIMATE.name, entity_id=estimate.id,
        dedupe_key=key,
    )  # fmt: skip
    await record_once(ctx.session, message)
    if proposal.addressee_organization_id is not None and estimate.work_order_id is not None:
        await work_orders.notify_managers_of_proposal(ctx, estimate.work_order_id, template, payload, key)


async def remind(ctx: RequestContext, estimate: Estimate) -> Estimate:
    """The expiry reminder to the latest proposal's addressee, once (`reminded_at`, and the outbox's dedupe key)."""
    proposal = await repository.latest_proposal(ctx.session, estimate.id)
    if proposal is not None:
        await _notify(ctx, estimate, proposal, REMINDER_TEMPLATE, f"estimate:{estimate.id}:reminder")
    return await records.change(ctx, kinds.ESTIMATE, estimate, {"reminded_at": datetime.now(UTC)}, action="reminded")


async def expire(ctx: RequestContext, estimate: Estimate) -> Estimate:
    """SENT → EXPIRED at the end of its validity (the caller holds the bid's lock, then the estimate's): a bid
    request's bid, still open, lapses with it (WITHDRAWN), so the association cannot accept it any more."""
    estimate = await moves.move(ctx, estimate, "EXPIRED", f"valid until {estimate.valid_until}")
    if (
        estimate.bid_id is not None
        and (await work_orders.bid_request(ctx, estimate.bid_id)).status in lifecycle.OPEN_BIDS
    ):
        await work_orders.withdraw_estimated_bid(ctx, estimate.bid_id)
    return estimate


async def void(ctx: RequestContext, estimate_id: uuid.UUID, reason: str | None) -> EstimateOut:
    """Withdraws an estimate not decided yet (VOID); an accepted one is frozen for good. A SENT estimate answering a
    bid request was the contractor's bid: the bid is WITHDRAWN with it."""
    estimate = await load_locked(ctx, estimate_id, "void")
    if estimate.status == "ACCEPTED":
        moves.require_draft(estimate)
    was = estimate.status
    estimate = await moves.move(ctx, estimate, "VOID", reason or "voided")
    if was == "SENT" and estimate.bid_id is not None:
        await work_orders.withdraw_estimated_bid(ctx, estimate.bid_id)
    signals.wake_after_commit(ctx, estimate.id)
    return await estimate_out(ctx, estimate)

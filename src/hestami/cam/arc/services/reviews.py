"""Review: a submitted request is assigned to a committee of its association, the committee's members review it
(one vote each per round: approve, deny, request changes or abstain; a member who votes again in the same round
replaces their vote, and the audit trail keeps both), and the decision follows the round's votes: refused without
the committee's quorum, otherwise approved (with the conditions given) when the approvals reach the committee's
threshold, else changes requested or denied (`lifecycle.Tally.outcome`). Only the votes of the committee's current
members count (a member taken off the committee, or a committee replaced mid-round, no longer decides)."""

from __future__ import annotations

from datetime import UTC, datetime

from hestami.cam.arc import kinds, lifecycle, repository
from hestami.cam.arc.errors import ArcReason, rule
from hestami.cam.arc.models import ArcRequest, Review
from hestami.cam.arc.schemas import (
    ArcRequestOut,
    AssignCommittee,
    ListReviews,
    RecordDecision,
    ReviewOut,
    ReviewsOut,
    SubmitReview,
)
from hestami.cam.arc.services import requests
from hestami.core import audit, records
from hestami.core.context import RequestContext


def review_out(review: Review) -> ReviewOut:
    return records.output(ReviewOut, review)


def _require_under_review(request: ArcRequest) -> None:
    if request.status != "UNDER_REVIEW":
        raise rule(
            ArcReason.NOT_UNDER_REVIEW, f"The request is {request.status}, not under review.", status=request.status
        )


async def assign_committee(ctx: RequestContext, data: AssignCommittee) -> ArcRequestOut:
    """A SUBMITTED request goes UNDER_REVIEW with the committee (whose members are told); one UNDER_REVIEW is
    reassigned to another committee (audited; the new committee decides the round)."""
    request = await records.load(ctx, kinds.ARC_REQUEST, data.request_id, "assign_committee", lock=True)
    committee = await records.load(ctx, kinds.COMMITTEE, data.committee_id)
    if committee.association_id != request.association_id:
        raise rule(ArcReason.WRONG_ASSOCIATION, "That committee belongs to another association.")
    if not committee.active:
        raise rule(ArcReason.COMMITTEE_INACTIVE, "That committee is no longer active.")
    if request.status == "SUBMITTED":
        note = f"Assigned to {committee.name} for review."
        await requests.move(ctx, request, "UNDER_REVIEW", note, committee_id=committee.id)
    elif request.status == "UNDER_REVIEW":
        if request.committee_id != committee.id:
            await records.change(
                ctx, kinds.ARC_REQUEST, request, {"committee_id": committee.id}, action="committee_reassigned"
            )
            await requests.tell_committee(ctx, request, f"Reassigned to {committee.name} for review.")
    else:
        raise rule(
            ArcReason.NOT_UNDER_REVIEW,
            f"Only a submitted request or one under review can be assigned; this one is {request.status}.",
            status=request.status,
        )
    return await requests.output(ctx, request)


async def submit_review(ctx: RequestContext, data: SubmitReview) -> ReviewOut:
    """A member's vote in the current round; a second vote from the same member in the round replaces the first."""
    request = await records.load(ctx, kinds.ARC_REQUEST, data.request_id, "review", lock=True)
    _require_under_review(request)
    user_id = ctx.user_id
    assert user_id is not None  # a review is a signed-in member's
    review = await repository.review_by(ctx.session, request.id, request.round, user_id)
    if review is None:
        review = Review(
            organization_id=request.organization_id, request_id=request.id, round=request.round,
            reviewer_user_id=user_id, action=data.action, comments=data.comments,
        )  # fmt: skip
        ctx.session.add(review)
        before = None
        action = "arc_request.reviewed"
    else:
        before = {"action": review.action, "comments": review.comments}
        review.action, review.comments = data.action, data.comments
        review.updated_at = datetime.now(UTC)
        action = "arc_request.review_replaced"
    await ctx.session.flush()
    await ctx.session.refresh(review)
    audit.record(
        ctx, action, kinds.ARC_REQUEST.name, request.id, before=before,
        after={"review_id": str(review.id), "round": review.round, "action": review.action,
               "comments": review.comments},
    )  # fmt: skip
    return review_out(review)


async def list_reviews(ctx: RequestContext, data: ListReviews) -> ReviewsOut:
    """The reviews of one round (the current one unless given), for whoever may view the request."""
    request = await records.load(ctx, kinds.ARC_REQUEST, data.request_id)
    round_ = data.round if data.round is not None else request.round
    return ReviewsOut(items=[review_out(r) for r in await repository.reviews(ctx.session, request.id, round_)])


async def record_decision(ctx: RequestContext, data: RecordDecision) -> ArcRequestOut:
    """The committee's decision from the current round's votes of its members (quorum, then threshold)."""
    request = await records.load(ctx, kinds.ARC_REQUEST, data.request_id, "record_decision", lock=True)
    _require_under_review(request)
    if request.committee_id is None:
        raise rule(ArcReason.NO_COMMITTEE, "No committee is assigned to the request.")
    committee = await records.find(ctx, kinds.COMMITTEE, request.committee_id)
    members = set(await repository.committee_user_ids(ctx.session, committee.id))
    votes = [
        r.action
        for r in await repository.reviews(ctx.session, request.id, request.round)
        if str(r.reviewer_user_id) in members
    ]
    tally = lifecycle.tally(votes, committee.quorum, committee.approval_threshold)
    if not tally.has_quorum:
        raise rule(
            ArcReason.NO_QUORUM,
            f"{tally.cast} of the {tally.quorum} reviews the committee needs for a decision.",
            cast=tally.cast,
            quorum=tally.quorum,
        )
    outcome = tally.outcome()
    audit.record(
        ctx, "arc_request.tallied", kinds.ARC_REQUEST.name, request.id,
        after={"round": request.round, "committee_id": str(committee.id), "cast": tally.cast,
               "approve": tally.approve, "deny": tally.deny, "request_changes": tally.request_changes,
               "abstain": tally.abstain, "approval_percent": str(tally.approval_percent),
               "threshold": str(tally.threshold), "outcome": outcome},
    )  # fmt: skip
    if outcome == "APPROVED":
        status = lifecycle.decided_status(outcome, list(data.conditions))
        await requests.approve(
            ctx, request, status, reasons=data.reasons, conditions=list(data.conditions), deemed=False
        )
    else:
        await requests.move(
            ctx, request, outcome, data.reasons, decision=outcome, decision_reasons=data.reasons,
            decided_at=datetime.now(UTC), decided_by=ctx.user_id, review_due_at=None,
        )  # fmt: skip
    return await requests.output(ctx, request)

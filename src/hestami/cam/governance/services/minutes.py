"""Minutes: drafted for a meeting once it has been held, approved at a later meeting of the same body in session
with quorum. Owners read approved minutes only; a draft is for the board and the managers.

Drafting the minutes puts their approval on the agenda of the body's next meeting already scheduled (a meeting
scheduled later picks up every unapproved draft itself: `meetings.carry_minutes_approvals`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.cam.governance import kinds, repository, rules, workflows
from hestami.cam.governance.errors import GovernanceReason, rule
from hestami.cam.governance.models import Meeting, Minutes
from hestami.cam.governance.schemas import ApproveMinutes, DraftMinutes, MinutesOut
from hestami.cam.governance.services import meetings
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

MINUTES = "meeting_minutes"


async def carry_to_next_meeting(ctx: RequestContext, meeting: Meeting) -> uuid.UUID | None:
    """Puts the approval of `meeting`'s minutes on the next scheduled meeting of its body; that meeting's id."""
    following = await repository.next_meeting_of_body(ctx.session, meeting)
    if following is None:
        return None
    await repository.add_minutes_approval(ctx.session, meeting.organization_id, following.id, meeting)
    return following.id


async def draft(ctx: RequestContext, data: DraftMinutes) -> MinutesOut:
    """Writes (or rewrites) the draft minutes of a meeting in session or adjourned (MINUTES_APPROVED once approved:
    approved minutes are the record)."""
    meeting = await records.load(ctx, kinds.MEETING, data.meeting_id, "record_minutes", lock=True)
    if meeting.status not in ("IN_SESSION", "ADJOURNED"):
        raise rule(GovernanceReason.NOT_EDITABLE, "Minutes are written once the meeting has been held.")
    row = await repository.minutes(ctx.session, meeting.id, lock=True)
    if row is not None and row.status == "APPROVED":
        raise rule(GovernanceReason.MINUTES_APPROVED, "The minutes are approved; they are the record now.")
    before = records.snapshot(row) if row is not None else None
    if row is None:
        row = Minutes(organization_id=meeting.organization_id, meeting_id=meeting.id, body=data.body, status="DRAFT")
        ctx.session.add(row)
    row.body, row.drafted_by = data.body, ctx.user_id
    await ctx.session.flush()
    await ctx.session.refresh(row)
    audit.record(ctx, f"{MINUTES}.drafted", MINUTES, row.id, before=before, after=records.snapshot(row))
    if before is None:
        await carry_to_next_meeting(ctx, meeting)
        meeting_id = meeting.id
        ctx.after_commit(lambda: workflows.signal(meeting_id, "MINUTES_DRAFTED"))
    return records.output(MinutesOut, row)


async def get(ctx: RequestContext, meeting_id: uuid.UUID) -> MinutesOut:
    """A meeting's minutes: approved ones for everyone who sees the meeting, drafts for the board and managers
    (NOT_FOUND otherwise, as for a meeting without minutes)."""
    meeting = await records.load(ctx, kinds.MEETING, meeting_id)
    row = await repository.minutes(ctx.session, meeting.id)
    if row is None or (
        row.status != "APPROVED" and not await records.can(ctx, kinds.MEETING, meeting, "view_draft_minutes")
    ):
        raise not_found(MINUTES, meeting_id)
    return records.output(MinutesOut, row)


async def approve(ctx: RequestContext, data: ApproveMinutes) -> MinutesOut:
    """The meeting in session (with quorum: NO_QUORUM otherwise) approves an earlier meeting's draft minutes: of the
    same body, or an owners' meeting's at a board meeting (OTHER_BODY otherwise; WRONG_ASSOCIATION for another
    association's; SAME_MEETING for its own or a later one; NO_MINUTES without a draft)."""
    meeting = await meetings.in_session(ctx, data.meeting_id, "conduct", lock=True)
    if data.minutes_of_meeting_id == meeting.id:
        raise rule(GovernanceReason.SAME_MEETING, "A meeting's minutes are approved at a later meeting.")
    earlier = await records.load(ctx, kinds.MEETING, data.minutes_of_meeting_id)
    if earlier.association_id != meeting.association_id:
        raise rule(GovernanceReason.WRONG_ASSOCIATION, "The minutes are of another association's meeting.")
    owners_minutes_at_board = earlier.kind in rules.MEMBER_MEETINGS and meeting.kind == "BOARD"
    if earlier.board_id != meeting.board_id and not owners_minutes_at_board:
        raise rule(
            GovernanceReason.OTHER_BODY,
            "Minutes are approved by a later meeting of the same body (an owners' meeting's also by the board).",
        )
    if earlier.starts_at >= meeting.starts_at:
        raise rule(GovernanceReason.SAME_MEETING, "Minutes are approved at a later meeting.")
    row = await repository.minutes(ctx.session, earlier.id, lock=True)
    if row is None:
        raise rule(GovernanceReason.NO_MINUTES, "That meeting has no draft minutes.")
    if row.status == "APPROVED":
        raise rule(GovernanceReason.MINUTES_APPROVED, "Those minutes are approved already.")
    await meetings.require_quorum(ctx, meeting)
    before = records.snapshot(row)
    row.status, row.approved_at_meeting_id, row.approved_at = "APPROVED", meeting.id, datetime.now(UTC)
    await ctx.session.flush()
    await ctx.session.refresh(row)
    audit.record(ctx, f"{MINUTES}.approved", MINUTES, row.id, before=before, after=records.snapshot(row))
    return records.output(MinutesOut, row)

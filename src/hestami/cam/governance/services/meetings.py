"""Meetings: scheduled with the notice the association's settings require, an agenda, attendance and quorum,
called to order and adjourned, cancelled; every status change through `move`.

Scheduling inside the notice period is refused: a board meeting needs `board_notice_days`, an owners' meeting
`member_notice_days` (and its notice may not go out more than `member_notice_max_days` ahead). The notice, the final
agenda and the reminder are sent by `meetingLifecycle_v1` at the times computed here (`rules.notice_plan`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.governance import kinds, lifecycle, repository, rules, workflows
from hestami.cam.governance.errors import GovernanceReason, rule
from hestami.cam.governance.models import AgendaItem, Attendance, Board, Meeting, MeetingNotice, Voter
from hestami.cam.governance.schemas import (
    AddAgendaItem,
    AgendaItemIn,
    AgendaItemOut,
    AttendanceListOut,
    AttendanceOut,
    CancelMeeting,
    ListMeetings,
    MeetingOut,
    MeetingsOut,
    QuorumOut,
    RecordAttendance,
    ScheduleMeeting,
    SettingsOut,
    UpdateMeeting,
)
from hestami.cam.governance.services import resolutions
from hestami.cam.governance.services import settings as governance_settings
from hestami.cam.governance.services.boards import seat_in_scope
from hestami.core import audit, records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError, check_transition, not_found
from hestami.core.pagination import PageRequest

AGENDA_ITEM = "meeting_agenda_item"
ATTENDANCE = "meeting_attendance"


def day_seconds() -> float:
    return runtime.current().settings.governance_day_seconds


def _invalid(pointer: str, message: str) -> HestamiError:
    return HestamiError(ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError(pointer, message, "invalid")])


async def sees_executive_session(ctx: RequestContext, meeting: Meeting) -> bool:
    return await records.can(ctx, kinds.MEETING, meeting, "view_executive")


async def output(ctx: RequestContext, meeting: Meeting, *, with_agenda: bool = True) -> MeetingOut:
    """The meeting with its agenda (executive-session items only for those who may see them)."""
    items: list[AgendaItemOut] = []
    if with_agenda:
        executive = await sees_executive_session(ctx, meeting)
        rows = await repository.agenda(ctx.session, [meeting.id])
        items = [records.output(AgendaItemOut, row) for row in rows if executive or row.session == "OPEN"]
    status = (await repository.minutes_status(ctx.session, [meeting.id])).get(meeting.id)
    return records.output(MeetingOut, meeting, agenda=items, minutes_status=status)


async def _body(ctx: RequestContext, data: ScheduleMeeting) -> Board | None:
    """The board or committee that meets (none for an owners' meeting)."""
    if data.kind in rules.MEMBER_MEETINGS:
        if data.board_id is not None:
            raise _invalid("/board_id", "An owners' meeting belongs to no board or committee.")
        return None
    if data.kind == "BOARD":
        board = await repository.board_of(ctx.session, data.association_id)
        if board is None:
            raise rule(GovernanceReason.NO_BOARD, "The association has no board of directors yet.")
        if data.board_id is not None and data.board_id != board.id:
            raise _invalid("/board_id", "A board meeting is the board of directors' (leave board_id out).")
        return board
    if data.board_id is None:
        raise _invalid("/board_id", "A committee meeting names its committee.")
    committee = await records.load(ctx, kinds.BOARD, data.board_id)
    if committee.association_id != data.association_id:
        raise rule(GovernanceReason.WRONG_ASSOCIATION, "The committee belongs to another association.")
    if committee.kind != "COMMITTEE":
        raise _invalid("/board_id", "board_id of a COMMITTEE meeting names a committee.")
    return committee


def _notice_times(data: ScheduleMeeting, rules_in_force: SettingsOut, now: datetime) -> tuple[int, rules.NoticePlan]:
    member = data.kind in rules.MEMBER_MEETINGS
    notice_days = rules_in_force.member_notice_days if member else rules_in_force.board_notice_days
    earliest = data.starts_at - rules.days(rules_in_force.member_notice_max_days, day_seconds()) if member else None
    if member and data.notice_at is not None and earliest is not None and data.notice_at < earliest:
        raise rule(
            GovernanceReason.TOO_EARLY_FOR_NOTICE,
            f"An owners' meeting is noticed at most {rules_in_force.member_notice_max_days} days ahead.",
            earliest_notice_at=earliest.isoformat(),
        )
    wanted = data.notice_at if data.notice_at is not None else (max(now, earliest) if earliest is not None else None)
    plan = rules.notice_plan(
        now, data.starts_at, notice_days=notice_days, agenda_days=rules_in_force.agenda_days,
        reminder_hours=rules_in_force.reminder_hours, day_seconds=day_seconds(), notice_at=wanted,
    )  # fmt: skip
    if plan.notice_at > plan.latest_notice_at:
        raise rule(
            GovernanceReason.INSIDE_NOTICE_PERIOD,
            f"A {data.kind.lower()} meeting needs {notice_days} days' notice: the notice would go out after "
            f"{plan.latest_notice_at.isoformat()}.",
            notice_days=notice_days,
            latest_notice_at=plan.latest_notice_at.isoformat(),
            earliest_starts_at=(plan.notice_at + rules.days(notice_days, day_seconds())).isoformat(),
        )
    return notice_days, plan


def _record_date(data: ScheduleMeeting, plan: rules.NoticePlan) -> date | None:
    if data.kind not in rules.MEMBER_MEETINGS:
        if data.record_date is not None:
            raise _invalid("/record_date", "Only an owners' meeting has a record date.")
        return None
    record_date = data.record_date or plan.notice_at.date()
    if record_date > plan.notice_at.date():
        raise _invalid("/record_date", "The record date is on or before the day the notice goes out.")
    return record_date


async def _check_item(ctx: RequestContext, association_id: uuid.UUID, item: AgendaItemIn, pointer: str) -> None:
    if item.resolution_id is not None:
        resolution = await records.load(ctx, kinds.RESOLUTION, item.resolution_id)
        if resolution.association_id != association_id:
            raise rule(GovernanceReason.WRONG_ASSOCIATION, f"{pointer}: the resolution belongs to another association.")


def _item(meeting: Meeting, position: int, item: AgendaItemIn) -> AgendaItem:
    return AgendaItem(
        organization_id=meeting.organization_id, meeting_id=meeting.id, position=position, title=item.title,
        description=item.description, item_type=item.item_type, session=item.session,
        resolution_id=item.resolution_id,
    )  # fmt: skip


async def carry_minutes_approvals(ctx: RequestContext, meeting: Meeting) -> int:
    """Puts the approval of every earlier meeting's unapproved minutes (same body) on this meeting's agenda."""
    added = 0
    for earlier in await repository.unapproved_minutes_before(ctx.session, meeting):
        added += await repository.add_minutes_approval(ctx.session, meeting.organization_id, meeting.id, earlier)
    return added


async def schedule(ctx: RequestContext, data: ScheduleMeeting) -> MeetingOut:
    """Schedules the meeting and starts its lifecycle (notice, final agenda, reminder)."""
    await association.load_association(ctx, data.association_id)
    body = await _body(ctx, data)
    in_force = await governance_settings.effective(ctx, data.association_id)
    now = datetime.now(UTC)
    notice_days, plan = _notice_times(data, in_force, now)
    record_date = _record_date(data, plan)
    for index, item in enumerate(data.agenda):
        await _check_item(ctx, data.association_id, item, f"/agenda/{index}")
    meeting = Meeting(
        association_id=data.association_id, board_id=body.id if body else None,
        number=await repository.next_number(ctx.session, Meeting, data.association_id), kind=data.kind,
        title=data.title, status="SCHEDULED", starts_at=data.starts_at, location=data.location,
        video_link=data.video_link, notice_days=notice_days, notice_at=plan.notice_at,
        notice_channels=list(in_force.notice_channels), agenda_at=plan.agenda_at, reminder_at=plan.reminder_at,
        record_date=record_date,
        quorum_percent=in_force.member_quorum_percent if data.kind in rules.MEMBER_MEETINGS else None,
        scheduled_by=ctx.user_id,
    )  # fmt: skip
    meeting = await records.create(ctx, kinds.MEETING, meeting)
    ctx.session.add_all(_item(meeting, position, item) for position, item in enumerate(data.agenda, start=1))
    await ctx.session.flush()
    await carry_minutes_approvals(ctx, meeting)
    await workflows.start(meeting.organization_id, meeting.id)
    return await output(ctx, meeting)


async def get(ctx: RequestContext, meeting_id: uuid.UUID) -> MeetingOut:
    return await output(ctx, await records.load(ctx, kinds.MEETING, meeting_id))


async def list_meetings(ctx: RequestContext, data: ListMeetings) -> MeetingsOut:
    """Without the agendas (get one meeting for its agenda)."""
    filters: list[Any] = []
    if data.association_id is not None:
        filters.append(Meeting.association_id == data.association_id)
    if data.kind is not None:
        filters.append(Meeting.kind == data.kind)
    if data.status is not None:
        filters.append(Meeting.status == data.status)
    if data.starts_from is not None:
        filters.append(Meeting.starts_at >= data.starts_from)
    if data.starts_before is not None:
        filters.append(Meeting.starts_at < data.starts_before)
    rows, cursor = await records.page(ctx, kinds.MEETING, PageRequest(limit=data.limit, cursor=data.cursor), *filters)
    statuses = await repository.minutes_status(ctx.session, [row.id for row in rows])
    items = [records.output(MeetingOut, row, agenda=[], minutes_status=statuses.get(row.id)) for row in rows]
    return MeetingsOut(items=items, next_cursor=cursor)


async def _upcoming(ctx: RequestContext, meeting_id: uuid.UUID, action: str) -> Meeting:
    meeting = await records.load(ctx, kinds.MEETING, meeting_id, action, lock=True)
    if meeting.status not in lifecycle.UPCOMING:
        raise rule(
            GovernanceReason.NOT_EDITABLE, f"A {meeting.status} meeting cannot be changed.", status=meeting.status
        )
    return meeting


async def update(ctx: RequestContext, data: UpdateMeeting) -> MeetingOut:
    """Title, place and link of an upcoming meeting (its time is fixed once scheduled: cancel and schedule again,
    so the notice owners received stays true)."""
    meeting = await _upcoming(ctx, data.id, "update")
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None or k in ("location", "video_link")}
    meeting = await records.change(ctx, kinds.MEETING, meeting, changes)
    return await output(ctx, meeting)


async def add_agenda_item(ctx: RequestContext, data: AddAgendaItem) -> AgendaItemOut:
    """Adds an item at the end of an upcoming meeting's agenda (the final agenda goes out `agenda_days` before)."""
    meeting = await _upcoming(ctx, data.meeting_id, "update")
    await _check_item(ctx, meeting.association_id, data, "/resolution_id")
    await repository.lock(ctx.session, "agenda", meeting.id)
    item = _item(meeting, await repository.next_position(ctx.session, meeting.id), data)
    ctx.session.add(item)
    await ctx.session.flush()
    await ctx.session.refresh(item)
    audit.record(ctx, "meeting_agenda_item.created", AGENDA_ITEM, item.id, after=records.snapshot(item))
    return records.output(AgendaItemOut, item)


async def meeting_of(ctx: RequestContext, kind: str, row_id: uuid.UUID, meeting_id: uuid.UUID) -> Meeting:
    """The meeting a row of `kind` (an agenda item, an attendance) belongs to. A meeting the caller may not see
    answers NOT_FOUND naming the row, as a random id does (naming the meeting would tell the row exists)."""
    meeting = await records.find(ctx, kinds.MEETING, meeting_id)
    if not await records.can(ctx, kinds.MEETING, meeting, "view"):
        raise not_found(kind, row_id)
    return meeting


async def remove_agenda_item(ctx: RequestContext, item_id: uuid.UUID) -> None:
    item = await repository.agenda_item(ctx.session, item_id)
    if item is None:
        raise not_found(AGENDA_ITEM, item_id)
    meeting = await meeting_of(ctx, AGENDA_ITEM, item_id, item.meeting_id)
    if item.session == "EXECUTIVE" and not await sees_executive_session(ctx, meeting):
        raise not_found(AGENDA_ITEM, item_id)
    await _upcoming(ctx, meeting.id, "update")
    before = records.snapshot(item)
    await ctx.session.delete(item)
    await ctx.session.flush()
    audit.record(ctx, "meeting_agenda_item.deleted", AGENDA_ITEM, item_id, before=before)


async def move(ctx: RequestContext, meeting: Meeting, target: str, **values: Any) -> Meeting:
    """The one path for every status change: the table allows it, the audit trail records it, and the lifecycle
    hears of it once the change has committed."""
    check_transition("meeting", lifecycle.MEETING_MOVES, meeting.status, target)
    meeting = await records.change(ctx, kinds.MEETING, meeting, {"status": target, **values}, action="status_changed")
    meeting_id = meeting.id
    ctx.after_commit(lambda: workflows.signal(meeting_id, target))
    return meeting


async def lapse_open_votes(ctx: RequestContext, meeting: Meeting) -> int:
    """Votes still open when their meeting ends lapse: closed uncounted (no result, no tallies), and a resolution
    one was deciding is a proposal again, free for another vote."""
    lapsed = await repository.open_votes(ctx.session, meeting.id)
    for vote in lapsed:
        changes = {"status": "CLOSED", "result": None, "tallies": None, "closed_at": datetime.now(UTC)}
        await records.change(ctx, kinds.VOTE, vote, changes, action="lapsed")
        if vote.resolution_id is not None:
            await resolutions.release(ctx, vote.resolution_id)
    return len(lapsed)


async def cancel(ctx: RequestContext, data: CancelMeeting) -> MeetingOut:
    """Cancels an upcoming meeting (ballots opened before it lapse); everyone who was sent its notice is told (by
    the lifecycle, once each)."""
    meeting = await records.load(ctx, kinds.MEETING, data.id, "cancel", lock=True)
    meeting = await move(ctx, meeting, "CANCELLED", cancelled_at=datetime.now(UTC), cancel_reason=data.reason)
    await lapse_open_votes(ctx, meeting)
    return await output(ctx, meeting)


async def call_to_order(ctx: RequestContext, meeting_id: uuid.UUID) -> MeetingOut:
    """Opens a meeting whose notice went out (INVALID_STATE_TRANSITION before: a meeting without notice cannot
    be held)."""
    meeting = await records.load(ctx, kinds.MEETING, meeting_id, "conduct", lock=True)
    meeting = await move(ctx, meeting, "IN_SESSION", called_to_order_at=datetime.now(UTC))
    return await output(ctx, meeting)


async def adjourn(ctx: RequestContext, meeting_id: uuid.UUID) -> MeetingOut:
    """Closes the meeting. Votes still open lapse uncounted (`lapse_open_votes`): a meeting that lost its quorum
    can always end, and adopts nothing."""
    meeting = await records.load(ctx, kinds.MEETING, meeting_id, "conduct", lock=True)
    meeting = await move(ctx, meeting, "ADJOURNED", adjourned_at=datetime.now(UTC))
    await lapse_open_votes(ctx, meeting)
    return await output(ctx, meeting)


async def in_session(
    ctx: RequestContext, meeting_id: uuid.UUID, action: str = "conduct", *, lock: bool = False
) -> Meeting:
    meeting = await records.load(ctx, kinds.MEETING, meeting_id, action, lock=lock)
    if meeting.status != "IN_SESSION":
        raise rule(GovernanceReason.NOT_IN_SESSION, "The meeting is not in session.", status=meeting.status)
    return meeting


async def _attendee(ctx: RequestContext, meeting: Meeting, data: RecordAttendance) -> dict[str, Any]:
    """Who attends and with what weight: a current director of the meeting's board (weight 1), or a unit on the
    voter list (its voting weight), in person, by proxy or electronically as the association allows."""
    if data.seat_id is not None:
        seat = await seat_in_scope(ctx, data.seat_id)
        held = seat.term_start <= date.today() and (seat.ended_on is None or seat.ended_on > date.today())
        if meeting.board_id is None or seat.board_id != meeting.board_id or not held:
            raise rule(GovernanceReason.NOT_A_VOTER, "The seat is not a current seat of the meeting's board.")
        return {"seat_id": seat.id, "user_id": seat.user_id, "attendee_name": seat.holder_name, "weight": Decimal(1)}
    if meeting.kind not in rules.MEMBER_MEETINGS:
        raise rule(
            GovernanceReason.NOT_A_VOTER, "Units attend owners' meetings; a board meeting records its directors."
        )
    assert data.unit_id is not None
    voter = await repository.voter(ctx.session, meeting.id, data.unit_id)
    if voter is None:
        raise rule(GovernanceReason.NOT_A_VOTER, "The unit is not on the meeting's voter list.")
    return {
        "unit_id": voter.unit_id,
        "attendee_name": f"{voter.unit_number}: {voter.owner_names}",
        "weight": voter.weight,
    }


async def check_method(ctx: RequestContext, association_id: uuid.UUID, mode: str) -> None:
    in_force = await governance_settings.effective(ctx, association_id)
    if mode == "PROXY" and not in_force.proxies_allowed:
        raise rule(GovernanceReason.PROXIES_NOT_ALLOWED, "The association does not allow proxies.")
    if mode == "ELECTRONIC" and not in_force.electronic_voting_allowed:
        raise rule(GovernanceReason.ELECTRONIC_NOT_ALLOWED, "The association does not allow electronic attendance.")


async def record_attendance(ctx: RequestContext, data: RecordAttendance) -> AttendanceOut:
    """Records a director present or a unit represented at a meeting in session; once each (ALREADY_PRESENT)."""
    meeting = await in_session(ctx, data.meeting_id, lock=True)
    await check_method(ctx, meeting.association_id, data.mode)
    who = await _attendee(ctx, meeting, data)
    if await repository.attended(ctx.session, meeting.id, seat_id=who.get("seat_id"), unit_id=who.get("unit_id")):
        raise rule(GovernanceReason.ALREADY_PRESENT, "Already recorded as present.")
    row = Attendance(
        organization_id=meeting.organization_id, meeting_id=meeting.id, mode=data.mode,
        proxy_holder=data.proxy_holder, **who,
    )  # fmt: skip
    ctx.session.add(row)
    await ctx.session.flush()
    await ctx.session.refresh(row)
    audit.record(ctx, "meeting_attendance.created", ATTENDANCE, row.id, after=records.snapshot(row))
    return records.output(AttendanceOut, row)


async def remove_attendance(ctx: RequestContext, attendance_id: uuid.UUID) -> None:
    row = await repository.attendance_row(ctx.session, attendance_id)
    if row is None:
        raise not_found(ATTENDANCE, attendance_id)
    await meeting_of(ctx, ATTENDANCE, attendance_id, row.meeting_id)
    await in_session(ctx, row.meeting_id, lock=True)
    before = records.snapshot(row)
    await ctx.session.delete(row)
    await ctx.session.flush()
    audit.record(ctx, "meeting_attendance.deleted", ATTENDANCE, attendance_id, before=before)


async def quorum_of(ctx: RequestContext, meeting: Meeting) -> QuorumOut:
    """A board meeting: a majority of the board's seats present. An owners' meeting: the voting weight represented
    (in person, by proxy, electronically) is at least the quorum percent of the voter list's."""
    present = await repository.attendance(ctx.session, meeting.id)
    proxies = sum(1 for row in present if row.mode == "PROXY")
    weight = sum((row.weight for row in present), Decimal(0))
    if meeting.kind in rules.MEMBER_MEETINGS:
        total = await repository.total_weight(ctx.session, meeting.id)
        percent = meeting.quorum_percent or Decimal(0)
        required = (total * percent / 100).quantize(Decimal("0.0001"))
        met = rules.member_quorum_met(weight, total, percent)
        return QuorumOut(
            meeting_id=meeting.id, basis="VOTING_WEIGHT", present=weight, total=total, required=required, met=met,
            proxies=proxies,
        )  # fmt: skip
    board = await records.find(ctx, kinds.BOARD, meeting.board_id) if meeting.board_id else None
    seats = board.seat_count if board else 0
    required_seats = Decimal(rules.board_quorum(seats)) if seats else Decimal(1)
    return QuorumOut(
        meeting_id=meeting.id, basis="SEATS", present=weight, total=Decimal(seats), required=required_seats,
        met=seats > 0 and weight >= required_seats, proxies=proxies,
    )  # fmt: skip


async def require_quorum(ctx: RequestContext, meeting: Meeting) -> QuorumOut:
    """BUSINESS_RULE_VIOLATION, reason NO_QUORUM, unless the meeting has quorum now."""
    quorum = await quorum_of(ctx, meeting)
    if not quorum.met:
        raise rule(
            GovernanceReason.NO_QUORUM, "The meeting has no quorum: nothing can be adopted.",
            present=str(quorum.present), required=str(quorum.required),
        )  # fmt: skip
    return quorum


async def attendance(ctx: RequestContext, meeting_id: uuid.UUID) -> AttendanceListOut:
    """Who is present and the quorum. Owners see the quorum and only what they recorded themselves (who else came,
    and by whose proxy, is for the board and the managers)."""
    meeting = await records.load(ctx, kinds.MEETING, meeting_id)
    rows = await repository.attendance(ctx.session, meeting.id)
    if not await records.can(ctx, kinds.MEETING, meeting, "view_notices"):
        rows = [row for row in rows if row.user_id == ctx.user_id]
    return AttendanceListOut(
        items=[records.output(AttendanceOut, row) for row in rows], quorum=await quorum_of(ctx, meeting)
    )


async def load(ctx: RequestContext, meeting_id: uuid.UUID) -> Meeting:
    return await records.load(ctx, kinds.MEETING, meeting_id)


async def notices_of(ctx: RequestContext, meeting_id: uuid.UUID) -> list[MeetingNotice]:
    """Every message sent for the meeting (managers and the board: `view_notices`)."""
    meeting = await records.load(ctx, kinds.MEETING, meeting_id, "view_notices")
    return await repository.notices(ctx.session, meeting.id)


async def voters_of(ctx: RequestContext, meeting_id: uuid.UUID) -> tuple[list[Voter], Decimal]:
    """The voter list and its total weight (managers and the board: `view_notices`)."""
    meeting = await records.load(ctx, kinds.MEETING, meeting_id, "view_notices")
    rows = await repository.voters(ctx.session, meeting.id)
    return rows, sum((row.weight for row in rows), Decimal(0))

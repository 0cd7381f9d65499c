"""Domain 8's procedures: `governance/board/v1/*`, `governance/meeting/v1/*`, `governance/vote/v1/*`,
`governance/resolution/v1/*`."""

from __future__ import annotations

from hestami.cam.governance import workflows as workflows
from hestami.cam.governance.schemas import (
    AddAgendaItem,
    AgendaItemOut,
    ApproveMinutes,
    AssessmentPreviewOut,
    AttendanceListOut,
    AttendanceOut,
    BoardOut,
    BoardsOut,
    ById,
    ByMeeting,
    BySettingsAssociation,
    CancelMeeting,
    CastVote,
    CreateBoard,
    DraftMinutes,
    EndSeat,
    FillSeat,
    ListBoards,
    ListMeetings,
    ListPolicies,
    ListResolutions,
    ListVotes,
    MeetingOut,
    MeetingsOut,
    MinutesOut,
    NoticeOut,
    NoticesOut,
    OpenVote,
    ParticipationOut,
    PoliciesOut,
    PolicyOut,
    ProposeResolution,
    QuorumOut,
    RecordAttendance,
    ResolutionOut,
    ResolutionsOut,
    ScheduleMeeting,
    SeatHistory,
    SeatOut,
    SeatsOut,
    SettingsOut,
    UpdateBoard,
    UpdateMeeting,
    UpdateSettings,
    VoteDetailOut,
    VoterOut,
    VotersOut,
    VotesOut,
)
from hestami.cam.governance.services import boards, meetings, minutes, resolutions, settings, votes
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import REMOVED, Removed

board = ProcedureRouter("governance/board", tags=("governance",))
meeting = ProcedureRouter("governance/meeting", tags=("governance",))
vote = ProcedureRouter("governance/vote", tags=("governance",))
resolution = ProcedureRouter("governance/resolution", tags=("governance",))


# --- boards ------------------------------------------------------------------------------------------------------


@board.mutation("create")
async def create_board(ctx: RequestContext, data: CreateBoard) -> BoardOut:
    """Create the association's board of directors (`kind` BOARD, one per association: BOARD_EXISTS) or a
    committee (COMMITTEE) with its number of seats (managers). Names are unique in the association
    (DUPLICATE_NAME)."""
    return await boards.create(ctx, data)


@board.query("get")
async def get_board(ctx: RequestContext, data: ById) -> BoardOut:
    """A board or committee with the seats held today (managers, its association's board and owners)."""
    return await boards.get(ctx, data.id)


@board.query("list")
async def list_boards(ctx: RequestContext, data: ListBoards) -> BoardsOut:
    """Boards and committees with their current seats, of one association or all the caller sees; oldest first."""
    return await boards.list_boards(ctx, data)


@board.mutation("update")
async def update_board(ctx: RequestContext, data: UpdateBoard) -> BoardOut:
    """Rename, resize or deactivate a board or committee (managers). Fewer seats than are held today is
    BOARD_FULL; a name the association has is DUPLICATE_NAME."""
    return await boards.update(ctx, data)


@board.mutation("fillSeat")
async def fill_seat(ctx: RequestContext, data: FillSeat) -> SeatOut:
    """Seat someone on a board or committee for a term (managers): a `position` (PRESIDENT, VICE_PRESIDENT,
    SECRETARY, TREASURER, CHAIR: one holder at a time, POSITION_TAKEN; DIRECTOR and MEMBER: as many as the board
    has seats, BOARD_FULL), the holder (`user_id`: an active member, NOT_A_MEMBER otherwise, who gains the
    BOARD_MEMBER role; or `party_id`; or just `holder_name`), `term_start` and optional `term_end`. Nobody holds two
    seats of a board at once (ALREADY_SEATED). A seat on the board of directors is what lets a BOARD_MEMBER see the
    association: from `term_start` until the seat ends."""
    return await boards.fill_seat(ctx, data)


@board.mutation("endSeat")
async def end_seat(ctx: RequestContext, data: EndSeat) -> SeatOut:
    """End a seat on `ended_on` with a `reason` (TERM_ENDED, RESIGNED, REMOVED, REPLACED, DECEASED) (managers).
    Its holder's board view of the association ends with it. SEAT_ENDED when it has ended already."""
    return await boards.end_seat(ctx, data)


@board.query("history")
async def seat_history(ctx: RequestContext, data: SeatHistory) -> SeatsOut:
    """Every seat a board has had, newest term first: who held which position from when to when, and why it
    ended."""
    return await boards.history(ctx, data.board_id)


# --- meetings ----------------------------------------------------------------------------------------------------


@meeting.query("getSettings")
async def get_settings(ctx: RequestContext, data: BySettingsAssociation) -> SettingsOut:
    """The association's meeting rules (managers and its board): notice days for board meetings (default 3) and
    owners' meetings (10, at most 60 ahead), notice channels (EMAIL, MAIL, PORTAL; POSTED too if set), the owners'
    quorum percent of the voting weight (20), proxies and electronic voting (allowed), when the final agenda (2
    days ahead) and the reminder (24 hours ahead) go out. `customized` is false while the defaults apply."""
    return await settings.get(ctx, data.association_id)


@meeting.mutation("updateSettings")
async def update_settings(ctx: RequestContext, data: UpdateSettings) -> SettingsOut:
    """Change the association's meeting rules (managers); only the fields sent change. Meetings already scheduled
    keep the rules they were scheduled with."""
    return await settings.update(ctx, data)


@meeting.mutation("schedule")
async def schedule_meeting(ctx: RequestContext, data: ScheduleMeeting) -> MeetingOut:
    """Schedule a meeting (managers and the association's board): `kind` BOARD (the board of directors; NO_BOARD
    without one), COMMITTEE (`board_id` of the committee), ANNUAL or SPECIAL (the owners'), `title`, `starts_at`,
    `location` and/or `video_link`, and the `agenda`. The notice goes out at `notice_at` (default: now; for an
    owners' meeting not more than `member_notice_max_days` ahead, TOO_EARLY_FOR_NOTICE) and must reach owners
    the association's notice days before the meeting: a meeting inside its notice period is refused
    (BUSINESS_RULE_VIOLATION, reason INSIDE_NOTICE_PERIOD, with `earliest_starts_at`). An owners' meeting votes
    by the owners of record on `record_date` (default: the day of the notice; not after it). Unapproved minutes
    of the body's earlier meetings are put on the agenda. `meetingLifecycle_v1` then sends the notice, the final
    agenda and the reminder to every owner and to the board's directors (a committee's meeting: its members), once
    each, on the association's channels."""
    return await meetings.schedule(ctx, data)


@meeting.query("get")
async def get_meeting(ctx: RequestContext, data: ById) -> MeetingOut:
    """A meeting with its agenda (executive-session items for managers and the board only) and its minutes'
    status; owners of the association see its meetings."""
    return await meetings.get(ctx, data.id)


@meeting.query("list")
async def list_meetings(ctx: RequestContext, data: ListMeetings) -> MeetingsOut:
    """Meetings by association, kind, status or start time, without their agendas; oldest first."""
    return await meetings.list_meetings(ctx, data)


@meeting.mutation("update")
async def update_meeting(ctx: RequestContext, data: UpdateMeeting) -> MeetingOut:
    """Change the title, location or video link of an upcoming meeting (NOT_EDITABLE once held or cancelled).
    Its time stays: cancel and schedule again, so the notice owners received stays true."""
    return await meetings.update(ctx, data)


@meeting.mutation("addAgendaItem")
async def add_agenda_item(ctx: RequestContext, data: AddAgendaItem) -> AgendaItemOut:
    """Add an item at the end of an upcoming meeting's agenda: `title`, `description`, `item_type` (REPORT,
    DISCUSSION, ACTION, MINUTES_APPROVAL, ELECTION, OPEN_FORUM), `session` (OPEN or EXECUTIVE: hidden from
    owners), optional `resolution_id` (of the same association)."""
    return await meetings.add_agenda_item(ctx, data)


@meeting.mutation("removeAgendaItem")
async def remove_agenda_item(ctx: RequestContext, data: ById) -> Removed:
    """Remove an item from an upcoming meeting's agenda."""
    await meetings.remove_agenda_item(ctx, data.id)
    return REMOVED


@meeting.mutation("cancel")
async def cancel_meeting(ctx: RequestContext, data: CancelMeeting) -> MeetingOut:
    """Cancel an upcoming meeting with a `reason`; everyone its notice went to is told, once. Ballots opened before
    it lapse uncounted."""
    return await meetings.cancel(ctx, data)


@meeting.mutation("callToOrder")
async def call_to_order(ctx: RequestContext, data: ById) -> MeetingOut:
    """Open a meeting whose notice has gone out (INVALID_STATE_TRANSITION before: no meeting without notice)."""
    return await meetings.call_to_order(ctx, data.id)


@meeting.mutation("recordAttendance")
async def record_attendance(ctx: RequestContext, data: RecordAttendance) -> AttendanceOut:
    """Record who is present at a meeting in session (NOT_IN_SESSION otherwise): a director by `seat_id` (a
    current seat of the meeting's board) or a unit on the voter list by `unit_id`, IN_PERSON, by PROXY (with
    `proxy_holder`) or ELECTRONIC, as the association allows (PROXIES_NOT_ALLOWED, ELECTRONIC_NOT_ALLOWED). Once
    each (ALREADY_PRESENT); NOT_A_VOTER for anyone else."""
    return await meetings.record_attendance(ctx, data)


@meeting.mutation("removeAttendance")
async def remove_attendance(ctx: RequestContext, data: ById) -> Removed:
    """Remove an attendance recorded by mistake (or someone who left) while the meeting is in session."""
    await meetings.remove_attendance(ctx, data.id)
    return REMOVED


@meeting.query("attendance")
async def attendance(ctx: RequestContext, data: ByMeeting) -> AttendanceListOut:
    """Who is present and the quorum: a majority of the seats at a board or committee meeting; at an owners'
    meeting the voting weight represented in person, by proxy or electronically (ballots cast count) against the
    quorum percent of the voter list's weight. Owners see the quorum and their own attendance only."""
    return await meetings.attendance(ctx, data.meeting_id)


@meeting.query("quorum")
async def quorum(ctx: RequestContext, data: ByMeeting) -> QuorumOut:
    """The meeting's quorum now (see `attendance`)."""
    return await meetings.quorum_of(ctx, await meetings.load(ctx, data.meeting_id))


@meeting.mutation("adjourn")
async def adjourn(ctx: RequestContext, data: ById) -> MeetingOut:
    """Adjourn a meeting in session. Votes still open lapse uncounted (CLOSED with no result); a resolution one was
    deciding is a proposal again."""
    return await meetings.adjourn(ctx, data.id)


@meeting.mutation("draftMinutes")
async def draft_minutes(ctx: RequestContext, data: DraftMinutes) -> MinutesOut:
    """Write or rewrite the draft minutes of a meeting held (in session or adjourned) (managers and the board).
    Their approval goes on the agenda of the body's next meeting. MINUTES_APPROVED once approved."""
    return await minutes.draft(ctx, data)


@meeting.mutation("approveMinutes")
async def approve_minutes(ctx: RequestContext, data: ApproveMinutes) -> MinutesOut:
    """The meeting in session (`meeting_id`, with quorum: NO_QUORUM otherwise) approves the draft minutes of an
    earlier meeting (`minutes_of_meeting_id`) of the same body, or of an owners' meeting at a board meeting
    (OTHER_BODY otherwise). NO_MINUTES without a draft, MINUTES_APPROVED when approved already, SAME_MEETING for
    its own or a later meeting's."""
    return await minutes.approve(ctx, data)


@meeting.query("getMinutes")
async def get_minutes(ctx: RequestContext, data: ByMeeting) -> MinutesOut:
    """A meeting's minutes: approved ones for everyone who sees the meeting (owners too), drafts for managers and
    the board (NOT_FOUND for others, as for a meeting without minutes)."""
    return await minutes.get(ctx, data.meeting_id)


@meeting.query("notices")
async def notices(ctx: RequestContext, data: ByMeeting) -> NoticesOut:
    """Every notice, agenda, reminder and cancellation sent for the meeting: recipient, channel, address
    (managers and the board)."""
    return NoticesOut(items=[NoticeOut.model_validate(row) for row in await meetings.notices_of(ctx, data.meeting_id)])


@meeting.query("voters")
async def voters(ctx: RequestContext, data: ByMeeting) -> VotersOut:
    """An owners' meeting's voter list (managers and the board): each unit, its owners of record on the record
    date and its voting weight, taken when the notice went out."""
    rows, total = await meetings.voters_of(ctx, data.meeting_id)
    return VotersOut(items=[VoterOut.model_validate(row) for row in rows], total_weight=total)


# --- votes -------------------------------------------------------------------------------------------------------


@vote.mutation("open")
async def open_vote(ctx: RequestContext, data: OpenVote) -> VoteDetailOut:
    """Open a vote (managers and the board): a MOTION at a board or committee meeting in session (the directors
    present vote, one vote per seat), or a BALLOT of an owners' meeting once noticed (owners of record vote by
    their units' weights, electronically before the meeting or at it). `options` (default YES, NO, ABSTAIN),
    `threshold` (MAJORITY or TWO_THIRDS of the weight voting yes or no), `secret` (ballots only: who voted is
    recorded, how is not), and the `resolution_id` it decides (a proposal not being voted on, NOT_EDITABLE; not at a
    committee meeting). WRONG_VOTE_KIND for a motion at an owners' meeting, a ballot at a board meeting, or a
    resolution at a committee's."""
    return await votes.open_vote(ctx, data)


@vote.mutation("cast")
async def cast_vote(ctx: RequestContext, data: CastVote) -> ParticipationOut:
    """Cast a vote: a director for their own seat (present at the meeting), an owner of record for their unit
    (`unit_id` when they own several); managers and the board record votes for others (`seat_id`, `unit_id`) in
    person or by PROXY (`proxy_holder`). `method` IN_PERSON, PROXY or ELECTRONIC as the association allows
    (default: IN_PERSON for a motion, ELECTRONIC for a ballot); the vote's meeting must be noticed or in session. A
    ballot counts its unit as represented for quorum. Once per seat or unit (ALREADY_VOTED); UNKNOWN_OPTION,
    VOTE_CLOSED, NOT_A_VOTER."""
    return await votes.cast(ctx, data)


@vote.mutation("close")
async def close_vote(ctx: RequestContext, data: ById) -> VoteDetailOut:
    """Close and count a vote at its meeting in session with quorum (NO_QUORUM otherwise: a meeting without
    quorum adopts nothing). The result follows the weights: PASSED when the yes weight is a majority (or two
    thirds) of the weight voting yes or no. A vote on a resolution adopts it (and carries it out: a special
    assessment's charges, a policy's new version) or rejects it."""
    return await votes.close(ctx, data.id)


@vote.query("get")
async def get_vote(ctx: RequestContext, data: ById) -> VoteDetailOut:
    """A vote, who voted (and their choice unless the vote is secret), and once closed its tallies by weight and
    by head. On an owners' ballot an owner sees the number cast and their own ballots only."""
    return await votes.get(ctx, data.id)


@vote.query("list")
async def list_votes(ctx: RequestContext, data: ListVotes) -> VotesOut:
    """Votes of a meeting or an association, with the number of ballots cast; oldest first."""
    return await votes.list_votes(ctx, data)


# --- resolutions and policies ------------------------------------------------------------------------------------


@resolution.mutation("propose")
async def propose(ctx: RequestContext, data: ProposeResolution) -> ResolutionOut:
    """Propose a resolution (managers and the board): `kind` GENERAL, BUDGET, POLICY (with `policy_body` and
    either `policy_id` to amend or `policy_title`/`policy_category` to create) or SPECIAL_ASSESSMENT (with
    `assessment_total`, `assessment_due_on`, `assessment_fund` OPERATING or RESERVE, and `allocation` BY_SHARE,
    every unit's assessment share: MISSING_ASSESSMENT_SHARE otherwise, or EQUAL), and optionally the resolution
    it `supersedes_id` (one in force: NOT_ADOPTED otherwise). Numbered per association. It is adopted by a vote
    (`governance/vote/v1/open` with its `resolution_id`). A second proposal for a new policy not adopted yet drafts
    the same policy (DUPLICATE_NAME only for a policy in force)."""
    return await resolutions.propose(ctx, data)


@resolution.query("get")
async def get_resolution(ctx: RequestContext, data: ById) -> ResolutionOut:
    """A resolution; owners see adopted (and superseded) ones."""
    return await resolutions.get(ctx, data.id)


@resolution.query("list")
async def list_resolutions(ctx: RequestContext, data: ListResolutions) -> ResolutionsOut:
    """Resolutions by association, status or kind; oldest first."""
    return await resolutions.list_resolutions(ctx, data)


@resolution.mutation("withdraw")
async def withdraw(ctx: RequestContext, data: ById) -> ResolutionOut:
    """Withdraw a proposal before its vote (VOTE_OPEN once it is put to a vote)."""
    return await resolutions.withdraw(ctx, data.id)


@resolution.query("previewAssessment")
async def preview_assessment(ctx: RequestContext, data: ById) -> AssessmentPreviewOut:
    """What each unit is charged under a special assessment resolution: its share and amount, summing exactly to
    the total, and the stated rule for the remainder cents."""
    return await resolutions.preview_assessment(ctx, data.id)


@resolution.query("getPolicy")
async def get_policy(ctx: RequestContext, data: ById) -> PolicyOut:
    """A policy with every adopted version, newest first (owners see adopted policies)."""
    return await resolutions.get_policy(ctx, data.id)


@resolution.query("listPolicies")
async def list_policies(ctx: RequestContext, data: ListPolicies) -> PoliciesOut:
    """Policies of an association with their current version; oldest first."""
    return await resolutions.list_policies(ctx, data)


ROUTERS = [board, meeting, vote, resolution]

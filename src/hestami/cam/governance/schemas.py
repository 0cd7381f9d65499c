"""Inputs and outputs of domain 8's procedures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, PositiveMoney, Record, Text, Trimmed

BoardKind = Literal["BOARD", "COMMITTEE"]
Position = Literal["PRESIDENT", "VICE_PRESIDENT", "SECRETARY", "TREASURER", "DIRECTOR", "CHAIR", "MEMBER"]
EndReason = Literal["TERM_ENDED", "RESIGNED", "REMOVED", "REPLACED", "DECEASED"]
MeetingKind = Literal["BOARD", "ANNUAL", "SPECIAL", "COMMITTEE"]
MeetingStatus = Literal["SCHEDULED", "NOTICED", "IN_SESSION", "ADJOURNED", "CANCELLED"]
Channel = Literal["EMAIL", "MAIL", "POSTED", "PORTAL"]
ItemType = Literal["REPORT", "DISCUSSION", "ACTION", "MINUTES_APPROVAL", "ELECTION", "OPEN_FORUM"]
Session = Literal["OPEN", "EXECUTIVE"]
Mode = Literal["IN_PERSON", "PROXY", "ELECTRONIC"]
VoteKind = Literal["MOTION", "BALLOT"]
Threshold = Literal["MAJORITY", "TWO_THIRDS"]
ResolutionKind = Literal["GENERAL", "POLICY", "BUDGET", "SPECIAL_ASSESSMENT"]
ResolutionStatus = Literal["PROPOSED", "ADOPTED", "REJECTED", "WITHDRAWN", "SUPERSEDED"]
Fund = Literal["OPERATING", "RESERVE"]
Allocation = Literal["BY_SHARE", "EQUAL"]
Option = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Z0-9_-](?:[A-Z0-9_ -]*[A-Z0-9_-])?$")]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100_000)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


# --- settings ----------------------------------------------------------------------------------------------------


class BySettingsAssociation(Input):
    association_id: uuid.UUID


class UpdateSettings(Input):
    association_id: uuid.UUID
    board_notice_days: int | None = Field(default=None, ge=0, le=90)
    member_notice_days: int | None = Field(default=None, ge=0, le=90)
    member_notice_max_days: int | None = Field(default=None, ge=1, le=120)
    notice_channels: list[Channel] | None = Field(default=None, min_length=1, max_length=4)
    member_quorum_percent: Decimal | None = Field(default=None, gt=0, le=100, max_digits=5, decimal_places=2)
    proxies_allowed: bool | None = None
    electronic_voting_allowed: bool | None = None
    agenda_days: int | None = Field(default=None, ge=0, le=60)
    reminder_hours: int | None = Field(default=None, ge=0, le=720)


class SettingsOut(BaseModel):
    association_id: uuid.UUID
    board_notice_days: int
    member_notice_days: int
    member_notice_max_days: int
    notice_channels: list[str]
    member_quorum_percent: Decimal
    proxies_allowed: bool
    electronic_voting_allowed: bool
    agenda_days: int
    reminder_hours: int
    customized: bool


# --- boards ------------------------------------------------------------------------------------------------------


class CreateBoard(Input):
    association_id: uuid.UUID
    kind: BoardKind = "BOARD"
    name: Name
    seat_count: int = Field(ge=1, le=25)
    purpose: Text | None = None


class UpdateBoard(Input):
    id: uuid.UUID
    name: Name | None = None
    seat_count: int | None = Field(default=None, ge=1, le=25)
    purpose: Text | None = None
    active: bool | None = None


class ListBoards(PageRequest):
    association_id: uuid.UUID | None = None
    kind: BoardKind | None = None


class SeatOut(Record):
    association_id: uuid.UUID
    board_id: uuid.UUID
    position: str
    user_id: uuid.UUID | None
    party_id: uuid.UUID | None
    holder_name: str
    term_start: date
    term_end: date | None
    ended_on: date | None
    end_reason: str | None
    current: bool


class BoardOut(Record):
    association_id: uuid.UUID
    kind: str
    name: str
    seat_count: int
    purpose: str | None
    active: bool
    seats: list[SeatOut] = Field(description="The seats held today.")


class BoardsOut(BaseModel):
    items: list[BoardOut]
    next_cursor: str | None


class FillSeat(Input):
    board_id: uuid.UUID
    position: Position
    user_id: uuid.UUID | None = Field(default=None, description="A member of the organization (gets BOARD_MEMBER).")
    party_id: uuid.UUID | None = None
    holder_name: Name | None = Field(default=None, description="Default: the member's or the party's name.")
    term_start: date
    term_end: date | None = None

    @model_validator(mode="after")
    def _holder(self) -> FillSeat:
        if self.user_id is None and self.party_id is None and self.holder_name is None:
            raise ValueError("name the holder: user_id, party_id or holder_name")
        if self.term_end is not None and self.term_end <= self.term_start:
            raise ValueError("term_end must be after term_start")
        return self


class EndSeat(Input):
    id: uuid.UUID
    ended_on: date
    reason: EndReason


class SeatHistory(Input):
    board_id: uuid.UUID


class SeatsOut(BaseModel):
    items: list[SeatOut]


# --- meetings ----------------------------------------------------------------------------------------------------


class AgendaItemIn(Input):
    title: Name
    description: Text | None = None
    item_type: ItemType = "DISCUSSION"
    session: Session = "OPEN"
    resolution_id: uuid.UUID | None = None


class ScheduleMeeting(Input):
    association_id: uuid.UUID
    kind: MeetingKind
    board_id: uuid.UUID | None = Field(default=None, description="The committee of a COMMITTEE meeting.")
    title: Name
    starts_at: AwareDatetime
    location: Trimmed | None = Field(default=None, max_length=300)
    video_link: Trimmed | None = Field(default=None, max_length=500, pattern=r"^https://")
    notice_at: AwareDatetime | None = Field(
        default=None, description="When the notice goes out (default: now, or the earliest the law allows)."
    )
    record_date: date | None = Field(default=None, description="Owners of record on this date vote (member meetings).")
    agenda: list[AgendaItemIn] = Field(default_factory=list, max_length=100)


class UpdateMeeting(Input):
    id: uuid.UUID
    title: Name | None = None
    location: Trimmed | None = Field(default=None, max_length=300)
    video_link: Trimmed | None = Field(default=None, max_length=500, pattern=r"^https://")


class ListMeetings(PageRequest):
    association_id: uuid.UUID | None = None
    kind: MeetingKind | None = None
    status: MeetingStatus | None = None
    starts_from: AwareDatetime | None = None
    starts_before: AwareDatetime | None = None


class AddAgendaItem(AgendaItemIn):
    meeting_id: uuid.UUID


class AgendaItemOut(Record):
    meeting_id: uuid.UUID
    position: int
    title: str
    description: str | None
    item_type: str
    session: str
    minutes_of_meeting_id: uuid.UUID | None
    resolution_id: uuid.UUID | None


class CancelMeeting(Input):
    id: uuid.UUID
    reason: Name


class RecordAttendance(Input):
    meeting_id: uuid.UUID
    seat_id: uuid.UUID | None = Field(default=None, description="A director present (board and committee meetings).")
    unit_id: uuid.UUID | None = Field(default=None, description="A unit represented (member meetings).")
    mode: Mode = "IN_PERSON"
    proxy_holder: Name | None = None

    @model_validator(mode="after")
    def _who(self) -> RecordAttendance:
        if (self.seat_id is None) == (self.unit_id is None):
            raise ValueError("give exactly one of seat_id and unit_id")
        if (self.mode == "PROXY") != (self.proxy_holder is not None):
            raise ValueError("proxy_holder is given exactly for a PROXY")
        return self


class AttendanceOut(Record):
    meeting_id: uuid.UUID
    seat_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    user_id: uuid.UUID | None
    attendee_name: str
    mode: str
    proxy_holder: str | None
    weight: Decimal


class QuorumOut(BaseModel):
    meeting_id: uuid.UUID
    basis: Literal["SEATS", "VOTING_WEIGHT"]
    present: Decimal
    total: Decimal
    required: Decimal
    met: bool
    proxies: int


class MinutesOut(Record):
    meeting_id: uuid.UUID
    body: str
    status: str
    drafted_by: uuid.UUID | None
    approved_at_meeting_id: uuid.UUID | None
    approved_at: datetime | None


class DraftMinutes(Input):
    meeting_id: uuid.UUID
    body: LongText


class ApproveMinutes(Input):
    meeting_id: uuid.UUID = Field(description="The meeting in session that approves them.")
    minutes_of_meeting_id: uuid.UUID


class ByMeeting(Input):
    meeting_id: uuid.UUID


class MeetingOut(Record):
    association_id: uuid.UUID
    board_id: uuid.UUID | None
    number: int
    kind: str
    title: str
    status: str
    starts_at: datetime
    location: str | None
    video_link: str | None
    notice_days: int
    notice_at: datetime
    notice_channels: list[str]
    agenda_at: datetime
    reminder_at: datetime
    record_date: date | None
    quorum_percent: Decimal | None
    notice_sent_at: datetime | None
    agenda_sent_at: datetime | None
    reminder_sent_at: datetime | None
    called_to_order_at: datetime | None
    adjourned_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    agenda: list[AgendaItemOut] = Field(default_factory=list)
    minutes_status: str | None = None


class MeetingsOut(BaseModel):
    items: list[MeetingOut]
    next_cursor: str | None


class AttendanceListOut(BaseModel):
    items: list[AttendanceOut]
    quorum: QuorumOut


class NoticeOut(Record):
    meeting_id: uuid.UUID
    kind: str
    recipient_name: str
    channel: str
    address: str
    party_id: uuid.UUID | None
    user_id: uuid.UUID | None
    unit_id: uuid.UUID | None


class NoticesOut(BaseModel):
    items: list[NoticeOut]


class VoterOut(Record):
    meeting_id: uuid.UUID
    unit_id: uuid.UUID
    unit_number: str
    weight: Decimal
    owner_names: str


class VotersOut(BaseModel):
    items: list[VoterOut]
    total_weight: Decimal


# --- votes -------------------------------------------------------------------------------------------------------


class OpenVote(Input):
    meeting_id: uuid.UUID
    kind: VoteKind
    question: Question
    options: list[Option] = Field(default_factory=lambda: ["YES", "NO", "ABSTAIN"], min_length=2, max_length=50)
    secret: bool = False
    threshold: Threshold = "MAJORITY"
    resolution_id: uuid.UUID | None = Field(default=None, description="The resolution this vote adopts or rejects.")

    @model_validator(mode="after")
    def _options(self) -> OpenVote:
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must be distinct")
        if self.resolution_id is not None and not {"YES", "NO"} <= set(self.options):
            raise ValueError("a vote on a resolution is a YES/NO question")
        return self


class CastVote(Input):
    vote_id: uuid.UUID
    choice: Option
    seat_id: uuid.UUID | None = Field(default=None, description="A motion: the director's seat (default: yours).")
    unit_id: uuid.UUID | None = Field(default=None, description="A ballot: the unit voting (default: the one you own).")
    method: Mode | None = Field(default=None, description="Default: IN_PERSON for a motion, ELECTRONIC for a ballot.")
    proxy_holder: Name | None = None

    @model_validator(mode="after")
    def _proxy(self) -> CastVote:
        if self.seat_id is not None and self.unit_id is not None:
            raise ValueError("give at most one of seat_id and unit_id")
        if (self.method == "PROXY") != (self.proxy_holder is not None):
            raise ValueError("proxy_holder is given exactly for a PROXY")
        return self


class ListVotes(PageRequest):
    meeting_id: uuid.UUID | None = None
    association_id: uuid.UUID | None = None


class ParticipationOut(Record):
    vote_id: uuid.UUID
    seat_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    cast_by: uuid.UUID | None
    voter_name: str
    method: str
    proxy_holder: str | None
    weight: Decimal
    choice: str | None = Field(description="Null in a secret vote.")


class VoteOut(Record):
    association_id: uuid.UUID
    meeting_id: uuid.UUID
    resolution_id: uuid.UUID | None
    kind: str
    question: str
    options: list[str]
    secret: bool
    threshold: str
    status: str
    result: str | None
    tallies: dict[str, object] | None
    closed_at: datetime | None
    ballots_cast: int = 0


class VoteDetailOut(VoteOut):
    participations: list[ParticipationOut] = Field(default_factory=list)


class VotesOut(BaseModel):
    items: list[VoteOut]
    next_cursor: str | None


# --- resolutions and policies ------------------------------------------------------------------------------------


class ProposeResolution(Input):
    association_id: uuid.UUID
    kind: ResolutionKind = "GENERAL"
    title: Name
    body: LongText
    supersedes_id: uuid.UUID | None = None
    assessment_total: PositiveMoney | None = None
    assessment_due_on: date | None = None
    assessment_fund: Fund | None = None
    allocation: Allocation | None = None
    policy_id: uuid.UUID | None = Field(default=None, description="A POLICY resolution amending this policy.")
    policy_title: Name | None = Field(default=None, description="A POLICY resolution creating a new policy.")
    policy_category: Trimmed | None = Field(default=None, max_length=60)
    policy_body: LongText | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> ProposeResolution:
        assessment = (self.assessment_total, self.assessment_due_on, self.assessment_fund, self.allocation)
        if self.kind == "SPECIAL_ASSESSMENT" and any(value is None for value in assessment):
            raise ValueError(
                "a special assessment needs assessment_total, assessment_due_on, assessment_fund, allocation"
            )
        if self.kind != "SPECIAL_ASSESSMENT" and any(value is not None for value in assessment):
            raise ValueError("assessment fields belong to a SPECIAL_ASSESSMENT resolution")
        policy = (self.policy_id, self.policy_title, self.policy_body)
        if self.kind == "POLICY":
            if self.policy_body is None or (self.policy_id is None) == (self.policy_title is None):
                raise ValueError("a policy resolution needs policy_body and one of policy_id, policy_title")
        elif any(value is not None for value in policy):
            raise ValueError("policy fields belong to a POLICY resolution")
        return self


class ListResolutions(PageRequest):
    association_id: uuid.UUID | None = None
    status: ResolutionStatus | None = None
    kind: ResolutionKind | None = None


class ResolutionOut(Record):
    association_id: uuid.UUID
    number: int
    kind: str
    title: str
    body: str
    status: str
    meeting_id: uuid.UUID | None
    vote_id: uuid.UUID | None
    decided_at: datetime | None
    supersedes_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None
    assessment_total: Decimal | None
    assessment_due_on: date | None
    assessment_fund: str | None
    allocation: str | None
    assessment_type_id: uuid.UUID | None
    charge_count: int | None
    policy_id: uuid.UUID | None
    policy_version: int | None


class ResolutionsOut(BaseModel):
    items: list[ResolutionOut]
    next_cursor: str | None


class UnitShareOut(BaseModel):
    unit_id: uuid.UUID
    unit_number: str
    share: Decimal
    amount: Decimal


class AssessmentPreviewOut(BaseModel):
    resolution_id: uuid.UUID
    total: Decimal
    allocation: str
    remainder_rule: str
    units: list[UnitShareOut]


class PolicyVersionOut(Record):
    policy_id: uuid.UUID
    version: int
    body: str
    resolution_id: uuid.UUID | None
    effective_on: date


class PolicyOut(Record):
    association_id: uuid.UUID
    title: str
    category: str
    status: str
    current_version: int
    versions: list[PolicyVersionOut] = Field(default_factory=list)


class ListPolicies(PageRequest):
    association_id: uuid.UUID | None = None


class PoliciesOut(BaseModel):
    items: list[PolicyOut]
    next_cursor: str | None

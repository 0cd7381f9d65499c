"""Domain 8 tables (migration 0020_add_governance)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class GovernanceSettings(TenantRecord, Base):
    __tablename__ = "governance_settings"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    board_notice_days: Mapped[int] = mapped_column(Integer)
    member_notice_days: Mapped[int] = mapped_column(Integer)
    member_notice_max_days: Mapped[int] = mapped_column(Integer)
    notice_channels: Mapped[list[str]] = mapped_column(ARRAY(Text))
    member_quorum_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    proxies_allowed: Mapped[bool] = mapped_column(Boolean)
    electronic_voting_allowed: Mapped[bool] = mapped_column(Boolean)
    agenda_days: Mapped[int] = mapped_column(Integer)
    reminder_hours: Mapped[int] = mapped_column(Integer)


class Board(TenantRecord, Base):
    """The board of directors (one per association) or one of its committees."""

    __tablename__ = "boards"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    seat_count: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class BoardSeat(TenantRecord, Base):
    """Someone holding a position on a board for a term; ended seats are its history."""

    __tablename__ = "board_seats"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    board_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[str] = mapped_column(Text)
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    party_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    holder_name: Mapped[str] = mapped_column(Text)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)


class Meeting(TenantRecord, Base):
    __tablename__ = "meetings"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    board_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    location: Mapped[str | None] = mapped_column(Text)
    video_link: Mapped[str | None] = mapped_column(Text)
    notice_days: Mapped[int] = mapped_column(Integer)
    notice_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    notice_channels: Mapped[list[str]] = mapped_column(ARRAY(Text))
    agenda_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reminder_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    record_date: Mapped[date | None] = mapped_column(Date)
    quorum_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    notice_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    agenda_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    called_to_order_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adjourned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    scheduled_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class AgendaItem(TenantRecord, Base):
    __tablename__ = "meeting_agenda_items"

    meeting_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    item_type: Mapped[str] = mapped_column(Text)
    session: Mapped[str] = mapped_column(Text)
    minutes_of_meeting_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    resolution_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Attendance(TenantRecord, Base):
    """A director present (by seat) or a unit represented (in person, by proxy or electronically)."""

    __tablename__ = "meeting_attendance"

    meeting_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    seat_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    attendee_name: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(Text)
    proxy_holder: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Numeric(9, 4))


class Minutes(TenantRecord, Base):
    __tablename__ = "meeting_minutes"

    meeting_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    drafted_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    approved_at_meeting_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Voter(TenantRecord, Base):
    """A unit on a member meeting's voter list: its owners of record on the record date and its voting weight."""

    __tablename__ = "meeting_voters"

    meeting_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_number: Mapped[str] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Numeric(9, 4))
    owner_names: Mapped[str] = mapped_column(Text)
    owner_party_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    owner_user_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))


class MeetingNotice(TenantRecord, Base):
    __tablename__ = "meeting_notices"

    meeting_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    recipient_key: Mapped[str] = mapped_column(Text)
    recipient_name: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(Text)
    party_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Vote(TenantRecord, Base):
    """A board motion (one vote per seat) or an owner ballot (one per unit, by its weight) at a meeting."""

    __tablename__ = "votes"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    meeting_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    resolution_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(ARRAY(Text))
    secret: Mapped[bool] = mapped_column(Boolean)
    threshold: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    tallies: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Participation(TenantRecord, Base):
    """Who voted (a seat or a unit), how and with what weight; the choice too, unless the vote is secret."""

    __tablename__ = "vote_participations"

    vote_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    seat_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    cast_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    voter_name: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(Text)
    proxy_holder: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Numeric(9, 4))
    choice: Mapped[str | None] = mapped_column(Text)


class SecretBallot(Base):
    """One choice of a secret vote: a random id, no timestamp, no voter (see the migration)."""

    __tablename__ = "secret_ballots"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    vote_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    choice: Mapped[str] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Numeric(9, 4))


class Resolution(TenantRecord, Base):
    __tablename__ = "resolutions"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    vote_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    proposed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    assessment_total: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    assessment_due_on: Mapped[date | None] = mapped_column(Date)
    assessment_fund: Mapped[str | None] = mapped_column(Text)
    allocation: Mapped[str | None] = mapped_column(Text)
    assessment_type_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    charge_count: Mapped[int | None] = mapped_column(Integer)
    policy_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    policy_body: Mapped[str | None] = mapped_column(Text)
    policy_version: Mapped[int | None] = mapped_column(Integer)


class Policy(TenantRecord, Base):
    __tablename__ = "policies"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    current_version: Mapped[int] = mapped_column(Integer, default=0)


class PolicyVersion(TenantRecord, Base):
    __tablename__ = "policy_versions"

    policy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    resolution_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    effective_on: Mapped[date] = mapped_column(Date)

"""Domain 8's SQL beyond the common record steps: settings, seats, numbering, the rows that hang off a meeting
(agenda, attendance, minutes, voters, notices) and off a vote (participations, secret ballots), policy versions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.governance.models import (
    AgendaItem,
    Attendance,
    Board,
    BoardSeat,
    GovernanceSettings,
    Meeting,
    MeetingNotice,
    Minutes,
    Participation,
    Policy,
    PolicyVersion,
    Resolution,
    SecretBallot,
    Vote,
    Voter,
)
from hestami.core.repository import hold_lock


def _locked(statement: Any, lock: bool) -> Any:
    return statement.with_for_update(key_share=True) if lock else statement


async def lock(session: AsyncSession, what: str, key: object) -> None:
    """Serializes one kind of change per key until the transaction ends (names, numbers, seats, ballots)."""
    await hold_lock(session, f"governance_{what}:{key}")


# --- settings and boards -----------------------------------------------------------------------------------------


async def settings_of(
    session: AsyncSession, association_id: uuid.UUID, *, lock: bool = False
) -> GovernanceSettings | None:
    statement = select(GovernanceSettings).where(GovernanceSettings.association_id == association_id)
    return (await session.execute(_locked(statement, lock))).scalar_one_or_none()


async def board_named(session: AsyncSession, association_id: uuid.UUID, name: str) -> uuid.UUID | None:
    statement = select(Board.id).where(Board.association_id == association_id, func.lower(Board.name) == name.lower())
    return (await session.execute(statement)).scalar_one_or_none()


async def board_of(session: AsyncSession, association_id: uuid.UUID) -> Board | None:
    """The association's board of directors."""
    statement = select(Board).where(Board.association_id == association_id, Board.kind == "BOARD")
    return (await session.execute(statement)).scalar_one_or_none()


def holds_on(day: date | Any) -> Any:
    """A seat held on `day`: its term started and it has not ended."""
    return and_(BoardSeat.term_start <= day, or_(BoardSeat.ended_on.is_(None), BoardSeat.ended_on > day))


async def current_seats(session: AsyncSession, board_ids: Sequence[uuid.UUID], day: date) -> list[BoardSeat]:
    if not board_ids:
        return []
    statement = (
        select(BoardSeat)
        .where(BoardSeat.board_id.in_(board_ids), holds_on(day))
        .order_by(BoardSeat.board_id, BoardSeat.position, BoardSeat.term_start, BoardSeat.id)
    )
    return list((await session.execute(statement)).scalars())


async def seat_history(session: AsyncSession, board_id: uuid.UUID) -> list[BoardSeat]:
    statement = (
        select(BoardSeat)
        .where(BoardSeat.board_id == board_id)
        .order_by(BoardSeat.term_start.desc(), BoardSeat.position, BoardSeat.id)
    )
    return list((await session.execute(statement)).scalars())


async def seat(session: AsyncSession, seat_id: uuid.UUID, *, lock: bool = False) -> BoardSeat | None:
    return (await session.execute(_locked(select(BoardSeat).where(BoardSeat.id == seat_id), lock))).scalar_one_or_none()


async def seat_of_user(session: AsyncSession, board_id: uuid.UUID, user_id: uuid.UUID, day: date) -> BoardSeat | None:
    statement = select(BoardSeat).where(BoardSeat.board_id == board_id, BoardSeat.user_id == user_id, holds_on(day))
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


async def overlapping_seats(
    session: AsyncSession, board_id: uuid.UUID, start: date, end: date | None
) -> list[BoardSeat]:
    """Seats of the board held at any time in [start, end) (end None: open-ended)."""
    ends = func.coalesce(BoardSeat.ended_on, date.max)
    statement = select(BoardSeat).where(BoardSeat.board_id == board_id, ends > start, ends > BoardSeat.term_start)
    if end is not None:
        statement = statement.where(BoardSeat.term_start < end)
    return list((await session.execute(statement)).scalars())


# --- meetings ----------------------------------------------------------------------------------------------------


async def next_number(session: AsyncSession, model: Any, association_id: uuid.UUID) -> int:
    """The next number of a meeting or resolution in the association (taken under a lock until commit)."""
    await lock(session, f"{model.__tablename__}_number", association_id)
    last = await session.scalar(select(func.max(model.number)).where(model.association_id == association_id))
    return int(last or 0) + 1


async def meeting(session: AsyncSession, meeting_id: uuid.UUID, *, lock: bool = False) -> Meeting | None:
    """A meeting in scope, for the lifecycle (which acts as the system: no policy check)."""
    return (await session.execute(_locked(select(Meeting).where(Meeting.id == meeting_id), lock))).scalar_one_or_none()


async def agenda(session: AsyncSession, meeting_ids: Sequence[uuid.UUID]) -> list[AgendaItem]:
    if not meeting_ids:
        return []
    statement = (
        select(AgendaItem)
        .where(AgendaItem.meeting_id.in_(meeting_ids))
        .order_by(AgendaItem.meeting_id, AgendaItem.position)
    )
    return list((await session.execute(statement)).scalars())


async def agenda_item(session: AsyncSession, item_id: uuid.UUID) -> AgendaItem | None:
    return (await session.execute(select(AgendaItem).where(AgendaItem.id == item_id))).scalar_one_or_none()


async def next_position(session: AsyncSession, meeting_id: uuid.UUID) -> int:
    last = await session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id))
    return int(last or 0) + 1


async def add_minutes_approval(
    session: AsyncSession, organization_id: uuid.UUID, meeting_id: uuid.UUID, earlier: Meeting
) -> bool:
    """Puts "approve the minutes of `earlier`" on the meeting's agenda unless it is there; whether it was added."""
    await lock(session, "agenda", meeting_id)
    position = await next_position(session, meeting_id)
    title = f"Approve the minutes of {earlier.title} ({earlier.starts_at.date().isoformat()})"
    inserted = await session.execute(
        pg_insert(AgendaItem)
        .values(
            id=uuid.uuid4(),
            organization_id=organization_id,
            meeting_id=meeting_id,
            position=position,
            title=title,
            item_type="MINUTES_APPROVAL",
            session="OPEN",
            minutes_of_meeting_id=earlier.id,
        )
        .on_conflict_do_nothing(
            index_elements=["organization_id", "meeting_id", "minutes_of_meeting_id"],
            index_where=AgendaItem.minutes_of_meeting_id.is_not(None),
        )
        .returning(AgendaItem.id)
    )
    return inserted.scalar_one_or_none() is not None


def _same_body(meeting: Meeting) -> Any:
    """Meetings of the same body: the same board or committee, or the owners (annual and special meetings)."""
    if meeting.board_id is not None:
        return Meeting.board_id == meeting.board_id
    return and_(Meeting.board_id.is_(None), Meeting.association_id == meeting.association_id)


async def unapproved_minutes_before(session: AsyncSession, meeting: Meeting) -> list[Meeting]:
    """Earlier meetings of the same body whose minutes are drafted and not yet approved."""
    statement = (
        select(Meeting)
        .join(Minutes, and_(Minutes.organization_id == Meeting.organization_id, Minutes.meeting_id == Meeting.id))
        .where(_same_body(meeting), Meeting.starts_at < meeting.starts_at, Minutes.status == "DRAFT")
        .order_by(Meeting.starts_at)
    )
    return list((await session.execute(statement)).scalars())


async def next_meeting_of_body(session: AsyncSession, meeting: Meeting) -> Meeting | None:
    """The first upcoming meeting of the same body after this one."""
    statement = (
        select(Meeting)
        .where(_same_body(meeting), Meeting.starts_at > meeting.starts_at, Meeting.status.in_(("SCHEDULED", "NOTICED")))
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def attendance(session: AsyncSession, meeting_id: uuid.UUID) -> list[Attendance]:
    statement = select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.created_at)
    return list((await session.execute(statement)).scalars())


async def attendance_row(session: AsyncSession, attendance_id: uuid.UUID) -> Attendance | None:
    return (await session.execute(select(Attendance).where(Attendance.id == attendance_id))).scalar_one_or_none()


async def attended(
    session: AsyncSession, meeting_id: uuid.UUID, *, seat_id: uuid.UUID | None, unit_id: uuid.UUID | None
) -> Attendance | None:
    column, value = (Attendance.seat_id, seat_id) if seat_id is not None else (Attendance.unit_id, unit_id)
    statement = select(Attendance).where(Attendance.meeting_id == meeting_id, column == value)
    return (await session.execute(statement)).scalar_one_or_none()


async def minutes(session: AsyncSession, meeting_id: uuid.UUID, *, lock: bool = False) -> Minutes | None:
    statement = select(Minutes).where(Minutes.meeting_id == meeting_id)
    return (await session.execute(_locked(statement, lock))).scalar_one_or_none()


async def minutes_status(session: AsyncSession, meeting_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not meeting_ids:
        return {}
    rows = await session.execute(select(Minutes.meeting_id, Minutes.status).where(Minutes.meeting_id.in_(meeting_ids)))
    return {meeting_id: status for meeting_id, status in rows.all()}


async def voters(session: AsyncSession, meeting_id: uuid.UUID) -> list[Voter]:
    statement = select(Voter).where(Voter.meeting_id == meeting_id).order_by(Voter.unit_number, Voter.unit_id)
    return list((await session.execute(statement)).scalars())


async def voter(session: AsyncSession, meeting_id: uuid.UUID, unit_id: uuid.UUID) -> Voter | None:
    statement = select(Voter).where(Voter.meeting_id == meeting_id, Voter.unit_id == unit_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def voter_units_of_user(session: AsyncSession, meeting_id: uuid.UUID, user_id: uuid.UUID) -> list[Voter]:
    statement = (
        select(Voter)
        .where(Voter.meeting_id == meeting_id, Voter.owner_user_ids.contains([user_id]))
        .order_by(Voter.unit_number)
    )
    return list((await session.execute(statement)).scalars())


async def total_weight(session: AsyncSession, meeting_id: uuid.UUID) -> Decimal:
    total = await session.scalar(select(func.coalesce(func.sum(Voter.weight), 0)).where(Voter.meeting_id == meeting_id))
    return Decimal(total or 0)


async def add_notices(session: AsyncSession, notices: Sequence[dict[str, Any]]) -> set[tuple[str, str]]:
    """Inserts the notices not sent yet (one per meeting, kind, recipient and channel); the (recipient, channel)
    pairs inserted now."""
    if not notices:
        return set()
    rows = await session.execute(
        pg_insert(MeetingNotice)
        .values(list(notices))
        .on_conflict_do_nothing(constraint="uq_meeting_notices_once")
        .returning(MeetingNotice.recipient_key, MeetingNotice.channel)
    )
    return {(key, channel) for key, channel in rows.all()}


async def notices(session: AsyncSession, meeting_id: uuid.UUID) -> list[MeetingNotice]:
    statement = (
        select(MeetingNotice)
        .where(MeetingNotice.meeting_id == meeting_id)
        .order_by(MeetingNotice.kind, MeetingNotice.recipient_name, MeetingNotice.channel)
    )
    return list((await session.execute(statement)).scalars())


async def noticed_recipients(session: AsyncSession, meeting_id: uuid.UUID) -> list[MeetingNotice]:
    statement = select(MeetingNotice).where(MeetingNotice.meeting_id == meeting_id, MeetingNotice.kind == "NOTICE")
    return list((await session.execute(statement)).scalars())


# --- votes -------------------------------------------------------------------------------------------------------


async def vote(session: AsyncSession, vote_id: uuid.UUID, *, lock: bool = False) -> Vote | None:
    return (await session.execute(_locked(select(Vote).where(Vote.id == vote_id), lock))).scalar_one_or_none()


async def open_votes(session: AsyncSession, meeting_id: uuid.UUID) -> list[Vote]:
    statement = select(Vote).where(Vote.meeting_id == meeting_id, Vote.status == "OPEN")
    return list((await session.execute(statement)).scalars())


async def participations(session: AsyncSession, vote_id: uuid.UUID) -> list[Participation]:
    statement = select(Participation).where(Participation.vote_id == vote_id).order_by(Participation.voter_name)
    return list((await session.execute(statement)).scalars())


async def participation_counts(session: AsyncSession, vote_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not vote_ids:
        return {}
    rows = await session.execute(
        select(Participation.vote_id, func.count())
        .where(Participation.vote_id.in_(vote_ids))
        .group_by(Participation.vote_id)
    )
    return {vote_id: int(count) for vote_id, count in rows.all()}


async def participated(
    session: AsyncSession, vote_id: uuid.UUID, *, seat_id: uuid.UUID | None, unit_id: uuid.UUID | None
) -> bool:
    column, value = (Participation.seat_id, seat_id) if seat_id is not None else (Participation.unit_id, unit_id)
    found = await session.scalar(select(Participation.id).where(Participation.vote_id == vote_id, column == value))
    return found is not None


async def ballots(session: AsyncSession, vote: Vote) -> list[tuple[str, Decimal]]:
    """(choice, weight) of every ballot: from the secret ballots of a secret vote, else from the participations."""
    if vote.secret:
        statement: Any = select(SecretBallot.choice, SecretBallot.weight).where(SecretBallot.vote_id == vote.id)
    else:
        statement = select(Participation.choice, Participation.weight).where(Participation.vote_id == vote.id)
    return [(str(choice), Decimal(weight)) for choice, weight in (await session.execute(statement)).all()]


def add_secret_ballot(
    session: AsyncSession, organization_id: uuid.UUID, vote_id: uuid.UUID, choice: str, weight: Decimal
) -> None:
    session.add(SecretBallot(organization_id=organization_id, vote_id=vote_id, choice=choice, weight=weight))


# --- resolutions and policies ------------------------------------------------------------------------------------


async def resolution(session: AsyncSession, resolution_id: uuid.UUID, *, lock: bool = False) -> Resolution | None:
    statement = select(Resolution).where(Resolution.id == resolution_id)
    return (await session.execute(_locked(statement, lock))).scalar_one_or_none()


async def policy_versions(session: AsyncSession, policy_ids: Sequence[uuid.UUID]) -> list[PolicyVersion]:
    if not policy_ids:
        return []
    statement = (
        select(PolicyVersion)
        .where(PolicyVersion.policy_id.in_(policy_ids))
        .order_by(PolicyVersion.policy_id, PolicyVersion.version.desc())
    )
    return list((await session.execute(statement)).scalars())


async def policy_named(session: AsyncSession, association_id: uuid.UUID, title: str) -> uuid.UUID | None:
    statement = select(Policy.id).where(
        Policy.association_id == association_id, func.lower(Policy.title) == title.lower()
    )
    return (await session.execute(statement)).scalar_one_or_none()

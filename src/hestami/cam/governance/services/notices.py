"""What `meetingLifecycle_v1` does on the calendar, one turn at a time on the locked meeting: the notice (and,
for an owners' meeting, the voter list of the owners of record it goes to), the final agenda, the reminder, and
the cancellation to everyone who had the notice.

Each message goes once per meeting, kind, recipient and channel (the unique `meeting_notices` row and the
outbox's dedupe key): an owner of two units gets one notice. Recipients: the owners (of record on the record date
for an owners' meeting, today for a board meeting) and the board's directors; a committee's meeting goes to its
members. Channels are the association's: EMAIL to an address, MAIL to the mailing address (else the unit), PORTAL
to an owner with an account, POSTED once on the community notice board.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.governance import kinds, lifecycle, repository
from hestami.cam.governance.models import Meeting, Voter
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity


@dataclass(slots=True)
class Recipient:
    key: str
    name: str
    email: str | None = None
    mailing_address: str = ""
    user_id: uuid.UUID | None = None
    party_id: uuid.UUID | None = None
    units: list[str] = field(default_factory=list)


async def take_voter_list(ctx: RequestContext, meeting: Meeting) -> list[Voter]:
    """The owners of record on the record date and their units' voting weights, taken once (when the notice goes)."""
    existing = await repository.voters(ctx.session, meeting.id)
    if existing or meeting.record_date is None:
        return existing
    owners = await association.owners_of_record(ctx, meeting.association_id, meeting.record_date)
    units = {unit.id: unit for unit in await association.units_of(ctx, meeting.association_id)}
    voters = [
        Voter(
            organization_id=meeting.organization_id,
            meeting_id=meeting.id,
            unit_id=unit_id,
            unit_number=units[unit_id].unit_number,
            weight=units[unit_id].voting_weight,
            owner_names=", ".join(contact.name for contact in contacts),
            owner_party_ids=[contact.party_id for contact in contacts],
            owner_user_ids=[contact.user_id for contact in contacts if contact.user_id is not None],
        )
        for unit_id, contacts in owners.items()
        if unit_id in units
    ]
    ctx.session.add_all(voters)
    await ctx.session.flush()
    return voters


async def _owners(ctx: RequestContext, meeting: Meeting, on: date) -> dict[str, Recipient]:
    found: dict[str, Recipient] = {}
    owners = await association.owners_of_record(ctx, meeting.association_id, on)
    numbers = await association.unit_numbers(ctx, list(owners))
    for unit_id, contacts in owners.items():
        for contact in contacts:
            recipient = found.setdefault(
                f"party:{contact.party_id}",
                Recipient(
                    key=f"party:{contact.party_id}", name=contact.name, email=contact.email,
                    mailing_address=contact.mailing_address, user_id=contact.user_id, party_id=contact.party_id,
                ),
            )  # fmt: skip
            recipient.units.append(numbers.get(unit_id, ""))
    return found


async def _directors(ctx: RequestContext, meeting: Meeting, on: date) -> list[Recipient]:
    """The members of the meeting's board or committee seated on `on` (an owners' meeting: the association's
    board), by their account's email and the portal."""
    board_id = meeting.board_id
    if board_id is None:
        board = await repository.board_of(ctx.session, meeting.association_id)
        board_id = board.id if board is not None else None
    if board_id is None:
        return []
    seats = await repository.current_seats(ctx.session, [board_id], on)
    return [
        Recipient(
            key=f"user:{seat.user_id}",
            name=seat.holder_name,
            user_id=seat.user_id,
            party_id=seat.party_id,
            email=await identity.email_of_member(ctx, seat.user_id),
        )
        for seat in seats
        if seat.user_id is not None
    ]


async def recipients(ctx: RequestContext, meeting: Meeting, on: date | None = None) -> list[Recipient]:
    """Who the meeting's messages go to on `on` (default today): the owners (of record on the record date for an
    owners' meeting) and the directors (a committee's members) seated that day, each once."""
    day = on or date.today()
    found: dict[str, Recipient] = {}
    if meeting.kind != "COMMITTEE":
        found = await _owners(ctx, meeting, meeting.record_date or day)
    known_users: set[uuid.UUID | None] = {r.user_id for r in found.values() if r.user_id is not None}
    for director in await _directors(ctx, meeting, day):
        if director.user_id not in known_users:
            found[director.key] = director
            known_users.add(director.user_id)
    return sorted(found.values(), key=lambda r: (r.name, r.key))


def _deliveries(meeting: Meeting, people: list[Recipient], channels: list[str]) -> list[tuple[Recipient, str, str]]:
    """(recipient, channel, address) for every channel a recipient can be reached on."""
    out: list[tuple[Recipient, str, str]] = []
    for person in people:
        if "EMAIL" in channels and person.email:
            out.append((person, "EMAIL", person.email))
        if "MAIL" in channels and person.party_id is not None:
            units = ", ".join(unit for unit in person.units if unit)
            out.append((person, "MAIL", person.mailing_address or (f"Unit {units}" if units else "the unit")))
        if "PORTAL" in channels and person.user_id is not None:
            out.append((person, "PORTAL", f"user:{person.user_id}"))
    if "POSTED" in channels:
        board = Recipient(key="posted", name="Community notice board")
        out.append((board, "POSTED", meeting.location or "community notice board"))
    return out


def _payload(meeting: Meeting, kind: str, agenda: list[str]) -> dict[str, Any]:
    return {
        "meeting_id": str(meeting.id),
        "association_id": str(meeting.association_id),
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "location": meeting.location,
        "video_link": meeting.video_link,
        "record_date": meeting.record_date.isoformat() if meeting.record_date else None,
        "agenda": agenda,
        "message": kind,
        "cancel_reason": meeting.cancel_reason,
    }


def notice_rows(meeting: Meeting, kind: str, people: list[Recipient]) -> list[dict[str, Any]]:
    """The `meeting_notices` rows of `kind` to `people`: one per recipient and channel they can be reached on."""
    return [
        {
            "id": uuid.uuid4(),
            "organization_id": meeting.organization_id,
            "meeting_id": meeting.id,
            "kind": kind,
            "recipient_key": person.key,
            "recipient_name": person.name,
            "channel": channel,
            "address": address,
            "party_id": person.party_id,
            "user_id": person.user_id,
            "unit_id": None,
        }
        for person, channel, address in _deliveries(meeting, people, list(meeting.notice_channels))
    ]


async def send(ctx: RequestContext, meeting: Meeting, kind: str, people: list[Recipient]) -> int:
    """Sends `kind` to `people` on the meeting's channels, once each; how many went now."""
    items = await repository.agenda(ctx.session, [meeting.id])
    agenda = [f"{item.position}. {item.title}" for item in items if item.session == "OPEN"]
    deliveries = _deliveries(meeting, people, list(meeting.notice_channels))
    inserted = await repository.add_notices(ctx.session, notice_rows(meeting, kind, people))
    payload = _payload(meeting, kind, agenda)
    messages = [
        OutboundMessage(
            organization_id=meeting.organization_id,
            channel=channel,
            recipient=address,
            recipient_user_id=person.user_id,
            template=f"meeting.{kind.lower()}",
            payload=payload,
            entity_type="meeting",
            entity_id=meeting.id,
            dedupe_key=f"meeting:{meeting.id}:{kind}:{person.key}:{channel}",
        )
        for person, channel, address in deliveries
        if (person.key, channel) in inserted
    ]
    await record_all_once(ctx.session, messages)
    return len(messages)


async def _stamp(ctx: RequestContext, meeting: Meeting, changes: dict[str, Any], sent: str, count: int) -> None:
    if "status" in changes:
        check_transition("meeting", lifecycle.MEETING_MOVES, meeting.status, changes["status"])
    await records.change(
        ctx, kinds.MEETING, meeting, changes, action="status_changed" if "status" in changes else "updated"
    )
    audit.record(ctx, "meeting.notice_sent", kinds.MEETING.name, meeting.id, after={"message": sent, "messages": count})


async def _noticed(ctx: RequestContext, meeting: Meeting) -> list[Recipient]:
    """Everyone the notice went to (for the cancellation)."""
    people: dict[str, Recipient] = {}
    for row in await repository.noticed_recipients(ctx.session, meeting.id):
        people.setdefault(row.recipient_key, Recipient(key=row.recipient_key, name=row.recipient_name))
        person = people[row.recipient_key]
        person.user_id, person.party_id = row.user_id, row.party_id
        if row.channel == "EMAIL":
            person.email = row.address
        elif row.channel == "MAIL":
            person.mailing_address = row.address
    return [person for person in people.values() if person.key != "posted"]


async def on_the_clock(ctx: RequestContext, meeting: Meeting, now: datetime) -> tuple[list[str], datetime | None]:
    """Sends what is due at `now`; what was sent, and when the next message is due (None: nothing left on the
    calendar)."""
    happened: list[str] = []
    if meeting.status == "CANCELLED":
        if meeting.notice_sent_at is not None:
            count = await send(ctx, meeting, "CANCELLATION", await _noticed(ctx, meeting))
            if count:
                happened.append("CANCELLATION")
        return happened, None
    if meeting.status == "SCHEDULED" and now >= meeting.notice_at:
        await take_voter_list(ctx, meeting)
        count = await send(ctx, meeting, "NOTICE", await recipients(ctx, meeting))
        await _stamp(ctx, meeting, {"status": "NOTICED", "notice_sent_at": datetime.now(UTC)}, "NOTICE", count)
        happened.append("NOTICE")
    if meeting.status not in lifecycle.UPCOMING:
        return happened, None
    for kind, due, stamp in (
        ("AGENDA", meeting.agenda_at, "agenda_sent_at"),
        ("REMINDER", meeting.reminder_at, "reminder_sent_at"),
    ):
        if meeting.status == "NOTICED" and getattr(meeting, stamp) is None and now >= due:
            count = await send(ctx, meeting, kind, await recipients(ctx, meeting))
            await _stamp(ctx, meeting, {stamp: datetime.now(UTC)}, kind, count)
            happened.append(kind)
    pending = [
        due
        for due, done in (
            (meeting.notice_at, meeting.notice_sent_at),
            (meeting.agenda_at, meeting.agenda_sent_at),
            (meeting.reminder_at, meeting.reminder_sent_at),
        )
        if done is None
    ]
    return happened, min(pending) if pending else None

"""Demo governance (journey 3, the board member): per demo association its board of directors with a term history
(the past president's seat ended at last year's annual meeting, TERM_ENDED), its Architectural Review Committee, its
meeting rules (the Texas defaults with its own notice channels) and a year of meetings; the records are in
`demo_data.py`.

- Last year's annual meeting of the owners: noticed three weeks ahead to the owners of record (its voter list taken
  on the record date), called to order with a quorum of units present in person, by proxy and electronically, a
  secret ballot electing a director, adjourned; its minutes were approved at the board meeting five weeks later,
  whose own minutes last month's board meeting approved. Last month's minutes are still a draft.
- Today's board meeting: the board approves last month's minutes, adopts a special assessment (Sunset Ridge: the
  pool deck resurfacing, $10,000.00 to the reserve fund; its charges go on every unit, by assessment share where
  every unit has one, as Harbor View's condominium units do, else equally) and the pool rules (a POLICY resolution:
  a new policy, version 1), by motions the directors present vote on, and adjourns; its minutes are drafted.
- Next month's board meeting (the second Tuesday), scheduled with its agenda: its notice goes to every owner and
  director at once (`meetingLifecycle_v1`), and the approval of today's minutes is on it.

Blair Board (board@) is Sunset Ridge's president (and chairs its committee), and in Summit Property Management a
director of Willow Creek only: acting in Summit she sees Willow Creek and not Harbor View. She casts her own votes.

History cannot go through the services (a meeting cannot be scheduled in the past: the notice period), so the
seeder writes the past meetings, their notices, voter list, attendance, election and minutes through the models,
as the services would have left them at the time; seats, settings, resolutions, today's meeting from its call to
order on, and next month's meeting go through the services, as the manager (the demo admin where the manager is not
a member) and Blair would. An association that already has a board is skipped whole, so `hestami dev` can run this
on every start. Today's meeting and next month's run `meetingLifecycle_v1` (the API's DBOS recovers what the seeder
leaves PENDING); the seeder waits for next month's notice, and sends it itself (the same turn, idempotent) if the
workflow has not within `NOTICE_WAIT_SECONDS`.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.governance import kinds, repository, rules, workflows
from hestami.cam.governance.demo_data import (
    ANNUAL_AGENDA,
    BOARD_NAME,
    COMMITTEE_NAME,
    COMMITTEE_PURPOSE,
    GOVERNANCE,
    LAST_MONTH_AGENDA,
    ORGANIZATIONAL_AGENDA,
    TEXAS,
    TODAY_AGENDA_AFTER,
    Governance,
    Item,
    SeatSpec,
    annual_on,
    at,
    due_on,
    second_tuesday_of_next_month,
    years_after,
)
from hestami.cam.governance.models import AgendaItem, Attendance, Meeting, Minutes, Participation, Vote
from hestami.cam.governance.schemas import (
    AgendaItemIn,
    ApproveMinutes,
    CastVote,
    CreateBoard,
    DraftMinutes,
    EndSeat,
    FillSeat,
    ListBoards,
    OpenVote,
    ProposeResolution,
    RecordAttendance,
    ResolutionOut,
    ScheduleMeeting,
    SeatOut,
    UpdateSettings,
)
from hestami.cam.governance.services import boards, meetings, minutes, notices, resolutions, settings, votes
from hestami.core import records
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DEMO_USERS, DemoCast

DAY_SECONDS = 86400.0
"""History is written in calendar days, whatever `GOVERNANCE_DAY_SECONDS` says."""
NOTICE_WAIT_SECONDS = 15.0
"""How long the seeder waits for the lifecycle to send next month's notice before sending it itself."""
CLASS_ORDER = {"ENDED": 0, "EARLIER": 1, "ELECTED": 2}
MESSAGES = ("NOTICE", "AGENDA", "REMINDER")


def _option(name: str) -> str:
    """A candidate's name as a ballot option (upper case letters, digits, spaces and dashes)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9_ \-]", "", plain.upper()).strip()[:100] or "CANDIDATE"


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _clock(moment: datetime) -> str:
    return moment.astimezone(TEXAS).strftime("%I:%M %p").lstrip("0")


@dataclass
class _Seat:
    spec: SeatSpec
    out: SeatOut

    def held_on(self, day: date) -> bool:
        return self.out.term_start <= day and (self.out.ended_on is None or self.out.ended_on > day)


@dataclass
class _History:
    """One association's governance history, written in the keeper's transaction."""

    ctx: RequestContext
    spec: Governance
    association_id: uuid.UUID
    users: dict[str, uuid.UUID]
    members: set[str]
    keeper_id: uuid.UUID
    now: datetime
    owners: dict[str, association.OwnerContact] = field(default_factory=dict)
    seats: list[_Seat] = field(default_factory=list)
    number: int = 0

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def annual(self) -> date:
        return annual_on(self.spec, self.today)

    async def load_owners(self) -> None:
        for unit in await association.units_of(self.ctx, self.association_id):
            contacts = await association.owner_contacts(self.ctx, unit.id)
            if contacts:
                self.owners[unit.unit_number] = contacts[0]

    def _term(self, spec: SeatSpec) -> tuple[date, date]:
        if spec.since == "ENDED":
            return years_after(self.annual, -2), self.annual
        if spec.since == "EARLIER":
            return years_after(self.annual, -1), years_after(self.annual, 1)
        return self.annual, years_after(self.annual, 2)

    def _holder(self, spec: SeatSpec) -> dict[str, Any]:
        if spec.holder.startswith("login:"):
            login = spec.holder.removeprefix("login:")
            party = {"party_id": self.owners[spec.unit].party_id} if spec.unit in self.owners else {}
            if login in self.members:
                return {"user_id": self.users[login], **party}
            return {"holder_name": DEMO_USERS[login], **party}
        return {"party_id": self.owners[spec.holder].party_id}

    async def seat(self, board_id: uuid.UUID, specs: tuple[SeatSpec, ...]) -> list[_Seat]:
        """Seats in the order their terms began; the ENDED seat ends with its term, at last year's annual meeting."""
        seated = []
        for spec in sorted(specs, key=lambda s: CLASS_ORDER[s.since]):
            start, end = self._term(spec)
            data = FillSeat(board_id=board_id, position=spec.position, term_start=start, term_end=end,
                            **self._holder(spec))  # fmt: skip
            out = await boards.fill_seat(self.ctx, data)
            if spec.since == "ENDED":
                out = await boards.end_seat(self.ctx, EndSeat(id=out.id, ended_on=end, reason="TERM_ENDED"))
            seated.append(_Seat(spec, out))
        return seated

    def on(self, day: date) -> list[_Seat]:
        return [seat for seat in self.seats if seat.held_on(day)]

    def holder_of(self, position: str, day: date) -> str:
        return next((s.out.holder_name for s in self.on(day) if s.spec.position == position), "the chair")

    async def meeting(
        self, kind: str, title: str, starts_at: datetime, notice_days: int, board_id: uuid.UUID | None,
        *, status: str = "ADJOURNED", minutes_long: timedelta = timedelta(hours=1, minutes=20),
    ) -> Meeting:  # fmt: skip
        """A meeting as its lifecycle left it: noticed `notice_days` ahead, the final agenda and the reminder sent on
        time, held (called to order five minutes late, adjourned after `minutes_long`) unless `status` says
        otherwise."""
        in_force = await settings.effective(self.ctx, self.association_id)
        notice_at = starts_at - timedelta(days=notice_days)
        plan = rules.notice_plan(
            notice_at, starts_at, notice_days=notice_days, agenda_days=in_force.agenda_days,
            reminder_hours=in_force.reminder_hours, day_seconds=DAY_SECONDS, notice_at=notice_at,
        )  # fmt: skip
        member = kind in rules.MEMBER_MEETINGS
        held = status == "ADJOURNED"
        self.number += 1
        row = Meeting(
            association_id=self.association_id, board_id=board_id, number=self.number, kind=kind, title=title,
            status=status, starts_at=starts_at, location=self.spec.location, notice_days=notice_days,
            notice_at=plan.notice_at, notice_channels=list(in_force.notice_channels), agenda_at=plan.agenda_at,
            reminder_at=plan.reminder_at, record_date=plan.notice_at.date() if member else None,
            quorum_percent=in_force.member_quorum_percent if member else None, notice_sent_at=plan.notice_at,
            agenda_sent_at=plan.agenda_at, reminder_sent_at=plan.reminder_at,
            called_to_order_at=starts_at + timedelta(minutes=5) if held else None,
            adjourned_at=starts_at + minutes_long if held else None, scheduled_by=self.keeper_id,
        )  # fmt: skip
        row.created_at = plan.notice_at - timedelta(hours=3)
        return await records.insert(self.ctx, kinds.MEETING, row)

    async def agenda(self, meeting: Meeting, items: tuple[Item, ...], resolutions: dict[str, uuid.UUID]) -> None:
        position = await repository.next_position(self.ctx.session, meeting.id)
        for offset, item in enumerate(items):
            self.ctx.session.add(
                AgendaItem(
                    organization_id=meeting.organization_id, meeting_id=meeting.id, position=position + offset,
                    title=item.title, description=item.description, item_type=item.item_type, session=item.session,
                    resolution_id=resolutions.get(item.title),
                )
            )  # fmt: skip
        await self.ctx.session.flush()

    async def send_notices(self, meeting: Meeting) -> int:
        """The notice, the final agenda and the reminder, each to the recipients of its day, once each."""
        if meeting.kind in rules.MEMBER_MEETINGS:
            await notices.take_voter_list(self.ctx, meeting)
        sent = 0
        for kind, when in zip(MESSAGES, (meeting.notice_at, meeting.agenda_at, meeting.reminder_at), strict=True):
            rows = notices.notice_rows(meeting, kind, await notices.recipients(self.ctx, meeting, when.date()))
            for row in rows:
                row["created_at"] = row["updated_at"] = when
            sent += len(await repository.add_notices(self.ctx.session, rows))
        return sent

    def present(self, meeting: Meeting, seats: list[_Seat]) -> None:
        assert meeting.called_to_order_at is not None
        for seat in seats:
            self.ctx.session.add(
                Attendance(
                    organization_id=meeting.organization_id, meeting_id=meeting.id, seat_id=seat.out.id,
                    user_id=seat.out.user_id, attendee_name=seat.out.holder_name, mode="IN_PERSON", weight=Decimal(1),
                    created_at=meeting.called_to_order_at,
                )
            )  # fmt: skip

    def write_minutes(self, meeting: Meeting, body: str, approved_at: Meeting | None) -> None:
        assert meeting.adjourned_at is not None
        written = meeting.adjourned_at + timedelta(days=3)
        approved = approved_at.starts_at + timedelta(minutes=10) if approved_at is not None else None
        self.ctx.session.add(
            Minutes(
                organization_id=meeting.organization_id, meeting_id=meeting.id, body=body,
                status="APPROVED" if approved_at is not None else "DRAFT", drafted_by=self.keeper_id,
                approved_at_meeting_id=approved_at.id if approved_at is not None else None, approved_at=approved,
                created_at=written, updated_at=approved or written,
            )
        )  # fmt: skip

    async def election(self, meeting: Meeting) -> tuple[str, str]:
        """The annual meeting's secret ballot for the ELECTED seat: units present in person, by proxy or
        electronically; what it came to (who won, and the turnout line for the minutes)."""
        assert meeting.called_to_order_at is not None
        winner = next(s.out.holder_name for s in self.seats if s.spec.since == "ELECTED")
        runner_up = self.owners[self.spec.runner_up].name
        options = [_option(winner), _option(runner_up)]
        secretary = self.holder_of("SECRETARY", meeting.starts_at.date())
        voters = await repository.voters(self.ctx.session, meeting.id)
        opened = meeting.called_to_order_at + timedelta(minutes=35)
        vote = Vote(
            association_id=self.association_id, meeting_id=meeting.id, kind="BALLOT",
            question="Election of a director for a two-year term", options=options, secret=True,
            threshold="MAJORITY", status="OPEN", opened_by=self.keeper_id,
        )  # fmt: skip
        vote.created_at = opened
        vote = await records.insert(self.ctx, kinds.VOTE, vote)
        ballots: list[tuple[str, Decimal]] = []
        modes: dict[str, int] = {}
        for index, voter in enumerate(voters):
            if index % 3 == 2:
                continue  # not represented
            mode = "PROXY" if index % 7 == 1 else "ELECTRONIC" if index % 5 == 3 else "IN_PERSON"
            modes[mode] = modes.get(mode, 0) + 1
            proxy = f"{secretary} (Secretary)" if mode == "PROXY" else None
            name = f"{voter.unit_number}: {voter.owner_names}"
            cast_at = meeting.starts_at - timedelta(days=2) if mode == "ELECTRONIC" else opened + timedelta(minutes=5)
            self.ctx.session.add(
                Attendance(
                    organization_id=meeting.organization_id, meeting_id=meeting.id, unit_id=voter.unit_id,
                    attendee_name=name, mode=mode, proxy_holder=proxy, weight=voter.weight, created_at=cast_at,
                )
            )  # fmt: skip
            choice = options[1] if index % 4 == 3 else options[0]
            self.ctx.session.add(
                Participation(
                    organization_id=meeting.organization_id, vote_id=vote.id, unit_id=voter.unit_id,
                    cast_by=self.keeper_id, voter_name=name, method=mode, proxy_holder=proxy, weight=voter.weight,
                    choice=None, created_at=cast_at,
                )
            )  # fmt: skip
            repository.add_secret_ballot(self.ctx.session, meeting.organization_id, vote.id, choice, voter.weight)
            ballots.append((choice, voter.weight))
        tally = rules.tally(options, ballots, "MAJORITY")
        closed = opened + timedelta(minutes=25)
        await records.change(
            self.ctx, kinds.VOTE, vote,
            {"status": "CLOSED", "result": tally.result, "tallies": tally.as_json(), "closed_at": closed},
            action="closed",
        )  # fmt: skip
        total = sum((voter.weight for voter in voters), Decimal(0))
        present = sum((weight for _, weight in ballots), Decimal(0))
        percent = (present * 100 / total).quantize(Decimal("0.1")) if total else Decimal(0)
        turnout = (
            f"{len(ballots)} of {len(voters)} units represented ({percent}% of the voting weight; "
            f"{modes.get('PROXY', 0)} by proxy, {modes.get('ELECTRONIC', 0)} electronically)"
        )
        won, lost = (f"{tally.weights[option].normalize():f}" for option in options)
        result = f"{winner} elected with {won} of the voting weight to {runner_up}'s {lost} (secret ballot)"
        return result, turnout


class _Seeder(DemoCast):
    async def load(self, spec: Governance) -> str:
        if spec.slug not in self.orgs:
            return f"  {spec.short}: skipped, organization {spec.slug} is missing"
        keeper = await self.keeper(spec.slug)
        members = {login for login in ("board",) if await self.member(login, spec.slug)}
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        async with self.acting(keeper, spec.slug) as ctx:
            found = await association.association_named(ctx, spec.name)
            if found is None:
                return f"  {spec.short}: skipped, the association is missing"
            existing = await boards.list_boards(ctx, ListBoards(association_id=found.id, limit=1))
            if existing.items:
                return f"  {spec.short}: already loaded (has a board)"
            history = _History(ctx, spec, found.id, self.users, members, self.users[keeper], now)
            await history.load_owners()
            past = await _past(history)
        today = await self._today(keeper, history, past)
        upcoming = await self._next_month(keeper, spec, found.id, now)
        return f"  {spec.short}: {past.line}; {today}; {upcoming}"

    async def _today(self, keeper: str, history: _History, past: _Past) -> str:
        """Today's board meeting from its call to order: attendance, last month's minutes, the two resolutions by
        motion (Blair casts her own vote), the adjournment and the draft minutes."""
        slug, meeting_id, today = history.spec.slug, past.today.id, history.today
        present = [seat for seat in history.on(today) if seat.spec.present_today]
        blair = self.users.get("board")
        async with self.acting(keeper, slug) as ctx:
            await meetings.call_to_order(ctx, meeting_id)
            for seat in present:
                await meetings.record_attendance(ctx, RecordAttendance(meeting_id=meeting_id, seat_id=seat.out.id))
            await minutes.approve(ctx, ApproveMinutes(meeting_id=meeting_id, minutes_of_meeting_id=past.last_month.id))
            motions = []
            for resolution in (past.assessment, past.policy):
                question = f"Adopt resolution {resolution.number}: {resolution.title}?"
                opened = OpenVote(meeting_id=meeting_id, kind="MOTION", question=question, resolution_id=resolution.id)
                motions.append(await votes.open_vote(ctx, opened))
            for seat in present:
                if blair is not None and seat.out.user_id == blair:
                    continue
                for motion in motions:
                    choice = "NO" if seat.spec.votes_no and motion.resolution_id == past.assessment.id else "YES"
                    cast = CastVote(vote_id=motion.id, choice=choice, seat_id=seat.out.id, method="IN_PERSON")
                    await votes.cast(ctx, cast)
        if blair is not None and any(seat.out.user_id == blair for seat in present):
            async with self.acting("board", slug) as ctx:
                for motion in motions:
                    await votes.cast(ctx, CastVote(vote_id=motion.id, choice="YES", method="IN_PERSON"))
        async with self.acting(keeper, slug) as ctx:
            closed = [await votes.close(ctx, motion.id) for motion in motions]
            await meetings.adjourn(ctx, meeting_id)
            adopted = [await resolutions.get(ctx, resolution.id) for resolution in (past.assessment, past.policy)]
            body = _today_minutes(history, present, past, adopted, closed)
            await minutes.draft(ctx, DraftMinutes(meeting_id=meeting_id, body=body))
        assessment, policy = adopted
        assert assessment.assessment_total is not None
        return (
            f"today's board meeting adopted resolution {assessment.number} ({assessment.title}: "
            f"{_money(assessment.assessment_total)} to the {(assessment.assessment_fund or '').lower()} fund, "
            f"{(assessment.allocation or '').replace('_', ' ').lower()}, {assessment.charge_count} charges due "
            f"{assessment.assessment_due_on}) and resolution {policy.number} ({policy.title}, version "
            f"{policy.policy_version})"
        )

    async def _next_month(self, keeper: str, spec: Governance, association_id: uuid.UUID, now: datetime) -> str:
        """Next month's board meeting through `schedule`, as the manager would; its notice goes at once."""
        starts_at = at(second_tuesday_of_next_month(now.date()), 18, 30)
        data = ScheduleMeeting(
            association_id=association_id, kind="BOARD", title="Regular board meeting", starts_at=starts_at,
            location=spec.location,
            agenda=[AgendaItemIn(title=i.title, item_type=i.item_type, session=i.session) for i in spec.next_agenda],
        )  # fmt: skip
        async with self.acting(keeper, spec.slug) as ctx:
            meeting_id = (await meetings.schedule(ctx, data)).id
        sent = await self._noticed(keeper, spec.slug, meeting_id)
        return f"next month's board meeting on {starts_at:%Y-%m-%d %H:%M} noticed ({sent} notices)"

    async def _noticed(self, keeper: str, slug: str, meeting_id: uuid.UUID) -> int:
        """Waits for the lifecycle's notice; sends it as the lifecycle would if it has not come in time."""
        deadline = asyncio.get_running_loop().time() + NOTICE_WAIT_SECONDS
        while asyncio.get_running_loop().time() < deadline:
            async with self.acting(keeper, slug) as ctx:
                found = await repository.meeting(ctx.session, meeting_id)
                if found is not None and found.status != "SCHEDULED":
                    return sum(1 for row in await repository.notices(ctx.session, meeting_id) if row.kind == "NOTICE")
            await asyncio.sleep(0.25)
        async with acting(self.runtime, procedure="seed-demo", organization_id=self.orgs[slug]) as ctx:
            meeting = await repository.meeting(ctx.session, meeting_id, lock=True)
            assert meeting is not None
            await notices.on_the_clock(ctx, meeting, datetime.now(UTC))
            return sum(1 for row in await repository.notices(ctx.session, meeting_id) if row.kind == "NOTICE")


@dataclass
class _Past:
    line: str
    last_month: Meeting
    today: Meeting
    assessment: ResolutionOut
    policy: ResolutionOut


async def _past(history: _History) -> _Past:
    """Settings, the board and the committee with their history, the proposals before today's meeting, and the
    meetings up to today's (noticed, not yet called to order), in the keeper's transaction."""
    ctx, spec, annual = history.ctx, history.spec, history.annual
    await settings.update(ctx, UpdateSettings(association_id=history.association_id, notice_channels=spec.channels))
    board = await boards.create(
        ctx, CreateBoard(association_id=history.association_id, name=BOARD_NAME, seat_count=spec.seat_count)
    )
    history.seats = await history.seat(board.id, spec.seats)
    committee = await boards.create(
        ctx,
        CreateBoard(association_id=history.association_id, kind="COMMITTEE", name=COMMITTEE_NAME,
                    seat_count=len(spec.committee), purpose=COMMITTEE_PURPOSE),
    )  # fmt: skip
    await history.seat(committee.id, spec.committee)
    assessment, policy = await _proposals(history)

    # Last year's annual meeting of the owners, presided over by the past president.
    first = await history.meeting("ANNUAL", f"{annual.year} Annual Meeting of Members",
                                  at(annual, spec.annual_hour), 21, None,
                                  minutes_long=timedelta(hours=1, minutes=35))  # fmt: skip
    await history.agenda(first, ANNUAL_AGENDA, {})
    sent = await history.send_notices(first)
    elected, turnout = await history.election(first)
    assert first.called_to_order_at is not None
    assert first.adjourned_at is not None
    president = history.holder_of("PRESIDENT", annual - timedelta(days=1))

    # The board's meeting five weeks later approves the annual meeting's minutes.
    organizational = await history.meeting("BOARD", "Regular board meeting",
                                           at(annual + timedelta(days=35), 18, 30), 7, board.id)  # fmt: skip
    await repository.add_minutes_approval(ctx.session, organizational.organization_id, organizational.id, first)
    await history.agenda(organizational, ORGANIZATIONAL_AGENDA, {})
    sent += await history.send_notices(organizational)
    directors = history.on(organizational.starts_at.date())
    history.present(organizational, directors)
    history.write_minutes(first, (
        f"Called to order at {_clock(first.called_to_order_at)} by {president}, President. Quorum: {turnout}. "
        f"The President reported on the year and the Treasurer on the budget. Election of a director for a "
        f"two-year term: {elected}. Owner open forum: parking on the streets, the pool season. Adjourned at "
        f"{_clock(first.adjourned_at)}."
    ), organizational)  # fmt: skip

    # Last month's board meeting approves those minutes; its own wait for today's.
    last_month = await history.meeting("BOARD", "Regular board meeting",
                                       at(history.today - timedelta(days=28), 18, 30), 7, board.id)  # fmt: skip
    await meetings.carry_minutes_approvals(ctx, last_month)
    await repository.add_minutes_approval(ctx.session, last_month.organization_id, last_month.id, organizational)
    discussed = Item(spec.assessment.discussed)
    await history.agenda(last_month, (LAST_MONTH_AGENDA[0], discussed, *LAST_MONTH_AGENDA[1:]), {})
    sent += await history.send_notices(last_month)
    attending = [seat for seat in history.on(last_month.starts_at.date()) if seat.spec.present_today]
    history.present(last_month, attending)
    officers = ", ".join(f"{s.spec.position.replace('_', ' ').lower()} {s.out.holder_name}" for s in directors)
    history.write_minutes(organizational, (
        f"Present: {', '.join(s.out.holder_name for s in directors)}. The minutes of the {first.title} were "
        f"approved. Officers for the year: {officers}. Appointments to the {COMMITTEE_NAME} confirmed. The manager "
        f"reported on the landscaping contract and the pool opening. Adjourned."
    ), last_month)  # fmt: skip
    history.write_minutes(last_month, (
        f"Present: {', '.join(s.out.holder_name for s in attending)}. The minutes of the board meeting of "
        f"{organizational.starts_at.date().isoformat()} were approved. The reserve study was presented. "
        f"{spec.assessment.discussed}: the board asked the manager to prepare a special assessment resolution for "
        f"the next meeting. Executive session: delinquent accounts. Adjourned."
    ), None)  # fmt: skip

    # Today's board meeting, noticed a week ago; the board holds it through the services.
    today = await history.meeting("BOARD", f"Board meeting: {spec.assessment.title.split(': ', 1)[-1]}",
                                  history.now - timedelta(minutes=10), 7, board.id, status="NOTICED")  # fmt: skip
    await meetings.carry_minutes_approvals(ctx, today)
    linked = {assessment.title: assessment.id, policy.title: policy.id}
    items = (Item(assessment.title, "ACTION"), Item(policy.title, "ACTION"), *TODAY_AGENDA_AFTER)
    await history.agenda(today, items, linked)
    sent += await history.send_notices(today)
    await workflows.start(today.organization_id, today.id)

    ended = next(s for s in history.seats if s.spec.since == "ENDED")
    line = (
        f"{BOARD_NAME} ({spec.seat_count} seats; {ended.out.holder_name}'s term as president ended "
        f"{ended.out.ended_on}, {elected.split(' elected')[0]} elected), {COMMITTEE_NAME} ({len(spec.committee)}); "
        f"the annual meeting of {annual} ({turnout.split(' (')[0]}) with minutes approved, 4 meetings, "
        f"{sent} notices"
    )
    return _Past(line, last_month, today, assessment, policy)


async def _proposals(history: _History) -> tuple[ResolutionOut, ResolutionOut]:
    """The special assessment (by share where every unit has one, else equally) and the pool rules, proposed for
    today's meeting."""
    ctx, spec = history.ctx, history.spec
    units = await association.units_of(ctx, history.association_id)
    allocation = "BY_SHARE" if units and all(unit.assessment_share for unit in units) else "EQUAL"
    special = spec.assessment
    assessment = await resolutions.propose(
        ctx,
        ProposeResolution(
            association_id=history.association_id, kind="SPECIAL_ASSESSMENT", title=special.title, body=special.body,
            assessment_total=special.total, assessment_due_on=due_on(history.today), assessment_fund=special.fund,
            allocation=allocation,
        ),
    )  # fmt: skip
    pool = spec.pool_rules
    policy = await resolutions.propose(
        ctx,
        ProposeResolution(
            association_id=history.association_id, kind="POLICY", title=pool.resolution_title,
            body=f"Resolved, that the Board adopts the {pool.policy_title} below, effective today.",
            policy_title=pool.policy_title, policy_category="RULES", policy_body=pool.body,
        ),
    )  # fmt: skip
    return assessment, policy


def _today_minutes(
    history: _History, present: list[_Seat], past: _Past, adopted: list[ResolutionOut], closed: list[Any]
) -> str:
    lines = [
        f"Present: {', '.join(s.out.holder_name for s in present)} ({len(present)} of {history.spec.seat_count} "
        f"seats: a quorum). The minutes of the board meeting of {past.last_month.starts_at.date().isoformat()} were "
        f"approved."
    ]
    for resolution, vote in zip(adopted, closed, strict=True):
        counts = vote.tallies["counts"] if vote.tallies else {}
        lines.append(
            f"Resolution {resolution.number}, {resolution.title}: {resolution.status.lower()} "
            f"({counts.get('YES', 0)} yes, {counts.get('NO', 0)} no)."
        )
    lines.append("Adjourned.")
    return " ".join(lines)


@demo_seed("governance", order=100)
async def seed_governance(runtime: Runtime) -> list[str]:
    seeder = await _Seeder.gather(runtime)
    if seeder is None:
        return ["demo governance: skipped, the demo admin does not exist"]
    lines = ["demo governance:"]
    for spec in GOVERNANCE:
        lines.append(await seeder.load(spec))
    return lines

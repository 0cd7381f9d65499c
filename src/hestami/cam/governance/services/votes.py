"""Votes at meetings: board motions (one vote per director present, weight 1) and owner ballots (one per unit on
the voter list, by its voting weight; in person, by proxy or electronically, before or at the meeting).

A ballot cast counts its unit as represented (quorum). A secret vote records who voted but stores the choice apart,
in a row with a random id and no time or voter (`secret_ballots`), so how someone voted cannot be read back. A vote
is closed at the meeting in session with quorum (NO_QUORUM otherwise: a meeting without quorum adopts nothing); its
result follows the weights, and a vote on a resolution adopts or rejects it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from hestami.cam.governance import kinds, repository, rules
from hestami.cam.governance.errors import GovernanceReason, rule
from hestami.cam.governance.models import Attendance, Meeting, Participation, Vote
from hestami.cam.governance.schemas import (
    CastVote,
    ListVotes,
    OpenVote,
    ParticipationOut,
    VoteDetailOut,
    VoteOut,
    VotesOut,
)
from hestami.cam.governance.services import meetings, resolutions
from hestami.cam.governance.services.boards import seat_in_scope
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError
from hestami.core.pagination import PageRequest

PARTICIPATION = "vote_participation"
CASTING = frozenset({"NOTICED", "IN_SESSION"})
"""Meeting statuses in which an open vote takes votes (a ballot from the notice on; a cancelled meeting none)."""


def output(vote: Vote, cast: int, participations: list[Participation] | None = None) -> VoteDetailOut:
    """Tallies only once the vote is closed."""
    shown = {} if vote.status == "CLOSED" else {"tallies": None, "result": None}
    return records.output(
        VoteDetailOut, vote, ballots_cast=cast,
        participations=[records.output(ParticipationOut, row) for row in participations or []], **shown,
    )  # fmt: skip


async def open_vote(ctx: RequestContext, data: OpenVote) -> VoteDetailOut:
    """A MOTION at a board or committee meeting in session; a BALLOT of an owners' meeting once its notice is out
    (owners may vote electronically before the meeting) or in session. Secret ballots only (board votes are on
    the record). On a resolution: a YES/NO question on a PROPOSED resolution of the same association not voted
    on before."""
    meeting = await records.load(ctx, kinds.MEETING, data.meeting_id, "conduct", lock=True)
    if data.kind == "MOTION":
        if meeting.board_id is None:
            raise rule(GovernanceReason.WRONG_VOTE_KIND, "Owners' meetings vote by BALLOT.")
        if meeting.status != "IN_SESSION":
            raise rule(GovernanceReason.NOT_IN_SESSION, "A motion is voted at the meeting in session.")
        if data.secret:
            raise HestamiError(
                ErrorCode.VALIDATION_FAILED, "Board votes are on the record: a motion cannot be secret.",
                field_errors=[FieldError("/secret", "A motion cannot be secret.", "invalid")],
            )  # fmt: skip
    else:
        if meeting.kind not in rules.MEMBER_MEETINGS:
            raise rule(GovernanceReason.WRONG_VOTE_KIND, "A board or committee meeting votes by MOTION.")
        if meeting.status not in ("NOTICED", "IN_SESSION"):
            raise rule(GovernanceReason.NOT_IN_SESSION, "Ballots open once the notice is out, until the meeting ends.")
    if data.resolution_id is not None:
        await resolutions.ready_for_vote(ctx, data.resolution_id, meeting)
    vote = Vote(
        association_id=meeting.association_id, meeting_id=meeting.id, resolution_id=data.resolution_id,
        kind=data.kind, question=data.question, options=list(data.options), secret=data.secret,
        threshold=data.threshold, status="OPEN", opened_by=ctx.user_id,
    )  # fmt: skip
    vote = await records.create(ctx, kinds.VOTE, vote)
    if data.resolution_id is not None:
        await resolutions.put_to_vote(ctx, data.resolution_id, vote.id, meeting.id)
    return output(vote, 0)


async def _motion_voter(ctx: RequestContext, meeting: Meeting, data: CastVote, on_behalf: bool) -> dict[str, Any]:
    if data.unit_id is not None:
        raise rule(GovernanceReason.WRONG_VOTE_KIND, "A motion is voted by the board's seats, not by units.")
    if data.seat_id is not None:
        seat = await seat_in_scope(ctx, data.seat_id)
    else:
        found = (
            await repository.seat_of_user(ctx.session, meeting.board_id, ctx.require_user(), date.today())
            if meeting.board_id
            else None
        )
        if found is None:
            raise rule(GovernanceReason.NOT_A_VOTER, "You hold no seat on the meeting's board.")
        seat = found
    held = seat.term_start <= date.today() and (seat.ended_on is None or seat.ended_on > date.today())
    if seat.board_id != meeting.board_id or not held:
        raise rule(GovernanceReason.NOT_A_VOTER, "The seat is not a current seat of the meeting's board.")
    if seat.user_id != ctx.user_id and not on_behalf:
        raise rule(GovernanceReason.NOT_A_VOTER, "You may only cast your own vote.")
    if await repository.attended(ctx.session, meeting.id, seat_id=seat.id, unit_id=None) is None:
        raise rule(GovernanceReason.NOT_A_VOTER, "Directors vote when present: record the attendance first.")
    return {"seat_id": seat.id, "voter_name": seat.holder_name, "weight": 1}


async def _ballot_voter(ctx: RequestContext, meeting: Meeting, data: CastVote, on_behalf: bool) -> dict[str, Any]:
    if data.seat_id is not None:
        raise rule(GovernanceReason.WRONG_VOTE_KIND, "A ballot is cast for a unit, not a seat.")
    if data.unit_id is not None:
        voter = await repository.voter(ctx.session, meeting.id, data.unit_id)
    else:
        mine = await repository.voter_units_of_user(ctx.session, meeting.id, ctx.require_user())
        if len(mine) > 1:
            message = "You own several units on the voter list: name the unit."
            raise HestamiError(
                ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError("/unit_id", message, "required")]
            )
        voter = mine[0] if mine else None
    if voter is None:
        raise rule(GovernanceReason.NOT_A_VOTER, "The unit is not on the meeting's voter list.")
    if ctx.user_id not in voter.owner_user_ids and not on_behalf:
        raise rule(GovernanceReason.NOT_A_VOTER, "Only the unit's owners of record vote for it.")
    return {"unit_id": voter.unit_id, "voter_name": f"{voter.unit_number}: {voter.owner_names}", "weight": voter.weight}


async def _count_as_present(
    ctx: RequestContext, meeting: Meeting, who: dict[str, Any], method: str, proxy_holder: str | None
) -> None:
    """A ballot represents its unit at the meeting (quorum), by the method it was cast with."""
    if await repository.attended(ctx.session, meeting.id, seat_id=None, unit_id=who["unit_id"]) is not None:
        return
    ctx.session.add(
        Attendance(
            organization_id=meeting.organization_id, meeting_id=meeting.id, unit_id=who["unit_id"],
            user_id=ctx.user_id, attendee_name=who["voter_name"], mode=method, proxy_holder=proxy_holder,
            weight=who["weight"],
        )
    )  # fmt: skip


async def cast(ctx: RequestContext, data: CastVote) -> ParticipationOut:
    """Casts one vote: a director their own (present) seat's, an owner of record their unit's; managers and the
    board record votes for others (in person or by proxy). Once per seat or unit (ALREADY_VOTED); an option of the
    vote (UNKNOWN_OPTION); while it is open (VOTE_CLOSED); proxies and electronic votes as the association allows."""
    vote = await records.load(ctx, kinds.VOTE, data.vote_id, "cast", lock=True)
    if vote.status != "OPEN":
        raise rule(GovernanceReason.VOTE_CLOSED, "The vote is closed.")
    if data.choice not in vote.options:
        raise rule(
            GovernanceReason.UNKNOWN_OPTION, f"{data.choice} is not an option of this vote.", options=vote.options
        )
    meeting = await records.find(ctx, kinds.MEETING, vote.meeting_id)
    if meeting.status not in CASTING:
        raise rule(GovernanceReason.NOT_IN_SESSION, "The vote's meeting is over.", status=meeting.status)
    method = data.method or ("IN_PERSON" if vote.kind == "MOTION" else "ELECTRONIC")
    await meetings.check_method(ctx, meeting.association_id, method)
    on_behalf = await records.can(ctx, kinds.MEETING, meeting, "conduct")
    voter = _motion_voter if vote.kind == "MOTION" else _ballot_voter
    who = await voter(ctx, meeting, data, on_behalf)
    if await repository.participated(ctx.session, vote.id, seat_id=who.get("seat_id"), unit_id=who.get("unit_id")):
        raise rule(GovernanceReason.ALREADY_VOTED, "This vote was cast already.")
    if vote.kind == "BALLOT":
        await _count_as_present(ctx, meeting, who, method, data.proxy_holder)
    row = Participation(
        organization_id=vote.organization_id, vote_id=vote.id, cast_by=ctx.user_id, method=method,
        proxy_holder=data.proxy_holder, choice=None if vote.secret else data.choice, **who,
    )  # fmt: skip
    ctx.session.add(row)
    if vote.secret:
        repository.add_secret_ballot(ctx.session, vote.organization_id, vote.id, data.choice, who["weight"])
    await ctx.session.flush()
    await ctx.session.refresh(row)
    audit.record(ctx, "vote.cast", kinds.VOTE.name, vote.id, after=records.snapshot(row))
    return records.output(ParticipationOut, row)


async def close(ctx: RequestContext, vote_id: uuid.UUID) -> VoteDetailOut:
    """Counts the vote at its meeting in session with quorum, by weight; a vote on a resolution adopts it (PASSED)
    or rejects it (FAILED)."""
    vote = await records.load(ctx, kinds.VOTE, vote_id, "close", lock=True)
    if vote.status != "OPEN":
        raise rule(GovernanceReason.VOTE_CLOSED, "The vote is closed already.")
    meeting = await meetings.in_session(ctx, vote.meeting_id, "view", lock=True)
    await meetings.require_quorum(ctx, meeting)
    tally = rules.tally(vote.options, await repository.ballots(ctx.session, vote), vote.threshold)
    changes = {"status": "CLOSED", "result": tally.result, "tallies": tally.as_json(), "closed_at": datetime.now(UTC)}
    vote = await records.change(ctx, kinds.VOTE, vote, changes, action="closed")
    if vote.resolution_id is not None:
        await resolutions.decide(ctx, vote.resolution_id, vote, meeting)
    return output(vote, sum(tally.counts.values()))


async def get(ctx: RequestContext, vote_id: uuid.UUID) -> VoteDetailOut:
    """The vote, who voted (and how, unless it is secret), and once closed its tallies by weight and head. On an
    owners' ballot an owner sees the count and the ballots they cast themselves; the board and the managers all of
    them. Board motions are on the record for everyone who sees the meeting."""
    vote = await records.load(ctx, kinds.VOTE, vote_id)
    rows = await repository.participations(ctx.session, vote.id)
    cast = len(rows)
    if vote.kind == "BALLOT":
        meeting = await records.find(ctx, kinds.MEETING, vote.meeting_id)
        if not await records.can(ctx, kinds.MEETING, meeting, "view_notices"):
            rows = [row for row in rows if row.cast_by == ctx.user_id]
    return output(vote, cast, rows)


async def list_votes(ctx: RequestContext, data: ListVotes) -> VotesOut:
    filters = []
    if data.meeting_id is not None:
        filters.append(Vote.meeting_id == data.meeting_id)
    if data.association_id is not None:
        filters.append(Vote.association_id == data.association_id)
    rows, cursor = await records.page(ctx, kinds.VOTE, PageRequest(limit=data.limit, cursor=data.cursor), *filters)
    counts = await repository.participation_counts(ctx.session, [row.id for row in rows])
    items = [
        VoteOut.model_validate(output(row, counts.get(row.id, 0)).model_dump(exclude={"participations"}))
        for row in rows
    ]
    return VotesOut(items=items, next_cursor=cursor)

"""Boards and committees, and who holds their seats when: seating someone, ending a seat, the history.

A seat on the board of directors is what gives a BOARD_MEMBER the board's view of an association (migration
0020's `app_enter_scope`): seating a member of the organization gives them the BOARD_MEMBER role if they lack it,
and their view of the association begins with the term and ends with the seat.
"""

from __future__ import annotations

import uuid
from datetime import date

from hestami.cam.association import api as association
from hestami.cam.governance import kinds, repository, rules
from hestami.cam.governance.errors import GovernanceReason, rule
from hestami.cam.governance.models import Board, BoardSeat
from hestami.cam.governance.schemas import (
    BoardOut,
    BoardsOut,
    CreateBoard,
    EndSeat,
    FillSeat,
    ListBoards,
    SeatOut,
    SeatsOut,
    UpdateBoard,
)
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.pagination import PageRequest
from hestami.identity.services import organizations as identity

SEAT = "board_seat"


def seat_out(seat: BoardSeat, today: date | None = None) -> SeatOut:
    day = today or date.today()
    current = seat.term_start <= day and (seat.ended_on is None or seat.ended_on > day)
    return records.output(SeatOut, seat, current=current)


def board_out(board: Board, seats: list[BoardSeat]) -> BoardOut:
    return records.output(BoardOut, board, seats=[seat_out(seat) for seat in seats])


async def create(ctx: RequestContext, data: CreateBoard) -> BoardOut:
    """One board of directors per association (BOARD_EXISTS); names unique in the association (DUPLICATE_NAME)."""
    await association.load_association(ctx, data.association_id)
    await repository.lock(ctx.session, "board_name", data.association_id)
    if await repository.board_named(ctx.session, data.association_id, data.name) is not None:
        raise rule(
            GovernanceReason.DUPLICATE_NAME, f"The association already has a board or committee named {data.name}."
        )
    if data.kind == "BOARD" and await repository.board_of(ctx.session, data.association_id) is not None:
        raise rule(GovernanceReason.BOARD_EXISTS, "The association already has its board of directors.")
    board = Board(
        association_id=data.association_id, kind=data.kind, name=data.name, seat_count=data.seat_count,
        purpose=data.purpose, active=True,
    )  # fmt: skip
    board = await records.create(ctx, kinds.BOARD, board)
    return board_out(board, [])


async def get(ctx: RequestContext, board_id: uuid.UUID) -> BoardOut:
    board = await records.load(ctx, kinds.BOARD, board_id)
    return board_out(board, await repository.current_seats(ctx.session, [board.id], date.today()))


async def list_boards(ctx: RequestContext, data: ListBoards) -> BoardsOut:
    filters = []
    if data.association_id is not None:
        filters.append(Board.association_id == data.association_id)
    if data.kind is not None:
        filters.append(Board.kind == data.kind)
    rows, cursor = await records.page(ctx, kinds.BOARD, PageRequest(limit=data.limit, cursor=data.cursor), *filters)
    seats = await repository.current_seats(ctx.session, [row.id for row in rows], date.today())
    by_board: dict[uuid.UUID, list[BoardSeat]] = {}
    for seat in seats:
        by_board.setdefault(seat.board_id, []).append(seat)
    return BoardsOut(items=[board_out(row, by_board.get(row.id, [])) for row in rows], next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateBoard) -> BoardOut:
    board = await records.load(ctx, kinds.BOARD, data.id, "update", lock=True)
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None or k == "purpose"}
    if "name" in changes and changes["name"].lower() != board.name.lower():
        await repository.lock(ctx.session, "board_name", board.association_id)
        if await repository.board_named(ctx.session, board.association_id, changes["name"]) is not None:
            raise rule(
                GovernanceReason.DUPLICATE_NAME,
                f"The association already has a board or committee named {changes['name']}.",
            )
    seats = await repository.current_seats(ctx.session, [board.id], date.today())
    if "seat_count" in changes and changes["seat_count"] < len(seats):
        raise rule(
            GovernanceReason.BOARD_FULL, "More seats are held today than that; end seats first.", held=len(seats)
        )
    board = await records.change(ctx, kinds.BOARD, board, changes)
    return board_out(board, seats)


async def _holder_name(ctx: RequestContext, data: FillSeat) -> str:
    """The holder's name; a `party_id` is checked whether or not a `user_id` comes with it (one of the
    organization's parties: NOT_FOUND otherwise)."""
    party = await association.load_party(ctx, data.party_id) if data.party_id is not None else None
    if data.user_id is not None:
        name = await identity.grant_role(ctx, data.user_id, "BOARD_MEMBER")
        if name is None:
            raise rule(GovernanceReason.NOT_A_MEMBER, "The user is not an active member of this organization.")
        return data.holder_name or name
    if party is not None:
        return data.holder_name or party.name
    return data.holder_name or ""


def _refuse_overlap(board: Board, seats: list[BoardSeat], data: FillSeat) -> None:
    """Officers one at a time and nobody twice on a board at once, over the whole new term; no more seats held on
    the first day of the term than the board has (a later change of the board is checked when it is made)."""
    for seat in seats:
        if data.position in rules.OFFICERS and seat.position == data.position:
            raise rule(
                GovernanceReason.POSITION_TAKEN, f"{seat.holder_name} holds {data.position} then.", seat_id=str(seat.id)
            )
        same_user = data.user_id is not None and seat.user_id == data.user_id
        same_party = data.party_id is not None and seat.party_id == data.party_id
        if same_user or same_party:
            raise rule(
                GovernanceReason.ALREADY_SEATED, f"{seat.holder_name} already holds a seat then.", seat_id=str(seat.id)
            )
    held = [
        s for s in seats if s.term_start <= data.term_start and (s.ended_on is None or s.ended_on > data.term_start)
    ]
    if len(held) >= board.seat_count:
        raise rule(GovernanceReason.BOARD_FULL, f"{board.name} has {board.seat_count} seats, all held then.")


async def fill_seat(ctx: RequestContext, data: FillSeat) -> SeatOut:
    """Seats someone for a term. Officer positions are held by one person at a time (POSITION_TAKEN), a person
    holds one seat per board (ALREADY_SEATED), and the board has only so many (BOARD_FULL). A `user_id` must be an
    active member (NOT_A_MEMBER) and gains the BOARD_MEMBER role; a `party_id` is one of the organization's
    parties (NOT_FOUND otherwise)."""
    board = await records.load(ctx, kinds.BOARD, data.board_id, "seat", lock=True)
    if not board.active:
        raise rule(GovernanceReason.NOT_EDITABLE, "The board or committee is inactive.")
    seats = await repository.overlapping_seats(ctx.session, board.id, data.term_start, data.term_end)
    _refuse_overlap(board, seats, data)
    name = await _holder_name(ctx, data)
    seat = BoardSeat(
        organization_id=ctx.require_org(), association_id=board.association_id, board_id=board.id,
        position=data.position, user_id=data.user_id, party_id=data.party_id, holder_name=name,
        term_start=data.term_start, term_end=data.term_end,
    )  # fmt: skip
    ctx.session.add(seat)
    await ctx.session.flush()
    await ctx.session.refresh(seat)
    audit.record(ctx, "board_seat.filled", SEAT, seat.id, after=records.snapshot(seat))
    return seat_out(seat)


async def end_seat(ctx: RequestContext, data: EndSeat) -> SeatOut:
    """Ends a seat on `ended_on` (not before its term started; SEAT_ENDED when it has ended already). Its holder's
    view of the association ends with it."""
    seat = await repository.seat(ctx.session, data.id, lock=True)
    if seat is None:
        raise not_found(SEAT, data.id)
    await board_of_seat(ctx, seat, "seat")
    if seat.ended_on is not None:
        raise rule(GovernanceReason.SEAT_ENDED, "The seat has ended already.", ended_on=seat.ended_on.isoformat())
    if data.ended_on < seat.term_start:
        raise rule(GovernanceReason.INVALID_MOVE, "A seat cannot end before its term starts.")
    before = records.snapshot(seat)
    seat.ended_on, seat.end_reason = data.ended_on, data.reason
    await ctx.session.flush()
    await ctx.session.refresh(seat)
    audit.record(ctx, "board_seat.ended", SEAT, seat.id, before=before, after=records.snapshot(seat))
    return seat_out(seat)


async def history(ctx: RequestContext, board_id: uuid.UUID) -> SeatsOut:
    """Every seat the board has had, newest term first: who held which position from when to when."""
    board = await records.load(ctx, kinds.BOARD, board_id)
    return SeatsOut(items=[seat_out(seat) for seat in await repository.seat_history(ctx.session, board.id)])


async def board_of_seat(ctx: RequestContext, seat: BoardSeat, action: str = "view") -> Board:
    """The seat's board with `action` authorized on it. A board the caller may not see answers NOT_FOUND naming the
    seat, as a random seat id does (naming the board would tell the seat exists, and whose it is)."""
    board = await records.find(ctx, kinds.BOARD, seat.board_id)
    if not await records.can(ctx, kinds.BOARD, board, "view"):
        raise not_found(SEAT, seat.id)
    await records.authorize_record(ctx, kinds.BOARD, board, action)
    return board


async def seat_in_scope(ctx: RequestContext, seat_id: uuid.UUID) -> BoardSeat:
    """A seat of a board the caller may see, or NOT_FOUND (naming the seat)."""
    seat = await repository.seat(ctx.session, seat_id)
    if seat is None:
        raise not_found(SEAT, seat_id)
    await board_of_seat(ctx, seat)
    return seat

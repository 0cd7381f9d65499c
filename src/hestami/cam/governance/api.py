"""What other domains may use of governance: who sits on an association's board of directors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from hestami.cam.governance import repository
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class Director:
    """A seat held on the board on a day: by a member (`user_id`), a party, or only a name."""

    seat_id: uuid.UUID
    position: str
    name: str
    user_id: uuid.UUID | None
    party_id: uuid.UUID | None


async def directors(ctx: RequestContext, association_id: uuid.UUID, day: date) -> list[Director]:
    """The seats of the association's board of directors held on `day` (none without a board). No policy decision
    of its own: the calling domain authorizes its own action."""
    board = await repository.board_of(ctx.session, association_id)
    if board is None:
        return []
    seats = await repository.current_seats(ctx.session, [board.id], day)
    return [Director(s.id, s.position, s.holder_name, s.user_id, s.party_id) for s in seats]

"""What other domains may use of the posting calendar: the collection step each delinquent unit has reached (the
reporting domain's delinquency report shows it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hestami.cam.accounting.posting import repository
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class CollectionStepTaken:
    unit_id: uuid.UUID
    step: str
    noticed_on: date
    days_past_due: int


async def latest_collection_steps(
    ctx: RequestContext, association_id: uuid.UUID, unit_ids: Sequence[uuid.UUID], as_of: date
) -> dict[uuid.UUID, CollectionStepTaken]:
    """Each unit's latest collection step noticed by `as_of`, by unit (units without one left out), in one query.
    No policy decision of its own: the calling domain has authorized reading the association's receivables."""
    return {
        s.unit_id: CollectionStepTaken(s.unit_id, s.step, s.noticed_on, s.days_past_due)
        for s in await repository.latest_steps(ctx.session, association_id, unit_ids, as_of)
    }

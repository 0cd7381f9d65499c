"""What other domains may use of the compliance domain: the deadlines an operational report lists and the
portfolio dashboard's counts.

Other domains never import `compliance.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hestami.cam.compliance import kinds, repository
from hestami.core import records
from hestami.core.context import RequestContext

DONE = repository.DONE


@dataclass(frozen=True, slots=True)
class DeadlineFact:
    """One deadline of a requirement as a report lists it."""

    code: str
    title: str
    kind: str
    due_on: date
    status: str
    completed_at: datetime | None

    def state_on(self, today: date) -> str:
        """DONE (completed or waived), OVERDUE (not done, due before `today`) or DUE."""
        if self.status in DONE:
            return "DONE"
        return "OVERDUE" if self.due_on < today else "DUE"


async def report_facts(ctx: RequestContext, association_id: uuid.UUID) -> list[DeadlineFact]:
    """The association's deadlines the caller may view (the deadline policy's query plan), by due date, with their
    requirement, in one query."""
    visible = await records.visible(ctx, kinds.DEADLINE)
    return [DeadlineFact(*row) for row in await repository.report_rows(ctx.session, association_id, visible)]


async def due_by_association(
    ctx: RequestContext, association_ids: Sequence[uuid.UUID], today: date, within_days: int = 30
) -> dict[uuid.UUID, tuple[int, int]]:
    """(deadlines not done falling due within `within_days` of `today`, deadlines not done past due) per
    association of the caller's organization, in one query; an association with neither is absent. No policy
    decision of its own: the calling domain authorized its own action."""
    horizon = today + timedelta(days=within_days)
    return await repository.due_counts_by_association(ctx.session, association_ids, today, horizon)

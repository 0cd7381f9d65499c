"""What other domains may use of domain 4 (violations): the facts an operational report counts.

Other domains never import `violations.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hestami.cam.violations import kinds, repository
from hestami.cam.violations.lifecycle import OPEN_STATES
from hestami.core import records
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class ViolationFact:
    """What an operational report counts of one violation: its status and type, when it was observed, its cure
    deadline, when it closed and the fines assessed on it (not waived)."""

    status: str
    type_name: str
    observed_at: datetime
    cure_due_at: datetime | None
    closed_at: datetime | None
    fined: Decimal

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


async def report_facts(
    ctx: RequestContext, association_id: uuid.UUID, *, observed_before: datetime
) -> list[ViolationFact]:
    """The association's violations observed before `observed_before` that the caller may view (the violation
    policy's query plan: an owner counts only their own units' violations), oldest first, in one query."""
    visible = await records.visible(ctx, kinds.VIOLATION)
    rows = await repository.report_rows(ctx.session, association_id, visible, observed_before=observed_before)
    return [
        ViolationFact(r.status, r.type_name, r.observed_at, r.cure_due_at, r.closed_at, Decimal(r.fined)) for r in rows
    ]

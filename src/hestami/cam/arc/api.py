"""What other domains may use of the architectural review domain: the facts an operational report counts.

Other domains never import `arc.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from hestami.cam.arc import kinds, repository
from hestami.cam.arc.lifecycle import IN_REVIEW
from hestami.core import records
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class ArcRequestFact:
    """What an operational report counts of one request: status, category, when submitted and decided (and
    whether deemed approved), and the review deadline after which it is deemed approved."""

    status: str
    category: str
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    deemed: bool
    review_due_at: datetime | None
    number: int
    title: str

    @property
    def in_review(self) -> bool:
        return self.status in IN_REVIEW


async def report_facts(
    ctx: RequestContext, association_id: uuid.UUID, *, created_before: datetime
) -> list[ArcRequestFact]:
    """The association's requests created before `created_before` that the caller may view (the request
    policy's query plan: an owner counts only their own), oldest first, in one query."""
    visible = await records.visible(ctx, kinds.ARC_REQUEST)
    rows = await repository.report_rows(ctx.session, association_id, visible, created_before=created_before)
    return [ArcRequestFact(*row) for row in rows]

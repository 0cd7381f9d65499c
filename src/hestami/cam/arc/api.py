"""What other domains may use of the architectural review domain: the facts an operational report counts, and
an approved request to order the association's work for (an inspection, an installation).

Other domains never import `arc.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from hestami.cam.arc import kinds, repository
from hestami.cam.arc.errors import ArcReason, rule
from hestami.cam.arc.lifecycle import APPROVED, IN_REVIEW
from hestami.cam.arc.services.requests import reference
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


@dataclass(frozen=True, slots=True)
class ApprovedRequest:
    """What a work order for an approved request is made from: where, what was approved and on which conditions."""

    id: uuid.UUID
    association_id: uuid.UUID
    unit_id: uuid.UUID
    reference: str
    category: str
    title: str
    description: str
    conditions: tuple[str, ...]


async def approved_for_work(ctx: RequestContext, request_id: uuid.UUID) -> ApprovedRequest:
    """The approved request the caller orders work for, locked until the end of the transaction (so that two orders
    for it take turns): the policy's `order_work` (NOT_FOUND unless the caller may see it, FORBIDDEN when they may
    see it but not order work); NOT_APPROVED unless it is APPROVED or APPROVED_WITH_CONDITIONS."""
    request = await records.load(ctx, kinds.ARC_REQUEST, request_id, "order_work", lock=True)
    if request.status not in APPROVED:
        raise rule(
            ArcReason.NOT_APPROVED, f"{reference(request.number)} is {request.status}: work is ordered only for an "
            "approved request.", status=request.status,
        )  # fmt: skip
    return ApprovedRequest(
        request.id, request.association_id, request.unit_id, reference(request.number), request.category,
        request.title, request.description, tuple(request.conditions or ()),
    )  # fmt: skip

"""What other domains may use of domain 11: small references to reserve studies (nothing uses them yet; the
governance and disclosure domains will read a study's summary through here, never through `reserve.models`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from hestami.cam.reserve import kinds
from hestami.core import records
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class StudyRef:
    id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID
    study_date: date
    level: str
    document_id: uuid.UUID | None


async def load_study(ctx: RequestContext, study_id: uuid.UUID, action: str = "view") -> StudyRef:
    """A study the caller may `action` (NOT_FOUND unless they may view it, FORBIDDEN when they may only view it)."""
    row = await records.load(ctx, kinds.STUDY, study_id, action)
    return StudyRef(row.id, row.organization_id, row.association_id, row.study_date, row.level, row.document_id)

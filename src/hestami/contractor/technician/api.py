"""What other domains (dispatch, jobs) may use of the workforce: whether a technician may take a job, with the
reasons they may not.

Other domains never import `technician.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from hestami.contractor.technician import eligibility as rules
from hestami.contractor.technician.eligibility import Reason
from hestami.contractor.technician.services import checks
from hestami.core.context import RequestContext

__all__ = ["Eligibility", "Reason", "eligibility"]


@dataclass(frozen=True, slots=True)
class Eligibility:
    technician_id: uuid.UUID
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


async def eligibility(
    ctx: RequestContext,
    technician_id: uuid.UUID,
    trade: str,
    zip_code: str,
    starts_at: datetime,
    ends_at: datetime,
) -> Eligibility:
    """Whether the technician may take a job of `trade` at `zip_code` from `starts_at` to `ends_at` (aware
    datetimes), with every reason they may not (codes INACTIVE, CONTRACTOR_NON_COMPLIANT, NO_SKILL,
    CERTIFICATION_EXPIRED, OUT_OF_TERRITORY, OUTSIDE_SHIFT, TIME_OFF; see `technician.eligibility`). The technician
    must be one of the caller's organization's that the caller may view (NOT_FOUND otherwise, like a random id); the
    calling domain authorizes its own action. `trade` is compared in capitals."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("starts_at and ends_at must be aware datetimes")
    job = rules.Job(trade.strip().upper(), zip_code.strip(), starts_at, ends_at)
    found = await checks.reasons(ctx, technician_id, job, action="view")
    return Eligibility(technician_id, tuple(found))

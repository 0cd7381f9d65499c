"""What other domains may use of domain 4 (violations): the facts an operational report counts, and a violation
to order the association's remediation for.

Other domains never import `violations.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hestami.cam.violations import kinds, repository
from hestami.cam.violations.errors import ViolationReason, rule
from hestami.cam.violations.lifecycle import OPEN_STATES, reference
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


REMEDIABLE = OPEN_STATES | {"FINED"}
"""Where a violation may still be remediated by the association (self-help): open, or fined and not cured."""


@dataclass(frozen=True, slots=True)
class ViolationToRemediate:
    """What a remediation work order is made from: where, which rule, what was observed."""

    id: uuid.UUID
    association_id: uuid.UUID
    unit_id: uuid.UUID
    reference: str
    type_name: str
    description: str
    location: str | None


async def to_remediate(ctx: RequestContext, violation_id: uuid.UUID) -> ViolationToRemediate:
    """The violation the caller orders remediation for, locked until the end of the transaction (so that two orders
    for it take turns): the policy's `order_work` (NOT_FOUND unless the caller may see it, FORBIDDEN when they may
    see it but not order work); NOT_OPEN unless it is open or fined (a cured, dismissed or closed violation has
    nothing to remediate)."""
    violation = await records.load(ctx, kinds.VIOLATION, violation_id, "order_work", lock=True)
    if violation.status not in REMEDIABLE:
        raise rule(
            ViolationReason.NOT_OPEN, f"{reference(violation.number)} is {violation.status}: there is nothing to "
            "remediate.", status=violation.status,
        )  # fmt: skip
    vtype = await records.find(ctx, kinds.VIOLATION_TYPE, violation.violation_type_id)
    return ViolationToRemediate(
        violation.id, violation.association_id, violation.unit_id, reference(violation.number), vtype.name,
        violation.description, violation.location,
    )  # fmt: skip

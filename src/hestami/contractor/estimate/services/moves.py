"""The one way an estimate changes status: checked against the table (`lifecycle.TRANSITIONS`:
INVALID_STATE_TRANSITION with from/to), written with its history row and audit event."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.contractor.estimate import kinds, lifecycle
from hestami.contractor.estimate.errors import EstimateReason, rule
from hestami.contractor.estimate.models import Estimate, EstimateStatusChange
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition


def history_row(
    estimate: Estimate, from_status: str | None, to_status: str, *, actor: uuid.UUID | None,
    actor_name: str | None = None, note: str | None = None,
) -> EstimateStatusChange:  # fmt: skip
    return EstimateStatusChange(
        organization_id=estimate.organization_id, estimate_id=estimate.id, from_status=from_status,
        to_status=to_status, actor_user_id=actor, actor_name=actor_name, note=note,
    )  # fmt: skip


async def move(
    ctx: RequestContext, estimate: Estimate, to: str, note: str | None = None, *,
    actor: uuid.UUID | None = None, actor_name: str | None = None, **changes: Any,
) -> Estimate:  # fmt: skip
    """Moves the (locked) estimate to `to` with `changes`; the history names `actor` (default: the caller)."""
    current = estimate.status
    check_transition("estimate", lifecycle.TRANSITIONS, current, to)
    estimate = await records.change(ctx, kinds.ESTIMATE, estimate, {"status": to, **changes}, action="status_changed")
    who = actor if actor is not None else ctx.user_id
    ctx.session.add(history_row(estimate, current, to, actor=who, actor_name=actor_name, note=note))
    await ctx.session.flush()
    return estimate


def require_draft(estimate: Estimate, what: str = "change") -> None:
    """BUSINESS_RULE_VIOLATION unless the estimate is a DRAFT: FROZEN once accepted (forever), else NOT_EDITABLE."""
    if estimate.status == "ACCEPTED":
        raise rule(
            EstimateReason.FROZEN, f"{estimate.display_number} was accepted: its content is frozen for good.",
            status=estimate.status,
        )  # fmt: skip
    if estimate.status != "DRAFT":
        raise rule(
            EstimateReason.NOT_EDITABLE, f"{estimate.display_number} is {estimate.status}: only a DRAFT can {what}.",
            status=estimate.status,
        )  # fmt: skip

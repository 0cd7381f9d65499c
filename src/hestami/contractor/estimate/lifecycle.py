"""The estimate's lifecycle: one transition table, one path for every move (`services.moves.move`), an
`estimate_status_history` row per move.

DRAFT → PENDING_APPROVAL (an option's discount above the approval threshold) → APPROVED → SENT → ACCEPTED |
DECLINED | EXPIRED; DRAFT → APPROVED when no discount needs approval; a refused approval goes back to DRAFT; VOID
from any state before a decision. Only a DRAFT is edited; sending freezes the content (each sending is a
proposal with the content's hash); an ACCEPTED estimate is frozen forever.
"""

from __future__ import annotations

STATUSES = ("DRAFT", "PENDING_APPROVAL", "APPROVED", "SENT", "ACCEPTED", "DECLINED", "EXPIRED", "VOID")
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"PENDING_APPROVAL", "APPROVED", "VOID"}),
    "PENDING_APPROVAL": frozenset({"APPROVED", "DRAFT", "VOID"}),
    "APPROVED": frozenset({"SENT", "VOID"}),
    "SENT": frozenset({"ACCEPTED", "DECLINED", "EXPIRED", "VOID"}),
    "ACCEPTED": frozenset(),
    "DECLINED": frozenset(),
    "EXPIRED": frozenset(),
    "VOID": frozenset(),
}
DECIDED = frozenset({"ACCEPTED", "DECLINED", "EXPIRED", "VOID"})
SEEN_BY_ADDRESSEE = frozenset({"SENT", "ACCEPTED", "DECLINED", "EXPIRED", "VOID"})
"""The statuses in which the addressee's organization reads the estimate once it was sent (RLS in migration 0041:
`sent_at` is set; VOID when the contractor withdrew it after sending)."""
OPEN_BIDS = frozenset({"REQUESTED", "SUBMITTED"})
"""The statuses of an HOA's bid still open to the contractor's estimate (sending submits it; voiding or expiring a
sent estimate withdraws it)."""
TIERS = ("GOOD", "BETTER", "BEST")
GENERATION_WORKFLOW = "estimate_generation_v1"


def workflow_id(estimate_id: object) -> str:
    return f"estimate:{estimate_id}:generation:v1"

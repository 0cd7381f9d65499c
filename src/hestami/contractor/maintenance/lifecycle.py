"""The agreement's lifecycle in one place: which moves exist (by action), from which statuses, to which, and the
Cerbos action each needs. Every move goes through `services.moves.transition` and leaves a history row.

DRAFT → ACTIVE (activate: the compliance gate) → ACTIVE (renew: the next term agreed; start_term: the next term in
force) → LAPSED (the term ended without a renewal) or CANCELLED (with a reason; a draft may be cancelled too)."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("DRAFT", "ACTIVE", "LAPSED", "CANCELLED")
ENDED = frozenset({"LAPSED", "CANCELLED"})


@dataclass(frozen=True, slots=True)
class Move:
    sources: frozenset[str]
    target: str
    permission: str
    """The Cerbos action a caller needs (a workflow's move is the system's)."""


MOVES: dict[str, Move] = {
    "activate": Move(frozenset({"DRAFT"}), "ACTIVE", "activate"),
    "renew": Move(frozenset({"ACTIVE"}), "ACTIVE", "renew"),
    "start_term": Move(frozenset({"ACTIVE"}), "ACTIVE", "renew"),
    "lapse": Move(frozenset({"ACTIVE"}), "LAPSED", "update"),
    "cancel": Move(frozenset({"DRAFT", "ACTIVE"}), "CANCELLED", "cancel"),
}
TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(m.target for m in MOVES.values() if status in m.sources) for status in STATUSES
}
WORKFLOW = "maintenance_contract_v1"
TOPIC = "maintenance_agreement"
"""The topic of the run's wake-ups."""


def workflow_id(agreement_id: object) -> str:
    return f"maintenanceAgreement:{agreement_id}:v1"

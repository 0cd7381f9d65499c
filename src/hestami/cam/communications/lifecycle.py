"""A mass communication's lifecycle in one table: drafted, sent now or scheduled, sending, sent; cancelled at any
point before it is sent (a cancelled send stops after the batch in flight; the rest are skipped)."""

from __future__ import annotations

TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"SCHEDULED", "SENDING", "CANCELLED"}),
    "SCHEDULED": frozenset({"SENDING", "CANCELLED"}),
    "SENDING": frozenset({"SENT", "CANCELLED"}),
    "SENT": frozenset(),
    "CANCELLED": frozenset(),
}
FINISHED = frozenset({"SENT", "CANCELLED"})
QUEUE = "communications"


def workflow_id(mass_id: object) -> str:
    return f"massCommunication:{mass_id}:send:v1"


def dedupe_key(mass_id: object, recipient_key: str) -> str:
    """One outbox message per mass communication and person, whatever runs twice."""
    return f"massCommunication:{mass_id}:{recipient_key}"

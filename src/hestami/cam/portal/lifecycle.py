"""An owner request's moves in one table; every move goes through `services.requests.move` with one history row
and one audit event.

SUBMITTED → IN_REVIEW (a manager looks at it) → CONVERTED (it became a work order: `convertToWorkOrder`),
RESOLVED (answered or done) or CLOSED (nothing to do); the owner may CANCEL it while it is still SUBMITTED or
IN_REVIEW. A converted request is RESOLVED (or CLOSED) once its work is done; a resolved one may be CLOSED.
"""

from __future__ import annotations

TRANSITIONS: dict[str, frozenset[str]] = {
    "SUBMITTED": frozenset({"IN_REVIEW", "CONVERTED", "RESOLVED", "CLOSED", "CANCELLED"}),
    "IN_REVIEW": frozenset({"CONVERTED", "RESOLVED", "CLOSED", "CANCELLED"}),
    "CONVERTED": frozenset({"RESOLVED", "CLOSED"}),
    "RESOLVED": frozenset({"CLOSED"}),
    "CLOSED": frozenset(),
    "CANCELLED": frozenset(),
}
OPEN = frozenset({"SUBMITTED", "IN_REVIEW"})
"""A request no one has acted on yet: the owner may still add files to it or cancel it."""
ACTIVE = frozenset({"SUBMITTED", "IN_REVIEW", "CONVERTED"})
"""A request still being worked on: comments are taken."""

ACTION_FOR: dict[str, str] = {
    "IN_REVIEW": "update_status",
    "CONVERTED": "convert",
    "RESOLVED": "update_status",
    "CLOSED": "update_status",
    "CANCELLED": "cancel",
}
"""The Cerbos action (policies/resource/owner_request.yaml) each move needs."""

STAMP: dict[str, str] = {
    "CONVERTED": "converted_at",
    "RESOLVED": "resolved_at",
    "CLOSED": "closed_at",
    "CANCELLED": "cancelled_at",
}
"""The column a move stamps with its time."""

NOTIFIED = frozenset({"CONVERTED", "RESOLVED"})
"""Moves the owner is told of (once each)."""

MESSAGE_CATEGORY: dict[str, str] = {
    "MAINTENANCE": "MAINTENANCE",
    "COMMON_AREA": "MAINTENANCE",
}
"""The communications category an answer to a request falls under (GENERAL for the others): an owner who opted out
of it by email still sees the answer in the portal."""


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())

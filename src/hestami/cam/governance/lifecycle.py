"""The moves of a meeting and of a resolution, each in one table; every move goes through `services` with one
audit event.

Meeting: SCHEDULED → NOTICED (the notice went to every recipient) → IN_SESSION (called to order) → ADJOURNED;
SCHEDULED or NOTICED → CANCELLED. Minutes are drafted after the meeting and approved at a later one.
Resolution: PROPOSED → ADOPTED (by a passing vote at a meeting with quorum) / REJECTED (the vote failed) /
WITHDRAWN; ADOPTED → SUPERSEDED (a later adopted resolution replaces it).
"""

from __future__ import annotations

MEETING_MOVES: dict[str, frozenset[str]] = {
    "SCHEDULED": frozenset({"NOTICED", "CANCELLED"}),
    "NOTICED": frozenset({"IN_SESSION", "CANCELLED"}),
    "IN_SESSION": frozenset({"ADJOURNED"}),
    "ADJOURNED": frozenset(),
    "CANCELLED": frozenset(),
}
UPCOMING = frozenset({"SCHEDULED", "NOTICED"})
"""A meeting whose notice, agenda and reminder are still on the calendar (and whose agenda may change)."""

RESOLUTION_MOVES: dict[str, frozenset[str]] = {
    "PROPOSED": frozenset({"ADOPTED", "REJECTED", "WITHDRAWN"}),
    "ADOPTED": frozenset({"SUPERSEDED"}),
    "REJECTED": frozenset(),
    "WITHDRAWN": frozenset(),
    "SUPERSEDED": frozenset(),
}
IN_FORCE = frozenset({"ADOPTED"})
PUBLIC = frozenset({"ADOPTED", "SUPERSEDED"})
"""Resolutions owners see: those the board has adopted (and their history)."""


def can_move(table: dict[str, frozenset[str]], current: str, target: str) -> bool:
    return target in table.get(current, frozenset())


def meeting_workflow_id(meeting_id: object) -> str:
    return f"meeting:{meeting_id}:lifecycle:v1"

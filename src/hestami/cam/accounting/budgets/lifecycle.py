"""A budget's moves in one table; every move goes through `services.moves` with a history row and an audit event.

DRAFT (managers edit it) → PROPOSED (to the board; no more edits) → ADOPTED (by the board or an admin; immutable)
→ SUPERSEDED (when another budget of the same association, fund and fiscal year is adopted: a revision).
PROPOSED → DRAFT sends a proposal back for changes. A revision of an adopted budget is a new DRAFT copy of it.
"""

from __future__ import annotations

TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"PROPOSED"}),
    "PROPOSED": frozenset({"ADOPTED", "DRAFT"}),
    "ADOPTED": frozenset({"SUPERSEDED"}),
    "SUPERSEDED": frozenset(),
}
EDITABLE = frozenset({"DRAFT"})
IN_FORCE = "ADOPTED"

ACTION_FOR: dict[str, str] = {
    "PROPOSED": "propose",
    "DRAFT": "return_to_draft",
    "ADOPTED": "adopt",
}
"""The Cerbos action each move asks of the caller (SUPERSEDED follows another budget's adoption)."""

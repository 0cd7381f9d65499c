"""A pricebook version's lifecycle in one place: DRAFT → PUBLISHED → ACTIVE → RETIRED, the Cerbos action of each
move, and which versions may change.

A DRAFT is edited (its items, bundles and templates), then published: from then on it never changes (the service
refuses with VERSION_PUBLISHED, and a trigger of migration 0036 refuses any write that gets past it). A published
version is activated: the one ACTIVE version of the organization, the one quoted by default. Activating another
retires the ACTIVE one in the same transaction; a RETIRED version may be activated again (going back to last
season's prices). Edits go into a new DRAFT made by `copyVersion`."""

from __future__ import annotations

DRAFT, PUBLISHED, ACTIVE, RETIRED = "DRAFT", "PUBLISHED", "ACTIVE", "RETIRED"

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({PUBLISHED}),
    PUBLISHED: frozenset({ACTIVE}),
    ACTIVE: frozenset({RETIRED}),
    RETIRED: frozenset({ACTIVE}),
}

ACTION_FOR: dict[str, str] = {PUBLISHED: "publish", ACTIVE: "activate", RETIRED: "activate"}
"""The Cerbos action a move needs (retiring happens as part of activating another version)."""

STAMP_FOR: dict[str, str] = {PUBLISHED: "published_at", ACTIVE: "activated_at", RETIRED: "retired_at"}
"""The column that records when a version last made the move."""


def editable(status: str) -> bool:
    """Whether a version's items, bundle components and job templates may change."""
    return status == DRAFT

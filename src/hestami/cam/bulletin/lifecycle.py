"""The moves of an announcement and of a calendar event, each in one table, and what an announcement shows as at a
moment (its `state`, which its policy reads).

Announcement: DRAFT → PUBLISHED (shown from `publish_at`, until `expires_at` if set) → WITHDRAWN (taken down); a
draft may be withdrawn (discarded) and a withdrawn announcement published again.
Calendar event: SCHEDULED → CANCELLED (single occurrences of a recurring event are cancelled by `exdates` instead).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_

ANNOUNCEMENT_MOVES: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"PUBLISHED", "WITHDRAWN"}),
    "PUBLISHED": frozenset({"WITHDRAWN"}),
    "WITHDRAWN": frozenset({"PUBLISHED"}),
}
EVENT_MOVES: dict[str, frozenset[str]] = {
    "SCHEDULED": frozenset({"CANCELLED"}),
    "CANCELLED": frozenset(),
}

STATES = ("DRAFT", "SCHEDULED", "CURRENT", "EXPIRED", "WITHDRAWN")
"""What an announcement shows as: DRAFT and WITHDRAWN as their status says; a PUBLISHED one is SCHEDULED before its
`publish_at`, CURRENT from then until its `expires_at`, EXPIRED after."""


def state(status: str, publish_at: datetime | None, expires_at: datetime | None, now: datetime) -> str:
    if status != "PUBLISHED":
        return status
    if publish_at is not None and publish_at > now:
        return "SCHEDULED"
    if expires_at is not None and expires_at <= now:
        return "EXPIRED"
    return "CURRENT"


def state_column(model: Any) -> Any:
    """`state` as SQL, at the transaction's time (for query plans and list filters)."""
    now = func.now()
    return case(
        (model.status != "PUBLISHED", model.status),
        (and_(model.publish_at.is_not(None), model.publish_at > now), "SCHEDULED"),
        (and_(model.expires_at.is_not(None), model.expires_at <= now), "EXPIRED"),
        else_="CURRENT",
    )


def current_condition(model: Any) -> Any:
    """SQL: the announcement is CURRENT (published, shown now)."""
    now = func.now()
    return and_(
        model.status == "PUBLISHED",
        or_(model.publish_at.is_(None), model.publish_at <= now),
        or_(model.expires_at.is_(None), model.expires_at > now),
    )


def announcement_workflow_id(announcement_id: object, published_at: datetime) -> str:
    """One notification workflow per publication: a publication rolled back leaves its (failed) workflow behind, and
    the next one has its own."""
    return f"announcement:{announcement_id}:published:{published_at.isoformat()}:v1"


def reminders_workflow_id(event_id: object, version: int) -> str:
    """One reminders workflow per `reminders_version` of an event: a change of its time or reminder starts a new
    one (the earlier one ends at its next turn)."""
    return f"calendarEvent:{event_id}:reminders:{version}:v1"

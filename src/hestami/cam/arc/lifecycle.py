"""The architectural review lifecycle in one place: the moves, the committee's decision from its members' reviews
(quorum, then the approval threshold), the deemed-approval deadline and the approval's expiry. Pure functions.

DRAFT → SUBMITTED → UNDER_REVIEW → CHANGES_REQUESTED → (resubmitted) SUBMITTED → … → APPROVED /
APPROVED_WITH_CONDITIONS / DENIED; WITHDRAWN by the owner before a decision; an approval whose work has not
started by its expiry becomes EXPIRED. A SUBMITTED or UNDER_REVIEW request still undecided when the association's
deemed-approval days run out is APPROVED (`deemed`). "Days" are calendar days; `ARC_DAY_SECONDS` shortens them
for tests and demos.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"SUBMITTED", "WITHDRAWN"}),
    "SUBMITTED": frozenset({"UNDER_REVIEW", "APPROVED", "WITHDRAWN"}),
    "UNDER_REVIEW": frozenset({"CHANGES_REQUESTED", "APPROVED", "APPROVED_WITH_CONDITIONS", "DENIED", "WITHDRAWN"}),
    "CHANGES_REQUESTED": frozenset({"SUBMITTED", "WITHDRAWN"}),
    "APPROVED": frozenset({"EXPIRED"}),
    "APPROVED_WITH_CONDITIONS": frozenset({"EXPIRED"}),
    "DENIED": frozenset(),
    "WITHDRAWN": frozenset(),
    "EXPIRED": frozenset(),
}
APPROVED = frozenset({"APPROVED", "APPROVED_WITH_CONDITIONS"})
IN_REVIEW = frozenset({"SUBMITTED", "UNDER_REVIEW"})
"""Where the deemed-approval clock runs (a complete submission awaiting its decision)."""
EDITABLE = frozenset({"DRAFT", "CHANGES_REQUESTED"})
FINAL = frozenset({"DENIED", "WITHDRAWN", "EXPIRED"})

DEFAULT_APPROVAL_VALID_DAYS = 180
VOTES = ("APPROVE", "DENY", "REQUEST_CHANGES", "ABSTAIN")


def workflow_id(request_id: object) -> str:
    return f"arcRequest:{request_id}:lifecycle:v1"


def after_days(start: datetime, days: float, day_seconds: float) -> datetime:
    return start + timedelta(seconds=days * day_seconds)


@dataclass(frozen=True, slots=True)
class Tally:
    """The reviews of one round, and what they decide."""

    cast: int
    approve: int
    deny: int
    request_changes: int
    abstain: int
    quorum: int
    threshold: Decimal

    @property
    def has_quorum(self) -> bool:
        """Every review counts towards quorum, an abstention too (the member took part)."""
        return self.cast >= self.quorum

    @property
    def voting(self) -> int:
        return self.approve + self.deny + self.request_changes

    @property
    def approval_percent(self) -> Decimal:
        return Decimal(0) if self.voting == 0 else Decimal(self.approve * 100) / Decimal(self.voting)

    def outcome(self) -> str:
        """APPROVED when the approvals reach the threshold of the votes (abstentions aside); otherwise changes
        requested when more members asked for changes than denied, else DENIED."""
        if self.voting and self.approval_percent >= self.threshold:
            return "APPROVED"
        return "CHANGES_REQUESTED" if self.request_changes > self.deny else "DENIED"


def tally(actions: list[str], quorum: int, threshold: Decimal) -> Tally:
    return Tally(
        cast=len(actions),
        approve=actions.count("APPROVE"),
        deny=actions.count("DENY"),
        request_changes=actions.count("REQUEST_CHANGES"),
        abstain=actions.count("ABSTAIN"),
        quorum=quorum,
        threshold=threshold,
    )


def decided_status(outcome: str, conditions: list[str]) -> str:
    if outcome == "APPROVED" and conditions:
        return "APPROVED_WITH_CONDITIONS"
    return outcome

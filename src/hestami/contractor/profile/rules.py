"""Compliance as pure rules: which of a contractor's documents hold on a day, what is wrong, what is about to expire.

A document holds from its effective date (when it has one) through its expiry date: a policy expiring on the 3rd
covers the 3rd, and the contractor is non-compliant on the 4th. Documents are grouped (a licence by trade and
jurisdiction, insurance by kind): an expired document is an issue only when no document of its group holds (a
renewal recorded as a new policy replaces the old one). General liability insurance is required of every
contractor (INSURANCE_MISSING); workers' compensation, auto and the others only count once on file. Expiry
notices go 30, 14 and 1 days before an expiry (`notice_due`: the nearest threshold not yet passed, so a check
that missed a day still sends the one that applies, and never the earlier ones late).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hestami.cam.work_order.api import ComplianceIssue, Coverage

REQUIRED_INSURANCE = ("GENERAL_LIABILITY",)
NOTICE_DAYS = (1, 14, 30)
"""Days before an expiry when the contractor is told (each once)."""
EXPIRING_WITHIN_DAYS = 30
EXPIRED_CODES = {"LICENSE": "LICENSE_EXPIRED", "WORKERS_COMPENSATION": "WORKERS_COMP_EXPIRED"}
LABELS = {
    "LICENSE": "licence",
    "GENERAL_LIABILITY": "general liability insurance",
    "WORKERS_COMPENSATION": "workers' compensation",
    "AUTO": "auto insurance",
    "UMBRELLA": "umbrella insurance",
    "PROFESSIONAL": "professional liability insurance",
}


@dataclass(frozen=True, slots=True)
class Document:
    """A licence (`kind` LICENSE, grouped by trade and jurisdiction) or an insurance policy (its kind)."""

    id: uuid.UUID
    kind: str
    group: str
    label: str
    expires_on: date
    effective_on: date | None = None
    per_occurrence_limit: Decimal | None = None
    aggregate_limit: Decimal | None = None

    def holds_on(self, on: date) -> bool:
        return (self.effective_on is None or self.effective_on <= on) and on <= self.expires_on


def issues(documents: Sequence[Document], on: date) -> list[ComplianceIssue]:
    """Everything wrong on `on`: expired groups (the latest expiry of each), then required insurance missing."""
    found: list[ComplianceIssue] = []
    groups: dict[tuple[str, str], list[Document]] = {}
    for document in documents:
        groups.setdefault((document.kind, document.group), []).append(document)
    for (kind, _), members in sorted(groups.items()):
        if any(d.holds_on(on) for d in members):
            continue
        lapsed = [d for d in members if d.expires_on < on]
        if not lapsed:
            continue  # not in effect yet: nothing expired, and a required kind is reported missing below
        latest = max(lapsed, key=lambda d: d.expires_on)
        code = EXPIRED_CODES.get(kind, "INSURANCE_EXPIRED")
        message = f"The {latest.label} expired on {latest.expires_on.isoformat()}."
        found.append(ComplianceIssue(code, message, kind, latest.expires_on))
    for kind in REQUIRED_INSURANCE:
        if not any(d.kind == kind and d.holds_on(on) for d in documents) and all(i.document != kind for i in found):
            found.append(ComplianceIssue("INSURANCE_MISSING", f"No current {LABELS[kind]} on file.", kind))
    return found


def coverages(documents: Iterable[Document], on: date) -> tuple[Coverage, ...]:
    """The insurance policies holding on `on`."""
    return tuple(
        Coverage(d.kind, d.per_occurrence_limit, d.aggregate_limit, d.expires_on)
        for d in documents
        if d.kind != "LICENSE" and d.holds_on(on)
    )


def licensed(documents: Iterable[Document], on: date) -> bool:
    return any(d.kind == "LICENSE" and d.holds_on(on) for d in documents)


def status(found: Sequence[ComplianceIssue]) -> str:
    return "NON_COMPLIANT" if found else "COMPLIANT"


def notice_due(expires_on: date, on: date) -> int | None:
    """The expiry notice that applies on `on` (1, 14 or 30 days before), or None (more than 30 days left, or
    expired already)."""
    left = (expires_on - on).days
    if left < 0:
        return None
    return next((days for days in NOTICE_DAYS if left <= days), None)


def expiring(documents: Iterable[Document], on: date, within: int = EXPIRING_WITHIN_DAYS) -> list[Document]:
    """Documents holding on `on` that expire within `within` days, soonest first."""
    soon = [d for d in documents if d.holds_on(on) and (d.expires_on - on).days <= within]
    return sorted(soon, key=lambda d: (d.expires_on, d.label))

"""The provider directory: what work orders know of a service provider (its trades, area and compliance), kept by
the contractor pillar (issue 21) and read here through a port, since CAM never imports the pillar.

The pillar registers its implementation when it is imported (`api.register_provider_directory`); the application
imports every pillar before it serves, so a missing directory is a start-up defect (`directory()` raises).
`association_issues` is the association's own rule (its minimum coverage limits) applied to the facts: pure."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class ComplianceIssue:
    """Why a provider is not compliant: `code` (LICENSE_EXPIRED, INSURANCE_EXPIRED, WORKERS_COMP_EXPIRED,
    INSURANCE_MISSING, or an association's INSURANCE_BELOW_MINIMUM / LICENSE_MISSING), the document it is about
    and its expiry when it has one."""

    code: str
    message: str
    document: str | None = None
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """A current insurance policy of the provider: its kind and limits."""

    kind: str
    per_occurrence_limit: Decimal | None
    aggregate_limit: Decimal | None
    expires_on: date


@dataclass(frozen=True, slots=True)
class ProviderFacts:
    """A provider as the associations linked to it see it, as of `on`."""

    organization_id: uuid.UUID
    name: str
    external: bool
    trades: tuple[str, ...]
    service_zip_codes: tuple[str, ...]
    service_radius_miles: int | None
    description: str | None
    on: date
    issues: tuple[ComplianceIssue, ...]
    coverages: tuple[Coverage, ...]
    licensed: bool
    """Whether it holds a current licence."""

    @property
    def compliant(self) -> bool:
        return not self.issues


class ProviderDirectory(Protocol):
    async def facts(
        self, ctx: RequestContext, organization_ids: Sequence[uuid.UUID], on: date | None = None
    ) -> dict[uuid.UUID, ProviderFacts]:
        """The providers among `organization_ids` whose profile the caller's organization may read (its own, or
        one linked to it), in one read; the others are absent."""
        ...

    async def is_listed(self, ctx: RequestContext, organization_id: uuid.UUID) -> bool:
        """Whether the organization has a contractor profile (a lookup: it need not be linked to the caller)."""
        ...


_directory: list[ProviderDirectory] = []


def register(directory: ProviderDirectory) -> None:
    _directory[:] = [directory]


def directory() -> ProviderDirectory:
    if not _directory:
        raise RuntimeError("No provider directory is registered: import hestami.contractor.profile.procedures.")
    return _directory[0]


@dataclass(frozen=True, slots=True)
class Requirements:
    """What an association requires of the providers it gives work to (None: no minimum)."""

    min_general_liability_per_occurrence: Decimal | None = None
    min_general_liability_aggregate: Decimal | None = None
    min_auto_per_occurrence: Decimal | None = None
    require_workers_compensation: bool = False
    require_license: bool = False


def _limit_issue(kind: str, label: str, held: Decimal | None, minimum: Decimal | None) -> ComplianceIssue | None:
    if minimum is None or (held is not None and held >= minimum):
        return None
    shown = "none" if held is None else f"{held:,.2f}"
    return ComplianceIssue(
        "INSURANCE_BELOW_MINIMUM", f"{label} is {shown}; the association requires {minimum:,.2f}.", kind
    )


def association_issues(facts: ProviderFacts, required: Requirements) -> list[ComplianceIssue]:
    """The association's requirements the provider's current documents do not meet (the best current policy of
    each kind counts)."""
    best: dict[str, Coverage] = {}
    for coverage in facts.coverages:
        known = best.get(coverage.kind)
        if known is None or (coverage.per_occurrence_limit or 0) > (known.per_occurrence_limit or 0):
            best[coverage.kind] = coverage
    issues: list[ComplianceIssue] = []
    general = best.get("GENERAL_LIABILITY")
    auto = best.get("AUTO")
    checks = (
        ("GENERAL_LIABILITY", "General liability per occurrence", general.per_occurrence_limit if general else None,
         required.min_general_liability_per_occurrence),
        ("GENERAL_LIABILITY", "General liability aggregate", general.aggregate_limit if general else None,
         required.min_general_liability_aggregate),
        ("AUTO", "Auto liability per occurrence", auto.per_occurrence_limit if auto else None,
         required.min_auto_per_occurrence),
    )  # fmt: skip
    for kind, label, held, minimum in checks:
        issue = _limit_issue(kind, label, held, minimum)
        if issue is not None:
            issues.append(issue)
    if required.require_workers_compensation and "WORKERS_COMPENSATION" not in best:
        issues.append(
            ComplianceIssue(
                "INSURANCE_MISSING", "The association requires current workers' compensation.", "WORKERS_COMPENSATION"
            )
        )
    if required.require_license and not facts.licensed:
        issues.append(ComplianceIssue("LICENSE_MISSING", "The association requires a current licence.", "LICENSE"))
    return issues


def all_issues(facts: ProviderFacts, required: Requirements) -> list[ComplianceIssue]:
    """The provider's own issues, then the association's requirements it misses, leaving out a requirement about
    a document whose own issue is listed already (a lapsed policy is not also "below the minimum")."""
    named = {issue.document for issue in facts.issues}
    return [*facts.issues, *(i for i in association_issues(facts, required) if i.document not in named)]

"""Which of an association's providers match a work order, best first, and why the others do not.

A provider matches when its link to the association is APPROVED, its profile lists the work order's category, it
serves a postal code of the job's site (`association.api.work_site_postal_codes`: the unit's, else its property's;
a common area's property's; else the association's properties'), and its documents hold on the day (the contractor
pillar's compliance, read through `directory.py`): a current licence on file, current general liability insurance,
no expired licence, insurance or workers' compensation without a current one of its kind (a provider without
employees carries no workers' compensation: a missing one is not held against it unless the association requires
it), and the association's own minimum coverage limits. A document expiring on the day still holds that day.
Matches are ranked preferred first, then by rating (none last), then by review count, then by name (and id, so
that the order is total).

`match` is the pure rule; `matches_for` reads the candidates (one statement) and applies it.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from hestami.cam.association import api as association
from hestami.cam.work_order import repository
from hestami.cam.work_order.directory import (
    ComplianceIssue,
    ProviderFacts,
    Requirements,
    all_issues,
    directory,
)
from hestami.cam.work_order.models import AssociationProvider, WorkOrder
from hestami.cam.work_order.services.providers import requirements_rule
from hestami.core.context import RequestContext


class Exclusion(StrEnum):
    """Why a linked provider does not match a work order."""

    NOT_APPROVED = "NOT_APPROVED"
    NO_PROFILE = "NO_PROFILE"
    CATEGORY_NOT_OFFERED = "CATEGORY_NOT_OFFERED"
    OUT_OF_SERVICE_AREA = "OUT_OF_SERVICE_AREA"
    LICENSE_MISSING = "LICENSE_MISSING"
    LICENSE_EXPIRED = "LICENSE_EXPIRED"
    INSURANCE_MISSING = "INSURANCE_MISSING"
    INSURANCE_EXPIRED = "INSURANCE_EXPIRED"
    WORKERS_COMP_EXPIRED = "WORKERS_COMP_EXPIRED"
    INSURANCE_BELOW_MINIMUM = "INSURANCE_BELOW_MINIMUM"
    NOT_COMPLIANT = "NOT_COMPLIANT"
    """Any other compliance issue of the provider (a code matching does not name of its own)."""


@dataclass(frozen=True, slots=True)
class Reason:
    code: Exclusion
    message: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A provider linked to the association, with what matching reads of its link and its profile."""

    provider_organization_id: uuid.UUID
    provider_name: str
    approval_status: str
    preferred: bool
    rating: Decimal | None
    review_count: int
    has_profile: bool = True
    categories: tuple[str, ...] = ()
    service_zip_codes: tuple[str, ...] = ()
    documents: tuple[Reason, ...] = ()
    """What its documents lack on the day (the provider's compliance issues and the association's requirements)."""


@dataclass(frozen=True, slots=True)
class Excluded:
    candidate: Candidate
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Matching:
    """A work order's matches, best first, and the linked providers left out, by name."""

    category: str
    postal_codes: tuple[str, ...]
    on: date
    matches: tuple[Candidate, ...]
    excluded: tuple[Excluded, ...]


def _zip5(code: str) -> str:
    return code.strip()[:5]


def exclusions(candidate: Candidate, category: str, postal_codes: Iterable[str], on: date) -> list[Reason]:
    """Every reason the candidate does not match (none: it matches)."""
    found = []
    if candidate.approval_status != "APPROVED":
        found.append(Reason(Exclusion.NOT_APPROVED, f"The link is {candidate.approval_status}."))
    if not candidate.has_profile:
        return [*found, Reason(Exclusion.NO_PROFILE, "No provider profile (categories, area, documents).")]
    wanted = category.strip().upper()
    if wanted not in {c.strip().upper() for c in candidate.categories}:
        found.append(Reason(Exclusion.CATEGORY_NOT_OFFERED, f"Does not list {wanted}."))
    codes = sorted({_zip5(code) for code in postal_codes})
    if not codes:
        found.append(Reason(Exclusion.OUT_OF_SERVICE_AREA, "No postal code on file for the job's site."))
    elif not set(codes) & {_zip5(code) for code in candidate.service_zip_codes}:
        found.append(Reason(Exclusion.OUT_OF_SERVICE_AREA, f"Does not serve {', '.join(codes)}."))
    return found + list(candidate.documents)


def rank_key(candidate: Candidate) -> tuple[bool, Decimal, int, str, str]:
    """Preferred first, then the higher rating (none last), the more reviews, the name, the id."""
    rating = candidate.rating if candidate.rating is not None else Decimal(-1)
    return (
        not candidate.preferred,
        -rating,
        -candidate.review_count,
        candidate.provider_name.casefold(),
        str(candidate.provider_organization_id),
    )


def match(candidates: Sequence[Candidate], category: str, postal_codes: Sequence[str], on: date) -> Matching:
    """The candidates that match, ranked, and the others with their reasons (by name)."""
    matched, left_out = [], []
    for candidate in candidates:
        reasons = exclusions(candidate, category, postal_codes, on)
        if reasons:
            left_out.append(Excluded(candidate, tuple(reasons)))
        else:
            matched.append(candidate)
    left_out.sort(key=lambda e: (e.candidate.provider_name.casefold(), str(e.candidate.provider_organization_id)))
    return Matching(
        category=category,
        postal_codes=tuple(sorted({_zip5(code) for code in postal_codes})),
        on=on,
        matches=tuple(sorted(matched, key=rank_key)),
        excluded=tuple(left_out),
    )


def document_reasons(facts: ProviderFacts, issues: Iterable[ComplianceIssue]) -> tuple[Reason, ...]:
    """The issues as matching's reasons, with a missing current licence (matching picks licensed providers only)."""
    known = Exclusion.__members__
    found = [Reason(Exclusion(i.code) if i.code in known else Exclusion.NOT_COMPLIANT, i.message) for i in issues]
    if not facts.licensed and all(r.code not in (Exclusion.LICENSE_MISSING, Exclusion.LICENSE_EXPIRED) for r in found):
        found.insert(0, Reason(Exclusion.LICENSE_MISSING, "No current licence on file."))
    return tuple(found)


def candidate(link: AssociationProvider, facts: ProviderFacts | None, required: Requirements) -> Candidate:
    """What matching reads of a provider's link to the association and of its profile (None: it has none)."""
    linked = Candidate(
        provider_organization_id=link.provider_organization_id,
        provider_name=link.provider_name,
        approval_status=link.approval_status,
        preferred=link.preferred,
        rating=link.rating,
        review_count=link.review_count,
        has_profile=facts is not None,
    )
    if facts is None:
        return linked
    issues = all_issues(facts, required)
    return dataclasses.replace(
        linked,
        categories=facts.trades,
        service_zip_codes=facts.service_zip_codes,
        documents=document_reasons(facts, issues),
    )


async def matches_for(ctx: RequestContext, order: WorkOrder, on: date) -> Matching:
    """The work order's matching among its association's providers on the day (in the caller's scope, which is
    the work order's organization; no policy decision: the caller authorized the work order)."""
    codes = await association.work_site_postal_codes(
        ctx, order.association_id, unit_id=order.unit_id, common_area_id=order.common_area_id
    )
    links = await repository.provider_candidates(ctx.session, order.organization_id, order.association_id)
    facts = await directory().facts(ctx, [link.provider_organization_id for link in links], on)
    required = requirements_rule(await repository.requirements_of(ctx.session, order.association_id))
    found = [candidate(link, facts.get(link.provider_organization_id), required) for link in links]
    return match(found, order.category, codes, on)

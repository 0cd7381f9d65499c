"""Service providers as associations see them: the explicit link between an association and a provider
organization (preferred, approval, rating), the association's requirements of its providers (minimum coverage
limits, workers' compensation, a licence), and the provider's compliance, read from the contractor pillar's
directory (`directory.py`: the provider's licences and insurance are the provider's own records)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError

from hestami.cam.association import api as association
from hestami.cam.work_order import directory, kinds, repository
from hestami.cam.work_order.directory import ComplianceIssue, ProviderFacts, Requirements
from hestami.cam.work_order.errors import WorkOrderReason, rule
from hestami.cam.work_order.models import AssociationProvider, ProviderRequirements
from hestami.cam.work_order.schemas import (
    ComplianceOut,
    GetCompliance,
    IssueOut,
    LinkOut,
    LinkProvider,
    ListLinks,
    RequirementsIn,
    RequirementsOf,
    RequirementsOut,
    UpdateLink,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError, not_found
from hestami.core.pagination import Page
from hestami.identity.services import organizations as identity

PROVIDER_TYPES = ("SERVICE_PROVIDER", "EXTERNAL_SERVICE_PROVIDER")
ISSUE_REASONS = {
    "LICENSE_EXPIRED": WorkOrderReason.LICENSE_EXPIRED,
    "LICENSE_MISSING": WorkOrderReason.LICENSE_MISSING,
    "INSURANCE_EXPIRED": WorkOrderReason.INSURANCE_EXPIRED,
    "WORKERS_COMP_EXPIRED": WorkOrderReason.WORKERS_COMP_EXPIRED,
    "INSURANCE_MISSING": WorkOrderReason.INSURANCE_MISSING,
    "INSURANCE_BELOW_MINIMUM": WorkOrderReason.INSURANCE_BELOW_MINIMUM,
}


def requirements_rule(row: ProviderRequirements | None) -> Requirements:
    if row is None:
        return Requirements()
    return Requirements(
        min_general_liability_per_occurrence=row.min_general_liability_per_occurrence,
        min_general_liability_aggregate=row.min_general_liability_aggregate,
        min_auto_per_occurrence=row.min_auto_per_occurrence,
        require_workers_compensation=row.require_workers_compensation,
        require_license=row.require_license,
    )


async def association_requirements(ctx: RequestContext, association_id: uuid.UUID) -> Requirements:
    """The association's requirements of its providers (none set: no minimum), read as the system."""
    return requirements_rule(await repository.requirements_of(ctx.session, association_id))


async def provider_facts(ctx: RequestContext, provider_org: uuid.UUID, on: date | None = None) -> ProviderFacts | None:
    """The provider's profile and compliance as the caller's organization may read them (linked), or None."""
    found = await directory.directory().facts(ctx, [provider_org], on)
    return found.get(provider_org)


async def issues_for(ctx: RequestContext, association_id: uuid.UUID, facts: ProviderFacts) -> list[ComplianceIssue]:
    """The provider's own compliance issues, then the association's requirements it does not meet."""
    return directory.all_issues(facts, await association_requirements(ctx, association_id))


async def _link(
    ctx: RequestContext, association_id: uuid.UUID | None, provider_org: uuid.UUID, *, as_system: bool = False
) -> AssociationProvider:
    """The association's link to the provider. A link the caller may not see is answered as no link at all (the
    system sees every link of its scope)."""
    link = await repository.provider_link(ctx.session, ctx.require_org(), provider_org, association_id=association_id)
    if link is None or not (as_system or await records.can(ctx, kinds.PROVIDER_LINK, link, "view")):
        raise rule(
            WorkOrderReason.PROVIDER_NOT_LINKED,
            "This provider is not linked to the association.",
            provider_organization_id=str(provider_org),
        )
    return link


async def eligible_provider(
    ctx: RequestContext, association_id: uuid.UUID, provider_org: uuid.UUID
) -> AssociationProvider:
    """The link to a provider that may be assigned or awarded work now: linked and approved, with a contractor
    profile whose licences and insurance are current today and meet the association's requirements
    (BUSINESS_RULE_VIOLATION names the first issue, with every issue in `details.issues`)."""
    link = await _link(ctx, association_id, provider_org)
    if link.approval_status != "APPROVED":
        raise rule(WorkOrderReason.PROVIDER_NOT_APPROVED, f"{link.provider_name} is {link.approval_status}.")
    facts = await provider_facts(ctx, provider_org)
    if facts is None:
        raise rule(WorkOrderReason.NO_PROVIDER_PROFILE, f"{link.provider_name} has no licence and insurance on file.")
    issues = await issues_for(ctx, association_id, facts)
    if issues:
        first = issues[0]
        raise rule(
            ISSUE_REASONS.get(first.code, WorkOrderReason.PROVIDER_NOT_COMPLIANT),
            f"{link.provider_name}: {first.message}",
            document=first.document,
            expired_on=first.expires_on.isoformat() if first.expires_on else None,
            provider_organization_id=str(provider_org),
            issues=[_issue_out(i).model_dump(mode="json") for i in issues],
        )
    return link


def _issue_out(issue: ComplianceIssue) -> IssueOut:
    return IssueOut(code=issue.code, message=issue.message, document=issue.document, expires_on=issue.expires_on)


async def compliance(ctx: RequestContext, data: GetCompliance) -> ComplianceOut:
    """A linked provider's compliance for the association: its own status and the association's requirements."""
    await association.load_association(ctx, data.association_id)
    link = await _link(ctx, data.association_id, data.provider_organization_id)
    facts = await provider_facts(ctx, data.provider_organization_id)
    today = date.today()
    if facts is None:
        missing = ComplianceIssue("NO_PROFILE", "The provider has no licence and insurance on file.")
        issues = [missing]
    else:
        today = facts.on
        issues = await issues_for(ctx, data.association_id, facts)
    return ComplianceOut(
        provider_organization_id=data.provider_organization_id,
        provider_name=link.provider_name,
        status="NON_COMPLIANT" if issues else "COMPLIANT",
        on=today,
        issues=[_issue_out(i) for i in issues],
    )


def _requirements_out(association_id: uuid.UUID, required: Requirements) -> RequirementsOut:
    return RequirementsOut(
        association_id=association_id,
        min_general_liability_per_occurrence=required.min_general_liability_per_occurrence,
        min_general_liability_aggregate=required.min_general_liability_aggregate,
        min_auto_per_occurrence=required.min_auto_per_occurrence,
        require_workers_compensation=required.require_workers_compensation,
        require_license=required.require_license,
    )


async def get_requirements(ctx: RequestContext, data: RequirementsOf) -> RequirementsOut:
    await association.load_association(ctx, data.association_id)
    row = await repository.requirements_of(ctx.session, data.association_id)
    shown = row or ProviderRequirements(organization_id=ctx.require_org(), association_id=data.association_id)
    await records.authorize_record(ctx, kinds.PROVIDER_REQUIREMENTS, shown, "view")
    return _requirements_out(data.association_id, requirements_rule(row))


async def set_requirements(ctx: RequestContext, data: RequirementsIn) -> RequirementsOut:
    """Sets the association's requirements (one row per association: two writers take turns)."""
    await association.load_association(ctx, data.association_id)
    await repository.lock_requirements(ctx.session, data.association_id)
    row = await repository.requirements_of(ctx.session, data.association_id, lock=True)
    values = data.model_dump(exclude={"association_id"})
    if row is None:
        made = ProviderRequirements(association_id=data.association_id, **values)
        row = await records.create(ctx, kinds.PROVIDER_REQUIREMENTS, made)
    else:
        await records.authorize_record(ctx, kinds.PROVIDER_REQUIREMENTS, row, "update")
        row = await records.change(ctx, kinds.PROVIDER_REQUIREMENTS, row, values)
    return _requirements_out(data.association_id, requirements_rule(row))


async def eligible_link(
    ctx: RequestContext, association_id: uuid.UUID, provider_org: uuid.UUID, *, as_system: bool = False
) -> AssociationProvider:
    """The association's link to a provider, without the document checks (for invoicing finished work)."""
    return await _link(ctx, association_id, provider_org, as_system=as_system)


def link_out(link: AssociationProvider) -> LinkOut:
    return LinkOut.model_validate(link)


async def _check_provider(ctx: RequestContext, provider_org: uuid.UUID) -> None:
    """What an association may link: a SERVICE_PROVIDER (or EXTERNAL_SERVICE_PROVIDER) organization with a
    contractor profile. Any other organization answers like a random id: NOT_FOUND."""
    is_provider = await identity.is_organization_of_type(ctx, provider_org, PROVIDER_TYPES)
    if not (is_provider and await directory.directory().is_listed(ctx, provider_org)):
        raise not_found("service_provider", provider_org)


async def link_provider(ctx: RequestContext, data: LinkProvider) -> LinkOut:
    await association.load_association(ctx, data.association_id)
    if data.provider_organization_id == ctx.require_org():
        raise HestamiError(ErrorCode.VALIDATION_FAILED, "An organization cannot be its own provider.")
    await _check_provider(ctx, data.provider_organization_id)
    link = AssociationProvider(**data.model_dump(), review_count=0)
    try:
        async with ctx.session.begin_nested():
            created = await records.create(ctx, kinds.PROVIDER_LINK, link)
    except IntegrityError:
        raise HestamiError(ErrorCode.CONFLICT, "This provider is already linked to the association.") from None
    return link_out(created)


async def list_links(ctx: RequestContext, data: ListLinks) -> Page[LinkOut]:
    filters = [AssociationProvider.organization_id == ctx.require_org()]
    if data.association_id:
        filters.append(AssociationProvider.association_id == data.association_id)
    items, cursor = await records.page(ctx, kinds.PROVIDER_LINK, data, *filters)
    return Page[LinkOut](items=[link_out(x) for x in items], next_cursor=cursor)


async def update_link(ctx: RequestContext, data: UpdateLink) -> LinkOut:
    link = await records.load(ctx, kinds.PROVIDER_LINK, data.id, "update")
    if link.organization_id != ctx.require_org():
        raise not_found(kinds.PROVIDER_LINK.name, data.id)
    return link_out(await records.change(ctx, kinds.PROVIDER_LINK, link, records.changes_of(data)))

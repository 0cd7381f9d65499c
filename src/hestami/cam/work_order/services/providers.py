"""Service providers: the provider's own profile (categories, area, licence, insurance) and the explicit
link between an association and a provider organization (preferred, approval, rating)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError

from hestami.cam.association import api as association
from hestami.cam.work_order import kinds, repository
from hestami.cam.work_order.errors import WorkOrderReason, rule
from hestami.cam.work_order.models import AssociationProvider, ServiceProviderProfile
from hestami.cam.work_order.schemas import (
    GetProfile,
    LinkOut,
    LinkProvider,
    ListLinks,
    ProfileOut,
    UpdateLink,
    UpsertProfile,
)
from hestami.core import audit, records
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError, not_found
from hestami.core.pagination import Page
from hestami.identity.services import organizations as identity

PROVIDER_TYPES = ("SERVICE_PROVIDER",)
DOCUMENTS = (
    ("license_expires_on", "license", WorkOrderReason.LICENSE_EXPIRED),
    ("insurance_expires_on", "insurance", WorkOrderReason.INSURANCE_EXPIRED),
    ("workers_comp_expires_on", "workers' compensation", WorkOrderReason.WORKERS_COMP_EXPIRED),
)


def expired_documents(profile: ServiceProviderProfile, on: date) -> list[str]:
    return [name for field, name, _ in DOCUMENTS if (getattr(profile, field) or date.max) < on]


def profile_out(profile: ServiceProviderProfile) -> ProfileOut:
    return records.output(ProfileOut, profile, expired_documents=expired_documents(profile, date.today()))


def _profile_resource(organization_id: uuid.UUID) -> Resource:
    return Resource(kinds.PROVIDER_PROFILE, str(organization_id), {"organization_id": str(organization_id)})


async def _profile_of(ctx: RequestContext, organization_id: uuid.UUID) -> ServiceProviderProfile | None:
    return await repository.profile_of(ctx.session, organization_id)


async def upsert_profile(ctx: RequestContext, data: UpsertProfile) -> ProfileOut:
    """The caller's organization (a service provider) describes itself; associations linked to it read it.
    Two writes at once take turns, so the second updates the profile the first created."""
    org = ctx.require_org()
    await authorize(ctx, "upsert", _profile_resource(org))
    await repository.lock_profile(ctx.session, org)
    profile = await _profile_of(ctx, org)
    before = records.snapshot(profile) if profile else None
    if profile is None:
        profile = ServiceProviderProfile(organization_id=org, **data.model_dump())
        ctx.session.add(profile)
    else:
        for name, value in data.model_dump().items():
            setattr(profile, name, value)
    await ctx.session.flush()
    await ctx.session.refresh(profile)
    audit.record(
        ctx,
        "service_provider_profile.updated",
        kinds.PROVIDER_PROFILE,
        profile.id,
        before=before,
        after=records.snapshot(profile),
    )
    return profile_out(profile)


async def get_profile(ctx: RequestContext, data: GetProfile) -> ProfileOut:
    """A provider's own profile, or a linked provider's (the association side reads it through the link)."""
    org = data.provider_organization_id or ctx.require_org()
    if org == ctx.require_org():
        await authorize(ctx, "view", _profile_resource(org))
    else:
        await _link(ctx, None, org)
    profile = await _profile_of(ctx, org)
    if profile is None:
        raise not_found(kinds.PROVIDER_PROFILE, org)
    return profile_out(profile)


async def _link(ctx: RequestContext, association_id: uuid.UUID | None, provider_org: uuid.UUID) -> AssociationProvider:
    """The association's link to the provider. A link the caller may not see is answered as no link at all."""
    link = await repository.provider_link(ctx.session, ctx.require_org(), provider_org, association_id=association_id)
    if link is None or not await records.can(ctx, kinds.PROVIDER_LINK, link, "view"):
        raise rule(
            WorkOrderReason.PROVIDER_NOT_LINKED,
            "This provider is not linked to the association.",
            provider_organization_id=str(provider_org),
        )
    return link


async def eligible_provider(
    ctx: RequestContext, association_id: uuid.UUID, provider_org: uuid.UUID
) -> AssociationProvider:
    """The link to a provider that may be assigned or awarded work now: linked and approved, with a profile
    whose licence, insurance and workers' compensation are current (BUSINESS_RULE_VIOLATION names the
    document that expired)."""
    link = await _link(ctx, association_id, provider_org)
    if link.approval_status != "APPROVED":
        raise rule(WorkOrderReason.PROVIDER_NOT_APPROVED, f"{link.provider_name} is {link.approval_status}.")
    profile = await _profile_of(ctx, provider_org)
    if profile is None:
        raise rule(WorkOrderReason.NO_PROVIDER_PROFILE, f"{link.provider_name} has no licence and insurance on file.")
    today = date.today()
    for field, name, reason in DOCUMENTS:
        expires = getattr(profile, field)
        if expires is not None and expires < today:
            raise rule(
                reason,
                f"{link.provider_name}'s {name} expired on {expires}.",
                document=name,
                expired_on=expires.isoformat(),
                provider_organization_id=str(provider_org),
            )
    return link


async def eligible_link(ctx: RequestContext, association_id: uuid.UUID, provider_org: uuid.UUID) -> AssociationProvider:
    """The association's link to a provider, without the document checks (for invoicing finished work)."""
    return await _link(ctx, association_id, provider_org)


def link_out(link: AssociationProvider) -> LinkOut:
    return LinkOut.model_validate(link)


async def _check_provider(ctx: RequestContext, provider_org: uuid.UUID) -> None:
    """What an association may link: a SERVICE_PROVIDER organization with a provider profile. Any other
    organization answers like a random id: NOT_FOUND."""
    is_provider = await identity.is_organization_of_type(ctx, provider_org, PROVIDER_TYPES)
    if not (is_provider and await repository.has_profile(ctx.session, provider_org)):
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

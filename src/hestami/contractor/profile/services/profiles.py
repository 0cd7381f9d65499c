"""The contractor's profile: who it is (legal name, DBA, trades, service area, hours, contact fields). A
SERVICE_PROVIDER organization on the platform keeps a full profile; an EXTERNAL_SERVICE_PROVIDER (an off-platform
provider an association works with) is its contact fields and documents only (no branches, technicians or
pricebook)."""

from __future__ import annotations

from datetime import date

from hestami.contractor.profile import kinds, repository
from hestami.contractor.profile.errors import ContractorReason, rule
from hestami.contractor.profile.models import ContractorProfile
from hestami.contractor.profile.schemas import ProfileOut, UpsertProfile
from hestami.contractor.profile.services import compliance
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.identity.services import organizations as identity

ON_PLATFORM = ("SERVICE_PROVIDER",)
EXTERNAL = ("EXTERNAL_SERVICE_PROVIDER",)


def profile_out(profile: ContractorProfile) -> ProfileOut:
    return records.output(ProfileOut, profile)


async def _external(ctx: RequestContext) -> bool:
    """Whether the caller's organization is an external provider; NOT_A_CONTRACTOR unless it is a provider."""
    org = ctx.require_org()
    if await identity.is_organization_of_type(ctx, org, ON_PLATFORM):
        return False
    if await identity.is_organization_of_type(ctx, org, EXTERNAL):
        return True
    raise rule(ContractorReason.NOT_A_CONTRACTOR, "Only a service provider's organization has a contractor profile.")


async def own_profile(ctx: RequestContext, action: str = "view", *, lock: bool = False) -> ContractorProfile:
    """The caller's organization's profile, authorized for `action` (NOT_FOUND when it has none)."""
    org = ctx.require_org()
    if lock:
        await repository.lock_profile(ctx.session, org)
    profile = await repository.profile_of(ctx.session, org)
    if profile is None:
        raise not_found(kinds.PROFILE.name, org)
    await records.authorize_record(ctx, kinds.PROFILE, profile, action)
    return profile


async def upsert(ctx: RequestContext, data: UpsertProfile) -> ProfileOut:
    """Creates or updates the caller's profile (two writers take turns); its compliance is assessed at once."""
    external = await _external(ctx)
    org = ctx.require_org()
    await repository.lock_profile(ctx.session, org)
    profile = await repository.profile_of(ctx.session, org)
    values = data.model_dump(mode="json")
    if profile is None:
        made = ContractorProfile(**values, external=external, compliance_status="NON_COMPLIANT", compliance_reasons=[])
        profile = await records.create(ctx, kinds.PROFILE, made)
    else:
        await records.authorize_record(ctx, kinds.PROFILE, profile, "update")
        profile = await records.change(ctx, kinds.PROFILE, profile, {**values, "external": external})
    await compliance.refresh(ctx, profile, date.today())
    return profile_out(profile)


async def get(ctx: RequestContext) -> ProfileOut:
    return profile_out(await own_profile(ctx))


async def require_contractor(ctx: RequestContext) -> ContractorProfile:
    """The caller's organization is a contractor on the platform (a SERVICE_PROVIDER with a profile); else
    BUSINESS_RULE_VIOLATION, reason NOT_A_CONTRACTOR (an external provider has no branches, technicians or
    pricebook). Read as the system: the calling domain authorizes its own action."""
    profile = await repository.profile_of(ctx.session, ctx.require_org())
    if profile is None or profile.external:
        raise rule(
            ContractorReason.NOT_A_CONTRACTOR,
            "This needs a contractor on the platform: a service provider organization with a contractor profile.",
        )
    return profile

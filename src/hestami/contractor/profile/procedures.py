"""The contractor's identity (P2.1): `contractor/profile/v1/*`, `contractor/branch/v1/*`, `contractor/license/v1/*`,
`contractor/insurance/v1/*`, `contractor/compliance/v1/*`. Every procedure acts in the caller's organization (a
SERVICE_PROVIDER, or an EXTERNAL_SERVICE_PROVIDER for its profile and documents)."""

from __future__ import annotations

from datetime import date

from hestami.cam.work_order import api as work_orders
from hestami.contractor.profile import workflows as workflows
from hestami.contractor.profile.schemas import (
    AddInsurance,
    AddLicense,
    BranchOut,
    ById,
    CheckStarted,
    ComplianceOut,
    CreateBranch,
    Empty,
    InsuranceOut,
    LicenseOut,
    ListBranches,
    ListDocuments,
    ProfileOut,
    UpdateBranch,
    UpdateInsurance,
    UpdateLicense,
    UpsertProfile,
)
from hestami.contractor.profile.services import branches, compliance, credentials, profiles
from hestami.contractor.profile.services.directory import ContractorDirectory
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import REMOVED, Removed

work_orders.register_provider_directory(ContractorDirectory())

TAGS = ("contractor",)
profile = ProcedureRouter("contractor/profile", tags=TAGS)
branch = ProcedureRouter("contractor/branch", tags=TAGS)
license_ = ProcedureRouter("contractor/license", tags=TAGS)
insurance = ProcedureRouter("contractor/insurance", tags=TAGS)
compliance_router = ProcedureRouter("contractor/compliance", tags=TAGS)
ROUTERS: list[ProcedureRouter] = [profile, branch, license_, insurance, compliance_router]


@profile.mutation("upsert")
async def upsert_profile(ctx: RequestContext, data: UpsertProfile) -> ProfileOut:
    """The caller's organization (a SERVICE_PROVIDER, or an EXTERNAL_SERVICE_PROVIDER kept as contact fields)
    describes itself: legal name, DBA, trades, service zip codes and radius, operating hours, contact fields.
    Associations linked to it match work orders against its trades and area. Any other organization:
    BUSINESS_RULE_VIOLATION, reason NOT_A_CONTRACTOR. Contractor ADMIN or MANAGER."""
    return await profiles.upsert(ctx, data)


@profile.query("get")
async def get_profile(ctx: RequestContext, data: Empty) -> ProfileOut:
    """The caller's organization's contractor profile (NOT_FOUND when it has none)."""
    return await profiles.get(ctx)


@branch.mutation("create")
async def create_branch(ctx: RequestContext, data: CreateBranch) -> BranchOut:
    """A branch (office) of a contractor on the platform; names are unique (DUPLICATE_BRANCH); making it the
    primary branch unsets the previous one."""
    return await branches.create(ctx, data)


@branch.mutation("update")
async def update_branch(ctx: RequestContext, data: UpdateBranch) -> BranchOut:
    """Changes the fields given; a closed branch is BRANCH_CLOSED."""
    return await branches.update(ctx, data)


@branch.mutation("close")
async def close_branch(ctx: RequestContext, data: ById) -> BranchOut:
    """Closes a branch (it stays on record, no longer primary); closing a closed one changes nothing."""
    return await branches.close(ctx, data.id)


@branch.query("get")
async def get_branch(ctx: RequestContext, data: ById) -> BranchOut:
    return await branches.get(ctx, data.id)


@branch.query("list")
async def list_branches(ctx: RequestContext, data: ListBranches) -> Page[BranchOut]:
    """The caller's branches, optionally by status."""
    return await branches.list_(ctx, data)


@license_.mutation("add")
async def add_license(ctx: RequestContext, data: AddLicense) -> LicenseOut:
    """A licence per trade and jurisdiction (number unique per jurisdiction among live licences:
    DUPLICATE_LICENSE), with its scan as a document of the caller (`document_id`). Compliance is re-assessed at
    once: an expired licence without a current one of its trade and jurisdiction makes the contractor
    NON_COMPLIANT (LICENSE_EXPIRED), which blocks HOA assignments and awards."""
    return await credentials.add_license(ctx, data)


@license_.mutation("update")
async def update_license(ctx: RequestContext, data: UpdateLicense) -> LicenseOut:
    """Replaces a licence's fields (a renewal: the new expiry)."""
    return await credentials.update_license(ctx, data)


@license_.mutation("remove")
async def remove_license(ctx: RequestContext, data: ById) -> Removed:
    await credentials.remove_license(ctx, data.id)
    return REMOVED


@license_.query("get")
async def get_license(ctx: RequestContext, data: ById) -> LicenseOut:
    return await credentials.get_license(ctx, data.id)


@license_.query("list")
async def list_licenses(ctx: RequestContext, data: ListDocuments) -> Page[LicenseOut]:
    """The caller's live licences, soonest expiry first."""
    return await credentials.list_licenses(ctx, data)


@insurance.mutation("add")
async def add_insurance(ctx: RequestContext, data: AddInsurance) -> InsuranceOut:
    """An insurance policy: GENERAL_LIABILITY, WORKERS_COMPENSATION, AUTO, UMBRELLA or PROFESSIONAL; carrier,
    policy number (unique per kind among live policies: DUPLICATE_POLICY), limits, effective and expiry dates, the
    certificate of insurance as a document of the caller. Current general liability is required (else
    INSURANCE_MISSING); a lapsed kind without a current policy is INSURANCE_EXPIRED / WORKERS_COMP_EXPIRED.
    Associations may require minimum limits (`serviceProvider/v1/setRequirements`)."""
    return await credentials.add_insurance(ctx, data)


@insurance.mutation("update")
async def update_insurance(ctx: RequestContext, data: UpdateInsurance) -> InsuranceOut:
    """Replaces a policy's fields (a renewal: the new expiry and certificate)."""
    return await credentials.update_insurance(ctx, data)


@insurance.mutation("remove")
async def remove_insurance(ctx: RequestContext, data: ById) -> Removed:
    await credentials.remove_insurance(ctx, data.id)
    return REMOVED


@insurance.query("get")
async def get_insurance(ctx: RequestContext, data: ById) -> InsuranceOut:
    return await credentials.get_insurance(ctx, data.id)


@insurance.query("list")
async def list_insurances(ctx: RequestContext, data: ListDocuments) -> Page[InsuranceOut]:
    """The caller's live policies, soonest expiry first."""
    return await credentials.list_insurances(ctx, data)


@compliance_router.query("get")
async def get_compliance(ctx: RequestContext, data: Empty) -> ComplianceOut:
    """The caller's compliance computed now (COMPLIANT, or NON_COMPLIANT with every reason), the documents
    expiring within 30 days, and what `compliance_workflow_v1` last recorded (status, since, checked on). The
    daily check tells the contractor 30, 14 and 1 days before an expiry and when it becomes non-compliant, and
    each association linked to it when it does (each once)."""
    return await compliance.get(ctx)


@compliance_router.mutation("check")
async def check_compliance(ctx: RequestContext, data: Empty) -> CheckStarted:
    """Re-checks the caller's documents now (after a renewal), through `compliance_workflow_v1` like the daily
    check: the status is recorded, the notices due go out (each once: a notice the daily check sent is not sent
    again), and the linked associations hear of a non-compliance. Answers the workflow's id at once; the outcome
    shows in `contractor/compliance/v1/get`. Contractor ADMIN or MANAGER."""
    org = await compliance.own_for_check(ctx)
    handle = await workflows.start(org, date.today(), run=ctx.request_id or "check")
    return CheckStarted(workflow_id=handle.workflow_id)

"""What other contractor domains (technicians, the pricebook, dispatch) may use of the contractor's identity."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from hestami.contractor.profile import kinds, repository, rules
from hestami.contractor.profile.models import Branch
from hestami.contractor.profile.services import compliance, profiles
from hestami.core import records
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class BranchRef:
    id: uuid.UUID
    name: str
    status: str
    service_zip_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ComplianceIssue:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Compliance:
    status: str
    reasons: tuple[ComplianceIssue, ...]

    @property
    def compliant(self) -> bool:
        return self.status == "COMPLIANT"


def _ref(branch: Branch) -> BranchRef:
    return BranchRef(branch.id, branch.name, branch.status, tuple(branch.service_zip_codes))


async def require_contractor(ctx: RequestContext) -> None:
    """The caller's organization is a contractor on the platform (a SERVICE_PROVIDER with a contractor profile);
    else BUSINESS_RULE_VIOLATION, reason NOT_A_CONTRACTOR."""
    await profiles.require_contractor(ctx)


async def load_branch(ctx: RequestContext, branch_id: uuid.UUID) -> BranchRef:
    """One of the caller's branches the caller may view: NOT_FOUND otherwise (another organization's, a random id)."""
    return _ref(await records.load(ctx, kinds.BRANCH, branch_id))


async def branch_named(ctx: RequestContext, name: str) -> BranchRef | None:
    """The caller's organization's branch of that name (any case), read as the system (demo data, imports)."""
    branch = await repository.branch_named(ctx.session, name)
    return _ref(branch) if branch is not None else None


async def compliance_of(ctx: RequestContext, on: date | None = None) -> Compliance:
    """The caller's organization's compliance on `on` (today), computed from its documents (no profile:
    NON_COMPLIANT, reason NO_PROFILE). Read as the system."""
    org = ctx.require_org()
    if await repository.profile_of(ctx.session, org) is None:
        return Compliance("NON_COMPLIANT", (ComplianceIssue("NO_PROFILE", "No contractor profile."),))
    documents = (await compliance.documents_by_organization(ctx, [org]))[org]
    issues = rules.issues(documents, on or date.today())
    return Compliance(rules.status(issues), tuple(ComplianceIssue(i.code, i.message) for i in issues))

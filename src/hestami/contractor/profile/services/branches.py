"""A contractor's branches (offices its technicians work from). At most one ACTIVE primary branch (a partial
unique index; making one primary unsets the other in the same transaction). A closed branch stays on record."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from hestami.contractor.profile import kinds, repository
from hestami.contractor.profile.errors import ContractorReason, rule
from hestami.contractor.profile.models import Branch
from hestami.contractor.profile.schemas import BranchOut, CreateBranch, ListBranches, UpdateBranch
from hestami.contractor.profile.services import profiles
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page


def branch_out(branch: Branch) -> BranchOut:
    return records.output(BranchOut, branch)


async def _unset_primary(ctx: RequestContext, keep: Branch | None) -> None:
    for other in await repository.primary_branches(ctx.session, ctx.require_org()):
        if keep is None or other.id != keep.id:
            await records.change(ctx, kinds.BRANCH, other, {"primary_branch": False})


async def _save(ctx: RequestContext, branch: Branch | None, values: dict[str, Any]) -> Branch:
    await profiles.require_contractor(ctx)
    await repository.lock_profile(ctx.session, ctx.require_org())
    if values.get("primary_branch"):
        await _unset_primary(ctx, branch)
    try:
        async with ctx.session.begin_nested():
            if branch is None:
                return await records.create(ctx, kinds.BRANCH, Branch(**values))
            return await records.change(ctx, kinds.BRANCH, branch, values)
    except IntegrityError:
        raise rule(ContractorReason.DUPLICATE_BRANCH, "A branch with this name already exists.") from None


async def create(ctx: RequestContext, data: CreateBranch) -> BranchOut:
    return branch_out(await _save(ctx, None, data.model_dump(mode="json")))


async def update(ctx: RequestContext, data: UpdateBranch) -> BranchOut:
    branch = await records.load(ctx, kinds.BRANCH, data.id, "update")
    if branch.status == "CLOSED":
        raise rule(ContractorReason.BRANCH_CLOSED, f"{branch.name} is closed.")
    changes = data.model_dump(mode="json", exclude_unset=True, exclude={"id"})
    return branch_out(await _save(ctx, branch, changes))


async def close(ctx: RequestContext, branch_id: Any) -> BranchOut:
    branch = await records.load(ctx, kinds.BRANCH, branch_id, "update")
    if branch.status == "CLOSED":
        return branch_out(branch)
    changed = await records.change(
        ctx, kinds.BRANCH, branch, {"status": "CLOSED", "primary_branch": False}, action="closed"
    )
    return branch_out(changed)


async def get(ctx: RequestContext, branch_id: Any) -> BranchOut:
    return branch_out(await records.load(ctx, kinds.BRANCH, branch_id))


async def list_(ctx: RequestContext, data: ListBranches) -> Page[BranchOut]:
    filters = [Branch.organization_id == ctx.require_org()]
    if data.status:
        filters.append(Branch.status == data.status)
    items, cursor = await records.page(ctx, kinds.BRANCH, data, *filters)
    return Page[BranchOut](items=[branch_out(x) for x in items], next_cursor=cursor)

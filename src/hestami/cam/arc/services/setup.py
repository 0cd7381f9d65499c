"""An association's review setup: its ARC settings (deemed approval, approval validity) and its committees."""

from __future__ import annotations

import uuid

from hestami.cam.arc import kinds, lifecycle, repository
from hestami.cam.arc.errors import ArcReason, rule
from hestami.cam.arc.models import ArcSettings, Committee, CommitteeMember
from hestami.cam.arc.schemas import (
    ArcSettingsOut,
    CommitteeMemberIn,
    CommitteeMemberOut,
    CommitteeOut,
    CommitteesOut,
    CreateCommittee,
    ListCommittees,
    RemoveCommitteeMember,
    UpdateArcSettings,
    UpdateCommittee,
)
from hestami.cam.association import api as association
from hestami.core import audit, records
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.identity.services import organizations as identity


def _settings_out(association_id: uuid.UUID, row: ArcSettings | None) -> ArcSettingsOut:
    return ArcSettingsOut(
        association_id=association_id,
        deemed_approval_days=row.deemed_approval_days if row else None,
        approval_valid_days=row.approval_valid_days if row else lifecycle.DEFAULT_APPROVAL_VALID_DAYS,
        customized=row is not None,
    )


async def _authorize_settings(ctx: RequestContext, action: str) -> None:
    resource = Resource(kinds.ARC_SETTINGS.name, "settings", {"organization_id": str(ctx.require_org())})
    await authorize(ctx, action, resource)


async def get_settings(ctx: RequestContext, association_id: uuid.UUID) -> ArcSettingsOut:
    await association.load_association(ctx, association_id)
    await _authorize_settings(ctx, "view")
    return _settings_out(association_id, await repository.settings_of(ctx.session, association_id))


async def effective_settings(ctx: RequestContext, association_id: uuid.UUID) -> ArcSettingsOut:
    return _settings_out(association_id, await repository.settings_of(ctx.session, association_id))


async def update_settings(ctx: RequestContext, data: UpdateArcSettings) -> ArcSettingsOut:
    """Only the fields sent change (`deemed_approval_days: null` turns deemed approval off)."""
    await association.load_association(ctx, data.association_id)
    await _authorize_settings(ctx, "update")
    await repository.lock_settings(ctx.session, data.association_id)
    row = await repository.settings_of(ctx.session, data.association_id, lock=True)
    before = _settings_out(data.association_id, row)
    changes = records.changes_of(data, exclude=("association_id",))
    if changes.get("approval_valid_days") is None:
        changes.pop("approval_valid_days", None)
    if row is None:
        row = ArcSettings(
            organization_id=ctx.require_org(), association_id=data.association_id,
            deemed_approval_days=None, approval_valid_days=lifecycle.DEFAULT_APPROVAL_VALID_DAYS,
        )  # fmt: skip
        ctx.session.add(row)
    for name, value in changes.items():
        setattr(row, name, value)
    await ctx.session.flush()
    after = _settings_out(data.association_id, row)
    audit.record(
        ctx, "arc_settings.updated", kinds.ARC_SETTINGS.name, data.association_id,
        before=before.model_dump(mode="json"), after=after.model_dump(mode="json"),
    )  # fmt: skip
    return after


# --- committees ------------------------------------------------------------------------------------------------


def committee_out(committee: Committee, members: list[CommitteeMember]) -> CommitteeOut:
    people = [CommitteeMemberOut(user_id=m.user_id, role=m.role) for m in members]
    return records.output(CommitteeOut, committee, members=people)


async def create_committee(ctx: RequestContext, data: CreateCommittee) -> CommitteeOut:
    await association.load_association(ctx, data.association_id)
    await repository.lock_committee_names(ctx.session, data.association_id)
    if await repository.committee_named(ctx.session, data.association_id, data.name) is not None:
        raise rule(ArcReason.DUPLICATE_NAME, f"The association already has a committee named {data.name}.")
    committee = await records.create(ctx, kinds.COMMITTEE, Committee(**data.model_dump(), active=True))
    return committee_out(committee, [])


async def update_committee(ctx: RequestContext, data: UpdateCommittee) -> CommitteeOut:
    committee = await records.load(ctx, kinds.COMMITTEE, data.id, "update", lock=True)
    changes = {k: v for k, v in records.changes_of(data).items() if v is not None}
    if "name" in changes and changes["name"] != committee.name:
        await repository.lock_committee_names(ctx.session, committee.association_id)
        if await repository.committee_named(ctx.session, committee.association_id, changes["name"]) is not None:
            raise rule(ArcReason.DUPLICATE_NAME, f"The association already has a committee named {changes['name']}.")
    await records.change(ctx, kinds.COMMITTEE, committee, changes)
    return committee_out(committee, await repository.committee_members(ctx.session, committee.id))


async def get_committee(ctx: RequestContext, committee_id: uuid.UUID) -> CommitteeOut:
    committee = await records.load(ctx, kinds.COMMITTEE, committee_id)
    return committee_out(committee, await repository.committee_members(ctx.session, committee.id))


async def list_committees(ctx: RequestContext, data: ListCommittees) -> CommitteesOut:
    filters = [] if data.association_id is None else [Committee.association_id == data.association_id]
    rows, cursor = await records.page(ctx, kinds.COMMITTEE, data, *filters)
    members = await repository.members_of(ctx.session, [c.id for c in rows])
    return CommitteesOut(items=[committee_out(c, members[c.id]) for c in rows], next_cursor=cursor)


async def add_member(ctx: RequestContext, data: CommitteeMemberIn) -> CommitteeOut:
    """A member of the organization joins the committee (owners who are not on the board often sit on ARC)."""
    committee = await records.load(ctx, kinds.COMMITTEE, data.committee_id, "manage_members", lock=True)
    if await identity.email_of_member(ctx, data.user_id) is None:
        raise not_found("user", data.user_id)
    if await repository.committee_member(ctx.session, committee.id, data.user_id) is not None:
        raise rule(ArcReason.ALREADY_MEMBER, "That person already sits on the committee.")
    ctx.session.add(
        CommitteeMember(
            organization_id=committee.organization_id, committee_id=committee.id, user_id=data.user_id,
            role=data.role,
        )
    )  # fmt: skip
    await ctx.session.flush()
    audit.record(
        ctx, "arc_committee.member_added", kinds.COMMITTEE.name, committee.id,
        after={"user_id": str(data.user_id), "role": data.role},
    )  # fmt: skip
    return committee_out(committee, await repository.committee_members(ctx.session, committee.id))


async def remove_member(ctx: RequestContext, data: RemoveCommitteeMember) -> CommitteeOut:
    committee = await records.load(ctx, kinds.COMMITTEE, data.committee_id, "manage_members", lock=True)
    member = await repository.committee_member(ctx.session, committee.id, data.user_id)
    if member is None:
        raise not_found("committee_member", data.user_id)
    await ctx.session.delete(member)
    await ctx.session.flush()
    audit.record(
        ctx, "arc_committee.member_removed", kinds.COMMITTEE.name, committee.id, before={"user_id": str(data.user_id)}
    )
    return committee_out(committee, await repository.committee_members(ctx.session, committee.id))

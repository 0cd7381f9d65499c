"""Domain 5's record kinds as Cerbos sees them (policies/resource/arc_*.yaml)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, func, null, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, array

from hestami.cam.arc import repository
from hestami.cam.arc.models import ArcRequest, ArcSettings, Committee, CommitteeMember
from hestami.cam.association import api as association
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _request_attrs(ctx: RequestContext, request: ArcRequest) -> dict[str, AttrValue]:
    """The requester and the unit's owners manage it; the members of its committee review it."""
    people = [str(request.requested_by)] if request.requested_by else []
    people += await association.owners_of_unit(ctx, request.unit_id, request.organization_id)
    members = await repository.committee_user_ids(ctx.session, request.committee_id)
    return {"owner_user_ids": sorted(set(people)), "member_user_ids": members}


def _members_column() -> Any:
    members = (
        select(cast(CommitteeMember.user_id, Text))
        .where(
            CommitteeMember.organization_id == ArcRequest.organization_id,
            CommitteeMember.committee_id == ArcRequest.committee_id,
        )
        .scalar_subquery()
    )
    return type_coerce(func.array(members), ARRAY(Text))


def _request_columns() -> dict[str, Any]:
    requester = func.array_remove(array([cast(ArcRequest.requested_by, Text)]), null())
    owners = association.unit_owners_column(ArcRequest.unit_id, ArcRequest.organization_id)
    return {
        "owner_user_ids": type_coerce(func.array_cat(requester, owners), ARRAY(Text)),
        "member_user_ids": _members_column(),
    }


ARC_REQUEST = RecordKind("arc_request", ArcRequest, attrs=_request_attrs, columns=_request_columns)
COMMITTEE = RecordKind("arc_committee", Committee)
ARC_SETTINGS = RecordKind("arc_settings", ArcSettings)

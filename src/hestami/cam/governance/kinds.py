"""Domain 8's record kinds as Cerbos sees them (policies/resource/governance_*.yaml, board, meeting, ...).

Owners of a unit in the association see its board, its meetings (notices, agendas, approved minutes), its votes
and its adopted resolutions and policies: `owner_user_ids` is the caller when they own a unit there today.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY

from hestami.cam.association import api as association
from hestami.cam.governance.models import Board, Meeting, Policy, Resolution, Vote
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _owner_attrs(ctx: RequestContext, record: Any) -> dict[str, AttrValue]:
    owns = await association.caller_owns_in_association(ctx, record.association_id)
    return {"owner_user_ids": [str(ctx.user_id)] if owns else []}


def _owner_columns(model: Any) -> dict[str, Any]:
    column = association.caller_if_association_owner_column(model.association_id, model.organization_id)
    return {"owner_user_ids": type_coerce(column, ARRAY(Text))}


BOARD = RecordKind("board", Board, attrs=_owner_attrs, columns=lambda: _owner_columns(Board))
MEETING = RecordKind(
    "meeting",
    Meeting,
    attrs=_owner_attrs,
    base_attrs=lambda meeting: {"kind": meeting.kind, "status": meeting.status},
    columns=lambda: {**_owner_columns(Meeting), "kind": Meeting.kind, "status": Meeting.status},
)
VOTE = RecordKind(
    "vote",
    Vote,
    attrs=_owner_attrs,
    base_attrs=lambda vote: {"kind": vote.kind},
    columns=lambda: {**_owner_columns(Vote), "kind": Vote.kind},
)
RESOLUTION = RecordKind(
    "resolution",
    Resolution,
    attrs=_owner_attrs,
    base_attrs=lambda resolution: {"status": resolution.status},
    columns=lambda: {**_owner_columns(Resolution), "status": Resolution.status},
)
POLICY = RecordKind(
    "governance_policy",
    Policy,
    attrs=_owner_attrs,
    base_attrs=lambda policy: {"status": policy.status},
    columns=lambda: {**_owner_columns(Policy), "status": Policy.status},
)
SETTINGS = "governance_settings"

"""The bulletin's record kinds as Cerbos sees them (policies/resource/announcement.yaml, calendar_event.yaml).

Owners and tenants of a unit in the association see what is meant for them: `owner_user_ids` is the caller when
they own a unit there today, `member_user_ids` when they rent one. An announcement's `state` (DRAFT, SCHEDULED,
CURRENT, EXPIRED, WITHDRAWN) is computed at the moment of the decision, so an expired announcement leaves the owners'
view without anyone touching it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY

from hestami.cam.association import api as association
from hestami.cam.bulletin import lifecycle
from hestami.cam.bulletin.models import Announcement, CalendarEvent
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _resident_attrs(ctx: RequestContext, record: Any) -> dict[str, AttrValue]:
    owns = await association.caller_owns_in_association(ctx, record.association_id)
    rents = await association.caller_rents_in_association(ctx, record.association_id)
    caller = [str(ctx.user_id)]
    return {"owner_user_ids": caller if owns else [], "member_user_ids": caller if rents else []}


def _resident_columns(model: Any) -> dict[str, Any]:
    owners = association.caller_if_association_owner_column(model.association_id, model.organization_id)
    tenants = association.caller_if_association_tenant_column(model.association_id, model.organization_id)
    return {"owner_user_ids": type_coerce(owners, ARRAY(Text)), "member_user_ids": type_coerce(tenants, ARRAY(Text))}


def _announcement_attrs(announcement: Announcement) -> dict[str, AttrValue]:
    now = datetime.now(UTC)
    state = lifecycle.state(announcement.status, announcement.publish_at, announcement.expires_at, now)
    return {"audience": announcement.audience, "status": announcement.status, "state": state}


ANNOUNCEMENT = RecordKind(
    "announcement",
    Announcement,
    attrs=_resident_attrs,
    base_attrs=_announcement_attrs,
    columns=lambda: {
        **_resident_columns(Announcement),
        "audience": Announcement.audience,
        "status": Announcement.status,
        "state": lifecycle.state_column(Announcement),
    },
)
CALENDAR_EVENT = RecordKind(
    "calendar_event",
    CalendarEvent,
    attrs=_resident_attrs,
    base_attrs=lambda event: {"visibility": event.visibility, "status": event.status},
    columns=lambda: {
        **_resident_columns(CalendarEvent),
        "visibility": CalendarEvent.visibility,
        "status": CalendarEvent.status,
    },
)

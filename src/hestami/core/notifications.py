"""`notification/v1/list`: the messages the outbox recorded about any record of the organization.

Delivery is out of scope (`core.outbox` records each message); every domain that notifies (work orders,
violations, ARC, meetings) lists its notices here by `entity_id`, filtered by the `notification` policy.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Text, cast, func, select

from hestami.core.authz import query_filter
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage
from hestami.core.pagination import Page, PageRequest, SortKey, fetch_page
from hestami.core.rpc.procedure import ProcedureRouter

KIND = "notification"
router = ProcedureRouter("notification", tags=("notification",))


class ListNotifications(PageRequest):
    entity_id: uuid.UUID | None = None


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID | None
    channel: str
    recipient: str
    recipient_user_id: uuid.UUID | None
    template: str
    payload: dict[str, object]
    entity_type: str | None
    entity_id: uuid.UUID | None
    created_at: datetime


async def list_notifications(ctx: RequestContext, data: ListNotifications) -> Page[NotificationOut]:
    """The organization's messages the caller may see (managers: all; others: those addressed to them)."""
    allowed = await query_filter(
        ctx,
        "view",
        KIND,
        OutboundMessage.__table__,  # type: ignore[arg-type]
        {
            "organization_id": OutboundMessage.organization_id,
            "user_id": func.coalesce(cast(OutboundMessage.recipient_user_id, Text), ""),
        },
    )
    statement = select(OutboundMessage).where(OutboundMessage.organization_id == ctx.require_org(), allowed)
    if data.entity_id is not None:
        statement = statement.where(OutboundMessage.entity_id == data.entity_id)
    key = SortKey((OutboundMessage.created_at, OutboundMessage.id))
    items, cursor = await fetch_page(ctx.session, statement, key, data)
    return Page[NotificationOut](items=[NotificationOut.model_validate(m) for m in items], next_cursor=cursor)


@router.query("list", version=1)
async def list_(ctx: RequestContext, data: ListNotifications) -> Page[NotificationOut]:
    """Messages the outbox recorded (delivery is out of scope), optionally about one record (`entity_id`)."""
    return await list_notifications(ctx, data)

"""Notifications recorded by the outbox (delivery is out of scope), as the API lists them."""

from __future__ import annotations

from sqlalchemy import Text, cast, func, select

from hestami.cam.work_order import kinds
from hestami.cam.work_order.schemas import ListNotifications, NotificationOut
from hestami.core.authz import query_filter
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage
from hestami.core.pagination import Page, SortKey, fetch_page


async def list_(ctx: RequestContext, data: ListNotifications) -> Page[NotificationOut]:
    """The organization's messages the caller may see (managers: all; others: those addressed to them)."""
    table = OutboundMessage.__table__
    allowed = await query_filter(
        ctx,
        "view",
        kinds.NOTIFICATION,
        table,  # type: ignore[arg-type]
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

"""What the owner is told about their payment settings: a method stored, auto-pay started or ended. Each notice goes
through the outbox once per event (its dedupe key names the record and the event)."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_once


async def tell_owner(
    ctx: RequestContext,
    *,
    email: str | None,
    user_id: uuid.UUID | None,
    template: str,
    entity_type: str,
    entity_id: uuid.UUID,
    event: str,
    payload: dict[str, Any],
) -> None:
    """One email to the owner about `event` on the record (nothing without an address)."""
    if not email:
        return
    message = OutboundMessage(
        organization_id=ctx.require_org(),
        channel="EMAIL",
        recipient=email,
        recipient_user_id=user_id,
        template=template,
        payload=payload,
        request_id=ctx.request_id,
        entity_type=entity_type,
        entity_id=entity_id,
        dedupe_key=f"{entity_type}:{entity_id}:{event}:{email.lower()}",
    )
    await record_once(ctx.session, message)

"""Who hears of an owner request, exactly once (outbox dedupe keys): the managers of its organization when it is
submitted, and the owner who follows it when it becomes a work order and when it is resolved.

The owner's contact preferences (communications) are the portal's notification settings: the notice always reaches
the portal (`PORTAL`, `notification/v1/list`), and also their email unless they turned email off or opted out of
the category the answer falls under (MAINTENANCE for repairs and common areas, GENERAL otherwise)."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.cam.communications import api as communications
from hestami.cam.portal import lifecycle
from hestami.cam.portal.models import OwnerRequest
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

MANAGING_ROLES = ["MANAGER", "ADMIN"]


def _payload(request: OwnerRequest, **extra: Any) -> dict[str, Any]:
    return {
        "request": request.reference,
        "subject": request.subject,
        "category": request.category,
        "status": request.status,
        **extra,
    }


def _message(
    request: OwnerRequest, channel: str, recipient: str, user_id: uuid.UUID | None, event: str, payload: dict[str, Any]
) -> OutboundMessage:
    return OutboundMessage(
        organization_id=request.organization_id,
        channel=channel,
        recipient=recipient,
        recipient_user_id=user_id,
        template=f"owner_request.{event.lower()}",
        payload=payload,
        entity_type="owner_request",
        entity_id=request.id,
        dedupe_key=f"owner_request:{request.id}:{event}:{channel}:{recipient}",
    )


async def submitted(ctx: RequestContext, request: OwnerRequest) -> None:
    """The organization's managers hear of a new request (each once)."""
    managers = await identity.members_in_roles(ctx, MANAGING_ROLES, request.association_id)
    payload = _payload(request)
    messages = [
        _message(request, "EMAIL", email, user_id, "SUBMITTED", payload)
        for user_id, email in managers
        if user_id != request.submitted_by
    ]
    await record_all_once(ctx.session, messages)


async def _emails_allowed(ctx: RequestContext, request: OwnerRequest) -> bool:
    if request.party_id is None:
        return True
    preferences = await communications.preferences_of(ctx, request.party_id)
    category = lifecycle.MESSAGE_CATEGORY.get(request.category, "GENERAL")
    return preferences.email and category not in preferences.opted_out_categories


async def status_changed(ctx: RequestContext, request: OwnerRequest, event: str, **extra: Any) -> None:
    """The owner who follows the request hears of `event` (CONVERTED, RESOLVED): in the portal, and by email as
    their preferences allow; once each, however often this runs."""
    user_id = request.owner_user_id or request.submitted_by
    if user_id is None:
        return
    payload = _payload(request, **extra)
    messages = [_message(request, "PORTAL", f"user:{user_id}", user_id, event, payload)]
    email = await identity.email_of_member(ctx, user_id)
    if email and await _emails_allowed(ctx, request):
        messages.append(_message(request, "EMAIL", email, user_id, event, payload))
    await record_all_once(ctx.session, messages)

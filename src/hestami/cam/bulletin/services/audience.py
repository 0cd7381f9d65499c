"""Who the bulletin tells, and the portal messages it records for them.

An OWNERS announcement or event is told to every platform user who owns a unit of the association today (an owner
of two units once), except owners whose contact preferences opt out of its category, unless the category is an
official notice (`communications.api.REQUIRED_CATEGORIES`); a BOARD one to the users seated on the association's
board of directors today. Messages go through the outbox on the PORTAL channel, each with a dedupe key the caller
names per recipient, so a retry or a second publication never repeats one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.communications import api as communications
from hestami.cam.governance import api as governance
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once


@dataclass(frozen=True, slots=True)
class Notice:
    """What one message says: its template, payload and entity, and the dedupe key of each recipient's copy."""

    template: str
    payload: dict[str, Any]
    entity_type: str
    entity_id: uuid.UUID
    dedupe_key: Callable[[uuid.UUID], str]


async def _owner_users(ctx: RequestContext, association_id: uuid.UUID, category: str) -> list[uuid.UUID]:
    """The users owning a unit of the association today, but those whose every party opted out of `category`."""
    owners = await association.owners_of_record(ctx, association_id, datetime.now(UTC).date())
    parties: dict[uuid.UUID, list[uuid.UUID]] = {}
    for contacts in owners.values():
        for contact in contacts:
            if contact.user_id is not None and contact.party_id not in parties.get(contact.user_id, []):
                parties.setdefault(contact.user_id, []).append(contact.party_id)
    if category in communications.REQUIRED_CATEGORIES:
        return list(parties)
    chosen = await communications.preferences_of_parties(ctx, [p for ids in parties.values() for p in ids])
    return [
        user_id
        for user_id, party_ids in parties.items()
        if any(category not in chosen[party_id].opted_out_categories for party_id in party_ids)
    ]


async def _director_users(ctx: RequestContext, association_id: uuid.UUID) -> list[uuid.UUID]:
    seated = await governance.directors(ctx, association_id, datetime.now(UTC).date())
    return list(dict.fromkeys(seat.user_id for seat in seated if seat.user_id is not None))


async def recipients(ctx: RequestContext, association_id: uuid.UUID, audience: str, category: str) -> list[uuid.UUID]:
    """The users told of a bulletin item for `audience` (OWNERS or BOARD) in `category`, each once."""
    if audience == "BOARD":
        return await _director_users(ctx, association_id)
    return await _owner_users(ctx, association_id, category)


async def tell(ctx: RequestContext, users: list[uuid.UUID], notice: Notice) -> int:
    """Records one PORTAL message per user (none a second time for the same dedupe key); how many were due."""
    messages = [
        OutboundMessage(
            organization_id=ctx.require_org(),
            channel="PORTAL",
            recipient=f"user:{user_id}",
            recipient_user_id=user_id,
            template=notice.template,
            payload=notice.payload,
            request_id=ctx.request_id,
            entity_type=notice.entity_type,
            entity_id=notice.entity_id,
            dedupe_key=notice.dedupe_key(user_id),
        )
        for user_id in users
    ]
    await record_all_once(ctx.session, messages)
    return len(messages)

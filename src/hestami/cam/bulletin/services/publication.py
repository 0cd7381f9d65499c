"""Telling an announcement's audience that it shows: at once when it is published to show at once, else from the
workflow `announcementPublication_v1` when its publish time comes.

`notified_at` records that the audience was told, so neither an update nor publishing it again after a withdrawal
tells anyone a second time; the outbox's dedupe key per announcement and user holds the same under retries and races.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hestami.cam.bulletin import kinds
from hestami.cam.bulletin.models import Announcement
from hestami.cam.bulletin.services import audience
from hestami.core import records
from hestami.core.context import RequestContext

KIND = kinds.ANNOUNCEMENT


def notice(record: Announcement) -> audience.Notice:
    payload = {
        "announcement_id": str(record.id),
        "association_id": str(record.association_id),
        "title": record.title,
        "category": record.category,
        "audience": record.audience,
        "pinned": record.pinned,
        "publish_at": record.publish_at.isoformat() if record.publish_at else None,
        "expires_at": record.expires_at.isoformat() if record.expires_at else None,
    }
    return audience.Notice(
        template="announcement.published",
        payload=payload,
        entity_type=KIND.name,
        entity_id=record.id,
        dedupe_key=lambda user_id: f"announcement:{record.id}:published:{user_id}",
    )


async def notify(ctx: RequestContext, record: Announcement) -> int:
    """Tells the announcement's audience that it shows, once (`notified_at`); how many messages were due. The
    record is locked by the caller."""
    if record.notified_at is not None:
        return 0
    users = await audience.recipients(ctx, record.association_id, record.audience, record.category)
    count = await audience.tell(ctx, users, notice(record))
    await records.change(ctx, KIND, record, {"notified_at": datetime.now(UTC)}, action="notified")
    return count


async def turn(ctx: RequestContext, record: Announcement, published_at: datetime) -> datetime | None:
    """The workflow's turn for the publication of `published_at`: tells the audience if the announcement shows now;
    when to look again (None: nothing left to do, told or superseded by a withdrawal or a later publication)."""
    if record.status != "PUBLISHED" or record.published_at != published_at or record.notified_at is not None:
        return None
    if record.publish_at is not None and record.publish_at > datetime.now(UTC):
        return record.publish_at
    await notify(ctx, record)
    return None

"""Reminders of calendar events: with `remind_hours_before`, the event's audience (`audience.py`) gets one PORTAL
message that long before each occurrence (at once for an occurrence closer than that when the reminder is set), from
the workflow `calendarEventReminders_v1`, one turn at a time on the locked event.

The outbox's dedupe key names the event, the occurrence's start and the user, so a turn run again after a crash, or
a restarted workflow (a change of time or reminder), never reminds anyone twice of the same occurrence.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hestami.cam.bulletin import kinds, recurrence
from hestami.cam.bulletin.models import CalendarEvent
from hestami.cam.bulletin.services import audience
from hestami.core.context import RequestContext

CATEGORY_OF = {"MEETING": "MEETING", "MAINTENANCE": "MAINTENANCE", "AMENITY_CLOSURE": "MAINTENANCE"}
"""The communications category an event's messages fall in (others: EVENT); owners may opt out of some."""


def category(record: CalendarEvent) -> str:
    return CATEGORY_OF.get(record.event_type, "EVENT")


async def remind(ctx: RequestContext, record: CalendarEvent, starts_at: datetime) -> int:
    """Reminds the event's audience of its occurrence starting at `starts_at`, once each."""
    users = await audience.recipients(ctx, record.association_id, record.visibility, category(record))
    payload = {
        "event_id": str(record.id),
        "association_id": str(record.association_id),
        "title": record.title,
        "event_type": record.event_type,
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + (record.ends_at - record.starts_at)).isoformat(),
        "all_day": record.all_day,
        "location": record.location,
    }
    notice = audience.Notice(
        template="calendar_event.reminder",
        payload=payload,
        entity_type=kinds.CALENDAR_EVENT.name,
        entity_id=record.id,
        dedupe_key=lambda user_id: f"calendar_event:{record.id}:reminder:{starts_at.isoformat()}:{user_id}",
    )
    return await audience.tell(ctx, users, notice)


async def turn(
    ctx: RequestContext, record: CalendarEvent, version: int, after: datetime, now: datetime
) -> tuple[datetime, datetime] | None:
    """One turn of the reminders of `version`: reminds of the next occurrence after `after` if its reminder is due
    at `now`. The new `after` and when to look again; None once there is nothing left to remind of (no occurrence
    left, the event cancelled, its reminders off, or a later version of them running)."""
    if record.reminders_version != version or record.status != "SCHEDULED" or record.remind_hours_before is None:
        return None
    start = recurrence.next_start(record.rrule, record.starts_at, record.exdates or [], max(after, now))
    if start is None:
        return None
    due = start - timedelta(hours=record.remind_hours_before)
    if due > now:
        return after, due
    await remind(ctx, record, start)
    return start, now

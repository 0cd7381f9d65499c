"""Calendar events: scheduling, changing, cancelling (an event, or one occurrence of a recurring one), and the
occurrences in a window as each caller sees them.

With `notify`, creating an event, changing its time (start, end or rule) and cancelling it or one occurrence tell
its audience (`audience.py`: the owners for an OWNERS event, the board for a BOARD one) once per change: each such
change counts the event's `revision` up, and the outbox's dedupe key names the event, the revision and the user, so
a retried request never tells anyone twice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.bulletin import kinds, lifecycle, recurrence, repository, workflows
from hestami.cam.bulletin.errors import BulletinReason, rule
from hestami.cam.bulletin.models import CalendarEvent
from hestami.cam.bulletin.schemas import (
    CancelEvent,
    CancelOccurrence,
    CreateEvent,
    EventOut,
    EventsOut,
    ListEvents,
    ListOccurrences,
    OccurrenceOut,
    OccurrencesOut,
    UpdateEvent,
)
from hestami.cam.bulletin.services import audience, reminders
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError, check_transition
from hestami.core.pagination import PageRequest

KIND = kinds.CALENDAR_EVENT
TIME_FIELDS = ("starts_at", "ends_at", "rrule")


def event_out(record: CalendarEvent) -> EventOut:
    return records.output(EventOut, record, exdates=sorted(record.exdates or []))


def _invalid_rule(error: recurrence.InvalidRule) -> HestamiError:
    return HestamiError(
        ErrorCode.VALIDATION_FAILED,
        field_errors=[FieldError("/rrule", f"Not a recurrence rule this calendar accepts: {error}", "rrule_invalid")],
    )


def _checked_rule(text: str | None, starts_at: datetime) -> str | None:
    if text is None:
        return None
    try:
        return recurrence.validate(text, starts_at)
    except recurrence.InvalidRule as error:
        raise _invalid_rule(error) from None


async def _check_area(ctx: RequestContext, area_id: uuid.UUID | None, association_id: uuid.UUID) -> None:
    """A common area the caller may see (NOT_FOUND otherwise), of the event's association (WRONG_ASSOCIATION)."""
    if area_id is None:
        return
    area = await association.load_common_area(ctx, area_id)
    if area.association_id != association_id:
        raise rule(
            BulletinReason.WRONG_ASSOCIATION,
            "The common area belongs to another association.",
            common_area_id=str(area_id),
        )


async def _tell(ctx: RequestContext, record: CalendarEvent, what: str, **extra: Any) -> int:
    """Tells the event's audience of `what` happened to it at its current revision, once."""
    users = await audience.recipients(ctx, record.association_id, record.visibility, reminders.category(record))
    payload = {
        "event_id": str(record.id),
        "association_id": str(record.association_id),
        "change": what,
        "title": record.title,
        "event_type": record.event_type,
        "starts_at": record.starts_at.isoformat(),
        "ends_at": record.ends_at.isoformat(),
        "all_day": record.all_day,
        "location": record.location,
        "rrule": record.rrule,
        "revision": record.revision,
        "cancel_reason": record.cancel_reason,
        **extra,
    }
    notice = audience.Notice(
        template=f"calendar_event.{what.lower()}",
        payload=payload,
        entity_type=KIND.name,
        entity_id=record.id,
        dedupe_key=lambda user_id: f"calendar_event:{record.id}:r{record.revision}:{user_id}",
    )
    return await audience.tell(ctx, users, notice)


async def create(ctx: RequestContext, data: CreateEvent) -> EventOut:
    """An event of the association's calendar; its audience is told when `notify` says so."""
    await association.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, KIND, "create")  # before the rule's validation does any work
    await _check_area(ctx, data.common_area_id, data.association_id)
    record = CalendarEvent(
        association_id=data.association_id, title=data.title, description=data.description,
        event_type=data.event_type, starts_at=data.starts_at, ends_at=data.ends_at, all_day=data.all_day,
        location=data.location, common_area_id=data.common_area_id, rrule=_checked_rule(data.rrule, data.starts_at),
        exdates=[], visibility=data.visibility, status="SCHEDULED", revision=1,
        remind_hours_before=data.remind_hours_before, reminders_version=1, created_by=ctx.user_id,
    )  # fmt: skip
    record = await records.create(ctx, KIND, record)
    if data.notify:
        await _tell(ctx, record, "CREATED")
    await _restart_reminders(ctx, record, None)
    return event_out(record)


async def get(ctx: RequestContext, event_id: uuid.UUID) -> EventOut:
    return event_out(await records.load(ctx, KIND, event_id))


async def list_events(ctx: RequestContext, data: ListEvents) -> EventsOut:
    """The events (series) the caller sees, by start."""
    filters: list[Any] = []
    for column, value in (
        (CalendarEvent.association_id, data.association_id),
        (CalendarEvent.event_type, data.event_type),
        (CalendarEvent.status, data.status),
        (CalendarEvent.visibility, data.visibility),
    ):
        if value is not None:
            filters.append(column == value)
    visible = await records.visible(ctx, KIND)
    page = PageRequest(limit=data.limit, cursor=data.cursor)
    rows, cursor = await repository.calendar_page(ctx.session, visible, filters, page)
    return EventsOut(items=[event_out(row) for row in rows], next_cursor=cursor)


async def _restart_reminders(ctx: RequestContext, record: CalendarEvent, previous: int | None) -> None:
    """Starts the reminders of the event's current `reminders_version` (if it has reminders), and wakes those of
    the `previous` version once this transaction has committed, so they end."""
    if record.remind_hours_before is not None and record.status == "SCHEDULED":
        await workflows.start_reminders(record.organization_id, record.id, record.reminders_version)
    if previous is not None:
        ended = lifecycle.reminders_workflow_id(record.id, previous)
        ctx.after_commit(lambda: workflows.wake_reminders(ended))


def _scheduled(record: CalendarEvent) -> None:
    if record.status == "CANCELLED":
        raise rule(BulletinReason.EVENT_CANCELLED, "The event is cancelled.")


async def update(ctx: RequestContext, data: UpdateEvent) -> EventOut:
    """Changes an event; a change of its time (start, end, rule) is a new revision, told when `notify` says so."""
    record = await records.load(ctx, KIND, data.id, "update", lock=True)
    _scheduled(record)
    changes = records.changes_of(data, exclude=("id", "notify"))
    for name in ("title", "event_type", "starts_at", "ends_at", "all_day", "visibility"):
        if name in changes and changes[name] is None:
            del changes[name]  # not to be cleared: null is "unchanged"
    if changes.get("common_area_id") is not None:
        await _check_area(ctx, changes["common_area_id"], record.association_id)
    starts_at, ends_at = changes.get("starts_at", record.starts_at), changes.get("ends_at", record.ends_at)
    if ends_at <= starts_at:
        raise rule(BulletinReason.ENDS_BEFORE_START, "The event would end before it starts.")
    if ends_at - starts_at > recurrence.MAX_DURATION:
        raise rule(BulletinReason.TOO_LONG, "An event lasts at most 366 days (make it recur instead).")
    rule_text = changes.get("rrule", record.rrule)
    if "rrule" in changes or "starts_at" in changes:
        changes["rrule"] = _checked_rule(rule_text, starts_at)
    retimed = any(name in changes and changes[name] != getattr(record, name) for name in TIME_FIELDS)
    if retimed:
        changes["revision"] = record.revision + 1
    previous = record.reminders_version
    restart = retimed or changes.get("remind_hours_before", record.remind_hours_before) != record.remind_hours_before
    if restart:
        changes["reminders_version"] = previous + 1
    record = await records.change(ctx, KIND, record, changes)
    if retimed and data.notify:
        await _tell(ctx, record, "RESCHEDULED")
    if restart:
        await _restart_reminders(ctx, record, previous)
    return event_out(record)


async def cancel(ctx: RequestContext, data: CancelEvent) -> EventOut:
    """Cancels the event (every occurrence); told when `notify` says so."""
    record = await records.load(ctx, KIND, data.id, "cancel", lock=True)
    check_transition(KIND.name, lifecycle.EVENT_MOVES, record.status, "CANCELLED")
    previous = record.reminders_version
    changes = {
        "status": "CANCELLED", "cancelled_at": datetime.now(UTC), "cancel_reason": data.reason,
        "revision": record.revision + 1, "reminders_version": previous + 1,
    }  # fmt: skip
    record = await records.change(ctx, KIND, record, changes, action="cancelled")
    if data.notify:
        await _tell(ctx, record, "CANCELLED")
    await _restart_reminders(ctx, record, previous)
    return event_out(record)


async def cancel_occurrence(ctx: RequestContext, data: CancelOccurrence) -> EventOut:
    """Cancels one occurrence of a recurring event (it is left out of the occurrences); told when `notify` says so."""
    record = await records.load(ctx, KIND, data.id, "update", lock=True)
    _scheduled(record)
    if record.rrule is None:
        raise rule(BulletinReason.NOT_RECURRING, "The event does not recur: cancel the event instead.")
    moment = data.occurrence_starts_at
    if any(moment == cancelled for cancelled in record.exdates or []):
        raise rule(BulletinReason.OCCURRENCE_CANCELLED, "That occurrence is cancelled already.")
    if not recurrence.is_occurrence(record.rrule, record.starts_at, moment):
        raise rule(
            BulletinReason.NOT_AN_OCCURRENCE,
            "The event has no occurrence starting then.",
            occurrence_starts_at=moment.isoformat(),
        )
    changes = {"exdates": sorted([*(record.exdates or []), moment]), "revision": record.revision + 1}
    record = await records.change(ctx, KIND, record, changes, action="occurrence_cancelled")
    if data.notify:
        await _tell(ctx, record, "OCCURRENCE_CANCELLED", occurrence_starts_at=moment.isoformat())
    return event_out(record)


def _occurrence(record: CalendarEvent, starts_at: datetime, ends_at: datetime) -> OccurrenceOut:
    return OccurrenceOut(
        event_id=record.id, starts_at=starts_at, ends_at=ends_at, title=record.title, event_type=record.event_type,
        all_day=record.all_day, location=record.location, common_area_id=record.common_area_id,
        visibility=record.visibility, recurring=record.rrule is not None,
    )  # fmt: skip


async def occurrences(ctx: RequestContext, data: ListOccurrences) -> OccurrencesOut:
    """The occurrences of the association's scheduled events the caller sees that overlap [from, to), in order (by
    start, then event), the cancelled ones left out; at most `MAX_OCCURRENCES` (the earliest)."""
    await association.load_association(ctx, data.association_id)
    visible = await records.visible(ctx, KIND)
    scheduled = await repository.events_around(
        ctx.session, visible, data.association_id, data.window_from, data.window_to, data.event_type
    )
    found = [
        _occurrence(record, starts_at, ends_at)
        for record in scheduled
        for starts_at, ends_at in recurrence.occurrences(
            record.rrule, record.starts_at, record.ends_at, record.exdates or [], data.window_from, data.window_to
        )
    ]
    found.sort(key=lambda occurrence: (occurrence.starts_at, str(occurrence.event_id)))
    truncated = len(found) > recurrence.MAX_OCCURRENCES
    return OccurrencesOut(items=found[: recurrence.MAX_OCCURRENCES], truncated=truncated)

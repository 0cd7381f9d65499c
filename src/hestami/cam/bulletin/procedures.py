"""The procedures of the community bulletin: `communication/announcement/v1/*`, `calendar/event/v1/*`."""

from __future__ import annotations

from hestami.cam.bulletin import workflows as workflows
from hestami.cam.bulletin.schemas import (
    AnnouncementOut,
    AnnouncementsOut,
    ById,
    CancelEvent,
    CancelOccurrence,
    CreateAnnouncement,
    CreateEvent,
    EventOut,
    EventsOut,
    ListAnnouncements,
    ListEvents,
    ListOccurrences,
    ListReaders,
    OccurrencesOut,
    PublishAnnouncement,
    ReadersOut,
    ReadOut,
    UpdateAnnouncement,
    UpdateEvent,
)
from hestami.cam.bulletin.services import announcements, events
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter

announcement = ProcedureRouter("communication/announcement", tags=("bulletin",))
event = ProcedureRouter("calendar/event", tags=("bulletin",))


# --- announcements -----------------------------------------------------------------------------------------------


@announcement.mutation("create")
async def create_announcement(ctx: RequestContext, data: CreateAnnouncement) -> AnnouncementOut:
    """Write an announcement for the association's bulletin (managers): `title`, `body`, `category` (GENERAL,
    NEWSLETTER, ANNOUNCEMENT, EVENT, MAINTENANCE, DELINQUENCY, MEETING, EMERGENCY), `audience` (OWNERS: the owners
    and tenants of the association, its board and the managers; BOARD: the board and the managers), `publish_at`
    (when it shows; may be ahead), `expires_at` (when it stops showing, after `publish_at`) and `pinned` (shown
    first). It is a DRAFT unless `publish` is true: then it is published as by `publish`."""
    return await announcements.create(ctx, data)


@announcement.query("get")
async def get_announcement(ctx: RequestContext, data: ById) -> AnnouncementOut:
    """One announcement: `state` says whether it is a DRAFT, SCHEDULED (published, not showing yet), CURRENT,
    EXPIRED or WITHDRAWN; `read_at` when the caller read it; `read_count` for managers. Owners and tenants see only
    CURRENT announcements for OWNERS of their association, the board every published one; anything else is
    NOT_FOUND."""
    return await announcements.get(ctx, data.id)


@announcement.query("list")
async def list_announcements(ctx: RequestContext, data: ListAnnouncements) -> AnnouncementsOut:
    """The bulletin: pinned announcements first, then the newest. Owners and tenants get the current ones for
    owners of the associations where they own or rent; the board every published one of its association; managers
    everything (drafts, scheduled, expired and withdrawn ones, with `read_count`). Filters: `association_id`,
    `state`, `audience`, `category`, `pinned`. Each item carries the caller's `read_at`."""
    return await announcements.list_announcements(ctx, data)


@announcement.mutation("update")
async def update_announcement(ctx: RequestContext, data: UpdateAnnouncement) -> AnnouncementOut:
    """Edit an announcement (managers); only the fields sent change (`expires_at` null removes the expiry; a
    published one keeps its `publish_at`: NOT_EDITABLE). An expiry not after the publish time is
    EXPIRES_BEFORE_PUBLISH; an expiry in the past takes a published announcement down as EXPIRED. Nobody is told of
    an edit; a scheduled announcement moved to show now tells its audience now."""
    return await announcements.update(ctx, data)


@announcement.mutation("publish")
async def publish_announcement(ctx: RequestContext, data: PublishAnnouncement) -> AnnouncementOut:
    """Publish a draft, or a withdrawn announcement again (managers). It shows from `publish_at` (default: its
    planned time if still ahead, else now) until its expiry; one whose expiry has passed is ALREADY_EXPIRED, one
    that is published already INVALID_STATE_TRANSITION. Its audience (the association's owners with an account, but
    those who opted out of its category unless it is an official notice, for OWNERS; the seated directors for
    BOARD) gets one PORTAL message each when it starts to show (at once, or at `publish_at` through the workflow
    `announcementPublication_v1`), and never a second one: not after an update, nor when it is published again."""
    return await announcements.publish(ctx, data)


@announcement.mutation("withdraw")
async def withdraw_announcement(ctx: RequestContext, data: ById) -> AnnouncementOut:
    """Take an announcement down, or discard a draft (managers): it no longer shows to owners and the board;
    who read it stays on record. It can be published again."""
    return await announcements.withdraw(ctx, data.id)


@announcement.mutation("markRead")
async def mark_announcement_read(ctx: RequestContext, data: ById) -> ReadOut:
    """Record that the caller read a CURRENT announcement (whoever may see it; NOT_PUBLISHED for one that does not
    show now). Idempotent: marking it again answers the first `read_at`."""
    return await announcements.mark_read(ctx, data.id)


@announcement.query("readers")
async def announcement_readers(ctx: RequestContext, data: ListReaders) -> ReadersOut:
    """Who read the announcement and when, first reader first, and how many (managers)."""
    return await announcements.readers(ctx, data)


# --- calendar events ---------------------------------------------------------------------------------------------


@event.mutation("create")
async def create_event(ctx: RequestContext, data: CreateEvent) -> EventOut:
    """Put an event on the association's calendar (managers): `title`, `description`, `event_type` (MEETING,
    MAINTENANCE, AMENITY_CLOSURE, SOCIAL, DEADLINE, OTHER), `starts_at` and `ends_at` (after it), `all_day`,
    `location`, `common_area_id` (a common area of the same association: WRONG_ASSOCIATION otherwise),
    `visibility` (OWNERS: owners, tenants, the board and managers; BOARD: the board and managers) and optionally an
    RFC 5545 `rrule` recurring from `starts_at` in UTC (FREQ DAILY, WEEKLY, MONTHLY or YEARLY with INTERVAL, COUNT,
    UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, WKST; a rule that gives no occurrence is VALIDATION_FAILED on
    `rrule`). With `notify`, its audience gets one PORTAL message each; with `remind_hours_before` (1 to 720), one
    PORTAL reminder each that long before every occurrence (the workflow `calendarEventReminders_v1`)."""
    return await events.create(ctx, data)


@event.query("get")
async def get_event(ctx: RequestContext, data: ById) -> EventOut:
    """One event (a recurring one is its series: `rrule`, and `exdates` for the occurrences cancelled). Owners and
    tenants see the events for OWNERS of their association, the board all of its association's."""
    return await events.get(ctx, data.id)


@event.query("list")
async def list_events(ctx: RequestContext, data: ListEvents) -> EventsOut:
    """The events the caller sees, by start: filters `association_id`, `event_type`, `status`, `visibility`. For
    what happens when, use `occurrences`."""
    return await events.list_events(ctx, data)


@event.mutation("update")
async def update_event(ctx: RequestContext, data: UpdateEvent) -> EventOut:
    """Change a scheduled event (managers; EVENT_CANCELLED for a cancelled one); only the fields sent change
    (`common_area_id`, `rrule`, `description`, `location`, `remind_hours_before` null clear them). A change of its
    time (`starts_at`, `ends_at`, `rrule`) counts its `revision` up and, with `notify`, tells its audience once; its
    reminders follow the new time."""
    return await events.update(ctx, data)


@event.mutation("cancel")
async def cancel_event(ctx: RequestContext, data: CancelEvent) -> EventOut:
    """Cancel an event with every occurrence (managers), with an optional `reason`; with `notify`, its audience is
    told once. Cancelled events stay visible, marked CANCELLED, and have no occurrences."""
    return await events.cancel(ctx, data)


@event.mutation("cancelOccurrence")
async def cancel_occurrence(ctx: RequestContext, data: CancelOccurrence) -> EventOut:
    """Cancel one occurrence of a recurring event (managers): `occurrence_starts_at` must be the start of one
    (NOT_AN_OCCURRENCE; NOT_RECURRING for an event without a rule; OCCURRENCE_CANCELLED when it is already); it
    joins the event's `exdates`. With `notify`, its audience is told once."""
    return await events.cancel_occurrence(ctx, data)


@event.query("occurrences")
async def event_occurrences(ctx: RequestContext, data: ListOccurrences) -> OccurrencesOut:
    """What happens when in a window `[from, to)` (at most 400 days) of the association's calendar: every
    occurrence (`event_id`, `starts_at`, `ends_at`, ...) of the scheduled events the caller sees that overlaps the
    window, recurring ones expanded in UTC, cancelled occurrences left out, in order of start; at most 500 (the
    earliest; `truncated` says there were more)."""
    return await events.occurrences(ctx, data)


ROUTERS: list[ProcedureRouter] = [announcement, event]

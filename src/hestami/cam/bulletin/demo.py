"""The demo bulletin (Sunset Ridge): announcements (the pool season's, pinned and read by Olivia Owner; a
maintenance notice; the newsletter; last winter's contest results, expired; next week's annual meeting packet,
scheduled; an executive-session notice for the board; a draft) and the calendar (the board's monthly meeting on the
second Tuesday, reminded a day ahead; a five-day pool closure at the pool; the fall chili cook-off at the clubhouse,
reminded two days ahead; weekly trash pickup with one week cancelled; a board-only budget workshop); the records are
in `demo_data.py`.

Runs after the association and governance seeders, through the bulletin's services in scoped transactions like any
request: the manager (the demo admin where the manager is not a member) writes, publishes and schedules; Olivia
marks the pool notice read. Announcements that show at once tell the owners (and the board, for the board's) on the
portal, as do the closure and the cook-off; the scheduled packet tells them on its day (`announcementPublication_v1`)
and the reminders go out on theirs (`calendarEventReminders_v1`), both recovered by the API's DBOS. An association
that already has announcements is skipped whole, so `hestami dev` can run this on every start.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from hestami.cam.association import api as association
from hestami.cam.bulletin import recurrence
from hestami.cam.bulletin.demo_data import ASSOCIATION, EVENTS, LOCAL, NOTICES, SHORT, SLUG, Happening, Notice
from hestami.cam.bulletin.schemas import (
    CancelOccurrence,
    CreateAnnouncement,
    CreateEvent,
    ListAnnouncements,
    UpdateAnnouncement,
)
from hestami.cam.bulletin.services import announcements, events
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


def _local(day: date, spec: Happening) -> datetime:
    """The event's (first) start: its local time on `day`, in UTC."""
    return datetime.combine(day, spec.at, tzinfo=LOCAL).astimezone(UTC)


def _second_tuesday(month_start: date) -> date:
    return month_start + timedelta(days=(1 - month_start.weekday()) % 7 + 7)


def _next_second_tuesday(today: date) -> date:
    """This month's second Tuesday if it is still ahead, else next month's."""
    this_month = _second_tuesday(today.replace(day=1))
    if this_month >= today:
        return this_month
    return _second_tuesday((today.replace(day=1) + timedelta(days=32)).replace(day=1))


async def _announce(ctx: RequestContext, association_id: uuid.UUID, spec: Notice, now: datetime) -> uuid.UUID:
    shows = now + timedelta(days=spec.published_days) if spec.published_days is not None else None
    expires = shows + timedelta(days=spec.expires_days) if shows is not None and spec.expires_days else None
    data = CreateAnnouncement.model_validate(
        {
            "association_id": association_id, "title": spec.title, "body": spec.body, "category": spec.category,
            "audience": spec.audience, "publish_at": shows, "expires_at": expires, "pinned": spec.pinned,
            "publish": shows is not None,
        }
    )  # fmt: skip
    made = await announcements.create(ctx, data)
    if spec.expired_days is not None:
        gone = UpdateAnnouncement(id=made.id, expires_at=now - timedelta(days=spec.expired_days))
        await announcements.update(ctx, gone)
    return made.id


async def _schedule(ctx: RequestContext, association_id: uuid.UUID, spec: Happening, today: date) -> str:
    areas = {area.name: area.id for area in await association.common_areas_of(ctx, association_id)}
    day = _next_second_tuesday(today) if spec.rrule == "FREQ=MONTHLY;BYDAY=2TU" else today + timedelta(days=spec.days)
    starts = _local(day, spec)
    data = CreateEvent.model_validate(
        {
            "association_id": association_id, "title": spec.title, "description": spec.description,
            "event_type": spec.event_type, "starts_at": starts, "ends_at": starts + timedelta(hours=spec.hours),
            "all_day": spec.all_day, "location": spec.location,
            "common_area_id": areas.get(spec.area) if spec.area else None, "rrule": spec.rrule,
            "visibility": spec.visibility, "notify": spec.notify, "remind_hours_before": spec.remind_hours,
        }
    )  # fmt: skip
    made = await events.create(ctx, data)
    if spec.skip is not None and made.rrule is not None:
        window_end = starts + timedelta(days=recurrence.MAX_WINDOW_DAYS)
        found = recurrence.occurrences(made.rrule, made.starts_at, made.ends_at, [], starts, window_end, spec.skip + 1)
        await events.cancel_occurrence(ctx, CancelOccurrence(id=made.id, occurrence_starts_at=found[spec.skip][0]))
    return spec.title


class _Seeder(DemoCast):
    async def load(self) -> str:
        if SLUG not in self.orgs:
            return f"  {SHORT}: skipped, organization {SLUG} is missing"
        keeper = await self.keeper(SLUG)
        async with self.acting(keeper, SLUG) as ctx:
            found = await association.association_named(ctx, ASSOCIATION)
            if found is None:
                return f"  {SHORT}: skipped, the association is missing"
            existing = await announcements.list_announcements(ctx, ListAnnouncements(association_id=found.id, limit=1))
            if existing.items:
                return f"  {SHORT}: already loaded (has announcements)"
        now = datetime.now(UTC)
        read: list[uuid.UUID] = []
        for spec in NOTICES:
            async with self.acting(keeper, SLUG) as ctx:
                made = await _announce(ctx, found.id, spec, now)
            if spec.read_by_owner:
                read.append(made)
        readers = 0
        if await self.member("owner", SLUG):
            for announcement_id in read:
                async with self.acting("owner", SLUG) as ctx:
                    await announcements.mark_read(ctx, announcement_id)
                readers += 1
        today = datetime.now(LOCAL).date()
        for happening in EVENTS:
            async with self.acting(keeper, SLUG) as ctx:
                await _schedule(ctx, found.id, happening, today)
        return (
            f"  {SHORT}: {len(NOTICES)} announcements (1 pinned, 1 expired, 1 scheduled, 1 for the board, 1 draft; "
            f"{readers} read by owner@), {len(EVENTS)} calendar events (the monthly board meeting, a pool closure, "
            f"a social, weekly trash pickup with a week cancelled, a board-only workshop)"
        )


@demo_seed("bulletin", order=120)
async def seed_bulletin(runtime: Runtime) -> list[str]:
    seeder = await _Seeder.gather(runtime)
    if seeder is None:
        return ["demo bulletin: skipped, the demo admin does not exist"]
    return ["demo bulletin:", await seeder.load()]

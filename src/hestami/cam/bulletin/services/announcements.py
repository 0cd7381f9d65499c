"""Announcements: writing, publishing (now or at a later time), withdrawing, the bulletin as each caller sees it,
and who read what.

Publishing tells the audience once (`publication.py`): at once when it shows at once, else when it starts to show
(`announcementPublication_v1`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.bulletin import kinds, lifecycle, repository, workflows
from hestami.cam.bulletin.errors import BulletinReason, rule
from hestami.cam.bulletin.models import Announcement
from hestami.cam.bulletin.schemas import (
    AnnouncementOut,
    AnnouncementsOut,
    CreateAnnouncement,
    ListAnnouncements,
    ListReaders,
    PublishAnnouncement,
    ReaderOut,
    ReadersOut,
    ReadOut,
    UpdateAnnouncement,
)
from hestami.cam.bulletin.services import publication
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.pagination import PageRequest

KIND = kinds.ANNOUNCEMENT


def _now() -> datetime:
    return datetime.now(UTC)


def announcement_out(
    record: Announcement, read_at: datetime | None = None, read_count: int | None = None
) -> AnnouncementOut:
    state = lifecycle.state(record.status, record.publish_at, record.expires_at, _now())
    return records.output(AnnouncementOut, record, state=state, read_at=read_at, read_count=read_count)


async def _out(ctx: RequestContext, record: Announcement) -> AnnouncementOut:
    """The announcement with the caller's read and, for those who may see its readers, the read count."""
    read_at = (await repository.reads_of(ctx.session, [record.id], ctx.user_id)).get(record.id)
    count = None
    if await records.can(ctx, KIND, record, "view_readers"):
        count = (await repository.read_counts(ctx.session, [record.id])).get(record.id, 0)
    return announcement_out(record, read_at, count)


def _check_dates(publish_at: datetime | None, expires_at: datetime | None) -> None:
    if publish_at is not None and expires_at is not None and expires_at <= publish_at:
        raise rule(
            BulletinReason.EXPIRES_BEFORE_PUBLISH,
            "The announcement would expire before it shows: expires_at must be after publish_at.",
        )


async def _publish(ctx: RequestContext, record: Announcement, publish_at: datetime | None) -> Announcement:
    """Publishes a loaded (locked, authorized) announcement: it shows from `publish_at` (default: its planned time if
    still ahead, else now). Tells the audience now if it shows now; else starts the workflow that will."""
    check_transition(KIND.name, lifecycle.ANNOUNCEMENT_MOVES, record.status, "PUBLISHED")
    now = _now()
    planned = record.publish_at if record.publish_at is not None and record.publish_at > now else None
    at = publish_at or planned or now
    if record.expires_at is not None and record.expires_at <= now:
        raise rule(
            BulletinReason.ALREADY_EXPIRED,
            "The announcement's expiry has passed; set a later expires_at (or none) to publish it.",
            expires_at=record.expires_at.isoformat(),
        )
    _check_dates(at, record.expires_at)
    changes = {"status": "PUBLISHED", "publish_at": at, "published_at": now, "withdrawn_at": None}
    record = await records.change(ctx, KIND, record, changes, action="published")
    if at <= now:
        await publication.notify(ctx, record)
    elif record.notified_at is None:
        await workflows.start(record.organization_id, record.id, now)
    return record


async def create(ctx: RequestContext, data: CreateAnnouncement) -> AnnouncementOut:
    """A draft of the association's bulletin, published at once when `publish` says so."""
    await association.load_association(ctx, data.association_id)
    record = Announcement(
        association_id=data.association_id, title=data.title, body=data.body, category=data.category,
        audience=data.audience, status="DRAFT", publish_at=data.publish_at, expires_at=data.expires_at,
        pinned=data.pinned, created_by=ctx.user_id,
    )  # fmt: skip
    record = await records.create(ctx, KIND, record)
    if data.publish:
        await records.authorize_record(ctx, KIND, record, "publish")
        record = await _publish(ctx, record, data.publish_at)
    return await _out(ctx, record)


async def get(ctx: RequestContext, announcement_id: uuid.UUID) -> AnnouncementOut:
    return await _out(ctx, await records.load(ctx, KIND, announcement_id))


async def list_announcements(ctx: RequestContext, data: ListAnnouncements) -> AnnouncementsOut:
    filters: list[Any] = []
    if data.association_id is not None:
        filters.append(Announcement.association_id == data.association_id)
    if data.state is not None:
        filters.append(lifecycle.state_column(Announcement) == data.state)
    for column, value in (
        (Announcement.audience, data.audience),
        (Announcement.category, data.category),
        (Announcement.pinned, data.pinned),
    ):
        if value is not None:
            filters.append(column == value)
    visible = await records.visible(ctx, KIND)
    readers_visible = await records.visible(ctx, KIND, "view_readers")
    page = PageRequest(limit=data.limit, cursor=data.cursor)
    rows, cursor = await repository.bulletin_page(ctx.session, visible, readers_visible, filters, page)
    ids = [record.id for record, _ in rows]
    reads = await repository.reads_of(ctx.session, ids, ctx.user_id)
    counts = await repository.read_counts(ctx.session, [record.id for record, counted in rows if counted])
    items = [
        announcement_out(record, reads.get(record.id), counts.get(record.id, 0) if counted else None)
        for record, counted in rows
    ]
    return AnnouncementsOut(items=items, next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateAnnouncement) -> AnnouncementOut:
    """Edits an announcement (a withdrawn one too, before it is published again); nobody is told again."""
    record = await records.load(ctx, KIND, data.id, "update", lock=True)
    changes = records.changes_of(data)
    for name in ("title", "body", "category", "audience", "pinned"):
        if name in changes and changes[name] is None:
            del changes[name]
    if "publish_at" in changes and changes["publish_at"] is None and record.status == "PUBLISHED":
        raise rule(BulletinReason.NOT_EDITABLE, "A published announcement keeps its publish_at; withdraw it instead.")
    _check_dates(changes.get("publish_at", record.publish_at), changes.get("expires_at", record.expires_at))
    rescheduled = "publish_at" in changes and changes["publish_at"] != record.publish_at
    record = await records.change(ctx, KIND, record, changes)
    if rescheduled and record.status == "PUBLISHED" and record.notified_at is None:
        if record.publish_at is not None and record.publish_at <= _now():
            await publication.notify(ctx, record)
        elif record.published_at is not None:
            workflow_id = lifecycle.announcement_workflow_id(record.id, record.published_at)
            ctx.after_commit(lambda: workflows.signal(workflow_id))
    return await _out(ctx, record)


async def publish(ctx: RequestContext, data: PublishAnnouncement) -> AnnouncementOut:
    """Publishes a draft, or a withdrawn announcement again (INVALID_STATE_TRANSITION when it is published)."""
    record = await records.load(ctx, KIND, data.id, "publish", lock=True)
    return await _out(ctx, await _publish(ctx, record, data.publish_at))


async def withdraw(ctx: RequestContext, announcement_id: uuid.UUID) -> AnnouncementOut:
    """Takes an announcement down (or discards a draft); its readers stay on record."""
    record = await records.load(ctx, KIND, announcement_id, "withdraw", lock=True)
    check_transition(KIND.name, lifecycle.ANNOUNCEMENT_MOVES, record.status, "WITHDRAWN")
    changes = {"status": "WITHDRAWN", "withdrawn_at": _now()}
    return await _out(ctx, await records.change(ctx, KIND, record, changes, action="withdrawn"))


async def mark_read(ctx: RequestContext, announcement_id: uuid.UUID) -> ReadOut:
    """Records that the caller read a current announcement; again changes nothing and answers the first time."""
    record = await records.load(ctx, KIND, announcement_id)
    if lifecycle.state(record.status, record.publish_at, record.expires_at, _now()) != "CURRENT":
        raise rule(BulletinReason.NOT_PUBLISHED, "Only an announcement that shows now can be read.")
    await records.authorize_record(ctx, KIND, record, "mark_read")
    user_id = ctx.user_id
    if user_id is None or ctx.principal is None:  # org-scoped procedures always have a caller
        raise RuntimeError("mark_read needs a caller")
    read_at = await repository.mark_read(ctx.session, ctx.require_org(), record.id, user_id, ctx.principal.email)
    return ReadOut(announcement_id=record.id, read_at=read_at)


async def readers(ctx: RequestContext, data: ListReaders) -> ReadersOut:
    """Who read the announcement and when, first reader first, with the count."""
    record = await records.load(ctx, KIND, data.id, "view_readers")
    page = PageRequest(limit=data.limit, cursor=data.cursor)
    rows, cursor = await repository.readers_page(ctx.session, record.id, page)
    count = (await repository.read_counts(ctx.session, [record.id])).get(record.id, 0)
    items = [ReaderOut.model_validate(row) for row in rows]
    return ReadersOut(items=items, next_cursor=cursor, read_count=count)

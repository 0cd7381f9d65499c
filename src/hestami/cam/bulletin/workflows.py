"""The bulletin's workflows: `announcementPublication_v1` tells an announcement's audience when a publication
scheduled for later starts to show; `calendarEventReminders_v1` reminds an event's audience ahead of each occurrence.

`announcementPublication_v1` is started (id `announcement:<id>:published:<published_at>:v1`, one per publication)
when an announcement is published to show later, before that transaction commits; its first turn waits (retrying)
until the publication is visible. Each turn is one step in one transaction on the locked announcement
(`services.publication.turn`): it tells the audience once the publish time has come and ends; it ends without
telling anyone when the announcement was withdrawn or published again (that publication has its own workflow) or
its audience was told already. Between turns it waits for the publish time as the durable timeout of `recv` (at
most `POLL_SECONDS`, in case the time moved and the wake-up was lost), or for a wake-up (the publish time changed).

`calendarEventReminders_v1` is started (id `calendarEvent:<id>:reminders:<reminders_version>:v1`) when an event
with `remind_hours_before` is created, and again, under the next version, whenever its time or reminder changes
(the earlier version's workflow is woken and ends). Each turn (`services.reminders.turn`, on the locked event)
reminds of the next occurrence once its reminder is due and moves on; between turns it waits for the next reminder
as the durable timeout of `recv`. It ends when no occurrence is left, or the event is cancelled.

A turn that committed but whose completion DBOS had not recorded (kill -9) runs again and finds its work done:
`notified_at`, and the outbox's dedupe keys (per announcement and user; per event, occurrence and user), hold it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.bulletin import lifecycle, repository
from hestami.cam.bulletin.services import publication, reminders
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.bulletin.announcements")
WORKFLOW_NAME = "announcementPublication_v1"
TOPIC = "announcement"
REMINDERS_NAME = "calendarEventReminders_v1"
REMINDERS_TOPIC = "calendar_event"
POLL_SECONDS = 3600.0
"""The longest a workflow waits between turns (a lost wake-up delays a change no longer than this)."""


class PublicationNotVisibleError(workflows.NotCommittedYet):
    """The publishing transaction has not committed (yet), or rolled back; the step retries."""


class EventNotVisibleError(workflows.NotCommittedYet):
    """The transaction that created or changed the event has not committed (yet), or rolled back; the step
    retries."""


RETRIES = workflows.step_retries(PublicationNotVisibleError)
EVENT_RETRIES = workflows.step_retries(EventNotVisibleError)


def _wait_until(moment: datetime) -> float:
    return min(max(0.0, (moment - datetime.now(UTC)).total_seconds()), POLL_SECONDS)


@DBOS.step(name="announcementPublicationTurn", **RETRIES)
async def turn(organization_id: str, announcement_id: str, published_at: str) -> str | None:
    """When to look again (ISO time), or None once the workflow is done."""
    published = datetime.fromisoformat(published_at)
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        record = await repository.announcement(ctx.session, uuid.UUID(announcement_id), lock=True)
        if record is None or record.published_at is None or record.published_at < published:
            raise PublicationNotVisibleError(announcement_id)
        told_before = record.notified_at is not None
        wake_at = await publication.turn(ctx, record, published)
        told = not told_before and record.notified_at is not None
    if told:
        log.info("announcement_audience_told", announcement_id=announcement_id)
    return wake_at.isoformat() if wake_at is not None else None


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def announcement_publication_v1(organization_id: str, announcement_id: str, published_at: str) -> str:
    while (wake_at := await turn(organization_id, announcement_id, published_at)) is not None:
        await DBOS.recv_async(TOPIC, timeout_seconds=_wait_until(datetime.fromisoformat(wake_at)))
    return "DONE"


async def start(organization_id: uuid.UUID, announcement_id: uuid.UUID, published_at: datetime) -> None:
    """Idempotent: the workflow id is derived from the publication."""
    with SetWorkflowID(lifecycle.announcement_workflow_id(announcement_id, published_at)):
        await DBOS.start_workflow_async(
            announcement_publication_v1, str(organization_id), str(announcement_id), published_at.isoformat()
        )


async def signal(workflow_id: str) -> None:
    """Wakes a publication's workflow after its publish time changed (a lost wake-up only delays it until its
    next poll)."""
    workflows.wakeups.post(workflow_id, TOPIC, {"changed": True})


@DBOS.step(name="calendarEventReminderTurn", **EVENT_RETRIES)
async def reminder_turn(organization_id: str, event_id: str, version: int, after: str) -> dict[str, str] | None:
    """The new `after` and when to look again, or None once the workflow is done."""
    async with acting(runtime.current(), procedure=REMINDERS_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        record = await repository.event(ctx.session, uuid.UUID(event_id), lock=True)
        if record is None or record.reminders_version < version:
            raise EventNotVisibleError(event_id)
        step = await reminders.turn(ctx, record, version, datetime.fromisoformat(after), datetime.now(UTC))
    if step is None:
        return None
    return {"after": step[0].isoformat(), "wake_at": step[1].isoformat()}


@DBOS.workflow(name=REMINDERS_NAME, max_recovery_attempts=100_000)
async def calendar_event_reminders_v1(organization_id: str, event_id: str, version: int, after: str) -> str:
    while (state := await reminder_turn(organization_id, event_id, version, after)) is not None:
        after = state["after"]
        await DBOS.recv_async(REMINDERS_TOPIC, timeout_seconds=_wait_until(datetime.fromisoformat(state["wake_at"])))
    return "DONE"


async def start_reminders(organization_id: uuid.UUID, event_id: uuid.UUID, version: int) -> None:
    """Idempotent: the workflow id is derived from the event and its reminders' version."""
    with SetWorkflowID(lifecycle.reminders_workflow_id(event_id, version)):
        await DBOS.start_workflow_async(
            calendar_event_reminders_v1, str(organization_id), str(event_id), version, datetime.now(UTC).isoformat()
        )


async def wake_reminders(workflow_id: str) -> None:
    """Wakes an event's reminders after a change (an earlier version then ends; a lost wake-up only delays that)."""
    workflows.wakeups.post(workflow_id, REMINDERS_TOPIC, {"changed": True})

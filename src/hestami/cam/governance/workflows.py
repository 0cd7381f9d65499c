"""`meetingLifecycle_v1`: a meeting's notice, final agenda and reminder on the calendar, then its minutes.

Started (id `meeting:<id>:lifecycle:v1`) when the meeting is scheduled, before that transaction commits; its first
turn waits (retrying) until the meeting is visible. Each turn is one step in one transaction on the locked meeting
(`services.notices.on_the_clock`): the notice at its time (with the voter list of an owners' meeting), the final
agenda `agenda_days` before the meeting, the reminder `reminder_hours` before it; a cancelled meeting's notice
recipients are told once. Between turns it waits for the next of those moments as the durable timeout of `recv`, or
for a wake-up (a status change). Once the reminder is out it waits for the meeting to be held; after the
adjournment it waits for the draft minutes and puts their approval on the agenda of the body's next scheduled
meeting (`services.minutes.carry_to_next_meeting`), and ends. With nothing on its calendar it waits for a wake-up,
re-reading the meeting every `GOVERNANCE_POLL_SECONDS` in case one was lost.

A turn that committed but whose completion DBOS had not recorded (kill -9) runs again and finds nothing to send:
the stamps it wrote and the unique notice rows say so. Every owner gets each message once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.governance import lifecycle, repository
from hestami.cam.governance.services import minutes, notices
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.governance.meetings")
WORKFLOW_NAME = "meetingLifecycle_v1"
TOPIC = "meeting"
FINISHED = frozenset({"CANCELLED"})


class MeetingNotVisibleError(workflows.NotCommittedYet):
    """The scheduling transaction has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(MeetingNotVisibleError)


@DBOS.step(name="meetingNoticeTurn", **RETRIES)
async def turn(organization_id: str, meeting_id: str) -> dict[str, Any]:
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        meeting = await repository.meeting(ctx.session, uuid.UUID(meeting_id), lock=True)
        if meeting is None:
            raise MeetingNotVisibleError(meeting_id)
        happened, wake_at = await notices.on_the_clock(ctx, meeting, datetime.now(UTC))
        state = {"status": meeting.status, "next": wake_at.isoformat() if wake_at else None, "happened": happened}
    if happened:
        log.info("meeting_messages_sent", meeting_id=meeting_id, happened=happened)
    return state


@DBOS.step(name="meetingMinutesTurn", **RETRIES)
async def carry_minutes(organization_id: str, meeting_id: str) -> dict[str, Any]:
    """Whether the adjourned meeting has draft minutes; if so, their approval goes on the next meeting's agenda."""
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        meeting = await repository.meeting(ctx.session, uuid.UUID(meeting_id), lock=True)
        if meeting is None:
            raise MeetingNotVisibleError(meeting_id)
        drafted = await repository.minutes(ctx.session, meeting.id) is not None
        following = await minutes.carry_to_next_meeting(ctx, meeting) if drafted else None
    return {"drafted": drafted, "next_meeting_id": str(following) if following else None}


def _wait(state: dict[str, Any], poll: float) -> float:
    if state["next"] is None:
        return poll
    return max(0.0, (datetime.fromisoformat(state["next"]) - datetime.now(UTC)).total_seconds())


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def meeting_lifecycle_v1(organization_id: str, meeting_id: str) -> str:
    poll = await workflows.recorded_setting("governance_poll_seconds")
    while True:
        state = await turn(organization_id, meeting_id)
        if state["status"] in FINISHED:
            return str(state["status"])
        if state["status"] == "ADJOURNED":
            break
        await DBOS.recv_async(TOPIC, timeout_seconds=_wait(state, poll))
    while not (await carry_minutes(organization_id, meeting_id))["drafted"]:
        await DBOS.recv_async(TOPIC, timeout_seconds=poll)
    return "ADJOURNED"


async def start(organization_id: uuid.UUID, meeting_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the meeting."""
    with SetWorkflowID(lifecycle.meeting_workflow_id(meeting_id)):
        await DBOS.start_workflow_async(meeting_lifecycle_v1, str(organization_id), str(meeting_id))


async def signal(meeting_id: uuid.UUID, status: str) -> None:
    """Wakes the lifecycle after a committed change (a lost wake-up only delays it until its next poll)."""
    workflows.wakeups.post(lifecycle.meeting_workflow_id(meeting_id), TOPIC, {"status": status})

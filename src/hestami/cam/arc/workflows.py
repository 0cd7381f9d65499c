"""`arcReviewLifecycle_v1`: keeps an ARC request's clocks, from its first submission to its end.

Started (id `arcRequest:<id>:lifecycle:v1`) with the first submission, before that transaction commits; its first
turn waits on the request's row lock until the submission commits (a submission rolled back leaves it polling a
draft, which a later submission or a withdrawal picks up). Each turn is one step in one transaction on the locked
request (`services.requests.deem_if_due`): a request still undecided when its review deadline passes is deemed approved
(the requester is told, once: the move's notice has a dedupe key), and an approval whose work has not started by
its expiry expires. Between turns it waits for the next deadline as the durable timeout of `recv`, or for a
wake-up from a move (a decision, a resubmission, a withdrawal, the work's start), after which it reads the request
again. It ends when the request is denied, withdrawn or expired, or approved with the work started.

A turn that committed but whose completion DBOS had not recorded (kill -9) runs again and finds nothing due: the
status it wrote says so. Deemed approval therefore happens once, however often the process dies.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.arc import lifecycle, repository
from hestami.cam.arc.services import requests
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.arc.lifecycle")
WORKFLOW_NAME = "arcReviewLifecycle_v1"
TOPIC = "arc_request"


class RequestNotVisibleError(workflows.NotCommittedYet):
    """The submitting transaction has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(RequestNotVisibleError)


def _deadline(status: str, review_due_at: datetime | None, expires: datetime | None, started: bool) -> str | None:
    if status in lifecycle.IN_REVIEW and review_due_at is not None:
        return review_due_at.isoformat()
    if status in lifecycle.APPROVED and not started and expires is not None:
        return expires.isoformat()
    return None


@DBOS.step(name="arcReviewClock", **RETRIES)
async def turn(organization_id: str, request_id: str) -> dict[str, Any]:
    """Does what is due now; answers the status and the next deadline to wait for."""
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        request = await repository.request(ctx.session, uuid.UUID(request_id), lock=True)
        if request is None:
            raise RequestNotVisibleError(request_id)
        happened = await requests.deem_if_due(ctx, request, datetime.now(UTC))
        started = request.work_started_on is not None
        state = {
            "status": request.status,
            "started": started,
            "deadline": _deadline(request.status, request.review_due_at, request.approval_expires_at, started),
            "happened": happened,
        }
    if happened:
        log.info("arc_request_clock", request_id=request_id, happened=happened)
    return state


def _finished(state: dict[str, Any]) -> bool:
    return state["status"] in lifecycle.FINAL or (state["status"] in lifecycle.APPROVED and state["started"])


def _wait(state: dict[str, Any], poll: float) -> float:
    """Until the deadline when there is one (a move wakes the workflow sooner; a lost wake-up is harmless, the turn
    at the deadline re-reads the request), else the poll: each wait is a recorded step that recovery replays, so
    a request waiting six months for its expiry must not wake every hour."""
    if state["deadline"] is None:
        return poll
    left = (datetime.fromisoformat(state["deadline"]) - datetime.now(UTC)).total_seconds()
    return max(0.0, left)


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=100_000)
async def arc_review_lifecycle_v1(organization_id: str, request_id: str) -> str:
    poll = await workflows.recorded_setting("arc_poll_seconds")
    while True:
        state = await turn(organization_id, request_id)
        if _finished(state):
            return str(state["status"])
        await DBOS.recv_async(TOPIC, timeout_seconds=_wait(state, poll))


async def start(organization_id: uuid.UUID, request_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the request."""
    with SetWorkflowID(lifecycle.workflow_id(request_id)):
        await DBOS.start_workflow_async(arc_review_lifecycle_v1, str(organization_id), str(request_id))


async def signal(request_id: uuid.UUID, status: str) -> None:
    """Wakes the lifecycle after a committed move (a lost wake-up only delays it until its next poll)."""
    workflows.wakeups.post(lifecycle.workflow_id(request_id), TOPIC, {"status": status})

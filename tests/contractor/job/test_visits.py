"""A job's visits: numbered per job, SCHEDULED with an ordered arrival window or UNSCHEDULED without one, changed and
cancelled while open, refused on a job that is over; and the api dispatch uses: the visits of a day with their jobs'
facts, the open jobs still without a visit, a visit's status and window, a job moved by the system."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import httpx
import pytest

from hestami.contractor.job import api
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError
from tests.contractor.job.helpers import Workforce, contractor, history, job_in, new_job

pytestmark = pytest.mark.usefixtures("unthrottled")

MORNING = {"window_start": "2030-06-12T08:00:00-05:00", "window_end": "2030-06-12T12:00:00-05:00"}
AFTERNOON = {"window_start": "2030-06-12T12:00:00-05:00", "window_end": "2030-06-12T16:00:00-05:00"}
NEXT_DAY = {"window_start": "2030-06-13T08:00:00-05:00", "window_end": "2030-06-13T12:00:00-05:00"}


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Visits")


@asynccontextmanager
async def as_(force: Workforce, *, system: bool = False) -> AsyncIterator[RequestContext]:
    user = None if system else force.manager.user_id
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(force.org), user_id=user) as ctx:
        yield ctx


async def test_visits_are_numbered_and_scheduled_by_their_window(force: Workforce) -> None:
    job = await job_in(force, "JOB_CREATED")
    first = await force.ok("job/v1/addVisit", {"job_id": job["id"], **MORNING, "duration_minutes": 120})
    second = await force.ok("job/v1/addVisit", {"job_id": job["id"], "notes": "Return trip", "pinned": True})
    assert [(v["sequence"], v["status"]) for v in (first, second)] == [(1, "SCHEDULED"), (2, "UNSCHEDULED")]
    assert (first["duration_minutes"], second["duration_minutes"], second["pinned"]) == (120, 60, True)
    assert datetime.fromisoformat(first["window_start"]) == datetime.fromisoformat(MORNING["window_start"])

    planned = await force.ok("job/v1/updateVisit", {"id": second["id"], **AFTERNOON})
    assert planned["status"] == "SCHEDULED"
    cleared = await force.ok("job/v1/updateVisit", {"id": planned["id"], "window_start": None, "window_end": None})
    assert (cleared["status"], cleared["window_start"]) == ("UNSCHEDULED", None)
    kept = await force.ok("job/v1/updateVisit", {"id": first["id"], "duration_minutes": None, "notes": "Gate code"})
    assert (kept["duration_minutes"], kept["notes"]) == (120, "Gate code")

    cancelled = await force.ok("job/v1/cancelVisit", {"id": second["id"]})
    assert cancelled["status"] == "CANCELLED"
    await force.fails("job/v1/cancelVisit", {"id": second["id"]}, 409, "INVALID_STATE_TRANSITION")
    await force.fails("job/v1/updateVisit", {"id": second["id"], "pinned": False}, 422, reason="VISIT_CLOSED")
    third = await force.ok("job/v1/addVisit", {"job_id": job["id"]})
    assert third["sequence"] == 3
    detail = await force.ok("job/v1/get", {"id": job["id"]})
    assert [v["sequence"] for v in detail["visits"]] == [1, 2, 3]


@pytest.mark.parametrize(
    "bad",
    [
        {"window_start": MORNING["window_end"], "window_end": MORNING["window_start"]},
        {"window_start": MORNING["window_start"], "window_end": MORNING["window_start"]},
        {"window_start": MORNING["window_start"]},
        {"window_start": "2030-06-12T08:00:00", "window_end": "2030-06-12T12:00:00"},
        {"duration_minutes": 4},
        {"duration_minutes": 1441},
    ],
)
async def test_a_window_is_ordered_and_complete(force: Workforce, bad: dict[str, object]) -> None:
    job = await new_job(force)
    await force.fails("job/v1/addVisit", {"job_id": job["id"], **bad}, 400, "VALIDATION_FAILED")
    visit = await force.ok("job/v1/addVisit", {"job_id": job["id"]})
    await force.fails("job/v1/updateVisit", {"id": visit["id"], **bad}, 400, "VALIDATION_FAILED")


@pytest.mark.parametrize("status", ["COMPLETED", "CLOSED", "CANCELLED", "PAID"])
async def test_a_job_that_is_over_takes_no_visit(force: Workforce, status: str) -> None:
    job = await job_in(force, status)
    await force.fails("job/v1/addVisit", {"job_id": job["id"], **MORNING}, 422, "BUSINESS_RULE_VIOLATION",
                      "JOB_CLOSED")  # fmt: skip


async def test_a_visit_of_a_finished_job_does_not_change(force: Workforce) -> None:
    job = await job_in(force, "IN_PROGRESS")
    visit = await force.ok("job/v1/addVisit", {"job_id": job["id"], **MORNING})
    await force.ok("job/v1/transition", {"id": job["id"], "to": "COMPLETED"})
    await force.fails("job/v1/updateVisit", {"id": visit["id"], "pinned": True}, 422, reason="JOB_CLOSED")


async def test_the_board_reads_a_day_of_visits_and_the_jobs_without_one(force: Workforce) -> None:
    fresh = await contractor(force.client, "Board")
    south = fresh.branches["South"]
    morning = await job_in(fresh, "SCHEDULED", priority="HIGH", branch_id=south, zip_code="78745")
    afternoon = await job_in(fresh, "SCHEDULED", branch_id=fresh.branches["North"])
    tomorrow = await job_in(fresh, "SCHEDULED", branch_id=south)
    emergency = await job_in(fresh, "JOB_CREATED", priority="EMERGENCY", branch_id=south)
    unscheduled = await job_in(fresh, "JOB_CREATED", priority="LOW", branch_id=south)
    await new_job(fresh, status="LEAD", branch_id=south)
    cancelled = await job_in(fresh, "SCHEDULED", branch_id=south)
    v1 = await fresh.ok("job/v1/addVisit", {"job_id": morning["id"], **MORNING})
    v2 = await fresh.ok("job/v1/addVisit", {"job_id": afternoon["id"], **AFTERNOON})
    await fresh.ok("job/v1/addVisit", {"job_id": tomorrow["id"], **NEXT_DAY})
    await fresh.ok("job/v1/addVisit", {"job_id": unscheduled["id"]})
    await fresh.ok("job/v1/addVisit", {"job_id": cancelled["id"], **MORNING})
    await fresh.ok("job/v1/cancel", {"id": cancelled["id"], "reason": "No"})
    day = datetime.fromisoformat("2030-06-12T00:00:00-05:00")
    async with as_(fresh) as ctx:
        board = await api.visits_on(ctx, day, day + timedelta(days=1))
        assert [v.id for v in board] == [uuid.UUID(v1["id"]), uuid.UUID(v2["id"])]
        first = board[0]
        assert (first.job_number, first.priority, first.zip_code, first.branch_id, first.sequence) == (
            morning["number"], "HIGH", "78745", uuid.UUID(south), 1)  # fmt: skip
        south_only = await api.visits_on(ctx, day, day + timedelta(days=1), uuid.UUID(south))
        assert [v.id for v in south_only] == [uuid.UUID(v1["id"])]
        waiting = await api.open_jobs_without_visits(ctx, uuid.UUID(south))
        assert [j.id for j in waiting] == [uuid.UUID(emergency["id"]), uuid.UUID(unscheduled["id"])]
        assert waiting[0].number == emergency["number"]
        assert waiting[0].priority == "EMERGENCY"
    async with as_(fresh, system=True) as ctx:
        assert len(await api.visits_on(ctx, day, day + timedelta(days=1))) == 2


async def test_dispatch_moves_visits_and_jobs_through_the_api(force: Workforce) -> None:
    job = await job_in(force, "SCHEDULED")
    visit = await force.ok("job/v1/addVisit", {"job_id": job["id"], **MORNING})
    unscheduled = await force.ok("job/v1/addVisit", {"job_id": job["id"]})
    async with as_(force) as ctx:
        ref = await api.load_visit(ctx, uuid.UUID(visit["id"]))
        assert (ref.status, ref.job_id, ref.duration_minutes) == ("SCHEDULED", uuid.UUID(job["id"]), 60)
        assert (await api.set_visit_status(ctx, ref.id, "DISPATCHED")).status == "DISPATCHED"
        assert (await api.set_visit_status(ctx, ref.id, "DISPATCHED")).status == "DISPATCHED"
        moved = await api.set_visit_window(ctx, ref.id, *(datetime.fromisoformat(t) for t in NEXT_DAY.values()))
        assert (moved.status, moved.window_start) == ("DISPATCHED", datetime.fromisoformat(NEXT_DAY["window_start"]))
        with pytest.raises(ValueError, match="start before its end"):
            await api.set_visit_window(ctx, ref.id, moved.window_end, moved.window_start)
        moved_job = await api.transition(ctx, uuid.UUID(job["id"]), "DISPATCHED", "Tech on the way")
        assert (moved_job.status, moved_job.number) == ("DISPATCHED", job["number"])
        assert (await api.load_job(ctx, uuid.UUID(job["id"]))).status == "DISPATCHED"
    async with as_(force, system=True) as ctx:
        assert (await api.set_visit_status(ctx, uuid.UUID(visit["id"]), "IN_PROGRESS")).status == "IN_PROGRESS"
        await api.transition(ctx, uuid.UUID(job["id"]), "IN_PROGRESS", "Started", actor=None)
        with pytest.raises(HestamiError) as refused:
            await api.set_visit_status(ctx, uuid.UUID(unscheduled["id"]), "COMPLETED")
        assert refused.value.code == ErrorCode.INVALID_STATE_TRANSITION
    rows = (await force.ok("job/v1/history", {"id": job["id"]}))["items"]
    assert [(r["to_status"], r["actor_user_id"]) for r in rows[-2:]] == [
        ("DISPATCHED", str(force.manager.user_id)), ("IN_PROGRESS", None)]  # fmt: skip
    assert (await history(force, job["id"]))[-1] == ("DISPATCHED", "IN_PROGRESS")


async def test_the_api_finds_nothing_of_another_contractor(force: Workforce) -> None:
    job = await job_in(force, "SCHEDULED")
    visit = await force.ok("job/v1/addVisit", {"job_id": job["id"], **MORNING})
    stranger = await contractor(force.client, "Api Stranger")
    async with as_(stranger) as ctx:
        for call in (
            api.load_job(ctx, uuid.UUID(job["id"])),
            api.load_visit(ctx, uuid.UUID(visit["id"])),
            api.set_visit_status(ctx, uuid.UUID(visit["id"]), "DISPATCHED"),
            api.transition(ctx, uuid.UUID(job["id"]), "CANCELLED"),
        ):
            with pytest.raises(HestamiError) as missing:
                await call
            assert missing.value.code == ErrorCode.NOT_FOUND

"""SLA windows per priority (`setSLAWindow`, the defaults when none is set) and the breach as a durable timer
(`dispatchSla_v1`): a job entering JOB_CREATED falls due `respond_within` later; unmet by then, it is marked
breached; under way before then, its run ends MET. A "minute" lasts `DISPATCH_SLA_MINUTE_SECONDS` (short here)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest

from hestami.contractor.dispatch import workflows
from hestami.contractor.dispatch.services import sla_clock
from hestami.core import runtime
from hestami.core.acting import acting
from tests.contractor.dispatch.helpers import Workforce, contractor
from tests.contractor.job.helpers import job_in
from tests.support.workflows import ended

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "SLA")


@pytest.fixture
def short_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime.current().settings, "dispatch_sla_minute_seconds", 0.02)


async def test_windows_default_until_set(force: Workforce) -> None:
    before = await force.ok("dispatch/v1/listSLAWindows", {})
    assert [(w["priority"], w["respond_within_minutes"], w["configured"]) for w in before["items"]] == [
        ("EMERGENCY", 120, False), ("HIGH", 480, False), ("MEDIUM", 1440, False), ("LOW", 4320, False),
    ]  # fmt: skip
    await force.ok("dispatch/v1/setSLAWindow", {"priority": "HIGH", "respond_within_minutes": 240})
    changed = await force.ok("dispatch/v1/setSLAWindow", {"priority": "HIGH", "respond_within_minutes": 300})
    assert changed == {"priority": "HIGH", "respond_within_minutes": 300, "configured": True}
    after = await force.ok("dispatch/v1/listSLAWindows", {})
    assert after["items"][1] == changed
    body = {"priority": "HIGH", "respond_within_minutes": 0}
    await force.fails("dispatch/v1/setSLAWindow", body, 400, "VALIDATION_FAILED")
    technician = await force.member(["TECHNICIAN"])
    await force.fails("dispatch/v1/setSLAWindow", {**body, "respond_within_minutes": 5}, 403, "FORBIDDEN",
                      who=technician)  # fmt: skip


@pytest.mark.usefixtures("short_minutes")
async def test_an_unmet_sla_is_breached_by_its_timer(force: Workforce) -> None:
    await force.ok("dispatch/v1/setSLAWindow", {"priority": "EMERGENCY", "respond_within_minutes": 30})
    job = await job_in(force, "JOB_CREATED", priority="EMERGENCY")
    due = datetime.fromisoformat(job["sla_due_at"])
    entered = datetime.fromisoformat(job["updated_at"])
    assert 0.4 <= (due - entered).total_seconds() <= 5
    status = await ended(workflows.sla_workflow_id(job["id"]))
    assert (status.status, status.output) == ("SUCCESS", "BREACHED")
    assert (await force.ok("job/v1/get", {"id": job["id"]}))["sla_breached"] is True


@pytest.mark.usefixtures("short_minutes")
async def test_a_job_under_way_in_time_meets_its_sla(force: Workforce) -> None:
    await force.ok("dispatch/v1/setSLAWindow", {"priority": "LOW", "respond_within_minutes": 3000})  # 60 s here
    job = await job_in(force, "IN_PROGRESS", priority="LOW")
    status = await ended(workflows.sla_workflow_id(job["id"]))
    assert (status.status, status.output) == ("SUCCESS", "MET")
    found = await force.ok("job/v1/get", {"id": job["id"]})
    assert found["sla_breached"] is False
    assert found["sla_due_at"] is not None


async def test_a_run_started_before_its_job_is_committed_waits_for_it(force: Workforce) -> None:
    """The run starts in the transaction that opens the job (or sets its due time): a look before that commits is
    no answer (the step tries again), never a failure of the run."""
    not_yet = uuid.uuid4()
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(force.org)) as ctx:
        assert await sla_clock.look(ctx, not_yet, datetime.now(UTC), datetime.now(UTC)) is None

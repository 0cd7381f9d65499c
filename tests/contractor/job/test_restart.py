"""`kill -9` around the hand-off: right after the assignment (the job may not be opened yet) and right after the
contractor's job moved (its wake-up may be lost). After each restart DBOS recovers `job_lifecycle_v1`: exactly one
job is opened for the work order, and the job's move reaches the work order once.

Runs `hestami serve` as a subprocess (`served_with_clock`) with JOB_SYNC_POLL_SECONDS=1 (recorded when the workflow
starts: a lost wake-up costs a second) and an executor id of its own, so the restarted server recovers the workflow
it left (this process may run a recovered turn too: it gets the same setting, and each step is idempotent)."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hestami.core.config import Settings
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, served_with_clock, wait_until

CLOCK = {"job_sync_poll_seconds": 1.0}
ADDRESS = {"line1": "9 Oak Hollow Dr", "city": "Austin", "state": "TX", "postal_code": "78750"}


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "handoffkill", CLOCK) as running:
        yield running


def test_kill_9_around_the_hand_off_opens_one_job_and_mirrors_each_move_once(server: ServeProcess) -> None:
    server.start()
    admin = ServedCaller.register(server, "handoffkill")
    contractor = admin.ok("organization/v1/create", {"name": f"Crash Plumbing {secrets.token_hex(3)}",
                                                     "type": "SERVICE_PROVIDER"})["organization"]["id"]  # fmt: skip
    served_contractor_profile(admin.ok, contractor, zip_codes=("78750",))
    hoa = admin.ok("organization/v1/create", {"name": f"Crash HOA {secrets.token_hex(3)}",
                                              "type": "MANAGEMENT_COMPANY"})["organization"]["id"]  # fmt: skip
    association = admin.ok("association/v1/create", {"name": f"Crash Court {secrets.token_hex(3)}"}, hoa)
    admin.ok("property/v1/create", {"association_id": association["id"], "name": "Court", "address": ADDRESS}, hoa)
    link = {"association_id": association["id"], "provider_organization_id": contractor, "provider_name": "Crash"}
    admin.ok("serviceProvider/v1/link", link, hoa)
    order = admin.ok("workOrder/v1/create", {"association_id": association["id"], "title": "Leak", "description":
                     "Drip", "category": "PLUMBING", "submit": True}, hoa)  # fmt: skip
    admin.ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"}, hoa)
    admin.ok("workOrder/v1/assignVendor", {"id": order["id"], "provider_organization_id": contractor}, hoa)
    server.kill9()  # at once: the job may or may not be opened yet
    server.start()

    def the_job() -> dict[str, Any] | None:
        page = admin.ok("job/v1/list", {"work_order_id": order["id"]}, contractor)
        assert len(page["items"]) <= 1, page
        return page["items"][0] if page["items"] else None

    job = wait_until(the_job, 60, "the job")
    start = (datetime.now(UTC) + timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)
    visit = {"job_id": job["id"], "window_start": start.isoformat(),
             "window_end": (start + timedelta(hours=2)).isoformat(), "duration_minutes": 60}  # fmt: skip
    admin.ok("job/v1/addVisit", visit, contractor)
    admin.ok("job/v1/transition", {"id": job["id"], "to": "SCHEDULED"}, contractor)
    server.kill9()  # the wake-up may be lost; the poll finds the move
    server.start()

    def scheduled() -> dict[str, Any] | None:
        got: dict[str, Any] = admin.ok("workOrder/v1/get", {"id": order["id"]}, hoa)
        return got if got["status"] == "SCHEDULED" else None

    wait_until(scheduled, 60, "the work order SCHEDULED")
    history = admin.ok("workOrder/v1/getStatusHistory", {"id": order["id"]}, hoa)["items"]
    assert Counter(h["to_status"] for h in history)["SCHEDULED"] == 1, history
    jobs = admin.ok("job/v1/list", {"work_order_id": order["id"]}, contractor)["items"]
    assert [j["id"] for j in jobs] == [job["id"]]

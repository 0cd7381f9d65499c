"""`kill -9` in the middle of a posting run (the issue's observable): after the restart `assessmentPosting_v1` goes
on from the units it had not reached, and no unit is charged twice. Twelve units, two per batch and a pause between
batches, so the crash falls when some units are charged and others are not; after the restart every unit has
exactly one charge of the period, the charges made after the restart are exactly the units left at the kill, and
the run's progress adds up.

Runs `hestami serve` as a subprocess with POSTING_BATCH_SIZE=2 and POSTING_BATCH_PAUSE_SECONDS=0.3 and an executor
id of its own, so the restarted server recovers the workflow it left."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hestami.core.config import Settings
from tests.cam.accounting.helpers import ADDRESS
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, wait_until, workflow_row

UNITS = 12
CLOCK = {"posting_batch_size": 2, "posting_batch_pause_seconds": 0.3}
DUE = "2026-09-01"


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "postkill", CLOCK) as running:
        yield running


def charges_of(stack_env: dict[str, str], org: str, type_id: str) -> list[Any]:
    return scoped_rows(
        stack_env, org,
        "SELECT unit_id, created_at FROM assessment_charges WHERE assessment_type_id = :t AND due_date = :d",
        t=type_id, d=DUE,
    )  # fmt: skip


def test_kill_9_mid_run_bills_only_the_remaining_units(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    started = time.monotonic()
    server.start()
    manager = ServedCaller.register(server, "postkill")
    org = manager.ok("organization/v1/create", {"name": f"Post Kill {secrets.token_hex(3)}",
                                                 "type": "MANAGEMENT_COMPANY"})["organization"]["id"]  # fmt: skip
    association = manager.ok("association/v1/create", {"name": f"Crash Court {secrets.token_hex(3)}"}, org)
    prop = manager.ok("property/v1/create", {"association_id": association["id"], "name": "Court",
                                             "address": ADDRESS}, org)  # fmt: skip
    units = [
        manager.ok("unit/v1/create", {"property_id": prop["id"], "unit_number": f"{n:02d}", "unit_type": "CONDO"}, org)
        for n in range(1, UNITS + 1)
    ]
    dues_type = {"association_id": association["id"], "name": "Dues", "frequency": "MONTHLY", "amount": "150.00"}
    dues = manager.ok("accounting/assessment/v1/createType", dues_type, org)
    run = manager.ok("accounting/posting/v1/start", {"assessment_type_id": dues["id"], "due_date": DUE}, org)

    def midway() -> dict[str, Any] | None:
        progress: dict[str, Any] = manager.ok("accounting/posting/v1/get", {"id": run["id"]}, org)
        return progress if 2 <= progress["units_done"] <= UNITS - 4 else None

    before = wait_until(midway, 30, "some units but not all to be billed")
    server.kill9()
    at_kill = charges_of(stack_env, org, dues["id"])
    killed_at = max(row.created_at for row in at_kill)
    assert before["charged"] <= len(at_kill) < UNITS, (before, len(at_kill))
    server.start()

    def finished() -> dict[str, Any] | None:
        progress: dict[str, Any] = manager.ok("accounting/posting/v1/get", {"id": run["id"]}, org)
        return progress if progress["status"] == "COMPLETED" else None

    done = wait_until(finished, 30, "the run to complete after the restart")
    assert (done["units_total"], done["units_done"], done["charged"], done["skipped"]) == (UNITS, UNITS, UNITS, 0)
    assert done["amount_charged"] == "1800.00"
    time.sleep(0.5)  # a charge made late would show up now
    after = charges_of(stack_env, org, dues["id"])
    assert Counter(str(row.unit_id) for row in after) == Counter(u["id"] for u in units)
    made_after_kill = [row for row in after if row.created_at > killed_at]
    assert len(made_after_kill) == UNITS - len(at_kill), (len(at_kill), len(made_after_kill))

    workflow = workflow_row(settings, run["workflow_id"])
    assert workflow is not None
    assert workflow.status == "SUCCESS", workflow
    assert time.monotonic() - started < 90
    print(f"killed at {len(at_kill)}/{UNITS} charged; whole test {time.monotonic() - started:.1f} s")

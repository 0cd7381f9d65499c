"""A posting run whose batch fails for good ends FAILED, visibly: `get` shows why and how far it got, the workflow
returns "FAILED", the failure is audited; starting the same type and due date again gives the run its next attempt,
which carries on from the units already done and charges every unit once."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.cam.accounting.posting.errors import PostingReason, rule
from hestami.cam.accounting.posting.services import batches
from hestami.core import runtime
from hestami.core.config import Settings
from tests.cam.posting.helpers import Place, place
from tests.support import workflows

START = "accounting/posting/v1/start"
GET = "accounting/posting/v1/get"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Place:
    return await place(shared_client, count=5)


@pytest.fixture(autouse=True)
def batches_of_two(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "posting_batch_size", 2)


async def run_ended(hoa: Place, run_id: str, within: float = 30) -> dict[str, Any]:
    """The run once COMPLETED or FAILED, read through `get`."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        run: dict[str, Any] = await hoa.ok(GET, {"id": run_id})
        if run["status"] in ("COMPLETED", "FAILED"):
            return run
        assert asyncio.get_running_loop().time() < deadline, run
        await asyncio.sleep(0.1)


async def workflow_outcome(workflow_id: str, within: float = 30) -> str:
    status = await workflows.ended(workflow_id, within)
    return f"{status.status}:{status.output}"


async def audited(org: str, run_id: str) -> list[tuple[str, Any]]:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        rows = await session.execute(
            text("SELECT action, after FROM audit_events WHERE entity_id = :id ORDER BY created_at, id"),
            {"id": run_id},
        )
        return [(action, after) for action, after in rows.all()]


def failing_from_batch(monkeypatch: pytest.MonkeyPatch, which: int) -> Callable[[], None]:
    """Batch number `which` (and every later one) of any run fails with a rule broken; returns the repair."""
    original = batches.billing.bill_units
    calls = 0

    async def bill_units(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls >= which:
            raise rule(PostingReason.WRONG_ASSOCIATION, "A unit is not in the run's association any more.")
        return await original(*args, **kwargs)

    monkeypatch.setattr(batches.billing, "bill_units", bill_units)
    return lambda: monkeypatch.setattr(batches.billing, "bill_units", original)


async def test_a_batch_failing_for_good_fails_the_run_and_a_restart_carries_on(
    hoa: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    dues = await hoa.hoa.dues("100.00")
    body = {"assessment_type_id": dues["id"], "due_date": "2026-03-01"}
    repair = failing_from_batch(monkeypatch, which=2)

    started = await hoa.ok(START, body)
    failed = await run_ended(hoa, started["id"])
    assert failed["status"] == "FAILED", failed
    assert (failed["error_code"], failed["error_message"]) == (
        "WRONG_ASSOCIATION",
        "A unit is not in the run's association any more.",
    )
    assert (failed["units_total"], failed["units_done"], failed["charged"], failed["batches"]) == (5, 2, 2, 1)
    assert failed["failed_at"] is not None
    assert failed["finished_at"] == failed["failed_at"]
    assert failed["attempt"] == 1
    assert failed["workflow_id"] == f"assessmentPosting:{dues['id']}:2026-03-01:v1"
    assert await workflow_outcome(failed["workflow_id"]) == "SUCCESS:FAILED"
    assert len(await hoa.charges(dues["id"])) == 2
    listed = await hoa.ok("accounting/posting/v1/list", {"assessment_type_id": dues["id"], "status": "FAILED"})
    assert [r["id"] for r in listed["items"]] == [failed["id"]]

    events = await audited(hoa.org, failed["id"])
    failures = [after for action, after in events if action == "assessment_posting_run.failed"]
    assert len(failures) == 1
    assert failures[0]["status"] == "FAILED"
    assert (failures[0]["error_code"], failures[0]["units_done"], failures[0]["charged"]) == ("WRONG_ASSOCIATION", 2, 2)

    repair()
    again = await hoa.ok(START, body)
    assert again["id"] == failed["id"]
    assert (again["status"], again["attempt"], again["error_code"], again["failed_at"]) == ("RUNNING", 2, None, None)
    assert again["workflow_id"] == f"assessmentPosting:{dues['id']}:2026-03-01:v1:attempt2"
    done = await run_ended(hoa, again["id"])
    assert done["status"] == "COMPLETED", done
    assert (done["units_done"], done["charged"], done["skipped"], done["batches"]) == (5, 5, 0, 3), done
    assert done["amount_charged"] == "500.00"
    assert await workflow_outcome(done["workflow_id"]) == "SUCCESS:COMPLETED"
    charges = await hoa.charges(dues["id"])
    assert Counter(c["unit_id"] for c in charges) == Counter(u["id"] for u in hoa.units), "each unit once"
    assert [action for action, _ in await audited(hoa.org, failed["id"])][-1] == "assessment_posting_run.completed"

    # A COMPLETED run started again stays as it is.
    assert (await hoa.ok(START, body))["attempt"] == 2


async def test_an_unexpected_error_before_the_first_batch_fails_the_run_without_its_details(
    hoa: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixing the run's units fails (a bug, not a rule): INTERNAL_ERROR with a message that says nothing of the
    internals; the restarted run fixes its units afresh (QUEUED again) and posts them all."""
    original = batches.repository.fix_units

    async def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("relation units_secret does not exist")

    monkeypatch.setattr(batches.repository, "fix_units", broken)
    dues = await hoa.hoa.dues("40.00")
    body = {"assessment_type_id": dues["id"], "due_date": "2026-04-01"}

    failed = await run_ended(hoa, (await hoa.ok(START, body))["id"])
    assert (failed["status"], failed["error_code"], failed["units_total"], failed["units_done"]) == (
        "FAILED",
        "INTERNAL_ERROR",
        None,
        0,
    ), failed
    assert failed["error_message"] == "The batch failed unexpectedly; the server log has the details."
    assert await workflow_outcome(failed["workflow_id"]) == "SUCCESS:FAILED"
    assert await hoa.charges(dues["id"]) == []

    monkeypatch.setattr(batches.repository, "fix_units", original)
    again = await hoa.ok(START, body)
    assert (again["id"], again["status"], again["attempt"]) == (failed["id"], "QUEUED", 2)
    done = await run_ended(hoa, again["id"])
    assert (done["status"], done["units_total"], done["charged"], done["error_code"]) == ("COMPLETED", 5, 5, None)
    assert len(await hoa.charges(dues["id"])) == 5

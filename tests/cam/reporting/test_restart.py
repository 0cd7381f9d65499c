"""`kill -9` in the middle of `reportGeneration_v1`: the run is RUNNING (its `begin` step done) and no file is stored
yet when the server dies; after the restart DBOS recovers the workflow and the balance sheet is generated once.
The run is COMPLETED with exactly one document filed under it, the file downloads and holds the posted numbers, and
the workflow is SUCCESS.

Runs `hestami serve` as a subprocess (`served_with_clock`) with REPORT_STEP_PAUSE_SECONDS=2 (a durable pause,
recorded when the workflow starts, between `begin` and `produce`: the window the kill falls in) and an executor id of
its own, so the restarted server recovers the workflow it left. This test process's DBOS, when another test of the
session started its app, polls the same `reports` queue: it is kept from taking the run until the server has it
(`generate_on_the_server`). A recovered workflow is re-enqueued, and either process may finish it: the definition is
a real registered one (`balance_sheet`), known to both, and the pause replays as recorded (this process's settings
get the same pause, by `served_with_clock`). The test is async and blocks only off the event loop, where that app
runs workflows (its database engine and Cerbos channel live there)."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from dbos._utils import GlobalParams

from hestami.cam.reporting.definitions import find
from hestami.core.config import Settings
from tests.cam.accounting.helpers import ADDRESS
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, workflow_row

REPORT = "balance_sheet"
AMOUNT = "1234.56"
CLOCK = {"report_step_pause_seconds": 2.0}


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated (and FILE_STORAGE_DIR set) before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "reportkill", CLOCK) as running:
        yield running


def books(admin: ServedCaller) -> tuple[str, str]:
    """A new organization and association with its chart, and one posted entry: dues received in cash."""
    org = admin.ok("organization/v1/create", {"name": f"Report Kill {secrets.token_hex(3)}",
                                              "type": "MANAGEMENT_COMPANY"})["organization"]["id"]  # fmt: skip
    association = admin.ok("association/v1/create", {"name": f"Crash Court {secrets.token_hex(3)}"}, org)
    admin.ok("property/v1/create", {"association_id": association["id"], "name": "Court", "address": ADDRESS}, org)
    chart = admin.ok("accounting/glAccount/v1/list", {"association_id": association["id"], "limit": 200}, org)
    ids = {a["account_number"]: a["id"] for a in chart["items"]}
    entry = admin.ok("accounting/journalEntry/v1/create", {
        "association_id": association["id"], "entry_date": "2026-01-15", "memo": "Dues received", "submit": True,
        "lines": [{"gl_account_id": ids["1010"], "debit": AMOUNT}, {"gl_account_id": ids["4000"], "credit": AMOUNT}],
    }, org)  # fmt: skip
    assert admin.ok("accounting/journalEntry/v1/post", {"id": entry["id"]}, org)["status"] == "POSTED"
    return org, association["id"]


async def until(probe: Callable[[], Any], seconds: float, what: str) -> Any:
    """Polls the (blocking) `probe` off the event loop until it returns something truthy."""
    deadline = time.monotonic() + seconds
    while True:
        result = await asyncio.to_thread(probe)
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last: {result!r}")
        await asyncio.sleep(0.25)


async def generate_on_the_server(
    server: ServeProcess, settings: Settings, admin: ServedCaller, org: str, association_id: str
) -> dict[str, Any]:
    """A run RUNNING on the server, in its pause (begun, no document yet). This process's DBOS dequeues nothing
    meanwhile: it polls the `reports` queue too when another test started the session's app, and took every run
    in full-suite runs. For its polls it takes an application version no workflow has (DBOS reads `GlobalParams`
    at each poll), put back before the kill, so that either process may run the recovered workflow."""
    body = {"report": REPORT, "format": "JSON", "parameters": {"association_id": association_id, "as_of": "2026-02-01"}}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(GlobalParams, "app_version", f"{GlobalParams.app_version}-idle-{secrets.token_hex(4)}")
        run: dict[str, Any] = await asyncio.to_thread(admin.ok, "report/v1/generate", body, org)
        assert run["status"] == "QUEUED"

        def running() -> dict[str, Any] | None:
            got: dict[str, Any] = admin.ok("report/v1/get", {"id": run["id"]}, org)
            assert got["status"] in ("QUEUED", "RUNNING"), got
            return got if got["status"] == "RUNNING" else None

        got: dict[str, Any] = await until(running, 30, "the run to be RUNNING (begun, in the pause before produce)")
    workflow = await asyncio.to_thread(workflow_row, settings, got["workflow_id"])
    assert workflow.executor_id == server.env["DBOS_EXECUTOR_ID"], workflow
    return got


async def test_kill_9_mid_generation_generates_once_after_the_restart(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    assert find(REPORT) is not None, "the balance sheet definition is registered"
    started = time.monotonic()
    await asyncio.to_thread(server.start)
    admin = await asyncio.to_thread(ServedCaller.register, server, "reportkill")
    org, association_id = await asyncio.to_thread(books, admin)
    run = await generate_on_the_server(server, settings, admin, org, association_id)
    assert run["document_id"] is None
    await asyncio.to_thread(server.kill9)
    interrupted = scoped_rows(stack_env, org, "SELECT status, document_id FROM report_runs WHERE id = :id",
                              id=run["id"])  # fmt: skip
    assert [(r.status, r.document_id) for r in interrupted] == [("RUNNING", None)]
    await asyncio.to_thread(server.start)

    def completed() -> dict[str, Any] | None:
        got: dict[str, Any] = admin.ok("report/v1/get", {"id": run["id"]}, org)
        assert got["status"] != "FAILED", got
        return got if got["status"] == "COMPLETED" else None

    done = await until(completed, 60, "the run to be COMPLETED after the restart")

    def finished_workflow() -> Any:
        row = workflow_row(settings, done["workflow_id"])
        return row if row is not None and row.status not in ("PENDING", "ENQUEUED") else None

    workflow = await until(finished_workflow, 30, "the workflow to finish")
    assert workflow.status == "SUCCESS", workflow
    assert workflow.recovery_attempts >= 1, workflow

    documents = scoped_rows(stack_env, org, "SELECT id FROM documents WHERE scope_id = :id", id=run["id"])
    assert [str(d.id) for d in documents] == [done["document_id"]]
    runs = scoped_rows(
        stack_env, org,
        "SELECT r.id, r.status, count(d.id) AS documents FROM report_runs r LEFT JOIN documents d "
        "ON d.scope_type = 'REPORT_RUN' AND d.scope_id = r.id WHERE r.association_id = :a GROUP BY r.id, r.status",
        a=association_id,
    )  # fmt: skip
    assert {(r.status, r.documents) for r in runs} == {("COMPLETED", 1)}, runs

    link = await asyncio.to_thread(admin.ok, "report/v1/download", {"id": run["id"]}, org)
    url = link["url"] if link["url"].startswith("http") else f"{server.base}{link['url']}"
    async with httpx.AsyncClient() as http:
        got = await http.get(url, timeout=30)
    assert got.status_code == 200
    assert len(got.content) == done["size_bytes"]
    content = json.loads(got.content)
    assert content["title"].startswith("Balance sheet"), content["title"]
    assert Decimal(str(content["summary"]["total_assets"])) == Decimal(AMOUNT)
    print(f"whole test {time.monotonic() - started:.1f} s")

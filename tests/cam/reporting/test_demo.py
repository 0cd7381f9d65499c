"""The demo reports: after the identity, association, accounting and budget seeders, Sunset Ridge has the monthly
board packet (a PDF schedule of the balance sheet and one of the income statement, to Morgan Manager and Blair
Board) and a COMPLETED PDF run of every financial report (the delinquency report among them) whose file downloads
and reads as that report; their workflows end SUCCESS once the seed commits. A second run adds nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pypdfium2 as pdfium
from dbos import DBOS

from hestami.cam.accounting.budgets.demo import seed_budgets
from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.association.demo import seed_associations
from hestami.cam.reporting import demo_data as data
from hestami.cam.reporting.definitions import definitions
from hestami.cam.reporting.demo import seed_reporting
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.cam.documents.helpers import fetch
from tests.support.accounts import Account
from tests.support.demo import demo_login
from tests.support.rpc import ok

P = "report/v1/"


async def _all(client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict[str, Any]) -> list[Any]:
    items: list[Any] = []
    cursor = None
    while True:
        page = await ok(client, who, org, P + path, {**body, "limit": 200, "cursor": cursor})
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def _first_page_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    try:
        return str(document[0].get_textpage().get_text_range())
    finally:
        document.close()


async def test_the_board_packet_and_the_financial_reports(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_associations, seed_accounting, seed_budgets):
        await seed(run)
    first = await seed_reporting(run)
    assert not any("skipped" in line for line in first), first
    manager, orgs = await demo_login(shared_client, "manager")
    board, _ = await demo_login(shared_client, "board")
    org = orgs[data.ORGANIZATION]
    schedules_before = await _all(shared_client, manager, org, "listSchedules", {})
    runs_before = await _all(shared_client, manager, org, "list", {})

    again = await seed_reporting(run)
    assert again == ["demo reports:", "  board packet: already loaded", "  reports: already loaded"], again
    assert await _all(shared_client, manager, org, "listSchedules", {}) == schedules_before
    assert [r["id"] for r in await _all(shared_client, manager, org, "list", {})] == [r["id"] for r in runs_before]

    packet = [s for s in schedules_before if s["status"] == "ACTIVE" and s["report"] in data.PACKET]
    assert sorted(s["report"] for s in packet) == sorted(data.PACKET)
    for schedule in packet:
        assert (schedule["frequency"], schedule["day_of_month"], schedule["format"]) == (
            "MONTHLY", data.PACKET_DAY, "PDF"
        )  # fmt: skip
        assert set(schedule["recipients"]) == {manager.user_id, board.user_id}
        assert schedule["created_by"] == manager.user_id
    [association_id] = {s["association_id"] for s in packet}

    financial = set(data.FINANCIAL) & set(definitions())
    assert {"balance_sheet", "income_statement", "delinquency"} <= financial
    assert {definitions()[key].category for key in financial} == {"FINANCIAL"}
    completed: dict[str, dict[str, Any]] = {}
    for found in runs_before:
        if found["status"] == "COMPLETED" and found["association_id"] == association_id and found["format"] == "PDF":
            completed.setdefault(found["report"], found)
    assert financial <= set(completed), sorted(financial - set(completed))

    titles = {key: d.title for key, d in definitions().items()}
    for key in sorted(financial):
        done = completed[key]
        assert done["document_id"], done
        assert done["file_name"].endswith(".pdf"), done
        link = await ok(shared_client, manager, org, P + "download", {"id": done["id"]})
        got = await fetch(shared_client, link["url"])
        assert got.status_code == 200
        assert got.content.startswith(b"%PDF")
        assert len(got.content) == done["size_bytes"]
        assert titles[key] in _first_page_text(got.content), key

    for key in sorted(financial):  # the workflows `generate` started find their runs finished and end
        workflow_id = completed[key]["workflow_id"]
        for _ in range(400):
            [status] = await DBOS.list_workflows_async(workflow_ids=[workflow_id])
            if status.status == "SUCCESS":
                break
            await asyncio.sleep(0.05)
        assert (status.status, status.output) == ("SUCCESS", "COMPLETED"), key

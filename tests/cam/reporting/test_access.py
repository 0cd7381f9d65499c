"""Who may generate and read which reports (policies/resource/report_run.yaml through the API): management every
report; a seated board member its association's FINANCIAL and OPERATIONAL reports and their runs, no PORTFOLIO
report; an owner only their own unit's statement and their own runs; tenants and vendors nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.cam.reporting.framework_support import TINY, TINY_OPS, TINY_ORG, TINY_OWNER, Hoa, hoa


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Hoa:
    return await hoa(shared_client, "Access")


def association_report(place: Hoa, report: str = TINY) -> dict[str, Any]:
    return {"report": report, "format": "JSON", "parameters": {"association_id": place.association_id}}


def statement(unit_id: str) -> dict[str, Any]:
    return {"report": TINY_OWNER, "format": "JSON", "parameters": {"unit_id": unit_id}}


PORTFOLIO = {"report": TINY_ORG, "format": "JSON", "parameters": {}}


async def test_the_access_matrix(place: Hoa) -> None:
    by_manager = await place.ok("report/v1/generate", association_report(place), place.manager)
    by_board = await place.ok("report/v1/generate", association_report(place, TINY_OPS), place.board)
    portfolio = await place.ok("report/v1/generate", PORTFOLIO, place.manager)
    own = await place.ok("report/v1/generate", statement(place.unit_id), place.owner)
    by_manager_statement = await place.ok("report/v1/generate", statement(place.unit_id), place.manager)
    for run in (by_manager, by_board, portfolio, own, by_manager_statement):
        assert (await place.finished(run["id"]))["status"] == "COMPLETED"

    await place.fails("report/v1/generate", PORTFOLIO, 403, "FORBIDDEN", place.board)
    await place.fails("report/v1/generate", statement(place.unit_id), 403, "FORBIDDEN", place.board)
    await place.fails("report/v1/generate", association_report(place), 403, "FORBIDDEN", place.owner)
    await place.fails("report/v1/generate", statement(place.other_unit_id), 404, None, place.owner)
    for nobody in (place.tenant, place.vendor):
        error = await place.fails("report/v1/generate", association_report(place), 403, None, nobody)
        assert error["code"] in ("FORBIDDEN", "NOT_FOUND")

    # The board reads its association's runs (made by anyone), not the portfolio's nor an owner's statement.
    board_sees = {r["id"] for r in (await place.ok("report/v1/list", {"limit": 200}, place.board))["items"]}
    assert {by_manager["id"], by_board["id"]} <= board_sees
    assert not {portfolio["id"], own["id"], by_manager_statement["id"]} & board_sees
    await place.ok("report/v1/download", {"id": by_manager["id"]}, place.board)
    await place.fails("report/v1/get", {"id": portfolio["id"]}, 404, "NOT_FOUND", place.board)

    # The owner reads only the statement they asked for.
    owner_sees = {r["id"] for r in (await place.ok("report/v1/list", {"limit": 200}, place.owner))["items"]}
    assert owner_sees == {own["id"]}
    await place.ok("report/v1/download", {"id": own["id"]}, place.owner)
    await place.fails("report/v1/get", {"id": by_manager_statement["id"]}, 404, "NOT_FOUND", place.owner)
    for nobody in (place.tenant, place.vendor):
        assert (await place.ok("report/v1/list", {}, nobody))["items"] == []
        await place.fails("report/v1/get", {"id": by_manager["id"]}, 404, "NOT_FOUND", nobody)

    manager_sees = {r["id"] for r in (await place.ok("report/v1/list", {"limit": 200}, place.manager))["items"]}
    assert {by_manager["id"], by_board["id"], portfolio["id"], own["id"]} <= manager_sees

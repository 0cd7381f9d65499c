"""A database restart in the middle of a lifecycle step (found by `python -m bench.soak`): the step waits for the
database and the lifecycle goes on, instead of the workflow ending in error (or hanging PENDING in a live
process, where nothing recovers it) and every later notification of the work order being lost."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from hestami.cam.work_order import repository
from tests.cam.work_order.helpers import community
from tests.support.rpc import ok


async def test_a_lifecycle_step_rides_out_a_database_outage(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager, org, association, _unit = await community(client)
    failures = {"left": 3}
    original = repository.status_changes_since

    async def unavailable_for_a_while(*args: Any, **kwargs: Any) -> Any:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("SELECT ...", {}, Exception("the database system is shutting down"))
        return await original(*args, **kwargs)

    monkeypatch.setattr(repository, "status_changes_since", unavailable_for_a_while)
    body = {"association_id": association["id"], "title": "Gate stuck", "description": "Open", "submit": True}
    order = await ok(client, manager, org, "workOrder/v1/create", body)

    notices: list[dict] = []
    for _ in range(100):
        page = await ok(client, manager, org, "notification/v1/list", {"entity_id": order["id"], "limit": 50})
        notices = [n for n in page["items"] if n["template"] == "work_order.status_changed"]
        if notices:
            break
        await asyncio.sleep(0.1)
    assert failures["left"] == 0, "the outage was seen by the step"
    assert [n["payload"]["to"] for n in notices] == ["SUBMITTED"]

"""A database restart in the middle of a lifecycle step (found by `python -m bench.soak`): the step waits for the
database and the lifecycle goes on, instead of the workflow ending in error (or hanging PENDING in a live
process, where nothing recovers it) and the work order's SLA clock being lost."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from dbos import DBOS
from sqlalchemy.exc import OperationalError

from hestami.cam.work_order import lifecycle, repository
from tests.cam.work_order.helpers import community
from tests.support.rpc import ok


async def test_a_lifecycle_step_rides_out_a_database_outage(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager, org, association, _unit = await community(client)
    failures = {"left": 3}
    original = repository.work_order

    async def unavailable_for_a_while(*args: Any, **kwargs: Any) -> Any:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("SELECT ...", {}, Exception("the database system is shutting down"))
        return await original(*args, **kwargs)

    monkeypatch.setattr(repository, "work_order", unavailable_for_a_while)
    body = {"association_id": association["id"], "title": "Gate stuck", "description": "Open", "submit": True}
    order = await ok(client, manager, org, "workOrder/v1/create", body)
    workflow_id = lifecycle.workflow_id(order["id"])
    await ok(client, manager, org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "CANCELLED"})
    status = None
    for _ in range(150):
        status = await DBOS.get_workflow_status_async(workflow_id)
        if status is not None and status.status in ("SUCCESS", "ERROR"):
            break
        await asyncio.sleep(0.1)
    assert failures["left"] == 0, "the outage was seen by the step"
    assert status is not None
    assert (status.status, status.output) == ("SUCCESS", "CANCELLED"), "the lifecycle went on and ended"

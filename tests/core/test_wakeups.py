"""Wake-ups (`core.workflows.wakeups`) are sent behind the caller's back, never as an operation of a workflow.

The sender is one task that keeps sending while posts keep coming. Created in a workflow's step (a step's
transaction moving a record whose hooks wake another workflow) with the step's context, it would go on sending
after the step has returned, in the workflow's context: DBOS would record those sends as the workflow's operations,
concurrently with its own, and stop it as not deterministic (DBOSUnexpectedStepError) when it is recovered."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from dbos import DBOS, SetWorkflowID
from fastapi import FastAPI

from hestami.core import workflows

TOPIC = "testWakeup"


@DBOS.step(name="testWakeupPostingStep")
async def _posting_step(target: str) -> None:
    workflows.wakeups.post(target, TOPIC, {"woken": True})


@DBOS.workflow(name="test_wakeup_poster")
async def _poster(target: str) -> str:
    await _posting_step(target)
    for _ in range(10):
        await DBOS.recv_async("testNothing", timeout_seconds=0.05)
    return "done"


@DBOS.workflow(name="test_wakeup_target")
async def _target() -> Any:
    return await DBOS.recv_async(TOPIC, timeout_seconds=30)


async def test_a_wake_up_posted_in_a_step_is_no_operation_of_its_workflow(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    send_pending = workflows.Wakeups._send_pending

    async def busy_sender(self: workflows.Wakeups) -> None:  # the sender is still at work after the step returned
        await asyncio.sleep(0.2)
        await send_pending(self)

    monkeypatch.setattr(workflows.Wakeups, "_send_pending", busy_sender)
    target_id, poster_id = f"test-wakeup-target-{uuid.uuid4()}", f"test-wakeup-poster-{uuid.uuid4()}"
    with SetWorkflowID(target_id):
        target = await DBOS.start_workflow_async(_target)
    await workflows.wakeups.settled()
    with SetWorkflowID(poster_id):
        poster = await DBOS.start_workflow_async(_poster, target_id)
    assert await poster.get_result() == "done"
    assert await target.get_result() == {"woken": True}
    steps = [step["function_name"] for step in await DBOS.list_workflow_steps_async(poster_id)]
    assert "testWakeupPostingStep" in steps
    assert [name for name in steps if "send" in name.lower()] == [], steps

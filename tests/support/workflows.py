"""Waiting for a DBOS workflow to end. A domain record's final status commits in the workflow's last step; DBOS
records the workflow's own end (SUCCESS, ERROR) a moment later, so a test that saw the record finish waits for it."""

from __future__ import annotations

import asyncio
from typing import Any

from dbos import DBOS

RUNNING = ("PENDING", "ENQUEUED")


async def ended(workflow_id: str, within: float = 30) -> Any:
    """The workflow's status once it is no longer PENDING or ENQUEUED (fails after `within` seconds)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        status = await DBOS.get_workflow_status_async(workflow_id)
        if status is not None and status.status not in RUNNING:
            return status
        assert asyncio.get_running_loop().time() < deadline, f"{workflow_id} still {status and status.status}"
        await asyncio.sleep(0.05)

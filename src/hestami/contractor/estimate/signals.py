"""Waking an estimate's `estimate_generation_v1` once a change has committed (a lost wake-up only delays it: each
turn reads committed state)."""

from __future__ import annotations

import uuid

from hestami.contractor.estimate import lifecycle
from hestami.core import workflows
from hestami.core.context import RequestContext

TOPIC = "estimate"


async def wake(estimate_id: uuid.UUID) -> None:
    workflows.wakeups.post(lifecycle.workflow_id(estimate_id), TOPIC, {"wake": True})


def wake_after_commit(ctx: RequestContext, estimate_id: uuid.UUID) -> None:
    ctx.after_commit(lambda: wake(estimate_id))

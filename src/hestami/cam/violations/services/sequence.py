"""The notice sequence as the lifecycle workflow drives it: what is due for a violation now."""

from __future__ import annotations

from datetime import datetime

from hestami.cam.violations import lifecycle
from hestami.cam.violations.models import Violation
from hestami.cam.violations.services import hearings, notices
from hestami.core.context import RequestContext


async def send_due(ctx: RequestContext, violation: Violation, now: datetime) -> str | None:
    """On a locked violation: the courtesy notice of a new violation, or the next notice once a cure date has
    passed uncured (after the second notice, the hearing, at the earliest date its notice allows). Returns the
    step sent, or None when nothing is due."""
    if violation.status == "OPEN":
        await notices.send(ctx, violation, "COURTESY")
        return "COURTESY"
    if violation.status not in lifecycle.CURE_RUNNING or violation.cure_due_at is None or violation.cure_due_at > now:
        return None
    step = notices.next_step(violation)
    if step == "HEARING":
        at = lifecycle.earliest_hearing(now, violation.settings, notices.day_seconds())
        await hearings.schedule(ctx, violation, at, now=now)
    else:
        await notices.send(ctx, violation, step)
    return step

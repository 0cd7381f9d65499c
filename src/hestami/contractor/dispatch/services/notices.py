"""What the customer hears of an assignment: the arrival window when a technician is assigned (again when the
window changes), and "on the way" when the technician sets off. Recorded through the outbox with a dedupe key per
assignment and window, and per assignment for "on the way", so each goes out once however often the assignment's
run records it.

The customer: a DIRECT job's customer (email, else phone by SMS; neither: no notice); a work order's job is
announced to the HOA's organization (`hoa:<organization id>`), as work orders announce to `provider:<org>`.
"""

from __future__ import annotations

from typing import Any

from hestami.contractor.dispatch.models import DispatchAssignment
from hestami.contractor.job import api as jobs
from hestami.core.context import RequestContext
from hestami.core.outbox import Channel, OutboundMessage, record_once

WINDOW_TEMPLATE = "dispatch.arrival_window"
ON_THE_WAY_TEMPLATE = "dispatch.on_the_way"


recipient = jobs.customer_address


def window_key(assignment: DispatchAssignment) -> str:
    return (
        f"dispatch_assignment:{assignment.id}:window:"
        f"{assignment.window_start.isoformat()}:{assignment.window_end.isoformat()}"
    )


def on_the_way_key(assignment: DispatchAssignment) -> str:
    return f"dispatch_assignment:{assignment.id}:on_the_way"


def _message(
    assignment: DispatchAssignment,
    job: jobs.JobRef,
    to: tuple[Channel, str],
    template: str,
    key: str,
    payload: dict[str, Any],
) -> OutboundMessage:
    channel, address = to
    return OutboundMessage(
        organization_id=assignment.organization_id,
        channel=channel,
        recipient=address,
        template=template,
        payload={"job": job.number, "title": job.title, "work_order_id": _text(job.work_order_id), **payload},
        entity_type="job",
        entity_id=job.id,
        dedupe_key=key,
    )


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


async def arrival_window(ctx: RequestContext, assignment: DispatchAssignment, job: jobs.JobRef) -> bool:
    """The arrival window notice for the assignment's current window (once per window); whether one is due."""
    to = await recipient(ctx, job)
    if to is None:
        return False
    payload = {
        "window_start": assignment.window_start.isoformat(),
        "window_end": assignment.window_end.isoformat(),
        "assignment_id": str(assignment.id),
    }
    await record_once(ctx.session, _message(assignment, job, to, WINDOW_TEMPLATE, window_key(assignment), payload))
    return True


async def on_the_way(ctx: RequestContext, assignment: DispatchAssignment, job: jobs.JobRef) -> bool:
    """The "on the way" notice (once per assignment); whether one is due."""
    to = await recipient(ctx, job)
    if to is None:
        return False
    payload = {
        "window_start": assignment.window_start.isoformat(),
        "window_end": assignment.window_end.isoformat(),
        "en_route_at": _text(assignment.en_route_at.isoformat() if assignment.en_route_at else None),
        "assignment_id": str(assignment.id),
    }
    await record_once(
        ctx.session, _message(assignment, job, to, ON_THE_WAY_TEMPLATE, on_the_way_key(assignment), payload)
    )
    return True

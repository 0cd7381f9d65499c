"""A scheduled run's delivery: once it is COMPLETED, a PORTAL notification to each recipient who is still a member
(EMAIL to their address as well), with the report's title and how to download it. Written through the outbox in
the transaction that completes the run, with a dedupe key per run, recipient and channel, so a step that runs
again after a crash delivers nothing twice."""

from __future__ import annotations

from hestami.cam.reporting.models import ReportRun, ReportSchedule
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

TEMPLATE = "report.delivered"


async def deliver(ctx: RequestContext, run: ReportRun, schedule: ReportSchedule) -> int:
    """Messages recorded (or already there) for the run's recipients; those no longer members are skipped."""
    payload = {
        "report": run.report, "title": run.title, "run_id": str(run.id), "format": run.format,
        "due_on": run.due_on.isoformat() if run.due_on else None, "file_name": run.file_name,
        "download": f"report/v1/download with id {run.id}",
    }  # fmt: skip
    messages: list[OutboundMessage] = []
    for user_id in dict.fromkeys(schedule.recipients):
        if await identity.member_roles(ctx, user_id) is None:
            continue
        addresses = [("PORTAL", f"user:{user_id}")]
        email = await identity.email_of_member(ctx, user_id)
        if email:
            addresses.append(("EMAIL", email))
        messages.extend(
            OutboundMessage(
                organization_id=run.organization_id, channel=channel, recipient=recipient, recipient_user_id=user_id,
                template=TEMPLATE, payload=payload, request_id=ctx.request_id, entity_type="report_run",
                entity_id=run.id, dedupe_key=f"reportRun:{run.id}:delivery:{user_id}:{channel}",
            )
            for channel, recipient in addresses
        )  # fmt: skip
    await record_all_once(ctx.session, messages)
    return len({m.recipient_user_id for m in messages})

"""Report runs: a run recorded QUEUED with `reportGeneration_v1` started (before the request commits; its first step
waits for the run), runs read back (Cerbos `report_run` view, filtered in SQL for lists) and their files' links."""

from __future__ import annotations

import uuid

from hestami.cam.documents import api as documents
from hestami.cam.documents.schemas import DownloadOut
from hestami.cam.reporting import kinds, lifecycle
from hestami.cam.reporting.errors import ReportingReason, rule
from hestami.cam.reporting.models import ReportRun
from hestami.cam.reporting.schemas import Generate, ListRuns, RunOut, RunsOut
from hestami.cam.reporting.services.subjects import DOCUMENT_SCOPE, authorize_generation, run_values, subject
from hestami.cam.reporting.workflows import start as start_workflow
from hestami.core import records
from hestami.core.context import RequestContext


async def generate(ctx: RequestContext, data: Generate) -> RunOut:
    found = await subject(ctx, data.report, data.parameters)
    await authorize_generation(ctx, found)
    assert ctx.user_id is not None
    run = ReportRun(**run_values(ctx, found, data.format), status="QUEUED", requested_by=ctx.user_id)
    run = await records.insert(ctx, kinds.REPORT_RUN, run)
    await start_workflow(run.organization_id, run.id)
    return output(run)


def output(run: ReportRun) -> RunOut:
    return records.output(RunOut, run, workflow_id=lifecycle.workflow_id(run.id))


async def get(ctx: RequestContext, run_id: uuid.UUID) -> RunOut:
    return output(await records.load(ctx, kinds.REPORT_RUN, run_id))


async def list_runs(ctx: RequestContext, data: ListRuns) -> RunsOut:
    filters = []
    if data.association_id is not None:
        filters.append(ReportRun.association_id == data.association_id)
    if data.report is not None:
        filters.append(ReportRun.report == data.report)
    if data.status is not None:
        filters.append(ReportRun.status == data.status)
    if data.schedule_id is not None:
        filters.append(ReportRun.schedule_id == data.schedule_id)
    items, cursor = await records.page(ctx, kinds.REPORT_RUN, data, *filters)
    return RunsOut(items=[output(run) for run in items], next_cursor=cursor)


async def download(ctx: RequestContext, run_id: uuid.UUID) -> DownloadOut:
    """A signed link to the run's file (the caller may `download` the run): NOT_COMPLETED until it is."""
    run = await records.load(ctx, kinds.REPORT_RUN, run_id, "download")
    if run.status != "COMPLETED" or run.document_id is None:
        raise rule(ReportingReason.NOT_COMPLETED, f"The report is {run.status}.", status=run.status)
    return await documents.attached_file_link(ctx, DOCUMENT_SCOPE, run.id, run.document_id)

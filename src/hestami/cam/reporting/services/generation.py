"""One run generated, as `reportGeneration_v1`'s steps do it.

`begin` (as the system) moves a QUEUED run to RUNNING. `produce` acts as the user who asked for the report: it checks
again that they may generate it (a schedule's creator may have lost access since), calls the definition's `produce`,
renders the result to a temporary file with the format's renderer (`render.write`, reporting rows as they are
written: the run's `rows_written`, saved about once a second by the system alongside), files it as a document
under the run and marks the run COMPLETED with the document, rows and bytes, in one transaction; a scheduled run's
delivery goes into the outbox in the same transaction. Run again after a crash, a step finds the run finished and
does nothing: a run COMPLETED before DBOS recorded the step is not generated twice.

Failures end the run FAILED (`fail`, as the system): a domain error's reason or a platform error's code with its
message; anything else INTERNAL_ERROR with a generic message (the log has the details). The database out of reach
is no failure: the step's retries wait for it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import structlog

from hestami.cam.documents import api as documents
from hestami.cam.documents.content.rules import Category
from hestami.cam.reporting import lifecycle, render, repository
from hestami.cam.reporting.definitions import ReportData
from hestami.cam.reporting.errors import ReportingReason
from hestami.cam.reporting.models import ReportRun
from hestami.cam.reporting.services import delivery
from hestami.cam.reporting.services.subjects import DOCUMENT_SCOPE, Subject, authorize_generation, subject
from hestami.core import runtime, workflows
from hestami.core.acting import NotAMemberError, acting
from hestami.core.context import RequestContext
from hestami.core.errors import DomainError, ErrorCode, HestamiError
from hestami.core.uploads import HEAD_BYTES, StagedFile

log = structlog.get_logger("hestami.reporting.generation")
UNEXPECTED = "The report failed unexpectedly; the server log has the details."
PROGRESS_SECONDS = 1.0
FILED_AS: dict[str, tuple[Category, str]] = {
    "FINANCIAL": (Category.FINANCIAL_REPORT, "BOARD"),
    "OWNER": (Category.FINANCIAL_REPORT, "MANAGERS"),
    "OPERATIONAL": (Category.OTHER, "BOARD"),
    "PORTFOLIO": (Category.OTHER, "MANAGERS"),
}
"""A run's document: financial reports (and owners' statements) are FINANCIAL_REPORTs; operational and portfolio
reports are OTHER, the one category that takes every output format (INSPECTION_REPORT takes only PDFs and images).
Visibility: the association's board and managers see its financial and operational reports in the document library,
as the board packet; an owner's statement and portfolio reports are for management only there (`OWNERS` would show
one owner's statement to every owner): their owners and requesters download them through `report/v1/download`."""


class RunNotVisibleError(workflows.NotCommittedYet):
    """The run is not visible (yet): the transaction that asked for it has not committed; the step retries."""


def state(run: ReportRun) -> dict[str, Any]:
    return {"status": run.status, "row_count": run.row_count, "error_code": run.error_code}


async def begin(ctx: RequestContext, run_id: uuid.UUID) -> dict[str, Any] | None:
    """QUEUED → RUNNING; None while the run is not visible."""
    run = await repository.run(ctx.session, run_id, lock=True)
    if run is None:
        return None
    if run.status == "QUEUED":
        run.status, run.started_at = "RUNNING", datetime.now(UTC)
        await ctx.session.flush()
    return state(run)


class _Progress:
    """Rows written, saved by the system in short transactions of their own while the run's is open."""

    def __init__(self, organization_id: uuid.UUID, run_id: uuid.UUID) -> None:
        self.organization_id, self.run_id, self.rows, self.saved = organization_id, run_id, 0, 0

    def __call__(self, rows: int) -> None:
        self.rows = rows

    async def _save(self) -> None:
        if self.rows > self.saved:
            rows = self.rows
            async with acting(
                runtime.current(), procedure=lifecycle.GENERATION_WORKFLOW, organization_id=self.organization_id
            ) as ctx:
                await repository.set_progress(ctx.session, self.run_id, rows)
            self.saved = rows

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(PROGRESS_SECONDS)
            try:
                await self._save()
            except Exception:
                log.warning("report_progress_not_saved", run_id=str(self.run_id), exc_info=True)

    @contextlib.asynccontextmanager
    async def saving(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self._loop(), name=f"report-progress-{self.run_id}")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _staged(path: Path, file_name: str) -> StagedFile:
    """The rendered file as documents take an upload: hashed and measured, its first bytes kept (blocking)."""
    digest, size, head = hashlib.sha256(), 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            digest.update(chunk)
            size += len(chunk)
    return StagedFile(path, file_name, size, digest.hexdigest(), head)


async def write(data: ReportData, fmt: str, path: Path, progress: Callable[[int], None]) -> render.RenderedFile:
    """The format's renderer."""
    return await render.write(data, cast(render.Format, fmt), path, progress)


def _file_name(run: ReportRun, extension: str) -> str:
    stamp = (run.due_on or run.created_at.date()).isoformat()
    return f"{run.report}-{stamp}.{extension}"


async def _store(ctx: RequestContext, run: ReportRun, found: Subject, progress: _Progress) -> None:
    data = await found.definition.produce(ctx, found.parameters)
    category, visibility = FILED_AS[run.category]
    with tempfile.TemporaryDirectory(prefix="report-") as directory:
        async with progress.saving():
            rendered = await write(data, run.format, Path(directory) / "report", progress)
        staged = await asyncio.to_thread(_staged, Path(rendered.path), _file_name(run, rendered.extension))
        filed = await documents.attach_file(
            ctx, organization_id=run.organization_id, association_id=run.association_id, scope_type=DOCUMENT_SCOPE,
            scope_id=run.id, staged=staged, category=category, visibility=visibility,
            title=f"{data.title} ({run.format})", text="\n".join(filter(None, [data.title, data.subtitle])),
        )  # fmt: skip
    run.status, run.completed_at, run.document_id = "COMPLETED", datetime.now(UTC), filed.id
    run.row_count = run.rows_written = int(rendered.rows)
    run.size_bytes, run.file_name, run.content_type = filed.size_bytes, filed.file_name, filed.content_type
    await ctx.session.flush()
    if run.schedule_id is not None:
        schedule = await repository.schedule(ctx.session, run.schedule_id)
        if schedule is not None:
            await delivery.deliver(ctx, run, schedule)


async def produce(organization_id: uuid.UUID, run_id: uuid.UUID) -> dict[str, Any]:
    """The run generated and stored as its requester, or FAILED; its state either way."""
    rt = runtime.current()
    async with acting(rt, procedure=lifecycle.GENERATION_WORKFLOW, organization_id=organization_id) as system:
        run = await repository.run(system.session, run_id)
        if run is None:
            raise RunNotVisibleError(str(run_id))
        if run.status in lifecycle.FINISHED:
            return state(run)
        requester = run.requested_by
    try:
        async with acting(
            rt, procedure=lifecycle.GENERATION_WORKFLOW, organization_id=organization_id, user_id=requester
        ) as ctx:
            run = await repository.run(ctx.session, run_id)
            if run is None or run.status in lifecycle.FINISHED:
                return state(run) if run is not None else {"status": "MISSING"}
            found = await subject(ctx, run.report, run.parameters)
            await authorize_generation(ctx, found)
            await _store(ctx, run, found, _Progress(organization_id, run_id))
            done = state(run)
    except NotAMemberError:
        gone = "The person who asked for this report is no longer a member of the organization."
        return await fail(organization_id, run_id, ReportingReason.NO_LONGER_ALLOWED.value, gone)
    except Exception as error:
        if isinstance(error, RunNotVisibleError) or workflows.database_unavailable(error):
            raise
        code, message = failure(error)
        if code in (ErrorCode.FORBIDDEN.value, ErrorCode.NOT_FOUND.value):
            message = f"The person who asked for this report may not (or no longer) generate it: {message}"
        log.warning("report_generation_failed", run_id=str(run_id), code=code, exc_info=error)
        return await fail(organization_id, run_id, code, message)
    log.info("report_generated", run_id=str(run_id), **done)
    return done


def failure(error: Exception) -> tuple[str, str]:
    """(code, message) a FAILED run records: a domain error's reason, a platform error's code, with their
    messages; anything else INTERNAL_ERROR, its details left to the log."""
    if isinstance(error, DomainError) and isinstance(error.details, dict) and "reason" in error.details:
        return str(error.details["reason"]), error.message
    if isinstance(error, HestamiError):
        return error.code.value, error.message
    return ErrorCode.INTERNAL_ERROR.value, UNEXPECTED


async def fail(organization_id: uuid.UUID, run_id: uuid.UUID, code: str, message: str) -> dict[str, Any]:
    rt = runtime.current()
    async with acting(rt, procedure=lifecycle.GENERATION_WORKFLOW, organization_id=organization_id) as ctx:
        run = await repository.run(ctx.session, run_id, lock=True)
        if run is None:
            raise RunNotVisibleError(str(run_id))
        if run.status not in lifecycle.FINISHED:
            run.status, run.completed_at = "FAILED", datetime.now(UTC)
            run.error_code, run.error_message = code, message[:2000]
            await ctx.session.flush()
        return state(run)

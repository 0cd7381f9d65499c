"""`documentExtraction_v1`: reads a new version's text and renders its preview, after the upload.

Started (id `documentVersion:<id>:extract:v1`) just before the upload's transaction commits, so a crash after the
commit cannot lose it: DBOS recovers the workflow and runs its step. The step waits (retries) until the version is
visible, fetches the bytes from storage into a temporary file, extracts the text (PDF text, plain text) and renders
a preview (a PDF's first page, an image's thumbnail) in a thread, stores the preview, and records the result and
the document's new search vector in its own transaction. It is idempotent: a version already extracted is left
alone, and the preview's key is derived from the version, so a step run twice writes the same object.
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from hestami.cam.documents import repository
from hestami.cam.documents.content.extract import Extracted, UnreadableFile, extract
from hestami.cam.documents.models import DocumentVersion
from hestami.core import runtime, workflows
from hestami.core.acting import acting

log = structlog.get_logger("hestami.documents.extraction")
WORKFLOW_NAME = "documentExtraction_v1"


class VersionNotVisibleError(workflows.NotCommittedYet):
    """The uploading transaction has not committed (yet); the step retries."""


RETRIES = workflows.step_retries(VersionNotVisibleError)


def workflow_id(version_id: uuid.UUID | str) -> str:
    return f"documentVersion:{version_id}:extract:v1"


def preview_key(organization_id: str, version_id: str) -> str:
    return f"{organization_id}/previews/{version_id}.png"


async def _pending(organization_id: str, version_id: str) -> DocumentVersion | None:
    """The version if it still waits for extraction (None when done); retries while it is not visible."""
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        version = await repository.version_by_id(ctx.session, uuid.UUID(version_id))
        if version is None:
            raise VersionNotVisibleError(version_id)
        return version if version.extraction_status == "PENDING" else None


async def _read(version: DocumentVersion) -> tuple[Extracted | None, str | None]:
    """The extraction of the stored bytes, or the reason they could not be read."""
    with tempfile.TemporaryDirectory(prefix="extract-") as folder:
        path = Path(folder) / "content"
        await runtime.current().files.download_to(version.storage_key, path)
        try:
            return await asyncio.to_thread(extract, path, version.content_type), None
        except UnreadableFile as exc:
            return None, exc.reason


async def _record(organization_id: str, version_id: str, values: dict[str, Any]) -> None:
    async with acting(runtime.current(), procedure=WORKFLOW_NAME, organization_id=uuid.UUID(organization_id)) as ctx:
        version = await repository.version_by_id(ctx.session, uuid.UUID(version_id), lock=True)
        if version is None or version.extraction_status != "PENDING":
            return
        await repository.record_extraction(ctx.session, version.id, **values, extracted_at=datetime.now(UTC))
        await repository.refresh_search_if_current(ctx.session, version.document_id, version.id)


@DBOS.step(name="documentExtractText", **RETRIES)
async def extract_version(organization_id: str, version_id: str) -> str:
    version = await _pending(organization_id, version_id)
    if version is None:
        return "ALREADY_DONE"
    found, failure = await _read(version)
    if found is None:
        values: dict[str, Any] = {"extraction_status": "FAILED", "extraction_error": failure}
    else:
        key = None
        if found.preview_png is not None:
            key = preview_key(organization_id, version_id)
            await runtime.current().files.put_bytes(key, found.preview_png, "image/png")
        status = "DONE" if (found.text or key) else "NOT_APPLICABLE"
        values = {
            "extraction_status": status,
            "extracted_text": found.text or None,
            "page_count": found.page_count,
            "preview_key": key,
        }
    await _record(organization_id, version_id, values)
    log.info("document_extracted", version_id=version_id, status=values["extraction_status"])
    return str(values["extraction_status"])


@DBOS.workflow(name=WORKFLOW_NAME, max_recovery_attempts=1000)
async def document_extraction_v1(organization_id: str, version_id: str) -> str:
    return await extract_version(organization_id, version_id)


async def start_extraction(organization_id: uuid.UUID, version_id: uuid.UUID) -> None:
    """Idempotent: the workflow id is derived from the version."""
    with SetWorkflowID(workflow_id(version_id)):
        await DBOS.start_workflow_async(document_extraction_v1, str(organization_id), str(version_id))

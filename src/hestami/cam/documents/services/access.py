"""Who gets a document's bytes: signed, time-limited links issued after the policy check, each issue in the audit
trail (who, when, which version), and each refused attempt too, written even though the request fails."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath

from hestami.cam.documents import kinds, repository
from hestami.cam.documents.errors import DocumentReason, rule
from hestami.cam.documents.models import Document, DocumentVersion
from hestami.cam.documents.schemas import AccessEntry, AccessLogOut, DownloadDocument, DownloadOut
from hestami.cam.documents.services import intake
from hestami.core import audit, records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError, not_found
from hestami.core.pagination import PageRequest

REFUSED = "document.download_refused"
DOWNLOADED = "document.downloaded"


async def download(ctx: RequestContext, data: DownloadDocument) -> DownloadOut:
    """A link to the original (or the preview) of the current or a given version."""
    try:
        document = await records.load(ctx, kinds.DOCUMENT, data.id, "download")
    except HestamiError as exc:
        if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN):
            audit.record_even_if_rolled_back(
                ctx, runtime.current().database, REFUSED, kinds.DOCUMENT.name, data.id,
                after={"version": data.version, "variant": data.variant, "answer": exc.code.value},
            )  # fmt: skip
        raise
    version = await _version(ctx, document, data.version)
    link = await signed_link(ctx, document.id, version, data.variant)
    audit.record(
        ctx, DOWNLOADED, kinds.DOCUMENT.name, document.id,
        after={"version": version.version_number, "variant": data.variant, "file_name": link.file_name},
    )  # fmt: skip
    return link


async def _version(ctx: RequestContext, document: Document, number: int | None) -> DocumentVersion:
    found = (
        await repository.version(ctx.session, document.id, number)
        if number is not None
        else await repository.version_by_id(ctx.session, document.current_version_id)
        if document.current_version_id
        else None
    )
    if found is None:
        raise not_found("document_version", f"{document.id}#{number or 'current'}")
    return found


async def signed_link(
    ctx: RequestContext, document_id: uuid.UUID, version: DocumentVersion, variant: str
) -> DownloadOut:
    seconds = runtime.current().settings.download_url_seconds
    expires_at = datetime.now(UTC) + timedelta(seconds=seconds)
    if variant == "PREVIEW":
        if version.preview_key is None:
            raise rule(
                DocumentReason.NO_PREVIEW,
                "This version has no preview (not an image or PDF, or not extracted yet).",
                extraction_status=version.extraction_status,
            )
        name = f"{PurePosixPath(version.file_name).stem or 'preview'}-preview.png"
        url = await intake.store().signed_url(
            version.preview_key, file_name=name, content_type="image/png", expires_in=seconds
        )
        return DownloadOut(
            url=url, expires_at=expires_at, file_name=name, content_type="image/png", size_bytes=None, sha256=None,
            version_number=version.version_number,
        )  # fmt: skip
    url = await intake.store().signed_url(
        version.storage_key, file_name=version.file_name, content_type=version.content_type, expires_in=seconds
    )
    return DownloadOut(
        url=url, expires_at=expires_at, file_name=version.file_name, content_type=version.content_type,
        size_bytes=version.size_bytes, sha256=version.sha256, version_number=version.version_number,
    )  # fmt: skip


async def access_log(ctx: RequestContext, document_id: uuid.UUID, page: PageRequest) -> AccessLogOut:
    """Every link issued for the document and every refused attempt, newest first."""
    document = await records.load(ctx, kinds.DOCUMENT, document_id, "view_access_log")
    events, cursor = await repository.access_page(ctx.session, document.organization_id, document.id, page)
    items = [
        AccessEntry(
            at=event.created_at,
            user_id=event.actor_user_id,
            action="DOWNLOADED" if event.action == DOWNLOADED else "REFUSED",
            version_number=(event.after or {}).get("version"),
            variant=(event.after or {}).get("variant"),
            request_id=event.request_id,
        )
        for event in events
    ]
    return AccessLogOut(items=items, next_cursor=cursor)

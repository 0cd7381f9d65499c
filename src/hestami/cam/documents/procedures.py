"""Domain 10's procedures: `document/v1/*`."""

from __future__ import annotations

from hestami.cam.documents.schemas import (
    AccessLogOut,
    AccessLogRequest,
    ById,
    CompareVersions,
    DocumentOut,
    DocumentsOut,
    DownloadDocument,
    DownloadOut,
    ListDocuments,
    RevertDocument,
    UpdateDocumentMetadata,
    UploadDocument,
    VersionComparison,
    VersionsOut,
)
from hestami.cam.documents.services import access, documents
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import REMOVED, Removed

document = ProcedureRouter("document")


@document.mutation("upload", file=True)
async def upload(ctx: RequestContext, data: UploadDocument) -> DocumentOut:
    """Upload a document, or a new version of one (`document_id`).

    Send `multipart/form-data` with two parts: `input`, this procedure's JSON input, and `file`, the bytes (up to
    `DOCUMENT_MAX_BYTES`, 100 MB by default, streamed to disk as they arrive). The type is read from the bytes,
    not the name, and must suit the category (a PHOTO is an image, BYLAWS a PDF, Word or text file, a BUDGET may
    be a spreadsheet). Refused with BUSINESS_RULE_VIOLATION and `details.reason`: EMPTY_FILE, UNKNOWN_FILE_TYPE,
    WRONG_TYPE_FOR_CATEGORY (with `accepted`), UNREADABLE_FILE (a PDF or image that does not parse),
    INFECTED_FILE (the virus scan's `signature`), DOCUMENT_ARCHIVED; a file over the limit is VALIDATION_FAILED
    (`file_too_large`). The scan's verdict is kept on the version; the text and a preview are extracted right
    after (`documentExtraction_v1`), after which the document is found by `list {query}`.
    A replay with the same Idempotency-Key, input and file (by SHA-256) returns the first answer."""
    return await documents.upload(ctx, data)


@document.query("get")
async def get(ctx: RequestContext, data: ById) -> DocumentOut:
    """A document with its current version (NOT_FOUND unless the caller may see it)."""
    return await documents.get(ctx, data.id)


@document.query("list")
async def list_documents(ctx: RequestContext, data: ListDocuments) -> DocumentsOut:
    """The documents the caller may see, newest first; filters by association, category, scope and status
    (ACTIVE unless asked). With `query` (web-search syntax: words, "a phrase", -not, or), full-text search over
    titles, descriptions, tags and the current version's text, best first, each with a `rank` and an
    `excerpt` where it matched (matched words between « »)."""
    return await documents.list_documents(ctx, data)


@document.query("download")
async def download(ctx: RequestContext, data: DownloadDocument) -> DownloadOut:
    """A signed, time-limited link (`DOWNLOAD_URL_SECONDS`) to the current or a given version, or its PREVIEW (a
    PNG of a PDF's first page or an image's thumbnail). Every link issued and every refused attempt is in the
    audit trail (`getAccessLog`). A document the caller may not see is NOT_FOUND, and no link is made."""
    return await access.download(ctx, data)


@document.mutation("updateMetadata")
async def update_metadata(ctx: RequestContext, data: UpdateDocumentMetadata) -> DocumentOut:
    """Change the title, category (it must suit the current file's type), visibility, description, tags or date."""
    return await documents.update_metadata(ctx, data)


@document.mutation("archive")
async def archive(ctx: RequestContext, data: ById) -> DocumentOut:
    """Archive a document (superseded, no longer in force): lists leave it out unless asked for ARCHIVED; it can
    still be read and restored, but not given new versions."""
    return await documents.archive(ctx, data.id)


@document.mutation("restore")
async def restore(ctx: RequestContext, data: ById) -> DocumentOut:
    """Bring an archived document back (NOT_ARCHIVED otherwise)."""
    return await documents.restore(ctx, data.id)


@document.mutation("delete")
async def delete(ctx: RequestContext, data: ById) -> Removed:
    """Soft-delete a document: nothing lists, gets or downloads it any more; its rows and bytes stay for the
    audit trail."""
    await documents.delete(ctx, data.id)
    return REMOVED


@document.query("getVersions")
async def get_versions(ctx: RequestContext, data: ById) -> VersionsOut:
    """Every version, newest first: file, size, SHA-256, who uploaded it and why, the virus scan's verdict, the
    extraction's status and page count, and which one is current."""
    return await documents.versions(ctx, data.id)


@document.mutation("revert")
async def revert(ctx: RequestContext, data: RevertDocument) -> DocumentOut:
    """Make an earlier version's bytes current again, as a new version (history keeps every version)."""
    return await documents.revert(ctx, data)


@document.query("compareVersions")
async def compare_versions(ctx: RequestContext, data: CompareVersions) -> VersionComparison:
    """What changed between two versions: content (by hash), name, type, size, pages, and a unified diff of their
    extracted text."""
    return await documents.compare(ctx, data)


@document.query("getAccessLog")
async def get_access_log(ctx: RequestContext, data: AccessLogRequest) -> AccessLogOut:
    """Who was given a link to the document (which version, original or preview) and who was refused, newest
    first. Managers only."""
    return await access.access_log(ctx, data.id, data)


ROUTERS = [document]

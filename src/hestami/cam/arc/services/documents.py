"""The documents filed with an ARC request: plans, specifications, photos and permits, each a document of the
request (domain 10, scope ARC_REQUEST, managers' visibility) and a row here saying its kind, its version and the
review round it goes into. A revision after changes were requested is a new version of the same document, so the
documents domain's version history and comparison show what changed between submissions. Files are added only
while the request can be edited (DRAFT or CHANGES_REQUESTED)."""

from __future__ import annotations

import base64
import binascii
import uuid

from hestami.cam.arc import kinds, lifecycle, repository
from hestami.cam.arc.errors import ArcReason, rule
from hestami.cam.arc.models import RequestDocument
from hestami.cam.arc.schemas import AddArcDocument, ArcDocumentOut, ArcDocumentRef, ArcDocumentsOut
from hestami.cam.arc.services.requests import reference
from hestami.cam.documents import api as documents
from hestami.cam.documents.content.rules import Category
from hestami.cam.documents.schemas import DownloadOut
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError, not_found
from hestami.core.uploads import stage_bytes

SCOPE = "ARC_REQUEST"
MAX_FILE_BYTES = 10 * 1024 * 1024
CATEGORIES: dict[str, Category] = {
    "PLAN": Category.ARC_PLAN,
    "SPECIFICATION": Category.ARC_PLAN,
    "PERMIT": Category.ARC_PLAN,
    "PHOTO": Category.PHOTO,
    "OTHER": Category.OTHER,
}
"""Plans, specifications and permits are drawings or scans (a PDF or images); photos are images."""


async def association_of(ctx: RequestContext, request_id: uuid.UUID) -> uuid.UUID:
    """For documents filed under a request: the request, loaded in the caller's scope, and its association."""
    return (await records.load(ctx, kinds.ARC_REQUEST, request_id)).association_id


documents.register_link(SCOPE, association_of)


def _invalid(pointer: str, message: str, kind: str) -> HestamiError:
    return HestamiError(ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError(pointer, message, kind)])


def decode(content_base64: str) -> bytes:
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid("/content_base64", "The content is not valid base64.", "base64") from None
    if not content:
        raise _invalid("/content_base64", "The file is empty.", "empty")
    if len(content) > MAX_FILE_BYTES:
        raise _invalid("/content_base64", "Files are limited to 10 MB.", "too_large")
    return content


def _out(row: RequestDocument, file: documents.FileVersion) -> ArcDocumentOut:
    return ArcDocumentOut(
        document_id=row.document_id, kind=row.kind, version_number=row.version_number, round=row.round,
        file_name=file.file_name, content_type=file.content_type, size_bytes=file.size_bytes, sha256=file.sha256,
        added_by=row.added_by, created_at=row.created_at,
    )  # fmt: skip


async def add_document(ctx: RequestContext, data: AddArcDocument) -> ArcDocumentOut:
    """Files a new document (of `kind`) or, with `document_id`, a new version of one filed earlier with this
    request (its kind stays). What is added goes into the next submission: round = the request's round + 1."""
    request = await records.load(ctx, kinds.ARC_REQUEST, data.id, "add_document", lock=True)
    if request.status not in lifecycle.EDITABLE:
        raise rule(
            ArcReason.NOT_EDITABLE, f"Documents cannot be added to a request in {request.status}.",
            status=request.status,
        )  # fmt: skip
    kind: str = data.kind
    if data.document_id is not None:
        rows = await repository.documents(ctx.session, request.id)
        earlier = next((d for d in rows if d.document_id == data.document_id), None)
        if earlier is None:
            raise not_found("arc_request_document", data.document_id)
        kind = earlier.kind
    round_ = request.round + 1
    content = decode(data.content_base64)
    staged = await stage_bytes(content, data.file_name, max_bytes=MAX_FILE_BYTES)
    try:
        if data.document_id is None:
            filed = await documents.attach_file(
                ctx, organization_id=request.organization_id, association_id=request.association_id,
                scope_type=SCOPE, scope_id=request.id, staged=staged, visibility="MANAGERS",
                category=CATEGORIES[kind], title=f"{reference(request.number)} {kind.lower()}: {data.file_name}",
            )  # fmt: skip
            file = documents.FileVersion(
                document_id=filed.id, version_number=1, file_name=filed.file_name, content_type=filed.content_type,
                size_bytes=filed.size_bytes, sha256=filed.sha256, uploaded_by=filed.uploaded_by,
                created_at=filed.created_at,
            )  # fmt: skip
        else:
            file = await documents.add_file_version(
                ctx, data.document_id, staged, scope_type=SCOPE, scope_id=request.id,
                change_note=f"Revised for review round {round_} of {reference(request.number)}.",
            )  # fmt: skip
    finally:
        staged.remove()
    row = RequestDocument(
        organization_id=request.organization_id, request_id=request.id, document_id=file.document_id, kind=kind,
        version_number=file.version_number, round=round_, added_by=ctx.user_id,
    )  # fmt: skip
    ctx.session.add(row)
    await ctx.session.flush()
    await ctx.session.refresh(row)
    audit.record(
        ctx, "arc_request.document_added", kinds.ARC_REQUEST.name, request.id,
        after={"document_id": str(file.document_id), "kind": kind, "version_number": file.version_number,
               "round": round_, "file_name": file.file_name, "sha256": file.sha256},
    )  # fmt: skip
    return _out(row, file)


async def list_documents(ctx: RequestContext, request_id: uuid.UUID) -> ArcDocumentsOut:
    """Every version filed with the request, with the round it went into (for whoever may view the request)."""
    request = await records.load(ctx, kinds.ARC_REQUEST, request_id)
    rows = await repository.documents(ctx.session, request.id)
    files = {(f.document_id, f.version_number): f for f in await documents.file_versions(ctx, SCOPE, request.id)}
    found = [(r, files.get((r.document_id, r.version_number))) for r in rows]
    return ArcDocumentsOut(items=[_out(r, f) for r, f in found if f is not None])


async def download(ctx: RequestContext, data: ArcDocumentRef) -> DownloadOut:
    """A signed link to a document filed with the request (the latest version unless given), for whoever may view
    the request: the owner, the committee, the board, managers. Recorded in the document's access trail."""
    request = await records.load(ctx, kinds.ARC_REQUEST, data.id)
    return await documents.attached_file_link(ctx, SCOPE, request.id, data.document_id, data.version_number)

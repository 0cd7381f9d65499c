"""The files of an owner request: photos and documents the owner sends with it, each filed as a document of the
request (domain 10, scope OWNER_REQUEST, managers' visibility: the owner reaches them through the request), checked,
typed from its bytes and virus-scanned like any upload. When the request becomes a work order its files go with it:
the same stored bytes (storage is content-addressed per organization, so nothing is uploaded again) filed as the work
order's attachments, after the same checks."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from typing import Literal

from hestami.cam.documents import api as documents
from hestami.cam.portal import kinds
from hestami.cam.portal.errors import PortalReason, rule
from hestami.cam.portal.models import OwnerRequest
from hestami.cam.portal.schemas import MAX_ATTACHMENTS, RequestFileOut
from hestami.core import records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError
from hestami.core.uploads import StagedFile, stage_bytes

SCOPE = "OWNER_REQUEST"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = MAX_ATTACHMENTS


async def association_of(ctx: RequestContext, request_id: uuid.UUID) -> uuid.UUID:
    """For documents filed under a request: the request, loaded in the caller's scope, and its association."""
    return (await records.load(ctx, kinds.OWNER_REQUEST, request_id)).association_id


documents.register_link(SCOPE, association_of)


def _invalid(pointer: str, message: str, code: str) -> HestamiError:
    return HestamiError(ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError(pointer, message, code)])


def decode(content_base64: str, pointer: str) -> bytes:
    """The bytes of a file sent as base64 (VALIDATION_FAILED at `pointer` when not base64, empty or over 5 MB)."""
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid(pointer, "The content is not valid base64.", "base64") from None
    if not content:
        raise _invalid(pointer, "The file is empty.", "empty")
    if len(content) > MAX_FILE_BYTES:
        raise _invalid(pointer, "Files are limited to 5 MB.", "too_large")
    return content


async def attach(ctx: RequestContext, request: OwnerRequest, file_name: str, content: bytes) -> documents.AttachedFile:
    """Files the bytes as a document of the request (a PHOTO for an image, else OTHER)."""
    staged = await stage_bytes(content, file_name, max_bytes=MAX_FILE_BYTES)
    try:
        return await documents.attach_file(
            ctx, organization_id=request.organization_id, association_id=request.association_id, scope_type=SCOPE,
            scope_id=request.id, staged=staged, visibility="MANAGERS", title=f"{request.reference}: {staged.file_name}",
        )  # fmt: skip
    finally:
        staged.remove()


async def files_of(ctx: RequestContext, request: OwnerRequest) -> list[documents.AttachedFile]:
    return await documents.attached_files(ctx, SCOPE, request.id)


def file_out(file: documents.AttachedFile, source: Literal["REQUEST", "WORK_ORDER"]) -> RequestFileOut:
    return RequestFileOut(
        id=file.id, source=source, file_name=file.file_name, content_type=file.content_type,
        size_bytes=file.size_bytes, sha256=file.sha256, uploaded_by=file.uploaded_by, created_at=file.created_at,
    )  # fmt: skip


async def staged_copy(file: documents.AttachedFile) -> StagedFile:
    """The stored bytes of a request's file, staged again (for the work order it becomes), read from the
    organization's content address (`<org>/<sha256[:2]>/<sha256>`, `core.storage`) and checked against the SHA-256
    recorded when it was filed."""
    key = f"{file.organization_id}/{file.sha256[:2]}/{file.sha256}"
    chunks: list[bytes] = []
    try:
        async for chunk in runtime.current().files.stream(key):
            chunks.append(chunk)
    except FileNotFoundError:
        chunks = []
    content = b"".join(chunks)
    if hashlib.sha256(content).hexdigest() != file.sha256:
        raise rule(
            PortalReason.FILE_UNAVAILABLE, f"The stored bytes of {file.file_name} are missing or changed.",
            attachment_id=str(file.id),
        )  # fmt: skip
    return await stage_bytes(content, file.file_name, max_bytes=MAX_FILE_BYTES)

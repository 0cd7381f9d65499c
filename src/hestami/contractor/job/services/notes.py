"""A job's notes and attachments. Notes are internal by default: the contractor's own, read by its management,
dispatchers and the job's technicians, never by its VENDOR members (who deal with the HOAs) nor shown outside the
organization; a note not internal may be shared. Attachments are documents of the contractor filed under the job
(scope JOB, no association): typed from their bytes, virus-scanned and extracted like any upload."""

from __future__ import annotations

import base64
import binascii
import uuid

from hestami.cam.documents import api as documents
from hestami.cam.documents.schemas import DownloadOut
from hestami.contractor.job import kinds
from hestami.contractor.job.errors import JobReason, rule
from hestami.contractor.job.models import Job, JobNote
from hestami.contractor.job.schemas import (
    AddAttachment,
    AddNote,
    AttachmentOut,
    AttachmentRef,
    AttachmentsOut,
    NoteOut,
    NotesOut,
)
from hestami.contractor.job.services import jobs, reading
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.uploads import stage_bytes

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_SCOPE = "JOB"


async def add_note(ctx: RequestContext, data: AddNote) -> NoteOut:
    job = await jobs.load(ctx, data.job_id)
    note = JobNote(job_id=job.id, author_user_id=ctx.user_id, body=data.body, internal=data.internal)
    made = await records.create(ctx, kinds.JOB_NOTE, note)
    return records.output(NoteOut, made)


async def list_notes(ctx: RequestContext, job_id: uuid.UUID) -> NotesOut:
    """The job's notes the caller may read, oldest first."""
    job = await jobs.load(ctx, job_id)
    return NotesOut(items=[records.output(NoteOut, n) for n in await reading.readable_notes(ctx, job)])


def _attachment_out(attached: documents.AttachedFile) -> AttachmentOut:
    return AttachmentOut(
        id=attached.id, organization_id=attached.organization_id, created_at=attached.created_at,
        updated_at=attached.updated_at, job_id=attached.scope_id, file_name=attached.file_name,
        content_type=attached.content_type, size_bytes=attached.size_bytes, sha256=attached.sha256,
        uploaded_by=attached.uploaded_by,
    )  # fmt: skip


def _decoded(content_base64: str) -> bytes:
    try:
        content = base64.b64decode(content_base64, validate=True)
    except binascii.Error:
        raise HestamiError(ErrorCode.VALIDATION_FAILED, "content_base64 is not base64.") from None
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise rule(JobReason.ATTACHMENT_TOO_LARGE, "Attachments are limited to 5 MB.", size=len(content))
    return content


async def add_attachment(ctx: RequestContext, data: AddAttachment) -> AttachmentOut:
    job: Job = await jobs.load(ctx, data.id, "attach")
    staged = await stage_bytes(_decoded(data.content_base64), data.file_name, max_bytes=MAX_ATTACHMENT_BYTES)
    try:
        attached = await documents.attach_file(
            ctx, organization_id=job.organization_id, association_id=None, scope_type=ATTACHMENT_SCOPE,
            scope_id=job.id, staged=staged,
        )  # fmt: skip
    finally:
        staged.remove()
    audit.record(ctx, "job.attachment_added", kinds.JOB.name, job.id, after={"file_name": attached.file_name,
                                                                          "document_id": str(attached.id)})  # fmt: skip
    return _attachment_out(attached)


async def list_attachments(ctx: RequestContext, job_id: uuid.UUID) -> AttachmentsOut:
    job = await jobs.load(ctx, job_id)
    found = await documents.attached_files(ctx, ATTACHMENT_SCOPE, job.id)
    return AttachmentsOut(items=[_attachment_out(a) for a in found])


async def download_attachment(ctx: RequestContext, data: AttachmentRef) -> DownloadOut:
    """A signed link to one of the job's files (NOT_FOUND for a file not filed under this job), recorded in the
    document's access trail."""
    job = await jobs.load(ctx, data.id)
    return await documents.attached_file_link(ctx, ATTACHMENT_SCOPE, job.id, data.attachment_id)

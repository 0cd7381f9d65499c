"""Photos, documents and voice notes of a visit, each filed through the documents domain as a document of the
contractor under the job (scope JOB, no association: typed from its bytes, virus-scanned), and listed here with the
visit it was taken on. A voice note's audio goes to the transcription port; what it was asked and answered is
stored (`field_transcriptions`) and its transcript recorded as the document's text."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import uuid

from hestami.cam.documents import api as documents
from hestami.cam.documents.content.rules import Category
from hestami.contractor.field import kinds, repository
from hestami.contractor.field.errors import FieldReason, rule
from hestami.contractor.field.models import Media, Transcription
from hestami.contractor.field.schemas import MediaListOut, MediaOut, MediaPayload, OfJob, VoiceNotePayload
from hestami.contractor.field.services import worksite
from hestami.contractor.field.services.worksite import Worksite
from hestami.contractor.field.transcription import TranscriptionRequest, transcriber
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.uploads import stage_bytes

MAX_BYTES = 5 * 1024 * 1024
SCOPE = "JOB"
"""The job's documents: field media also show among the job's attachments (`job/v1/listAttachments`)."""


def decoded(content_base64: str) -> bytes:
    try:
        content = base64.b64decode(content_base64, validate=True)
    except binascii.Error:
        raise HestamiError(ErrorCode.VALIDATION_FAILED, "The content is not base64.") from None
    if len(content) > MAX_BYTES:
        raise rule(FieldReason.FILE_TOO_LARGE, "Field files are limited to 5 MB.", size=len(content))
    return content


async def file(
    ctx: RequestContext, site: Worksite, kind: str, file_name: str, content: bytes, *, caption: str | None = None,
    category: Category | None = None, text: str | None = None,
) -> Media:  # fmt: skip
    """Files the bytes as a document of the job and records it as the visit's `kind` of media."""
    staged = await stage_bytes(content, file_name, max_bytes=MAX_BYTES)
    try:
        attached = await documents.attach_file(
            ctx, organization_id=ctx.require_org(), association_id=None, scope_type=SCOPE, scope_id=site.job.id,
            staged=staged, category=category, title=caption or file_name, text=text,
        )  # fmt: skip
    finally:
        staged.remove()
    media = Media(
        job_id=site.job.id, visit_id=site.visit.id, kind=kind, document_id=attached.id, caption=caption,
        file_name=attached.file_name, content_type=attached.content_type, size_bytes=attached.size_bytes,
        sha256=attached.sha256, uploaded_by=ctx.user_id,
    )  # fmt: skip
    return await records.insert(ctx, kinds.MEDIA, media)


def media_out(media: Media, transcription: Transcription | None = None) -> MediaOut:
    if transcription is None:
        return records.output(MediaOut, media)
    return records.output(
        MediaOut, media, transcript=transcription.transcript, transcription_status=transcription.status,
        transcription_provider=transcription.provider, transcription_request=transcription.request,
    )  # fmt: skip


async def upload(
    ctx: RequestContext, visit_id: uuid.UUID, data: MediaPayload, job_id: uuid.UUID | None = None
) -> MediaOut:
    site = await worksite.for_recording(ctx, visit_id, job_id)
    category = Category.PHOTO if data.kind == "PHOTO" else None
    made = await file(ctx, site, data.kind, data.file_name, decoded(data.content_base64), caption=data.caption,
                      category=category)  # fmt: skip
    return media_out(made)


async def voice_note(
    ctx: RequestContext, visit_id: uuid.UUID, data: VoiceNotePayload, job_id: uuid.UUID | None = None
) -> MediaOut:
    """The audio filed as a document, transcribed through the port (its request and answer stored)."""
    site = await worksite.for_recording(ctx, visit_id, job_id)
    content = decoded(data.content_base64)
    port = transcriber()
    probe = TranscriptionRequest("", data.file_name, "", len(content), hashlib.sha256(content).hexdigest(),
                                 data.transcript_hint)  # fmt: skip
    answer = port.transcribe(probe)
    made = await file(ctx, site, "VOICE_NOTE", data.file_name, content, text=answer.text)
    request = dataclasses.replace(probe, document_id=str(made.document_id), content_type=made.content_type)
    transcription = Transcription(
        media_id=made.id, provider=answer.provider, status=answer.status, request=dataclasses.asdict(request),
        transcript=answer.text,
    )  # fmt: skip
    stored = await records.insert(ctx, kinds.TRANSCRIPTION, transcription)
    return media_out(made, stored)


async def list_media(ctx: RequestContext, data: OfJob) -> MediaListOut:
    """The job's (or a visit's) media, oldest first, with voice notes' transcripts."""
    job = await worksite.for_reading(ctx, data.job_id, data.visit_id)
    found = await repository.media(ctx.session, job.id, data.visit_id)
    heard = await repository.transcriptions(ctx.session, [m.id for m in found if m.kind == "VOICE_NOTE"])
    return MediaListOut(items=[media_out(m, heard.get(m.id)) for m in found])

"""Evidence: photos, videos and documents of a violation, each kept as a document of the violation (domain 10) with
when and where it was captured, who gave it and its SHA-256. Evidence is only ever added: there is no way to
change or remove it. Every download re-reads the stored bytes and checks them against the recorded hash (chain of
custody); a file whose bytes changed is refused (EVIDENCE_TAMPERED) and the refusal is in the audit trail."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from decimal import Decimal

from hestami.cam.documents import api as documents
from hestami.cam.documents.errors import DocumentReason
from hestami.cam.documents.schemas import DownloadOut
from hestami.cam.violations import kinds, repository
from hestami.cam.violations.errors import ViolationReason, rule
from hestami.cam.violations.lifecycle import reference
from hestami.cam.violations.models import Evidence, Violation
from hestami.cam.violations.schemas import AddEvidence, EvidenceListOut, EvidenceOut, EvidenceRef
from hestami.core import audit, records, runtime
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError, not_found
from hestami.core.uploads import stage_bytes

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
SCOPE = "VIOLATION"
TAMPERED = "violation.evidence_tampered"


def invalid(pointer: str, message: str, kind: str) -> HestamiError:
    return HestamiError(ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError(pointer, message, kind)])


def decode(content_base64: str, pointer: str = "/content_base64") -> bytes:
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise invalid(pointer, "The content is not valid base64.", "base64") from None
    if not content:
        raise invalid(pointer, "The file is empty.", "empty")
    if len(content) > MAX_EVIDENCE_BYTES:
        raise invalid(pointer, "Evidence files are limited to 10 MB.", "too_large")
    return content


def kind_of(content_type: str) -> str:
    if content_type.startswith("image/"):
        return "PHOTO"
    if content_type.startswith("video/"):
        return "VIDEO"
    return "DOCUMENT"


def evidence_out(item: Evidence) -> EvidenceOut:
    return records.output(EvidenceOut, item)


async def file_bytes(
    ctx: RequestContext, violation: Violation, content: bytes, file_name: str, *, title: str
) -> documents.AttachedFile:
    """Files the bytes as a document of the violation (a PHOTO when they are an image, else OTHER; managers only)."""
    staged = await stage_bytes(content, file_name, max_bytes=MAX_EVIDENCE_BYTES)
    try:
        return await documents.attach_file(
            ctx, organization_id=violation.organization_id, association_id=violation.association_id,
            scope_type=SCOPE, scope_id=violation.id, staged=staged, visibility="MANAGERS", title=title,
        )  # fmt: skip
    finally:
        staged.remove()


async def record(
    ctx: RequestContext, violation: Violation, *, document_id: uuid.UUID, file_name: str, content_type: str,
    size_bytes: int, sha256: str, purpose: str, captured_at: datetime | None, latitude: Decimal | None,
    longitude: Decimal | None, note: str | None,
) -> Evidence:  # fmt: skip
    item = Evidence(
        organization_id=violation.organization_id, violation_id=violation.id, document_id=document_id,
        kind=kind_of(content_type), purpose=purpose, file_name=file_name, content_type=content_type,
        size_bytes=size_bytes, sha256=sha256, captured_at=captured_at, latitude=latitude, longitude=longitude,
        uploaded_by=ctx.user_id, note=note,
    )  # fmt: skip
    ctx.session.add(item)
    await ctx.session.flush()
    await ctx.session.refresh(item)
    audit.record(
        ctx, "violation.evidence_added", kinds.VIOLATION.name, violation.id,
        after={"evidence_id": str(item.id), "document_id": str(document_id), "purpose": purpose, "sha256": sha256},
    )  # fmt: skip
    return item


async def add_evidence(ctx: RequestContext, data: AddEvidence) -> EvidenceOut:
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "add_evidence")
    if (data.content_base64 is None) == (data.document_id is None):
        raise invalid("/content_base64", "Send exactly one of content_base64 and document_id.", "one_of")
    if data.content_base64 is not None:
        if data.file_name is None:
            raise invalid("/file_name", "A file sent inline needs its file_name.", "missing")
        content = decode(data.content_base64)
        title = f"{reference(violation.number)} evidence: {data.file_name}"
        filed = await file_bytes(ctx, violation, content, data.file_name, title=title)
        document_id, name, ctype = filed.id, filed.file_name, filed.content_type
        size, sha = filed.size_bytes, filed.sha256
    else:
        assert data.document_id is not None
        existing = await documents.existing_file(ctx, data.document_id)
        if existing.association_id != violation.association_id:
            raise rule(ViolationReason.WRONG_ASSOCIATION, "That document belongs to another association.")
        if any(e.document_id == existing.id for e in await repository.evidence(ctx.session, violation.id)):
            raise HestamiError(ErrorCode.CONFLICT, "That document is already evidence of this violation.")
        document_id, name, ctype = existing.id, existing.file_name, existing.content_type
        size, sha = existing.size_bytes, existing.sha256
    item = await record(
        ctx, violation, document_id=document_id, file_name=name, content_type=ctype, size_bytes=size, sha256=sha,
        purpose="EVIDENCE", captured_at=data.captured_at, latitude=data.latitude, longitude=data.longitude,
        note=data.note,
    )  # fmt: skip
    return evidence_out(item)


async def list_evidence(ctx: RequestContext, violation_id: uuid.UUID) -> EvidenceListOut:
    violation = await records.load(ctx, kinds.VIOLATION, violation_id)
    return EvidenceListOut(items=[evidence_out(e) for e in await repository.evidence(ctx.session, violation.id)])


async def download(ctx: RequestContext, data: EvidenceRef) -> DownloadOut:
    violation = await records.load(ctx, kinds.VIOLATION, data.id)
    item = await repository.evidence_item(ctx.session, violation.id, data.evidence_id)
    if item is None:
        raise not_found("violation_evidence", data.evidence_id)
    try:
        return await documents.verify_and_link(ctx, item.document_id, item.sha256)
    except HestamiError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        if details.get("reason") != DocumentReason.CONTENT_MISMATCH:
            raise
        audit.record_even_if_rolled_back(
            ctx, runtime.current().database, TAMPERED, kinds.VIOLATION.name, violation.id,
            after={"evidence_id": str(item.id), "document_id": str(item.document_id), "expected_sha256": item.sha256,
                   "found_sha256": details.get("found_sha256")},
        )  # fmt: skip
        raise rule(
            ViolationReason.EVIDENCE_TAMPERED,
            "The stored evidence no longer matches the SHA-256 recorded when it was taken; it is not released.",
            evidence_id=str(item.id),
            expected_sha256=item.sha256,
        ) from None

"""What other domains may use of domain 10: files attached to their records (a work order's photos; violations'
evidence and ARC plans next), stored, scanned, extracted and searchable like every document.

The owning domain authorizes the action on its own record first (`attach` on the work order); these functions
then act without a document policy check, in the record's organization: a caller acting from another organization
(an assigned provider) wraps them in that domain's scope switch.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from hestami.cam.documents import kinds, repository
from hestami.cam.documents.content.rules import IMAGES, Category
from hestami.cam.documents.errors import DocumentReason, rule
from hestami.cam.documents.models import Document, DocumentVersion
from hestami.cam.documents.schemas import DocumentsOut, DownloadDocument, DownloadOut, ListDocuments
from hestami.cam.documents.services import access, documents, intake, scopes
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.ids import new_id
from hestami.core.uploads import StagedFile

register_link = scopes.register_link
LinkResolver = scopes.LinkResolver
Category = Category


@dataclass(frozen=True, slots=True)
class AttachedFile:
    id: uuid.UUID
    organization_id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    scope_id: uuid.UUID
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: uuid.UUID | None


def _attached(document: Document, version: DocumentVersion) -> AttachedFile:
    assert document.scope_id is not None
    return AttachedFile(
        id=document.id,
        organization_id=document.organization_id,
        created_at=document.created_at,
        updated_at=document.updated_at,
        scope_id=document.scope_id,
        file_name=version.file_name,
        content_type=version.content_type,
        size_bytes=version.size_bytes,
        sha256=version.sha256,
        uploaded_by=version.uploaded_by,
    )


async def attach_file(
    ctx: RequestContext,
    *,
    organization_id: uuid.UUID,
    association_id: uuid.UUID | None,
    scope_type: str,
    scope_id: uuid.UUID,
    staged: StagedFile,
    visibility: str = "MANAGERS",
    category: Category | None = None,
    title: str | None = None,
    text: str | None = None,
) -> AttachedFile:
    """Files the staged bytes as a document of the record (of `category`, else a PHOTO when they are an image and
    OTHER otherwise), after the same checks as any upload (type from the bytes, category, readable, virus scan).

    `text`: what the platform itself wrote into the file (a generated letter), recorded as its extracted text, so
    no extraction workflow is started (callers inside a workflow step cannot start one)."""
    if category is None:
        sniffed = intake.content_type_of(staged, Category.OTHER)
        category = Category.PHOTO if sniffed in IMAGES else Category.OTHER
    accepted = await intake.accept(staged, category)
    backend, key = await intake.keep(accepted, organization_id)
    version_id = new_id()
    document = Document(
        id=new_id(), organization_id=organization_id, association_id=association_id, scope_type=scope_type,
        scope_id=scope_id, category=category.value, title=title or staged.file_name, tags=[], visibility=visibility,
        status="ACTIVE", current_version_id=version_id, current_version_number=1, created_by=ctx.user_id,
    )  # fmt: skip
    ctx.session.add(document)
    await ctx.session.flush()
    known = {"extraction_status": "DONE", "extracted_text": text} if text is not None else {}
    version = documents.new_version(
        document, 1, accepted, backend, key, id=version_id, uploaded_by=ctx.user_id, **known
    )
    await documents.publish(ctx, document, version)
    audit.record(
        ctx, "document.created", kinds.DOCUMENT.name, document.id, organization_id=organization_id,
        after={"scope_type": scope_type, "scope_id": str(scope_id), "title": document.title},
    )  # fmt: skip
    await ctx.session.flush()
    await ctx.session.refresh(document)
    return _attached(document, version)


async def attached_files(ctx: RequestContext, scope_type: str, scope_id: uuid.UUID) -> list[AttachedFile]:
    found = await repository.documents_scoped_to(ctx.session, scope_type, scope_id)
    versions = await repository.versions_by_id(
        ctx.session, [d.current_version_id for d in found if d.current_version_id]
    )
    return [_attached(d, versions[d.current_version_id]) for d in found if d.current_version_id in versions]


async def attached_file_link(
    ctx: RequestContext, scope_type: str, scope_id: uuid.UUID, document_id: uuid.UUID, version_number: int | None = None
) -> DownloadOut:
    """A signed link to one file attached to the record (its current version unless given), recorded in the
    document's access trail."""
    found = {d.id: d for d in await repository.documents_scoped_to(ctx.session, scope_type, scope_id)}
    document = found.get(document_id)
    if document is None or document.current_version_id is None:
        raise not_found("attachment", document_id)
    version = (
        await repository.version(ctx.session, document.id, version_number)
        if version_number is not None
        else await repository.version_by_id(ctx.session, document.current_version_id)
    )
    if version is None:
        raise not_found("attachment", document_id)
    link = await access.signed_link(ctx, document.id, version, "ORIGINAL")
    audit.record(
        ctx, access.DOWNLOADED, kinds.DOCUMENT.name, document.id, organization_id=document.organization_id,
        after={"version": version.version_number, "variant": "ORIGINAL", "file_name": link.file_name},
    )  # fmt: skip
    await ctx.session.flush()
    return link


@dataclass(frozen=True, slots=True)
class ExistingFile:
    """A document the caller may view, with its current version's file (for another domain to refer to)."""

    id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID | None
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str


async def existing_file(ctx: RequestContext, document_id: uuid.UUID) -> ExistingFile:
    """A document already uploaded, loaded in the caller's scope with the document policy's `view` (NOT_FOUND
    otherwise, and for a document without a current version)."""
    document = await records.load(ctx, kinds.DOCUMENT, document_id)
    version = (
        await repository.version_by_id(ctx.session, document.current_version_id)
        if document.current_version_id
        else None
    )
    if version is None:
        raise not_found(kinds.DOCUMENT.name, document_id)
    return ExistingFile(
        id=document.id, organization_id=document.organization_id, association_id=document.association_id,
        file_name=version.file_name, content_type=version.content_type, size_bytes=version.size_bytes,
        sha256=version.sha256,
    )  # fmt: skip


async def verify_and_link(ctx: RequestContext, document_id: uuid.UUID, expected_sha256: str) -> DownloadOut:
    """Chain of custody: re-reads the stored bytes of the document's current version, recomputes their SHA-256
    and issues a signed link (in the access trail) only when it equals `expected_sha256` (the hash recorded when
    the file was taken as evidence); else BUSINESS_RULE_VIOLATION, reason CONTENT_MISMATCH. No document policy
    check: the calling domain authorizes the action on its own record first."""
    document = await records.find(ctx, kinds.DOCUMENT, document_id)
    version = (
        await repository.version_by_id(ctx.session, document.current_version_id)
        if document.current_version_id
        else None
    )
    if version is None:
        raise not_found(kinds.DOCUMENT.name, document_id)
    digest = hashlib.sha256()
    try:
        async for chunk in intake.store().stream(version.storage_key):
            digest.update(chunk)
    except FileNotFoundError:
        raise rule(
            DocumentReason.CONTENT_MISMATCH, "The stored file is missing.", expected_sha256=expected_sha256
        ) from None
    found = digest.hexdigest()
    if found != expected_sha256 or version.sha256 != expected_sha256:
        raise rule(
            DocumentReason.CONTENT_MISMATCH,
            "The stored file's content does not match the SHA-256 recorded for it.",
            expected_sha256=expected_sha256,
            found_sha256=found,
        )
    link = await access.signed_link(ctx, document.id, version, "ORIGINAL")
    audit.record(
        ctx, access.DOWNLOADED, kinds.DOCUMENT.name, document.id, organization_id=document.organization_id,
        after={"version": version.version_number, "variant": "ORIGINAL", "file_name": link.file_name,
               "sha256_verified": found},
    )  # fmt: skip
    await ctx.session.flush()
    return link


@dataclass(frozen=True, slots=True)
class FileVersion:
    """One version of a document filed under a record."""

    document_id: uuid.UUID
    version_number: int
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: uuid.UUID | None
    created_at: datetime


def _file_version(version: DocumentVersion) -> FileVersion:
    return FileVersion(
        document_id=version.document_id, version_number=version.version_number, file_name=version.file_name,
        content_type=version.content_type, size_bytes=version.size_bytes, sha256=version.sha256,
        uploaded_by=version.uploaded_by, created_at=version.created_at,
    )  # fmt: skip


async def add_file_version(
    ctx: RequestContext,
    document_id: uuid.UUID,
    staged: StagedFile,
    *,
    scope_type: str,
    scope_id: uuid.UUID,
    change_note: str | None = None,
) -> FileVersion:
    """A new version (the next number) of a document filed under the record (`attach_file`'s), from the staged
    bytes, after the same checks as any upload of the document's category. A document not filed under that record
    is NOT_FOUND; an archived one is refused (DOCUMENT_ARCHIVED). No document policy check: the owning domain
    authorizes the action on its own record first."""
    document = await records.find(ctx, kinds.DOCUMENT, document_id, lock=True)
    if document.scope_type != scope_type or document.scope_id != scope_id:
        raise not_found(kinds.DOCUMENT.name, document_id)
    if document.status == "ARCHIVED":
        raise rule(DocumentReason.DOCUMENT_ARCHIVED, "The document is archived: restore it first.")
    accepted = await intake.accept(staged, Category(document.category))
    backend, key = await intake.keep(accepted, document.organization_id)
    number = document.current_version_number + 1
    version = documents.new_version(
        document, number, accepted, backend, key, uploaded_by=ctx.user_id, change_note=change_note
    )
    await records.change(
        ctx, kinds.DOCUMENT, document, {"current_version_id": version.id, "current_version_number": number},
        action="new_version",
    )  # fmt: skip
    await documents.publish(ctx, document, version)
    await ctx.session.refresh(version)
    return _file_version(version)


async def file_versions(ctx: RequestContext, scope_type: str, scope_id: uuid.UUID) -> list[FileVersion]:
    """Every version of every live document filed under the record (by document, oldest version first)."""
    found = await repository.documents_scoped_to(ctx.session, scope_type, scope_id)
    return [_file_version(v) for v in await repository.versions_of(ctx.session, [d.id for d in found])]


# --- the documents themselves, for a domain that shows them to their readers (the owner portal) -------------

DOWNLOADED = access.DOWNLOADED
DOWNLOAD_REFUSED = access.REFUSED
"""The audit trail's actions for a link issued and a refused attempt (entity `document`): the documents' download
log, which `document/v1/getAccessLog` reads per document."""


async def visible_documents(ctx: RequestContext, data: ListDocuments) -> DocumentsOut:
    """`document/v1/list` for another domain: the documents the caller may see (the document policy's `view`, a
    query plan in SQL), newest first, or best first for a `query`."""
    return await documents.list_documents(ctx, data)


async def download(ctx: RequestContext, data: DownloadDocument) -> DownloadOut:
    """`document/v1/download` for another domain: the document policy's `download` (NOT_FOUND unless the caller may
    see the document), a signed link, and the issue in the access trail (a refused attempt too)."""
    return await access.download(ctx, data)

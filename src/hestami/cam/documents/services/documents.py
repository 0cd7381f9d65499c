"""Documents and their versions: upload, a new version, revert, metadata, archive and restore, soft delete, lists
with full-text search, version history and comparison.

Every write goes through the document's row (locked) and adds audit events; versions are only ever added (a revert
is a new version carrying an earlier one's bytes), so the history of what was published when is never rewritten.
Text extraction runs in the `documentExtraction_v1` workflow, started before the upload commits (`workflows`).
"""

from __future__ import annotations

import difflib
import uuid
from typing import Any

from sqlalchemy import ColumnElement, func, select

from hestami.cam.documents import kinds, repository, workflows
from hestami.cam.documents.content.rules import Category
from hestami.cam.documents.errors import DocumentReason, rule
from hestami.cam.documents.models import Document, DocumentVersion
from hestami.cam.documents.schemas import (
    CompareVersions,
    DocumentOut,
    DocumentsOut,
    ListDocuments,
    RevertDocument,
    UpdateDocumentMetadata,
    UploadDocument,
    VersionComparison,
    VersionOut,
    VersionsOut,
)
from hestami.cam.documents.services import intake, scopes
from hestami.core import audit, records
from hestami.core.authz import forbidden
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.ids import new_id
from hestami.core.pagination import SortKey, fetch_page

DIFF_MAX_LINES = 400


# --- outputs -------------------------------------------------------------------------------------------------


def _fields(schema: type[Any], row: Any) -> dict[str, Any]:
    """The schema's fields read from the row (only those: the row's deferred columns stay unloaded)."""
    return {name: getattr(row, name) for name in schema.model_fields if hasattr(type(row), name)}


def version_out(version: DocumentVersion, current_version_id: uuid.UUID | None) -> VersionOut:
    return VersionOut.model_validate(
        {
            **_fields(VersionOut, version),
            "has_preview": version.preview_key is not None,
            "is_current": version.id == current_version_id,
        }
    )


def document_out(
    document: Document, current: DocumentVersion | None, *, rank: float | None = None, excerpt: str | None = None
) -> DocumentOut:
    values = _fields(DocumentOut, document)
    values["current_version"] = version_out(current, document.current_version_id) if current else None
    return DocumentOut.model_validate({**values, "rank": rank, "excerpt": excerpt})


async def _with_current(ctx: RequestContext, document: Document) -> DocumentOut:
    current = None
    if document.current_version_id is not None:
        current = await repository.version_by_id(ctx.session, document.current_version_id)
    return document_out(document, current)


# --- upload and versions -------------------------------------------------------------------------------------


def new_version(
    document: Document, number: int, accepted: intake.AcceptedFile, backend: str, key: str, **extra: Any
) -> DocumentVersion:
    staged = accepted.staged
    return DocumentVersion(
        id=extra.pop("id", None) or new_id(),
        organization_id=document.organization_id,
        document_id=document.id,
        version_number=number,
        file_name=staged.file_name,
        content_type=accepted.content_type,
        size_bytes=staged.size,
        sha256=staged.sha256,
        storage_backend=backend,
        storage_key=key,
        scan_status="CLEAN",
        scan_engine=accepted.verdict.engine,
        scanned_at=accepted.scanned_at,
        **{"extraction_status": "PENDING", **extra},
    )


async def upload(ctx: RequestContext, data: UploadDocument) -> DocumentOut:
    staged = intake.require_upload(ctx)
    if data.document_id is not None:
        return await add_version(ctx, data.document_id, data.change_note)
    # the schema holds that a new document names all four
    assert data.scope is not None
    assert data.category is not None
    assert data.title is not None
    assert data.visibility is not None
    placement = await scopes.place(ctx, data.scope)
    version_id = new_id()
    document = Document(
        id=new_id(),
        organization_id=ctx.require_org(),
        association_id=placement.association_id,
        scope_type=placement.scope_type,
        scope_id=placement.scope_id,
        unit_id=placement.unit_id,
        property_id=placement.property_id,
        category=data.category.value,
        title=data.title,
        description=data.description,
        tags=data.tags,
        document_date=data.document_date,
        visibility=data.visibility,
        status="ACTIVE",
        current_version_id=version_id,
        current_version_number=1,
        created_by=ctx.user_id,
    )
    if not await records.can(ctx, kinds.DOCUMENT, document, "create"):
        raise forbidden("create", kinds.DOCUMENT.name)
    accepted = await intake.accept(staged, data.category)
    backend, key = await intake.keep(accepted, document.organization_id)
    document = await records.create(ctx, kinds.DOCUMENT, document)
    version = new_version(document, 1, accepted, backend, key, id=version_id, uploaded_by=ctx.user_id)
    return await publish(ctx, document, version)


async def publish(ctx: RequestContext, document: Document, version: DocumentVersion) -> DocumentOut:
    """Adds the version as the document's current one: search vector, audit, and (for new bytes) extraction."""
    ctx.session.add(version)
    await ctx.session.flush()
    await repository.refresh_search(ctx.session, document.id)
    audit.record(
        ctx, "document.version_added", kinds.DOCUMENT.name, document.id, organization_id=document.organization_id,
        after={"version": version.version_number, "sha256": version.sha256, "file_name": version.file_name,
               "reverted_from_version": version.reverted_from_version},
    )  # fmt: skip
    if version.extraction_status == "PENDING":
        await workflows.start_extraction(document.organization_id, version.id)
    return document_out(document, version)


async def _writable(ctx: RequestContext, document_id: uuid.UUID, action: str) -> Document:
    document = await records.load(ctx, kinds.DOCUMENT, document_id, action, lock=True)
    if document.status == "ARCHIVED":
        raise rule(DocumentReason.DOCUMENT_ARCHIVED, "The document is archived: restore it first.")
    return document


async def add_version(ctx: RequestContext, document_id: uuid.UUID, change_note: str | None) -> DocumentOut:
    staged = intake.require_upload(ctx)
    document = await _writable(ctx, document_id, "add_version")
    accepted = await intake.accept(staged, Category(document.category))
    backend, key = await intake.keep(accepted, document.organization_id)
    number = document.current_version_number + 1
    version = new_version(document, number, accepted, backend, key, uploaded_by=ctx.user_id, change_note=change_note)
    await records.change(
        ctx, kinds.DOCUMENT, document, {"current_version_id": version.id, "current_version_number": number},
        action="new_version",
    )  # fmt: skip
    return await publish(ctx, document, version)


async def revert(ctx: RequestContext, data: RevertDocument) -> DocumentOut:
    """A new version with the bytes (and extracted text) of an earlier one: history keeps both."""
    document = await _writable(ctx, data.id, "revert")
    target = await repository.version(ctx.session, document.id, data.version)
    if target is None:
        raise not_found("document_version", f"{document.id}#{data.version}")
    if target.id == document.current_version_id:
        raise rule(DocumentReason.ALREADY_CURRENT, f"Version {data.version} is already the current version.")
    number = document.current_version_number + 1
    texts = await repository.extracted_texts(ctx.session, [target.id])
    copied = {
        name: getattr(target, name)
        for name in (
            "file_name", "content_type", "size_bytes", "sha256", "storage_backend", "storage_key", "scan_status",
            "scan_engine", "scan_signature", "scanned_at", "extraction_status", "page_count", "preview_key",
            "extraction_error", "extracted_at",
        )
    }  # fmt: skip
    version = DocumentVersion(
        id=new_id(),
        organization_id=document.organization_id,
        document_id=document.id,
        version_number=number,
        uploaded_by=ctx.user_id,
        change_note=data.change_note or f"Reverted to version {data.version}.",
        reverted_from_version=data.version,
        extracted_text=texts.get(target.id),
        **copied,
    )
    await records.change(
        ctx, kinds.DOCUMENT, document, {"current_version_id": version.id, "current_version_number": number},
        action="reverted",
    )  # fmt: skip
    return await publish(ctx, document, version)


# --- metadata, archive, delete -------------------------------------------------------------------------------


async def update_metadata(ctx: RequestContext, data: UpdateDocumentMetadata) -> DocumentOut:
    document = await records.load(ctx, kinds.DOCUMENT, data.id, "update", lock=True)
    changes = records.changes_of(data)
    if "category" in changes and changes["category"] is not None:
        category = Category(changes["category"])
        current_id = document.current_version_id
        current = await repository.version_by_id(ctx.session, current_id) if current_id else None
        if current is not None:
            intake.check_category(current.content_type, category)
        changes["category"] = category.value
    for required in ("title", "category", "visibility", "tags"):
        if required in changes and changes[required] is None:
            changes.pop(required)
    await records.change(ctx, kinds.DOCUMENT, document, changes)
    await repository.refresh_search(ctx.session, document.id)
    return await _with_current(ctx, document)


async def archive(ctx: RequestContext, document_id: uuid.UUID) -> DocumentOut:
    document = await _writable(ctx, document_id, "archive")
    await records.change(
        ctx, kinds.DOCUMENT, document, {"status": "ARCHIVED", "archived_at": func.now()}, action="archived"
    )
    return await _with_current(ctx, document)


async def restore(ctx: RequestContext, document_id: uuid.UUID) -> DocumentOut:
    document = await records.load(ctx, kinds.DOCUMENT, document_id, "restore", lock=True)
    if document.status != "ARCHIVED":
        raise rule(DocumentReason.NOT_ARCHIVED, "Only an archived document can be restored.")
    await records.change(ctx, kinds.DOCUMENT, document, {"status": "ACTIVE", "archived_at": None}, action="restored")
    return await _with_current(ctx, document)


async def delete(ctx: RequestContext, document_id: uuid.UUID) -> None:
    """Soft delete: the document and its versions stay in the database (and the bytes in storage) for the audit
    trail, but no list, get or download finds it again."""
    await records.soft_delete(ctx, kinds.DOCUMENT, document_id)


# --- reading ---------------------------------------------------------------------------------------------------


async def get(ctx: RequestContext, document_id: uuid.UUID) -> DocumentOut:
    return await _with_current(ctx, await records.load(ctx, kinds.DOCUMENT, document_id))


def _filters(data: ListDocuments) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = [Document.deleted_at.is_(None)]
    if data.association_id is not None:
        filters.append(Document.association_id == data.association_id)
    if data.category is not None:
        filters.append(Document.category == data.category.value)
    if data.scope_type is not None:
        filters.append(Document.scope_type == data.scope_type)
    if data.scope_id is not None:
        filters.append(Document.scope_id == data.scope_id)
    if data.status is not None:
        filters.append(Document.status == data.status)
    return filters


async def list_documents(ctx: RequestContext, data: ListDocuments) -> DocumentsOut:
    """The documents the caller may see; with `query`, those matching it, best first, with an excerpt."""
    statement = select(Document).where(await records.visible(ctx, kinds.DOCUMENT), *_filters(data))
    ranks: dict[uuid.UUID, float] = {}
    shown: dict[uuid.UUID, str] = {}
    if data.query:
        ranked, cursor = await repository.ranked_page(ctx.session, statement, data.query, data)
        found = [document for document, _ in ranked]
        ranks = {document.id: score for document, score in ranked}
        shown = await repository.excerpts(ctx.session, [d.id for d in found], data.query)
    else:
        found, cursor = await fetch_page(
            ctx.session, statement, SortKey((Document.created_at, Document.id), True), data
        )
    currents = await repository.versions_by_id(
        ctx.session, [d.current_version_id for d in found if d.current_version_id]
    )
    items = [
        document_out(
            d, currents.get(d.current_version_id) if d.current_version_id else None,
            rank=ranks.get(d.id), excerpt=shown.get(d.id),
        )
        for d in found
    ]  # fmt: skip
    return DocumentsOut(items=items, next_cursor=cursor)


async def versions(ctx: RequestContext, document_id: uuid.UUID) -> VersionsOut:
    document = await records.load(ctx, kinds.DOCUMENT, document_id)
    found = await repository.versions(ctx.session, document.id)
    return VersionsOut(items=[version_out(v, document.current_version_id) for v in found])


async def compare(ctx: RequestContext, data: CompareVersions) -> VersionComparison:
    """What changed between two versions: content (by hash), name, type, size, pages, and a diff of their text."""
    document = await records.load(ctx, kinds.DOCUMENT, data.id)
    pair = []
    for number in (data.from_version, data.to_version):
        found = await repository.version(ctx.session, document.id, number)
        if found is None:
            raise not_found("document_version", f"{document.id}#{number}")
        pair.append(found)
    old, new = pair
    changed = [
        name
        for name in ("file_name", "content_type", "size_bytes", "page_count")
        if getattr(old, name) != getattr(new, name)
    ]
    if old.sha256 != new.sha256:
        changed.insert(0, "content")
    texts = await repository.extracted_texts(ctx.session, [old.id, new.id])
    diff, truncated = text_diff(texts.get(old.id), texts.get(new.id), old.version_number, new.version_number)
    return VersionComparison(
        document_id=document.id,
        from_version=version_out(old, document.current_version_id),
        to_version=version_out(new, document.current_version_id),
        same_content=old.sha256 == new.sha256,
        changed=changed,
        text_diff=diff,
        text_diff_truncated=truncated,
    )


def text_diff(old: str | None, new: str | None, old_number: int, new_number: int) -> tuple[str, bool]:
    """A unified diff of two extracted texts, at most `DIFF_MAX_LINES` lines (and whether it was cut)."""
    if not old or not new or old == new:
        return "", False
    lines = list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), f"version {old_number}", f"version {new_number}", lineterm=""
        )
    )
    return "\n".join(lines[:DIFF_MAX_LINES]), len(lines) > DIFF_MAX_LINES

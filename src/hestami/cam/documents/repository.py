"""Domain 10's SQL beyond the common record steps: versions, the search vector and ranked search, extraction
results, and the access trail read back from the audit events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, and_, func, literal_column, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.documents.models import Document, DocumentVersion
from hestami.core.audit import AuditEvent
from hestami.core.pagination import PageRequest, SortKey, fetch_page

SEARCH_CONFIG = "english"
SEARCH_TEXT_CHARS = 400_000
"""Extracted text beyond this is kept but not indexed (a tsvector is limited to 1 MB)."""
ACCESS_ACTIONS = ("document.downloaded", "document.download_refused")

_REFRESH_SEARCH = text(
    """
    UPDATE documents d SET search_vector =
        setweight(to_tsvector(CAST(:config AS regconfig), d.title), 'A')
        || setweight(to_tsvector(CAST(:config AS regconfig),
                concat_ws(' ', d.description, array_to_string(d.tags, ' '), replace(d.category, '_', ' '))), 'B')
        || setweight(to_tsvector(CAST(:config AS regconfig), coalesce((
                SELECT left(v.extracted_text, :chars) FROM document_versions v
                WHERE v.organization_id = d.organization_id AND v.id = d.current_version_id), '')), 'C')
    WHERE d.id = :document_id
    """
)


async def refresh_search(session: AsyncSession, document_id: uuid.UUID) -> None:
    """Recomputes the document's search vector from its title and metadata and its current version's text."""
    await session.flush()
    await session.execute(
        _REFRESH_SEARCH, {"config": SEARCH_CONFIG, "chars": SEARCH_TEXT_CHARS, "document_id": document_id}
    )


async def refresh_search_if_current(session: AsyncSession, document_id: uuid.UUID, version_id: uuid.UUID) -> None:
    """After a version's text is extracted: the document's vector, if that version is (still) its current one."""
    current = await session.execute(
        select(Document.current_version_id).where(Document.id == document_id).with_for_update(key_share=True)
    )
    if current.scalar_one_or_none() == version_id:
        await refresh_search(session, document_id)


def _query(search: str) -> Any:
    return func.websearch_to_tsquery(literal_column(f"'{SEARCH_CONFIG}'::regconfig"), search)


def matches(search: str) -> ColumnElement[bool]:
    return Document.search_vector.op("@@")(_query(search))


def rank(search: str) -> ColumnElement[float]:
    return func.ts_rank_cd(Document.search_vector, _query(search), 32).cast(Float)


async def ranked_page(
    session: AsyncSession, statement: Select[Any], search: str, page: PageRequest
) -> tuple[list[tuple[Document, float]], str | None]:
    """A page of `statement`'s documents matching `search`, best first (rank, then newest id)."""
    score = rank(search)
    rows, cursor = await fetch_page(
        session, statement.add_columns(score).where(matches(search)), SortKey((score, Document.id), True), page
    )
    return [(row[0], float(row[1])) for row in rows], cursor


async def excerpts(session: AsyncSession, document_ids: Sequence[uuid.UUID], search: str) -> dict[uuid.UUID, str]:
    """Where `search` matched in each document's current text (or title), for one page of results."""
    if not document_ids:
        return {}
    body = func.coalesce(func.left(DocumentVersion.extracted_text, 100_000), Document.title)
    headline = func.ts_headline(
        literal_column(f"'{SEARCH_CONFIG}'::regconfig"),
        body,
        _query(search),
        "MaxFragments=2, MaxWords=30, MinWords=10, StartSel=«, StopSel=»",
    )
    statement = (
        select(Document.id, headline)
        .outerjoin(
            DocumentVersion,
            and_(
                DocumentVersion.organization_id == Document.organization_id,
                DocumentVersion.id == Document.current_version_id,
            ),
        )
        .where(Document.id.in_(document_ids))
    )
    return {row[0]: row[1] for row in (await session.execute(statement)).all()}


async def versions(session: AsyncSession, document_id: uuid.UUID) -> list[DocumentVersion]:
    statement = (
        select(DocumentVersion)
        .where(DocumentVersion.document_id == document_id)
        .order_by(DocumentVersion.version_number.desc())
    )
    return list((await session.execute(statement)).scalars())


async def versions_of(session: AsyncSession, document_ids: Sequence[uuid.UUID]) -> list[DocumentVersion]:
    """Every version of the documents, in one query: by document, oldest version first."""
    if not document_ids:
        return []
    statement = (
        select(DocumentVersion)
        .where(DocumentVersion.document_id.in_(document_ids))
        .order_by(DocumentVersion.document_id, DocumentVersion.version_number)
    )
    return list((await session.execute(statement)).scalars())


async def version(session: AsyncSession, document_id: uuid.UUID, number: int) -> DocumentVersion | None:
    statement = select(DocumentVersion).where(
        DocumentVersion.document_id == document_id, DocumentVersion.version_number == number
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def version_by_id(session: AsyncSession, version_id: uuid.UUID, *, lock: bool = False) -> DocumentVersion | None:
    statement = select(DocumentVersion).where(DocumentVersion.id == version_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def versions_by_id(session: AsyncSession, version_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, DocumentVersion]:
    """Current versions of one page of documents, in one query."""
    if not version_ids:
        return {}
    rows = await session.execute(select(DocumentVersion).where(DocumentVersion.id.in_(version_ids)))
    return {row.id: row for row in rows.scalars()}


async def extracted_texts(session: AsyncSession, version_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str | None]:
    rows = await session.execute(
        select(DocumentVersion.id, DocumentVersion.extracted_text).where(DocumentVersion.id.in_(version_ids))
    )
    return {row[0]: row[1] for row in rows.all()}


async def record_extraction(session: AsyncSession, version_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        update(DocumentVersion).where(DocumentVersion.id == version_id).values(**values, updated_at=func.now())
    )


async def documents_scoped_to(session: AsyncSession, scope_type: str, scope_id: uuid.UUID) -> list[Document]:
    """The live documents attached to one record (a work order's photos), oldest first."""
    statement = (
        select(Document)
        .where(Document.scope_type == scope_type, Document.scope_id == scope_id, Document.deleted_at.is_(None))
        .order_by(Document.created_at, Document.id)
    )
    return list((await session.execute(statement)).scalars())


async def access_page(
    session: AsyncSession, organization_id: uuid.UUID, document_id: uuid.UUID, page: PageRequest
) -> tuple[list[AuditEvent], str | None]:
    """Downloads of the document and refused attempts, newest first, from the audit trail."""
    statement = select(AuditEvent).where(
        AuditEvent.organization_id == organization_id,
        AuditEvent.entity_type == "document",
        AuditEvent.entity_id == str(document_id),
        AuditEvent.action.in_(ACCESS_ACTIONS),
    )
    return await fetch_page(session, statement, SortKey((AuditEvent.created_at, AuditEvent.id), True), page)

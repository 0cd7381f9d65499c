"""Domain 10 tables (migration 0013_add_documents)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Integer, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class Document(TenantRecord, Base):
    """One document of the organization: what it is and who may see it. Its bytes live in its versions; the
    current one is what `download` serves and search reads."""

    __tablename__ = "documents"

    association_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    scope_type: Mapped[str] = mapped_column(Text)
    scope_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    property_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    category: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    document_date: Mapped[date | None] = mapped_column(Date)
    visibility: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="ACTIVE")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    current_version_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    current_version_number: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    search_vector: Mapped[Any] = mapped_column(TSVECTOR, deferred=True, server_default=text("''::tsvector"))


class DocumentVersion(TenantRecord, Base):
    """One upload of a document's bytes. Versions are never changed or removed: a revert adds a new version
    with an earlier one's bytes."""

    __tablename__ = "document_versions"

    document_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version_number: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(Text)
    storage_backend: Mapped[str] = mapped_column(Text)
    storage_key: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    change_note: Mapped[str | None] = mapped_column(Text)
    reverted_from_version: Mapped[int | None] = mapped_column(Integer)
    scan_status: Mapped[str] = mapped_column(Text)
    scan_engine: Mapped[str] = mapped_column(Text)
    scan_signature: Mapped[str | None] = mapped_column(Text)
    scanned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    extraction_status: Mapped[str] = mapped_column(Text, default="PENDING")
    extracted_text: Mapped[str | None] = mapped_column(Text, deferred=True)
    page_count: Mapped[int | None] = mapped_column(Integer)
    preview_key: Mapped[str | None] = mapped_column(Text)
    extraction_error: Mapped[str | None] = mapped_column(Text)
    extracted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

"""Inputs and outputs of domain 10's procedures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from hestami.cam.documents.content.rules import Category
from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, Record, Text, Trimmed

Scope = Literal["ORGANIZATION", "ASSOCIATION", "PROPERTY", "UNIT", "WORK_ORDER", "VIOLATION", "ARC_REQUEST", "MEETING"]
Visibility = Literal["OWNERS", "BOARD", "MANAGERS"]
DocumentStatus = Literal["ACTIVE", "ARCHIVED"]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
MAX_VERSION = 1_000_000
"""Version numbers are integers from 1; beyond this no document goes (and Postgres's integer would overflow)."""


class DocumentScope(Input):
    """Where a document belongs: the organization itself, an association, one of its properties or units, or a
    record it documents (a work order, a violation, an ARC request, a meeting)."""

    type: Scope
    association_id: uuid.UUID | None = Field(default=None, description="Required unless the type is ORGANIZATION.")
    id: uuid.UUID | None = Field(
        default=None, description="The property, unit or linked record; required unless ORGANIZATION or ASSOCIATION."
    )

    @model_validator(mode="after")
    def _complete(self) -> DocumentScope:
        if self.type == "ORGANIZATION" and (self.association_id or self.id):
            raise ValueError("an ORGANIZATION scope names no association and no id")
        if self.type != "ORGANIZATION" and self.association_id is None:
            raise ValueError(f"a {self.type} scope needs association_id")
        if self.type not in ("ORGANIZATION", "ASSOCIATION") and self.id is None:
            raise ValueError(f"a {self.type} scope needs the id of the {self.type.lower()}")
        if self.type == "ASSOCIATION" and self.id is not None:
            raise ValueError("an ASSOCIATION scope names the association in association_id, not id")
        return self


class UploadDocument(Input):
    """Sent as the `input` part of a multipart/form-data request whose `file` part holds the bytes.

    Without `document_id` it creates a document (title, category, scope and visibility required); with it, the file
    becomes the next version of that document (only `change_note` may accompany it)."""

    document_id: uuid.UUID | None = None
    title: Name | None = None
    category: Category | None = None
    scope: DocumentScope | None = None
    visibility: Visibility | None = Field(
        default=None, description="OWNERS (and the board and managers), BOARD (and managers) or MANAGERS only."
    )
    description: Text | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    document_date: date | None = None
    change_note: Trimmed | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _new_or_version(self) -> UploadDocument:
        described = {"title", "category", "scope", "visibility", "description", "tags", "document_date"}
        if self.document_id is not None:
            extra = sorted(described & self.model_fields_set)
            if extra:
                raise ValueError(f"a new version takes only document_id and change_note, not {', '.join(extra)}")
            return self
        missing = [name for name in ("title", "category", "scope", "visibility") if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a new document needs {', '.join(missing)}")
        return self


class UpdateDocumentMetadata(Input):
    id: uuid.UUID
    title: Name | None = None
    category: Category | None = None
    visibility: Visibility | None = None
    description: Text | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)
    document_date: date | None = None


class ListDocuments(PageRequest):
    query: Trimmed | None = Field(
        default=None, min_length=1, max_length=200, description="Full-text search (web search syntax), best first."
    )
    association_id: uuid.UUID | None = None
    category: Category | None = None
    scope_type: Scope | None = None
    scope_id: uuid.UUID | None = None
    status: DocumentStatus | None = Field(default="ACTIVE", description="ACTIVE by default; null lists both.")


class DownloadDocument(Input):
    id: uuid.UUID
    version: int | None = Field(default=None, ge=1, le=MAX_VERSION, description="The current version unless given.")
    variant: Literal["ORIGINAL", "PREVIEW"] = "ORIGINAL"


class RevertDocument(Input):
    id: uuid.UUID
    version: int = Field(ge=1, le=MAX_VERSION, description="The version whose bytes become the new current version.")
    change_note: Trimmed | None = Field(default=None, max_length=1000)


class CompareVersions(Input):
    id: uuid.UUID
    from_version: int = Field(ge=1, le=MAX_VERSION)
    to_version: int = Field(ge=1, le=MAX_VERSION)


class VersionOut(Record):
    document_id: uuid.UUID
    version_number: int
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: uuid.UUID | None
    change_note: str | None
    reverted_from_version: int | None
    scan_status: str
    scan_engine: str
    scanned_at: datetime | None
    extraction_status: str
    page_count: int | None
    has_preview: bool
    is_current: bool


class DocumentOut(Record):
    association_id: uuid.UUID | None
    scope_type: str
    scope_id: uuid.UUID | None
    category: str
    title: str
    description: str | None
    tags: list[str]
    document_date: date | None
    visibility: str
    status: str
    archived_at: datetime | None
    current_version_number: int
    created_by: uuid.UUID | None
    current_version: VersionOut | None = None
    rank: float | None = Field(default=None, description="Search relevance, when listed with a query.")
    excerpt: str | None = Field(default=None, description="Where the query matched, when listed with a query.")


class DocumentsOut(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None


class VersionsOut(BaseModel):
    items: list[VersionOut]


class DownloadOut(BaseModel):
    url: str = Field(description="A signed link, valid until `expires_at`; relative links are on this API's host.")
    expires_at: datetime
    file_name: str
    content_type: str
    size_bytes: int | None
    sha256: str | None
    version_number: int


class VersionComparison(BaseModel):
    document_id: uuid.UUID
    from_version: VersionOut
    to_version: VersionOut
    same_content: bool
    changed: list[str] = Field(description="What differs: content, file_name, content_type, size_bytes, page_count.")
    text_diff: str = Field(description="A unified diff of the extracted text (empty when the same or not extracted).")
    text_diff_truncated: bool


class AccessEntry(BaseModel):
    at: datetime
    user_id: uuid.UUID | None
    action: str
    version_number: int | None
    variant: str | None
    request_id: str | None


class AccessLogOut(BaseModel):
    items: list[AccessEntry]
    next_cursor: str | None


class AccessLogRequest(PageRequest):
    id: uuid.UUID

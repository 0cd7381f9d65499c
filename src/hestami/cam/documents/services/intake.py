"""Taking a received file in: what it is (from its bytes), whether it fits the category, whether it parses, whether
it is clean, and where its bytes are kept. Every refusal is a specific reason, and nothing is stored until the
file has passed every check."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from hestami.cam.documents.content.extract import UnreadableFile, check_readable
from hestami.cam.documents.content.rules import Category, accepted_types, accepts
from hestami.cam.documents.content.scan import RecordingScanner, ScanVerdict, VirusScanner
from hestami.cam.documents.content.sniff import sniff
from hestami.cam.documents.errors import DocumentReason, rule
from hestami.core import runtime
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError
from hestami.core.storage import ObjectStore
from hestami.core.uploads import StagedFile

_scanner: VirusScanner = RecordingScanner()


def scanner() -> VirusScanner:
    """The virus-scan port: the recording adapter until a real engine is configured (its verdict is stored on
    every version, so what was scanned and how is visible through the API)."""
    return _scanner


def use_scanner(replacement: VirusScanner) -> VirusScanner:
    """Swaps the scanner (tests, a real engine); returns the previous one."""
    global _scanner
    previous, _scanner = _scanner, replacement
    return previous


def store() -> ObjectStore:
    return runtime.current().files


@dataclass(frozen=True, slots=True)
class AcceptedFile:
    """A staged file that passed every check, with the type its bytes say and the scan's verdict."""

    staged: StagedFile
    content_type: str
    verdict: ScanVerdict
    scanned_at: datetime


def require_upload(ctx: RequestContext) -> StagedFile:
    if ctx.upload is None:
        message = "Send the file as the `file` part of a multipart/form-data request."
        raise HestamiError(ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError("file", message, "missing")])
    return ctx.upload


def content_type_of(staged: StagedFile, category: Category) -> str:
    """The type sniffed from the bytes, if the category takes it: the name and the declared type are not trusted."""
    if staged.size == 0:
        raise rule(DocumentReason.EMPTY_FILE, "The file is empty (zero bytes).")
    found = sniff(staged.head)
    if found is None:
        raise rule(
            DocumentReason.UNKNOWN_FILE_TYPE,
            "The file's content is not a type documents accept (PDF, Word, Excel, text or an image).",
            declared_type=staged.declared_type or None,
        )
    check_category(found, category)
    return found


def check_category(content_type: str, category: Category) -> None:
    """A category takes only the types that make sense for it (a photo is no PDF, bylaws are no picture)."""
    if not accepts(category, content_type):
        raise rule(
            DocumentReason.WRONG_TYPE_FOR_CATEGORY,
            f"A {category.value} document cannot be {content_type}.",
            content_type=content_type,
            category=category.value,
            accepted=list(accepted_types(category)),
        )


async def accept(staged: StagedFile, category: Category) -> AcceptedFile:
    """Type, category, readability and a clean scan, in that order (cheapest first)."""
    content_type = content_type_of(staged, category)
    try:
        await asyncio.to_thread(check_readable, staged.path, content_type)
    except UnreadableFile as exc:
        raise rule(
            DocumentReason.UNREADABLE_FILE,
            f"The file claims to be {content_type} but could not be read: {exc.reason}",
            content_type=content_type,
        ) from None
    verdict = await scanner().scan(staged.path)
    if not verdict.clean:
        raise rule(
            DocumentReason.INFECTED_FILE,
            "The virus scan found malware in the file; it was not stored.",
            signature=verdict.signature,
            engine=verdict.engine,
        )
    return AcceptedFile(staged, content_type, verdict, datetime.now(UTC))


def storage_key(organization_id: uuid.UUID, sha256: str) -> str:
    """Content-addressed within the organization: the same bytes are stored once per tenant, never overwritten
    with other bytes, and a tenant's files can be listed, moved or erased by their prefix."""
    return f"{organization_id}/{sha256[:2]}/{sha256}"


async def keep(accepted: AcceptedFile, organization_id: uuid.UUID) -> tuple[str, str]:
    """Stores the bytes (streamed from the staged file); returns (backend, key). Idempotent: the same bytes land
    on the same key, so a retried request stores nothing twice."""
    files = store()
    key = storage_key(organization_id, accepted.staged.sha256)
    await files.put_file(key, accepted.staged.path, accepted.content_type)
    return files.name, key

"""Domain 10's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class DocumentReason(StrEnum):
    FILE_REQUIRED = "FILE_REQUIRED"
    EMPTY_FILE = "EMPTY_FILE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNKNOWN_FILE_TYPE = "UNKNOWN_FILE_TYPE"
    WRONG_TYPE_FOR_CATEGORY = "WRONG_TYPE_FOR_CATEGORY"
    UNREADABLE_FILE = "UNREADABLE_FILE"
    INFECTED_FILE = "INFECTED_FILE"
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    DOCUMENT_ARCHIVED = "DOCUMENT_ARCHIVED"
    NOT_ARCHIVED = "NOT_ARCHIVED"
    ALREADY_CURRENT = "ALREADY_CURRENT"
    NO_PREVIEW = "NO_PREVIEW"
    SCOPE_INCOMPLETE = "SCOPE_INCOMPLETE"
    CONTENT_MISMATCH = "CONTENT_MISMATCH"


class DocumentError(DomainError):
    """Domain 10's errors; `reason` is a DocumentReason."""


def rule(reason: DocumentReason, message: str, **details: object) -> DocumentError:
    return DocumentError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

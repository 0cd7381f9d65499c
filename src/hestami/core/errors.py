"""The platform error codes of API.md and the one exception type every layer raises.

Domains subclass `HestamiError` (one error type per domain) and add their own `details` reason codes;
the wire `code` always comes from `ErrorCode`, so clients branch on a closed set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True)
class _CodeInfo:
    http_status: int
    type: str
    retryable: bool
    message: str


class ErrorCode(StrEnum):
    VALIDATION_FAILED = "VALIDATION_FAILED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    ORG_SCOPE_REQUIRED = "ORG_SCOPE_REQUIRED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    INVALID_STATE_TRANSITION = "INVALID_STATE_TRANSITION"
    CONFLICT = "CONFLICT"
    IDEMPOTENCY_KEY_REQUIRED = "IDEMPOTENCY_KEY_REQUIRED"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    IDEMPOTENCY_IN_PROGRESS = "IDEMPOTENCY_IN_PROGRESS"
    BUSINESS_RULE_VIOLATION = "BUSINESS_RULE_VIOLATION"
    RATE_LIMITED = "RATE_LIMITED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"

    @property
    def info(self) -> _CodeInfo:
        return _CODE_INFO[self]


_CODE_INFO: dict[ErrorCode, _CodeInfo] = {
    ErrorCode.VALIDATION_FAILED: _CodeInfo(400, "validation", False, "Validation failed."),
    ErrorCode.UNAUTHENTICATED: _CodeInfo(401, "authentication", False, "Authentication required."),
    ErrorCode.ORG_SCOPE_REQUIRED: _CodeInfo(
        400, "authorization", False, "This procedure needs an organization scope (X-Org-Id)."
    ),
    ErrorCode.FORBIDDEN: _CodeInfo(403, "authorization", False, "Not allowed."),
    ErrorCode.NOT_FOUND: _CodeInfo(404, "not_found", False, "Not found."),
    ErrorCode.METHOD_NOT_ALLOWED: _CodeInfo(405, "routing", False, "Procedures are called with POST."),
    ErrorCode.INVALID_STATE_TRANSITION: _CodeInfo(409, "state", False, "Invalid state transition."),
    ErrorCode.CONFLICT: _CodeInfo(409, "conflict", False, "Conflict."),
    ErrorCode.IDEMPOTENCY_KEY_REQUIRED: _CodeInfo(
        400, "idempotency", False, "This procedure changes data and needs an Idempotency-Key header."
    ),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: _CodeInfo(
        422, "idempotency", False, "This Idempotency-Key was used with a different request body."
    ),
    ErrorCode.IDEMPOTENCY_IN_PROGRESS: _CodeInfo(
        409, "idempotency", True, "A request with this Idempotency-Key is still running."
    ),
    ErrorCode.BUSINESS_RULE_VIOLATION: _CodeInfo(422, "business_rule", False, "A business rule was violated."),
    ErrorCode.RATE_LIMITED: _CodeInfo(429, "rate_limit", True, "Too many requests."),
    ErrorCode.SERVICE_UNAVAILABLE: _CodeInfo(503, "unavailable", True, "A backing service is unavailable."),
    ErrorCode.INTERNAL_ERROR: _CodeInfo(500, "internal", True, "An internal error occurred."),
}


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str
    code: str


class HestamiError(Exception):
    """An error with a stable code, rendered by the one error handler into the SRD envelope."""

    def __init__(
        self,
        code: ErrorCode,
        message: str | None = None,
        *,
        details: Any = None,
        field_errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = message or code.info.message
        self.details = details
        self.field_errors = field_errors or []
        self.headers = headers or {}
        super().__init__(self.message)

    @property
    def http_status(self) -> int:
        return self.code.info.http_status


class DomainError(HestamiError):
    """Base of each domain's error type: a platform code plus the domain's own reason in `details.reason`."""

    def __init__(self, code: ErrorCode, reason: StrEnum, message: str, **details: object) -> None:
        super().__init__(code, message, details={"reason": reason.value, **details})


def not_found(kind: str, record_id: object) -> HestamiError:
    return HestamiError(ErrorCode.NOT_FOUND, f"{kind} not found.", details={"kind": kind, "id": str(record_id)})


def check_transition(kind: str, transitions: Mapping[str, frozenset[str]], current: str, target: str) -> None:
    """INVALID_STATE_TRANSITION (with `from`, `to` and what is `allowed`) unless the table has the move."""
    allowed = transitions.get(current, frozenset())
    if target not in allowed:
        raise HestamiError(
            ErrorCode.INVALID_STATE_TRANSITION,
            f"A {kind} cannot go from {current} to {target}.",
            details={"from": current, "to": target, "allowed": sorted(allowed)},
        )

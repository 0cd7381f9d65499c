"""Turning failures of the layers below (Pydantic, Postgres, Redis, Cerbos) into platform errors.

A dependency that cannot be reached (a refused or dropped connection, a server shutting down, a timeout)
is SERVICE_UNAVAILABLE: 503, retryable, with `Retry-After`, naming the service in `details.service`.
"""

from __future__ import annotations

from typing import Any

import psycopg
import structlog
from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError

from hestami.core.cerbos_transport import cerbos_unavailable, is_transient
from hestami.core.errors import ErrorCode, FieldError, HestamiError

log = structlog.get_logger("hestami.rpc")

_UNIQUE_VIOLATIONS = {"23505", "23P01"}  # a unique index, an exclusion constraint (overlapping bookings)
_FOREIGN_KEY_VIOLATION = "23503"
_CHECK_VIOLATION = "23514"
_INSUFFICIENT_PRIVILEGE = "42501"
_SERIALIZATION_FAILURES = {"40001", "40P01"}
_UNAVAILABLE_CLASSES = ("08", "57")  # connection exceptions, operator intervention (shutdown)
_DIVISION_BY_ZERO = "22012"  # a data exception of our own arithmetic, not of a value sent
_PROGRAM_LIMIT_EXCEEDED = "54000"  # e.g. a value too large for an index row


def field_path(loc: tuple[int | str, ...]) -> str:
    """Pydantic's `loc` as a JSON-pointer-like path: ("items", 0, "amount") → "/items/0/amount"."""
    return "".join(f"/{part}" for part in loc)


def validation_failed(exc: ValidationError, *, prefix: tuple[int | str, ...] = ()) -> HestamiError:
    errors = [
        FieldError(field=field_path(prefix + tuple(err["loc"])), message=err["msg"], code=err["type"])
        for err in exc.errors(include_url=False)
    ]
    return HestamiError(ErrorCode.VALIDATION_FAILED, field_errors=errors)


def _sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", "") or "")


def from_database(exc: DBAPIError) -> HestamiError:
    state = _sqlstate(exc)
    details: dict[str, Any] = {"sqlstate": state} if state else {}
    if state in _UNIQUE_VIOLATIONS:
        return HestamiError(ErrorCode.CONFLICT, "A record with these values already exists.", details=details)
    if state in _SERIALIZATION_FAILURES:
        return HestamiError(
            ErrorCode.CONFLICT,
            "A concurrent update conflicted; retry.",
            details={**details, "reason": "CONCURRENT_UPDATE"},
        )
    if state in (_FOREIGN_KEY_VIOLATION, _CHECK_VIOLATION):
        return HestamiError(ErrorCode.BUSINESS_RULE_VIOLATION, "The change breaks a data rule.", details=details)
    if state == _INSUFFICIENT_PRIVILEGE:
        log.warning("rls_denied", sqlstate=state)
        return HestamiError(ErrorCode.FORBIDDEN)
    if (isinstance(exc, DataError) and state != _DIVISION_BY_ZERO) or state == _PROGRAM_LIMIT_EXCEEDED:
        # Input validation should have refused the value (a bound or string rule is missing in a schema):
        # still the caller's value, so a 400 rather than a crash.
        log.warning("database_refused_value", sqlstate=state, error=str(exc.orig)[:200])
        return HestamiError(ErrorCode.VALIDATION_FAILED, "A value cannot be stored.", details=details)
    if isinstance(exc, OperationalError | InterfaceError) or state.startswith(_UNAVAILABLE_CLASSES):
        return database_unavailable(state)
    return HestamiError(ErrorCode.INTERNAL_ERROR)


def database_unavailable(sqlstate: str = "") -> HestamiError:
    details = {"service": "postgres", **({"sqlstate": sqlstate} if sqlstate else {})}
    return HestamiError(ErrorCode.SERVICE_UNAVAILABLE, "The database is unavailable.", details=details)


def as_platform_error(exc: BaseException) -> HestamiError | None:
    """The platform error for a known failure, or None for a crash (rendered as INTERNAL_ERROR)."""
    if isinstance(exc, HestamiError):
        return exc
    if isinstance(exc, DBAPIError):
        return from_database(exc)
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):  # a raw driver error, outside SQLAlchemy
        return database_unavailable(str(getattr(exc, "sqlstate", "") or ""))
    if isinstance(exc, RedisConnectionError | RedisTimeoutError):
        return HestamiError(
            ErrorCode.SERVICE_UNAVAILABLE, "The session store is unavailable.", details={"service": "redis"}
        )
    if is_transient(exc):
        return cerbos_unavailable(exc.code().name)  # type: ignore[attr-defined]  # a gRPC error has code()
    return None

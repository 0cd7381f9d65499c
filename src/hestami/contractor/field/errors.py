"""The field backend's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class FieldReason(StrEnum):
    JOB_CLOSED = "JOB_CLOSED"
    VISIT_CLOSED = "VISIT_CLOSED"
    NOT_ASSIGNED = "NOT_ASSIGNED"
    VISIT_REASSIGNED = "VISIT_REASSIGNED"
    TIMER_RUNNING = "TIMER_RUNNING"
    NO_TIMER = "NO_TIMER"
    BEFORE_START = "BEFORE_START"
    CHECKLIST_EXISTS = "CHECKLIST_EXISTS"
    REQUIRED_STEPS_OPEN = "REQUIRED_STEPS_OPEN"
    SIGNATURE_EXISTS = "SIGNATURE_EXISTS"
    UNKNOWN_ITEM = "UNKNOWN_ITEM"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    NOT_AN_IMAGE = "NOT_AN_IMAGE"
    ACTION_ID_REUSED = "ACTION_ID_REUSED"
    WRONG_JOB = "WRONG_JOB"
    WRONG_VISIT = "WRONG_VISIT"


class FieldError(DomainError):
    """The field backend's errors; `reason` is a FieldReason."""


def rule(reason: FieldReason, message: str, **details: object) -> FieldError:
    return FieldError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: FieldReason, message: str, **details: object) -> FieldError:
    return FieldError(ErrorCode.CONFLICT, reason, message, **details)

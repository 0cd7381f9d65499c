"""The jobs' error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class JobReason(StrEnum):
    JOB_CLOSED = "JOB_CLOSED"
    CHECKPOINT_OPEN = "CHECKPOINT_OPEN"
    CHECKPOINT_DONE = "CHECKPOINT_DONE"
    VISIT_CLOSED = "VISIT_CLOSED"
    NO_WINDOW = "NO_WINDOW"
    BRANCH_CLOSED = "BRANCH_CLOSED"
    ATTACHMENT_TOO_LARGE = "ATTACHMENT_TOO_LARGE"


class JobError(DomainError):
    """The jobs' errors; `reason` is a JobReason."""


def rule(reason: JobReason, message: str, **details: object) -> JobError:
    return JobError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

"""Reporting's error type: platform codes with their reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class ReportingReason(StrEnum):
    UNKNOWN_REPORT = "UNKNOWN_REPORT"
    NOT_COMPLETED = "NOT_COMPLETED"
    NOT_A_MEMBER = "NOT_A_MEMBER"
    SCHEDULE_CANCELLED = "SCHEDULE_CANCELLED"
    NO_LONGER_ALLOWED = "NO_LONGER_ALLOWED"


class ReportingError(DomainError):
    """Reporting's errors; `reason` is a ReportingReason."""


def rule(reason: ReportingReason, message: str, **details: object) -> ReportingError:
    return ReportingError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def unknown_report(key: str) -> ReportingError:
    return ReportingError(ErrorCode.NOT_FOUND, ReportingReason.UNKNOWN_REPORT, f"No report {key!r}.", report=key)

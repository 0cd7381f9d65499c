"""Dispatch's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class DispatchReason(StrEnum):
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    DOUBLE_BOOKED = "DOUBLE_BOOKED"
    VISIT_ASSIGNED = "VISIT_ASSIGNED"
    VISIT_CLOSED = "VISIT_CLOSED"
    JOB_CLOSED = "JOB_CLOSED"
    OUTSIDE_WINDOW = "OUTSIDE_WINDOW"
    NO_ZIP_CODE = "NO_ZIP_CODE"
    ASSIGNMENT_CLOSED = "ASSIGNMENT_CLOSED"
    PLAN_DECIDED = "PLAN_DECIDED"
    PLAN_STALE = "PLAN_STALE"
    NOT_A_TECHNICIAN = "NOT_A_TECHNICIAN"


class DispatchError(DomainError):
    """Dispatch's errors; `reason` is a DispatchReason."""


def rule(reason: DispatchReason, message: str, **details: object) -> DispatchError:
    return DispatchError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

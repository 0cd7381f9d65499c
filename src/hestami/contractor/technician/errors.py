"""The workforce's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class TechnicianReason(StrEnum):
    ALREADY_A_TECHNICIAN = "ALREADY_A_TECHNICIAN"
    DUPLICATE_EMPLOYEE_NUMBER = "DUPLICATE_EMPLOYEE_NUMBER"
    DUPLICATE_SKILL = "DUPLICATE_SKILL"
    OVERLAPPING_SHIFTS = "OVERLAPPING_SHIFTS"
    TIME_OFF_OVERLAP = "TIME_OFF_OVERLAP"
    TIME_OFF_CANCELLED = "TIME_OFF_CANCELLED"
    TECHNICIAN_INACTIVE = "TECHNICIAN_INACTIVE"
    BRANCH_CLOSED = "BRANCH_CLOSED"


class TechnicianError(DomainError):
    """The workforce's errors; `reason` is a TechnicianReason."""


def rule(reason: TechnicianReason, message: str, **details: object) -> TechnicianError:
    return TechnicianError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: TechnicianReason, message: str, **details: object) -> TechnicianError:
    return TechnicianError(ErrorCode.CONFLICT, reason, message, **details)

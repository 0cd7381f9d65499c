"""Domain 1's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class AssociationReason(StrEnum):
    OWNERSHIP_OVER_100_PERCENT = "OWNERSHIP_OVER_100_PERCENT"
    ALREADY_ENDED = "ALREADY_ENDED"
    END_BEFORE_START = "END_BEFORE_START"
    MANAGER_WORKLOAD_EXCEEDED = "MANAGER_WORKLOAD_EXCEEDED"
    NOT_A_MANAGER = "NOT_A_MANAGER"
    NOT_RESERVABLE = "NOT_RESERVABLE"
    RESERVATION_CONFLICT = "RESERVATION_CONFLICT"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    DUPLICATE_UNIT_NUMBER = "DUPLICATE_UNIT_NUMBER"
    HAS_DEPENDENTS = "HAS_DEPENDENTS"
    CONTRACT_TERMINATED = "CONTRACT_TERMINATED"
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"


class AssociationError(DomainError):
    """Domain 1's errors; `reason` is an AssociationReason."""


def rule(reason: AssociationReason, message: str, **details: object) -> AssociationError:
    return AssociationError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)


def conflict(reason: AssociationReason, message: str, **details: object) -> AssociationError:
    return AssociationError(ErrorCode.CONFLICT, reason, message, **details)

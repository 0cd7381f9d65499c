"""The contractor profile's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class ContractorReason(StrEnum):
    NOT_A_CONTRACTOR = "NOT_A_CONTRACTOR"
    NO_PROFILE = "NO_PROFILE"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
    DUPLICATE_BRANCH = "DUPLICATE_BRANCH"
    DUPLICATE_LICENSE = "DUPLICATE_LICENSE"
    DUPLICATE_POLICY = "DUPLICATE_POLICY"
    BRANCH_CLOSED = "BRANCH_CLOSED"
    WRONG_DOCUMENT = "WRONG_DOCUMENT"


class ContractorError(DomainError):
    """The contractor profile's errors; `reason` is a ContractorReason."""


def rule(reason: ContractorReason, message: str, **details: object) -> ContractorError:
    return ContractorError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

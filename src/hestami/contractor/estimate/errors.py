"""The estimates' error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class EstimateReason(StrEnum):
    NOT_EDITABLE = "NOT_EDITABLE"
    FROZEN = "FROZEN"
    NO_OPTIONS = "NO_OPTIONS"
    EMPTY_OPTION = "EMPTY_OPTION"
    OPTION_NOT_OFFERED = "OPTION_NOT_OFFERED"
    PROPOSAL_SUPERSEDED = "PROPOSAL_SUPERSEDED"
    ADDRESSEE_DECIDES = "ADDRESSEE_DECIDES"
    NO_ADDRESSEE = "NO_ADDRESSEE"
    BID_NOT_OPEN = "BID_NOT_OPEN"
    ALREADY_ESTIMATED = "ALREADY_ESTIMATED"
    ONE_TARGET = "ONE_TARGET"
    VALIDITY_PASSED = "VALIDITY_PASSED"


class EstimateError(DomainError):
    """The estimates' errors; `reason` is an EstimateReason."""


def rule(reason: EstimateReason, message: str, **details: object) -> EstimateError:
    return EstimateError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

"""Domain 6's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class WorkOrderReason(StrEnum):
    PROVIDER_NOT_LINKED = "PROVIDER_NOT_LINKED"
    PROVIDER_NOT_APPROVED = "PROVIDER_NOT_APPROVED"
    LICENSE_EXPIRED = "LICENSE_EXPIRED"
    INSURANCE_EXPIRED = "INSURANCE_EXPIRED"
    WORKERS_COMP_EXPIRED = "WORKERS_COMP_EXPIRED"
    NO_PROVIDER_PROFILE = "NO_PROVIDER_PROFILE"
    LICENSE_MISSING = "LICENSE_MISSING"
    INSURANCE_MISSING = "INSURANCE_MISSING"
    INSURANCE_BELOW_MINIMUM = "INSURANCE_BELOW_MINIMUM"
    PROVIDER_NOT_COMPLIANT = "PROVIDER_NOT_COMPLIANT"
    USE_DEDICATED_PROCEDURE = "USE_DEDICATED_PROCEDURE"
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    BID_NOT_OPEN = "BID_NOT_OPEN"
    ATTACHMENT_TOO_LARGE = "ATTACHMENT_TOO_LARGE"
    NO_VENDOR = "NO_VENDOR"
    COMPONENT_RETIRED = "COMPONENT_RETIRED"
    ALREADY_ORDERED = "ALREADY_ORDERED"


class WorkOrderError(DomainError):
    """Domain 6's errors; `reason` is a WorkOrderReason."""


def rule(reason: WorkOrderReason, message: str, **details: object) -> WorkOrderError:
    return WorkOrderError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

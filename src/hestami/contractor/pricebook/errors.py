"""The pricebook's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class PricebookReason(StrEnum):
    VERSION_PUBLISHED = "VERSION_PUBLISHED"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    UNKNOWN_ITEM_CODE = "UNKNOWN_ITEM_CODE"
    BUNDLE_CONTAINS_ITSELF = "BUNDLE_CONTAINS_ITSELF"
    BUNDLE_CYCLE = "BUNDLE_CYCLE"
    NOT_A_BUNDLE = "NOT_A_BUNDLE"
    ITEM_IN_USE = "ITEM_IN_USE"
    CATEGORY_CYCLE = "CATEGORY_CYCLE"
    NO_ACTIVE_VERSION = "NO_ACTIVE_VERSION"
    DUPLICATE_RATE_SHEET = "DUPLICATE_RATE_SHEET"
    RULE_INACTIVE = "RULE_INACTIVE"
    WRONG_RULE_KIND = "WRONG_RULE_KIND"


class PricebookError(DomainError):
    """The pricebook's errors; `reason` is a PricebookReason."""


def rule(reason: PricebookReason, message: str, **details: object) -> PricebookError:
    return PricebookError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

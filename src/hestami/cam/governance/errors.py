"""Domain 8's error type: platform codes with this domain's reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class GovernanceReason(StrEnum):
    WRONG_ASSOCIATION = "WRONG_ASSOCIATION"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    BOARD_EXISTS = "BOARD_EXISTS"
    BOARD_FULL = "BOARD_FULL"
    POSITION_TAKEN = "POSITION_TAKEN"
    ALREADY_SEATED = "ALREADY_SEATED"
    SEAT_ENDED = "SEAT_ENDED"
    NOT_A_MEMBER = "NOT_A_MEMBER"
    INSIDE_NOTICE_PERIOD = "INSIDE_NOTICE_PERIOD"
    TOO_EARLY_FOR_NOTICE = "TOO_EARLY_FOR_NOTICE"
    INVALID_MOVE = "INVALID_MOVE"
    NOT_EDITABLE = "NOT_EDITABLE"
    NOT_IN_SESSION = "NOT_IN_SESSION"
    NO_BOARD = "NO_BOARD"
    VOTE_OPEN = "VOTE_OPEN"
    ALREADY_PRESENT = "ALREADY_PRESENT"
    NO_QUORUM = "NO_QUORUM"
    NOT_A_VOTER = "NOT_A_VOTER"
    ALREADY_VOTED = "ALREADY_VOTED"
    VOTE_CLOSED = "VOTE_CLOSED"
    UNKNOWN_OPTION = "UNKNOWN_OPTION"
    PROXIES_NOT_ALLOWED = "PROXIES_NOT_ALLOWED"
    ELECTRONIC_NOT_ALLOWED = "ELECTRONIC_NOT_ALLOWED"
    WRONG_VOTE_KIND = "WRONG_VOTE_KIND"
    NO_MINUTES = "NO_MINUTES"
    MINUTES_APPROVED = "MINUTES_APPROVED"
    SAME_MEETING = "SAME_MEETING"
    OTHER_BODY = "OTHER_BODY"
    MISSING_ASSESSMENT_SHARE = "MISSING_ASSESSMENT_SHARE"
    NO_UNITS = "NO_UNITS"
    INCOMPLETE_RESOLUTION = "INCOMPLETE_RESOLUTION"
    NOT_ADOPTED = "NOT_ADOPTED"


class GovernanceError(DomainError):
    """Domain 8's errors; `reason` is a GovernanceReason."""


def rule(reason: GovernanceReason, message: str, **details: object) -> GovernanceError:
    return GovernanceError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, message, **details)

"""Identity's error type: platform codes with identity's own reasons in `details.reason`."""

from __future__ import annotations

from enum import StrEnum

from hestami.core.errors import DomainError, ErrorCode


class IdentityReason(StrEnum):
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    WEAK_PASSWORD = "WEAK_PASSWORD"
    SLUG_TAKEN = "SLUG_TAKEN"
    LAST_ADMIN = "LAST_ADMIN"
    ALREADY_MEMBER = "ALREADY_MEMBER"
    SESSION_EXPIRED = "SESSION_EXPIRED"
    WRONG_PASSWORD = "WRONG_PASSWORD"
    PASSWORD_UNCHANGED = "PASSWORD_UNCHANGED"
    TOKEN_INVALID = "TOKEN_INVALID"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_USED = "TOKEN_USED"


class IdentityError(DomainError):
    """Identity's errors; `reason` is an IdentityReason."""


def invalid_credentials() -> IdentityError:
    """One answer for an unknown email and a wrong password alike."""
    return IdentityError(ErrorCode.UNAUTHENTICATED, IdentityReason.INVALID_CREDENTIALS, "Invalid email or password.")


def already_member(member_id: object | None = None) -> IdentityError:
    """The email is already a member of the organization, or already invited to it."""
    details = {"member_id": str(member_id)} if member_id is not None else {}
    return IdentityError(ErrorCode.CONFLICT, IdentityReason.ALREADY_MEMBER, "Already a member or invited.", **details)


def token_refused(reason: IdentityReason) -> IdentityError:
    """An email verification token that is unknown (or for an email the account no longer has), expired, or used."""
    messages = {
        IdentityReason.TOKEN_INVALID: "This verification link is not valid.",
        IdentityReason.TOKEN_EXPIRED: "This verification link has expired; ask for a new one.",
        IdentityReason.TOKEN_USED: "This verification link was used already.",
    }
    return IdentityError(ErrorCode.BUSINESS_RULE_VIOLATION, reason, messages[reason])

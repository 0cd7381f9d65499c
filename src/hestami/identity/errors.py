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


class IdentityError(DomainError):
    """Identity's errors; `reason` is an IdentityReason."""


def invalid_credentials() -> IdentityError:
    """One answer for an unknown email and a wrong password alike."""
    return IdentityError(ErrorCode.UNAUTHENTICATED, IdentityReason.INVALID_CREDENTIALS, "Invalid email or password.")


def already_member(member_id: object | None = None) -> IdentityError:
    """The email is already a member of the organization, or already invited to it."""
    details = {"member_id": str(member_id)} if member_id is not None else {}
    return IdentityError(ErrorCode.CONFLICT, IdentityReason.ALREADY_MEMBER, "Already a member or invited.", **details)

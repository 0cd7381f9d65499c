"""Identifiers: time-ordered UUIDv7 primary keys and request ids."""

from __future__ import annotations

import uuid

from uuid_utils import compat


def new_id() -> uuid.UUID:
    """A time-ordered UUIDv7, so new rows land at the right edge of their index."""
    return compat.uuid7()


def new_request_id() -> str:
    return f"req_{compat.uuid7().hex}"

"""Account linking: what other domains hold under an email attaches to the account once its owner proves it.

Identity imports no domain (import-linter). A domain that keeps records of people by email (an association's
parties) registers a hook here (`when_email_proven`), as domains register with `association.api.when_created`.
When `auth/v1/verifyEmail` proves an email, identity finds the organizations whose parties carry it (migration
0024's `app_parties_with_email`, the one cross-tenant read), and in each of them, inside that organization's own
scope and as the account's owner, runs every hook with the organization's parties of that email. A hook links what
it may (never a record already linked to someone else), audits each link, and answers which membership roles follow
(an owner of record becomes an OWNER member); identity then grants them.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class Attached:
    """What one hook did in one organization: the records it linked now, and the roles the account gets there."""

    linked: tuple[uuid.UUID, ...] = ()
    roles: frozenset[str] = frozenset()


EmailProven = Callable[[RequestContext, str, Sequence[uuid.UUID]], Awaitable[Attached]]
"""`hook(ctx, email, party_ids)`: `ctx` is scoped to one organization with the account's owner as its principal
(no roles yet: the hook acts as the system, not through the caller's policies); `party_ids` are that organization's
live parties with `email`, found outside its scope and to be re-read (and locked) inside it."""

_hooks: list[EmailProven] = []


def when_email_proven(hook: EmailProven) -> EmailProven:
    """Registers a hook for proven emails (once, however often the registering module is imported)."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def hooks() -> tuple[EmailProven, ...]:
    return tuple(_hooks)

"""Where a document belongs, checked in the caller's scope: the association, property or unit it names must be one
the caller may see, and a record it documents (a work order, a violation, an ARC request, a meeting) must exist,
be visible to the caller and belong to the same association.

The domains that own those records sit above this one: each registers how to find its record's association
(`api.register_link`), so documents never import them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from hestami.cam.association import api as association
from hestami.cam.documents.errors import DocumentReason, rule
from hestami.cam.documents.schemas import DocumentScope
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

LinkResolver = Callable[[RequestContext, uuid.UUID], Awaitable[uuid.UUID]]
"""Loads a linked record in the caller's scope (NOT_FOUND unless they may see it) and answers its association."""

_links: dict[str, LinkResolver] = {}


def register_link(scope_type: str, resolver: LinkResolver) -> None:
    _links[scope_type] = resolver


@dataclass(frozen=True, slots=True)
class Placement:
    """The columns a scope fills on a document."""

    scope_type: str
    association_id: uuid.UUID | None
    scope_id: uuid.UUID | None
    property_id: uuid.UUID | None
    unit_id: uuid.UUID | None


async def place(ctx: RequestContext, scope: DocumentScope) -> Placement:
    if scope.type == "ORGANIZATION":
        return Placement("ORGANIZATION", None, None, None, None)
    assert scope.association_id is not None  # the schema holds it
    await association.load_association(ctx, scope.association_id)
    if scope.type == "ASSOCIATION":
        return Placement("ASSOCIATION", scope.association_id, None, None, None)
    assert scope.id is not None
    owner = await _association_of(ctx, scope.type, scope.id)
    if owner != scope.association_id:
        raise rule(
            DocumentReason.WRONG_ASSOCIATION,
            f"That {scope.type.lower()} belongs to another association.",
            association_id=str(scope.association_id),
        )
    return Placement(
        scope.type,
        scope.association_id,
        scope.id,
        scope.id if scope.type == "PROPERTY" else None,
        scope.id if scope.type == "UNIT" else None,
    )


async def _association_of(ctx: RequestContext, scope_type: str, record_id: uuid.UUID) -> uuid.UUID:
    if scope_type == "UNIT":
        return (await association.load_unit(ctx, record_id)).association_id
    if scope_type == "PROPERTY":
        return await association.property_association(ctx, record_id)
    resolver = _links.get(scope_type)
    if resolver is None:  # the domain of that record is not part of this build yet: no such record exists
        raise not_found(scope_type.lower(), record_id)
    return await resolver(ctx, record_id)

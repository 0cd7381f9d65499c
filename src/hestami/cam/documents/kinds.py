"""Domain 10's record kinds as Cerbos sees them (policies/resource/document.yaml)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, case, cast, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, array

from hestami.cam.association import api as association
from hestami.cam.documents.models import Document
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _document_attrs(ctx: RequestContext, document: Document) -> dict[str, AttrValue]:
    """Who may read it as an owner: a unit's document its unit's owners; any other document of an association
    the caller, when they own a unit there (owners see what is visible to owners of their association)."""
    if document.unit_id is not None:
        owners = await association.owners_of_unit(ctx, document.unit_id, document.organization_id)
    elif await association.caller_owns_in_association(ctx, document.association_id):
        owners = [str(ctx.user_id)]
    else:
        owners = []
    return {"owner_user_ids": owners}


def _document_columns() -> dict[str, Any]:
    owners = case(
        (Document.unit_id.is_not(None), association.unit_owners_column(Document.unit_id, Document.organization_id)),
        (
            Document.association_id.is_not(None),
            association.caller_if_association_owner_column(Document.association_id, Document.organization_id),
        ),
        else_=cast(array([], type_=Text), ARRAY(Text)),
    )
    return {
        "visibility": Document.visibility,
        "scope_type": Document.scope_type,
        "owner_user_ids": type_coerce(owners, ARRAY(Text)),
    }


def _document_base(document: Document) -> dict[str, AttrValue]:
    return {"visibility": document.visibility, "scope_type": document.scope_type}


DOCUMENT = RecordKind(
    "document",
    Document,
    attrs=_document_attrs,
    base_attrs=_document_base,
    columns=_document_columns,
    hidden_fields=frozenset({"search_vector"}),  # derived, large, and never loaded with the row
)

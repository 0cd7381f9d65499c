"""Domain 9's record kinds as Cerbos sees them (policies/resource/owner_request.yaml, portal_profile.yaml,
portal_download_log.yaml).

An owner request belongs to the account that follows it: its submitter and, when a manager filed it for an owner,
that owner's account (`owner_user_ids`, read from the row itself: no lookup). The profile and the download log
are no tables of this domain: `portal_profile` is a party of domain 1 as the portal lets its own user change it
(`user_id`: the party's linked account), `portal_download_log` the documents' download trail as a whole.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, func, null, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, array

from hestami.cam.portal.models import OwnerRequest
from hestami.core.authz import AttrValue
from hestami.core.records import RecordKind


def _followers(request: OwnerRequest) -> list[str]:
    return sorted({str(user) for user in (request.submitted_by, request.owner_user_id) if user is not None})


def _request_attrs(request: OwnerRequest) -> dict[str, AttrValue]:
    return {"owner_user_ids": _followers(request)}


def _request_columns() -> dict[str, Any]:
    people = array([cast(OwnerRequest.submitted_by, Text), cast(OwnerRequest.owner_user_id, Text)])
    return {"owner_user_ids": type_coerce(func.array_remove(people, null()), ARRAY(Text))}


OWNER_REQUEST = RecordKind("owner_request", OwnerRequest, base_attrs=_request_attrs, columns=_request_columns)
PROFILE = "portal_profile"
DOWNLOAD_LOG = "portal_download_log"

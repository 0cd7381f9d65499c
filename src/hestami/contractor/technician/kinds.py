"""The workforce's record kind as Cerbos sees it (policies/resource/technician.yaml). Skills, certifications,
shifts, time off and the territory are parts of the technician: changing them is an `update` of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast

from hestami.contractor.technician.models import Technician
from hestami.core.authz import AttrValue
from hestami.core.records import RecordKind


def _own_account(technician: Technician) -> dict[str, AttrValue]:
    """A technician reads their own record: the policy compares `user_id` with the caller."""
    return {"user_id": str(technician.user_id)}


def _columns() -> dict[str, Any]:
    return {"user_id": cast(Technician.user_id, Text)}


TECHNICIAN = RecordKind("technician", Technician, base_attrs=_own_account, columns=_columns)

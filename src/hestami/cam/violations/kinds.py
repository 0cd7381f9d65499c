"""Domain 4's record kinds as Cerbos sees them (policies/resource/violation*.yaml)."""

from __future__ import annotations

from hestami.cam.association import api as association
from hestami.cam.violations.models import Violation, ViolationSettings, ViolationType
from hestami.core.authz import AttrValue
from hestami.core.context import RequestContext
from hestami.core.records import RecordKind


async def _violation_attrs(ctx: RequestContext, violation: Violation) -> dict[str, AttrValue]:
    """The unit's owners read their violations and answer them."""
    return {"owner_user_ids": await association.owners_of_unit(ctx, violation.unit_id, violation.organization_id)}


VIOLATION = RecordKind(
    "violation",
    Violation,
    attrs=_violation_attrs,
    columns=lambda: {"owner_user_ids": association.unit_owners_column(Violation.unit_id, Violation.organization_id)},
)
VIOLATION_TYPE = RecordKind("violation_type", ViolationType)
VIOLATION_SETTINGS = RecordKind("violation_settings", ViolationSettings)

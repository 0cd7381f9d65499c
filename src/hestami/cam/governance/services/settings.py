"""An association's meeting rules: notice days and channels, member quorum, proxies, electronic voting, when the
final agenda and the reminder go out. Defaults (DOMAIN-NOTES "Governance"; Texas property owners' associations:
board meetings noticed 72 hours ahead, owner meetings 10 to 60 days) apply until the association sets its own."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hestami.cam.association import api as association
from hestami.cam.governance import kinds, repository
from hestami.cam.governance.models import GovernanceSettings
from hestami.cam.governance.schemas import SettingsOut, UpdateSettings
from hestami.core import audit, records
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError

DEFAULTS = {
    "board_notice_days": 3,
    "member_notice_days": 10,
    "member_notice_max_days": 60,
    "notice_channels": ["EMAIL", "MAIL", "PORTAL"],
    "member_quorum_percent": Decimal("20.00"),
    "proxies_allowed": True,
    "electronic_voting_allowed": True,
    "agenda_days": 2,
    "reminder_hours": 24,
}


def _out(association_id: uuid.UUID, row: GovernanceSettings | None) -> SettingsOut:
    values = {name: getattr(row, name) for name in DEFAULTS} if row is not None else dict(DEFAULTS)
    return SettingsOut(association_id=association_id, customized=row is not None, **values)


async def authorize_settings(ctx: RequestContext, association_id: uuid.UUID, action: str) -> None:
    resource = Resource(
        kinds.SETTINGS,
        str(association_id),
        {"organization_id": str(ctx.require_org()), "association_id": str(association_id)},
    )
    await authorize(ctx, action, resource)


async def get(ctx: RequestContext, association_id: uuid.UUID) -> SettingsOut:
    await association.load_association(ctx, association_id)
    await authorize_settings(ctx, association_id, "view")
    return await effective(ctx, association_id)


async def effective(ctx: RequestContext, association_id: uuid.UUID) -> SettingsOut:
    """The settings in force (no policy decision: for the association's own procedures and workflow)."""
    return _out(association_id, await repository.settings_of(ctx.session, association_id))


async def update(ctx: RequestContext, data: UpdateSettings) -> SettingsOut:
    """Only the fields sent change; the member notice days stay within the maximum (VALIDATION_FAILED)."""
    await association.load_association(ctx, data.association_id)
    await authorize_settings(ctx, data.association_id, "update")
    await repository.lock(ctx.session, "settings", data.association_id)
    row = await repository.settings_of(ctx.session, data.association_id, lock=True)
    before = _out(data.association_id, row)
    changes = {k: v for k, v in records.changes_of(data, exclude=("association_id",)).items() if v is not None}
    merged = {**before.model_dump(include=set(DEFAULTS)), **changes}
    if merged["member_notice_days"] > merged["member_notice_max_days"]:
        message = "member_notice_days may not exceed member_notice_max_days."
        raise HestamiError(
            ErrorCode.VALIDATION_FAILED,
            message,
            field_errors=[FieldError("/member_notice_days", message, "above_maximum")],
        )
    if row is None:
        row = GovernanceSettings(organization_id=ctx.require_org(), association_id=data.association_id, **merged)
        ctx.session.add(row)
    for name, value in changes.items():
        setattr(row, name, value)
    await ctx.session.flush()
    after = _out(data.association_id, row)
    audit.record(
        ctx, "governance_settings.updated", kinds.SETTINGS, data.association_id,
        before=before.model_dump(mode="json"), after=after.model_dump(mode="json"),
    )  # fmt: skip
    return after

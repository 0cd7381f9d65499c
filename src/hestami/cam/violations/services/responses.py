"""The unit owner's answer to a violation: CURED (with a photo of the cure, kept as evidence), REQUEST_HEARING,
APPEAL (of a fine, within the appeal period) or a COMMENT. None of them moves the violation: the managers hear of
each once (a message per manager with a dedupe key) and resolve it (`resolve`) or the board decides."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hestami.cam.violations import kinds, repository
from hestami.cam.violations.errors import ViolationReason, rule
from hestami.cam.violations.lifecycle import reference
from hestami.cam.violations.models import Violation
from hestami.cam.violations.schemas import Respond, ViolationOut
from hestami.cam.violations.services import evidence
from hestami.cam.violations.services.violations import output
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.outbox import OutboundMessage, record_all_once
from hestami.identity.services import organizations as identity

MANAGING_ROLES = ["MANAGER", "ADMIN"]
BOARD_ROLES = ["MANAGER", "ADMIN", "BOARD_MEMBER"]


async def notify(
    ctx: RequestContext, violation: Violation, action: str, key: str, payload: dict[str, Any], roles: list[str]
) -> None:
    """One email per member in `roles`, once per `key` (a retried request records nothing twice)."""
    members = await identity.members_in_roles(ctx, roles, violation.association_id)
    people = sorted({email: user_id for user_id, email in members}.items())
    await record_all_once(
        ctx.session,
        [
            OutboundMessage(
                organization_id=violation.organization_id, channel="EMAIL", recipient=email,
                recipient_user_id=user_id, template=f"violation.owner_{action.lower()}",
                payload={"violation": reference(violation.number), "action": action, **payload},
                entity_type="violation", entity_id=violation.id,
                dedupe_key=f"violation:{violation.id}:response:{key}:{email}",
            )
            for email, user_id in people
        ],
    )  # fmt: skip


async def respond(ctx: RequestContext, data: Respond) -> ViolationOut:
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "respond", lock=True)
    if violation.status == "CLOSED":
        raise rule(ViolationReason.NOT_OPEN, "This violation is closed.")
    now = datetime.now(UTC)
    payload: dict[str, Any] = {"note": data.note, "by": str(ctx.user_id) if ctx.user_id else None}
    roles = MANAGING_ROLES
    if data.action == "CURED":
        if data.photo is None:
            raise evidence.invalid("/photo", "Send a photo of the cure.", "missing")
        content = evidence.decode(data.photo.content_base64, "/photo/content_base64")
        title = f"{reference(violation.number)} cure photo: {data.photo.file_name}"
        filed = await evidence.file_bytes(ctx, violation, content, data.photo.file_name, title=title)
        item = await evidence.record(
            ctx, violation, document_id=filed.id, file_name=filed.file_name, content_type=filed.content_type,
            size_bytes=filed.size_bytes, sha256=filed.sha256, purpose="CURE", captured_at=data.photo.captured_at,
            latitude=data.photo.latitude, longitude=data.photo.longitude, note=data.note,
        )  # fmt: skip
        key = f"cure:{item.id}"
        payload["evidence_id"] = str(item.id)
    elif data.action == "REQUEST_HEARING":
        hearing = await repository.open_hearing(ctx.session, violation.id)
        if hearing is not None:
            hearing.hearing_requested = True
            payload["hearing_id"] = str(hearing.id)
        key = f"hearing:{uuid.uuid4()}"
    elif data.action == "APPEAL":
        decided = await repository.latest_decided_hearing(ctx.session, violation.id)
        if (
            violation.status != "FINED"
            or decided is None
            or decided.appeal_deadline is None
            or now > decided.appeal_deadline
        ):
            raise rule(
                ViolationReason.APPEAL_CLOSED,
                "An appeal is possible only of a fine, within the appeal period after the hearing's decision.",
                appeal_deadline=decided.appeal_deadline.isoformat() if decided and decided.appeal_deadline else None,
            )
        decided.appeal_requested_at = now
        payload["hearing_id"] = str(decided.id)
        key = f"appeal:{decided.id}"
        roles = BOARD_ROLES
    else:
        key = f"comment:{uuid.uuid4()}"
    await ctx.session.flush()
    audit.record(ctx, f"violation.owner_{data.action.lower()}", kinds.VIOLATION.name, violation.id, after=payload)
    await notify(ctx, violation, data.action, key, payload, roles)
    return await output(ctx, violation)

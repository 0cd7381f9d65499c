"""The offline sync: a batch of the technician's queued actions, each applied exactly once.

Each action is keyed by the device's `client_action_id`: the first time, it is claimed in `field_sync_actions`
(a unique key, so two batches carrying it never both apply it) and applied in its own savepoint; its outcome
(APPLIED with the record it made, or CONFLICT / REJECTED with the error's code and reason) is stored with the hash
of its body. Sent again (by the same user), it is answered REPLAYED with the stored outcome and nothing is
re-applied; the same id with another body (or from another user) is CONFLICT, ACTION_ID_REUSED. Actions run in the
order they happened (`client_at`, then their place in the batch), so each job's in its order and a technician's
timers across jobs too; one failing never drops the others. CONFLICT: the world moved on under the device
(VISIT_REASSIGNED, a closed visit or job, a state move no longer possible, a record made already); REJECTED: the
action itself is wrong (NOT_FOUND, a validation or rule failure)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from hestami.contractor.dispatch import api as dispatch
from hestami.contractor.field import repository
from hestami.contractor.field.errors import FieldReason
from hestami.contractor.field.models import SyncAction
from hestami.contractor.field.schemas import Sync, SyncItemOut, SyncOut
from hestami.contractor.field.schemas import SyncAction as Action
from hestami.contractor.field.services import checklists, completion, materials, media, signatures, timers
from hestami.contractor.profile import api as profile
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.ids import new_id

Apply = Callable[[RequestContext, Any], Awaitable[BaseModel]]
REUSED = "This client_action_id was sent before with another action (or by someone else)."
CONFLICTS = frozenset({ErrorCode.CONFLICT, ErrorCode.INVALID_STATE_TRANSITION})
CONFLICT_REASONS = frozenset({"VISIT_REASSIGNED", "JOB_CLOSED", "VISIT_CLOSED", "NOT_ASSIGNED"})


def _at(action: Any) -> Any:
    return getattr(action.payload, "at", None) or action.client_at


APPLY: dict[str, Apply] = {
    "startTravel": lambda ctx, a: timers.start(ctx, a.visit_id, "TRAVEL", a.client_at, a.job_id),
    "startWork": lambda ctx, a: timers.start(ctx, a.visit_id, "WORK", a.client_at, a.job_id),
    "stop": lambda ctx, a: timers.stop(ctx, a.visit_id, a.client_at, a.job_id),
    "applyChecklist": lambda ctx, a: checklists.apply(ctx, a.visit_id, a.payload.template_id, a.job_id),
    "completeStep": lambda ctx, a: checklists.mark(
        ctx, a.payload.model_copy(update={"at": _at(a)}), True, a.visit_id, a.job_id
    ),
    "uncompleteStep": lambda ctx, a: checklists.mark(ctx, a.payload, False, a.visit_id, a.job_id),
    "uploadMedia": lambda ctx, a: media.upload(ctx, a.visit_id, a.payload, a.job_id),
    "addVoiceNote": lambda ctx, a: media.voice_note(ctx, a.visit_id, a.payload, a.job_id),
    "captureSignature": lambda ctx, a: signatures.capture(
        ctx, a.visit_id, a.payload.model_copy(update={"at": _at(a)}), a.job_id
    ),
    "recordMaterial": lambda ctx, a: materials.record(ctx, a.visit_id, a.payload, a.job_id),
    "completeVisit": lambda ctx, a: completion.complete(ctx, a.visit_id, a.client_at, a.job_id),
}


def body_hash(action: Action) -> str:
    body = json.dumps(action.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def in_order(actions: list[Action]) -> list[int]:
    """Positions in the order to apply: as the actions happened (`client_at`), then by position; so each job's
    actions run in its order, and a technician's timers across jobs too."""
    return sorted(range(len(actions)), key=lambda p: (actions[p].client_at, p))


def _record_id(out: BaseModel) -> str | None:
    for name in ("id", "visit_id"):
        value = getattr(out, name, None)
        if value is not None:
            return str(value)
    return None


def _error(exc: HestamiError) -> dict[str, Any]:
    details = exc.details if isinstance(exc.details, dict) else {}
    return {"code": exc.code.value, "reason": details.get("reason"), "message": exc.message}


def _outcome(exc: HestamiError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    return "CONFLICT" if exc.code in CONFLICTS or details.get("reason") in CONFLICT_REASONS else "REJECTED"


def _item(position: int, action: Action, status: str, row: SyncAction | dict[str, Any], **more: Any) -> SyncItemOut:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    result, error = get("result") or {}, get("error") or {}
    return SyncItemOut(
        position=position, client_action_id=action.client_action_id, type=action.type, status=status,
        record_id=result.get("record_id"), error_code=error.get("code"), reason=error.get("reason"),
        message=error.get("message"), **more,
    )  # fmt: skip


def _replayed(ctx: RequestContext, position: int, action: Action, row: SyncAction, digest: str) -> SyncItemOut:
    if row.body_sha256 != digest or row.user_id != ctx.user_id:
        error = {"code": ErrorCode.CONFLICT.value, "reason": FieldReason.ACTION_ID_REUSED.value, "message": REUSED}
        return _item(position, action, "CONFLICT", {"error": error})
    return _item(position, action, "REPLAYED", row, original_status=row.outcome)


def _row(ctx: RequestContext, action: Action, digest: str, outcome: str, **more: Any) -> dict[str, Any]:
    return {
        "id": new_id(), "organization_id": ctx.require_org(), "client_action_id": action.client_action_id,
        "user_id": ctx.user_id, "job_id": action.job_id, "visit_id": action.visit_id, "type": action.type,
        "client_at": action.client_at, "body_sha256": digest, "outcome": outcome, **more,
    }  # fmt: skip


class _TakenError(Exception):
    """Another transaction recorded the action first (the savepoint is rolled back: nothing applied)."""


async def _apply(ctx: RequestContext, position: int, action: Action) -> SyncItemOut:
    digest = body_hash(action)
    found = await repository.sync_action(ctx.session, action.client_action_id)
    if found is not None:
        return _replayed(ctx, position, action, found, digest)
    try:
        async with ctx.session.begin_nested():
            if await repository.claim(ctx.session, _row(ctx, action, digest, "APPLIED")) is None:
                raise _TakenError
            out = await APPLY[action.type](ctx, action)
            result = {"record_id": _record_id(out)}
            await repository.settle(ctx.session, action.client_action_id, result)
        return _item(position, action, "APPLIED", {"result": result})
    except _TakenError:
        pass
    except HestamiError as exc:
        return await _refused(ctx, position, action, digest, _outcome(exc), _error(exc))
    except IntegrityError:
        error = {"code": ErrorCode.CONFLICT.value, "reason": None, "message": "The record exists already."}
        return await _refused(ctx, position, action, digest, "CONFLICT", error)
    stored = await repository.sync_action(ctx.session, action.client_action_id)
    assert stored is not None
    return _replayed(ctx, position, action, stored, digest)


async def _refused(
    ctx: RequestContext, position: int, action: Action, digest: str, outcome: str, error: dict[str, Any]
) -> SyncItemOut:
    if await repository.claim(ctx.session, _row(ctx, action, digest, outcome, error=error)) is None:
        stored = await repository.sync_action(ctx.session, action.client_action_id)
        assert stored is not None
        return _replayed(ctx, position, action, stored, digest)
    return _item(position, action, outcome, {"error": error})


async def sync(ctx: RequestContext, data: Sync) -> SyncOut:
    """The batch holds the organization's dispatch lock from the start (every field write takes it), so two batches
    sharing actions run one after the other instead of each waiting on the other's claims."""
    await profile.require_contractor(ctx)
    await dispatch.hold(ctx)
    answers: dict[int, SyncItemOut] = {}
    for position in in_order(data.actions):
        answers[position] = await _apply(ctx, position, data.actions[position])
    return SyncOut(items=[answers[p] for p in range(len(data.actions))])

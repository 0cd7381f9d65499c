"""The offline sync: a batch of the technician's queued actions, each applied exactly once.

Each action is keyed by the device's `client_action_id`: the first time, it is claimed in `field_sync_actions`
(a unique key, so two batches carrying it never both apply it) and applied in its own savepoint; its outcome
(APPLIED with the record it made, or CONFLICT / REJECTED with the error's code and reason) is stored with the hash
of its body. Sent again (by the same user), it is answered REPLAYED with the stored outcome and nothing is
re-applied; the same id with another body (or from another user) is CONFLICT, ACTION_ID_REUSED. Actions run in the
order they happened (`client_at`, then their place in the batch), so each job's in its order and a technician's
timers across jobs too; one failing never drops the others. CONFLICT: the world moved on under the device
(VISIT_REASSIGNED, a closed visit or job, a state move no longer possible, a record made already); REJECTED: the
action itself is wrong (NOT_FOUND, a rule failure, or malformed: VALIDATION_FAILED with its field errors, recorded
like the others, with the hash of the item as sent, after the well-formed ones: a malformed copy of an action in
the same batch is then ACTION_ID_REUSED, never the reason the action is lost)."""

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
from hestami.contractor.field.schemas import MALFORMED, KnownAction, QueuedAction, Sync, SyncItemOut, SyncOut
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


def body_hash(queued: QueuedAction) -> str:
    sent = queued.action.model_dump(mode="json") if queued.action is not None else queued.sent
    body = json.dumps(sent, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def in_order(actions: dict[int, KnownAction]) -> list[int]:
    """Positions in the order to apply: as the actions happened (`client_at`), then by position; so each job's
    actions run in its order, and a technician's timers across jobs too."""
    return sorted(actions, key=lambda p: (actions[p].client_at, p))


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


def _item(position: int, sent: QueuedAction, status: str, row: SyncAction | dict[str, Any], **more: Any) -> SyncItemOut:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    result, error = get("result") or {}, get("error") or {}
    return SyncItemOut(
        position=position, client_action_id=sent.client_action_id, type=sent.type, status=status,
        record_id=result.get("record_id"), error_code=error.get("code"), reason=error.get("reason"),
        message=error.get("message"), field_errors=error.get("field_errors", []), **more,
    )  # fmt: skip


def _replayed(ctx: RequestContext, position: int, sent: QueuedAction, row: SyncAction, digest: str) -> SyncItemOut:
    if row.body_sha256 != digest or row.user_id != ctx.user_id:
        error = {"code": ErrorCode.CONFLICT.value, "reason": FieldReason.ACTION_ID_REUSED.value, "message": REUSED}
        return _item(position, sent, "CONFLICT", {"error": error})
    return _item(position, sent, "REPLAYED", row, original_status=row.outcome)


def _row(ctx: RequestContext, sent: QueuedAction, digest: str, outcome: str, **more: Any) -> dict[str, Any]:
    """A malformed action is kept without its visit, job and time (nothing of it is trusted)."""
    action = sent.action
    trusted = {"job_id": action.job_id, "visit_id": action.visit_id, "client_at": action.client_at} if action else {}
    return {
        "id": new_id(), "organization_id": ctx.require_org(), "client_action_id": sent.client_action_id,
        "user_id": ctx.user_id, "type": sent.type, "body_sha256": digest, "outcome": outcome, **trusted, **more,
    }  # fmt: skip


def _malformed(sent: QueuedAction) -> dict[str, Any]:
    problems = [{"field": f.field, "message": f.message, "code": f.code} for f in sent.field_errors]
    return {"code": ErrorCode.VALIDATION_FAILED.value, "reason": None, "message": MALFORMED, "field_errors": problems}


class _TakenError(Exception):
    """Another transaction recorded the action first (the savepoint is rolled back: nothing applied)."""


async def _apply(ctx: RequestContext, position: int, sent: QueuedAction, action: KnownAction) -> SyncItemOut:
    digest = body_hash(sent)
    found = await repository.sync_action(ctx.session, action.client_action_id)
    if found is not None:
        return _replayed(ctx, position, sent, found, digest)
    try:
        async with ctx.session.begin_nested():
            if await repository.claim(ctx.session, _row(ctx, sent, digest, "APPLIED")) is None:
                raise _TakenError
            out = await APPLY[action.type](ctx, action)
            result = {"record_id": _record_id(out)}
            await repository.settle(ctx.session, action.client_action_id, result)
        return _item(position, sent, "APPLIED", {"result": result})
    except _TakenError:
        pass
    except HestamiError as exc:
        return await _refused(ctx, position, sent, digest, _outcome(exc), _error(exc))
    except IntegrityError:
        error = {"code": ErrorCode.CONFLICT.value, "reason": None, "message": "The record exists already."}
        return await _refused(ctx, position, sent, digest, "CONFLICT", error)
    stored = await repository.sync_action(ctx.session, action.client_action_id)
    assert stored is not None
    return _replayed(ctx, position, sent, stored, digest)


async def _rejected(ctx: RequestContext, position: int, sent: QueuedAction) -> SyncItemOut:
    """A malformed action: REJECTED (VALIDATION_FAILED) once, its replays answered like any other's."""
    digest = body_hash(sent)
    found = await repository.sync_action(ctx.session, sent.client_action_id)
    if found is not None:
        return _replayed(ctx, position, sent, found, digest)
    return await _refused(ctx, position, sent, digest, "REJECTED", _malformed(sent))


async def _refused(
    ctx: RequestContext, position: int, sent: QueuedAction, digest: str, outcome: str, error: dict[str, Any]
) -> SyncItemOut:
    if await repository.claim(ctx.session, _row(ctx, sent, digest, outcome, error=error)) is None:
        stored = await repository.sync_action(ctx.session, sent.client_action_id)
        assert stored is not None
        return _replayed(ctx, position, sent, stored, digest)
    return _item(position, sent, outcome, {"error": error})


async def sync(ctx: RequestContext, data: Sync) -> SyncOut:
    """The batch holds the organization's dispatch lock from the start (every field write takes it), so two batches
    sharing actions run one after the other instead of each waiting on the other's claims. The well-formed actions
    run in the order they happened, then the malformed ones are recorded (they change nothing else)."""
    await profile.require_contractor(ctx)
    await dispatch.hold(ctx)
    answers: dict[int, SyncItemOut] = {}
    known = {p: sent.action for p, sent in enumerate(data.actions) if sent.action is not None}
    for position in in_order(known):
        answers[position] = await _apply(ctx, position, data.actions[position], known[position])
    for position, sent in enumerate(data.actions):
        if sent.action is None:
            answers[position] = await _rejected(ctx, position, sent)
    return SyncOut(items=[answers[p] for p in range(len(data.actions))])

"""Jobs: numbered per organization (JOB-000001, gapless), moved through the lifecycle in one place (`transition`:
the table in `lifecycle.py`, a `job_status_history` row and an audit event per move, then the hooks other modules
registered with `when_transitioned`, all in the caller's transaction). Every procedure first requires a contractor
on the platform (`profile.api.require_contractor`)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Final

from hestami.contractor.job import kinds, lifecycle, repository
from hestami.contractor.job.errors import JobReason, rule
from hestami.contractor.job.models import Job, JobStatusChange
from hestami.contractor.job.schemas import (
    CheckpointOut,
    CreateJob,
    HistoryOut,
    JobDetailOut,
    JobOut,
    ListJobs,
    NoteOut,
    StatusChangeOut,
    UpdateJob,
    VisitOut,
)
from hestami.contractor.job.services import customers, reading
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.pagination import Page


class Acting(enum.Enum):
    CALLER = "caller"


CALLER: Final = Acting.CALLER
"""`actor` default: the caller moves the job, authorized by the job policy for the move; the history names them."""
Actor = uuid.UUID | None | Acting
"""Who a move is recorded for: CALLER (authorized), or a user id or None (the system) when the calling domain has
authorized its own action (the HOA's work order moved, a workflow step): no job policy check then."""

TransitionHook = Callable[[RequestContext, Job, str, str, str | None], Awaitable[None]]
_when_transitioned: list[TransitionHook] = []
CompletionGuard = Callable[[RequestContext, uuid.UUID], Awaitable[None]]
_completion_guards: list[CompletionGuard] = []
REQUIRED = frozenset({"title", "trade", "priority"})
"""Columns an update may change but never clear (a `null` leaves them as they are)."""


def when_transitioned(hook: TransitionHook) -> TransitionHook:
    """Registers `hook`, called after every move (`ctx, job, from_status, to_status, note`) in the transaction that
    moves the job: what it writes commits or rolls back with the move."""
    _when_transitioned.append(hook)
    return hook


def before_completion(guard: CompletionGuard) -> CompletionGuard:
    """Registers `guard(ctx, job_id)`, awaited before a caller (`CALLER`) moves a job to COMPLETED: it raises to
    refuse the move (the field's required checklist steps). A calling domain acting on its own (a user id or the
    system: the field's completion, the hand-off) has checked what it needs."""
    _completion_guards.append(guard)
    return guard


def job_out(job: Job) -> JobOut:
    overdue = job.status in lifecycle.OPEN and job.sla_due_at is not None and job.sla_due_at < datetime.now(UTC)
    return records.output(JobOut, job, number=job.display_number, sla_breached=job.sla_breached or overdue)


async def load(ctx: RequestContext, job_id: uuid.UUID, action: str = "view", *, lock: bool = False) -> Job:
    """A job of the caller's organization the caller may `action` (a contractor on the platform only)."""
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.JOB, job_id, action, lock=lock)


def require_open(job: Job, what: str = "change") -> None:
    """BUSINESS_RULE_VIOLATION, reason JOB_CLOSED, unless the job is open (before COMPLETED, not CANCELLED)."""
    if job.status not in lifecycle.OPEN:
        message = f"{job.display_number} is {job.status}: its work is over, so you cannot {what} it."
        raise rule(JobReason.JOB_CLOSED, message, status=job.status)


async def check_branch(ctx: RequestContext, branch_id: uuid.UUID | None) -> None:
    """A branch of the caller's organization (NOT_FOUND otherwise) that is open (BRANCH_CLOSED)."""
    if branch_id is None:
        return
    branch = await profile.load_branch(ctx, branch_id)
    if branch.status != "ACTIVE":
        raise rule(JobReason.BRANCH_CLOSED, f"The {branch.name} branch is closed.", branch_id=str(branch.id))


def _history(ctx: RequestContext, job: Job, from_status: str | None, to_status: str, note: str | None,
             actor: uuid.UUID | None) -> None:  # fmt: skip
    ctx.session.add(
        JobStatusChange(
            organization_id=job.organization_id, job_id=job.id, from_status=from_status, to_status=to_status,
            actor_user_id=actor, note=note,
        )
    )  # fmt: skip


def _recorded_actor(ctx: RequestContext, actor: Actor) -> uuid.UUID | None:
    return ctx.user_id if isinstance(actor, Acting) else actor


async def open_job(ctx: RequestContext, job: Job, note: str | None = None, *, actor: Actor = CALLER) -> Job:
    """Numbers and inserts a new job (its `status` set), with the first history row (from nothing). With CALLER,
    the job policy's `create` decides; otherwise the calling domain has authorized its own action (the hand-off of
    a work order). Hooks are not called: opening is no move (the hand-off's workflow tells dispatch, see
    `workflows.when_handed_off`)."""
    job.number = await repository.next_number(ctx.session, ctx.require_org())
    made = await (records.create if actor is CALLER else records.insert)(ctx, kinds.JOB, job)
    _history(ctx, made, None, made.status, note, _recorded_actor(ctx, actor))
    await ctx.session.flush()
    return made


async def create(ctx: RequestContext, data: CreateJob) -> JobOut:
    await profile.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.JOB, "create")
    fields = data.model_dump()
    if data.customer_id is not None:
        customer = await customers.load(ctx, data.customer_id)
        fields["address"] = data.address or customer.address
        fields["zip_code"] = data.zip_code or customer.zip_code
    await check_branch(ctx, data.branch_id)
    return job_out(await open_job(ctx, Job(**fields, source="DIRECT")))


async def transition(ctx: RequestContext, job: Job, to: str, note: str | None = None, *, actor: Actor = CALLER) -> Job:
    """The one way a job changes status: authorized per move (first, so that nothing about a job the caller may not
    see shows; not when the calling domain acts, see `Actor`), checked against the table (INVALID_STATE_TRANSITION
    with from/to), CLOSED refused while a QA checkpoint is PENDING or FAILED (CHECKPOINT_OPEN); written with its
    history row and audit event; a cancelled job's open visits are cancelled with it; then every
    `when_transitioned` hook runs in the same transaction. The caller has loaded the job with its row lock."""
    current = job.status
    if actor is CALLER:
        await records.authorize_record(ctx, kinds.JOB, job, lifecycle.action_for(to))
    check_transition("job", lifecycle.TRANSITIONS, current, to)
    if to == "COMPLETED" and actor is CALLER:
        for guard in _completion_guards:
            await guard(ctx, job.id)
    if to == "CLOSED":
        await _check_checkpoints(ctx, job)
    changes: dict[str, Any] = {"status": to}
    if to == "COMPLETED":
        changes["completed_at"] = datetime.now(UTC)
    job = await records.change(ctx, kinds.JOB, job, changes, action="status_changed")
    _history(ctx, job, current, to, note, _recorded_actor(ctx, actor))
    if to == "CANCELLED":
        await repository.cancel_open_visits(ctx.session, job.id)
    await ctx.session.flush()
    for hook in _when_transitioned:
        await hook(ctx, job, current, to, note)
    return job


async def _check_checkpoints(ctx: RequestContext, job: Job) -> None:
    blocking = await repository.blocking_checkpoints(ctx.session, job.id, lifecycle.CHECKPOINT_BLOCKS)
    if blocking:
        titles = ", ".join(f"{c.title} ({c.status})" for c in blocking)
        raise rule(
            JobReason.CHECKPOINT_OPEN, f"{job.display_number} has QA checkpoints not passed: {titles}.",
            checkpoint_ids=[str(c.id) for c in blocking],
        )  # fmt: skip


async def _locked(ctx: RequestContext, job_id: uuid.UUID) -> Job:
    """For a move: found in scope and locked; `transition` authorizes it (NOT_FOUND unless the caller may view)."""
    await profile.require_contractor(ctx)
    return await records.find(ctx, kinds.JOB, job_id, lock=True)


async def move(ctx: RequestContext, job_id: uuid.UUID, to: str, note: str | None = None) -> JobOut:
    return job_out(await transition(ctx, await _locked(ctx, job_id), to, note))


async def get(ctx: RequestContext, job_id: uuid.UUID) -> JobDetailOut:
    job = await load(ctx, job_id)
    session = ctx.session
    return records.output(
        JobDetailOut, job, number=job.display_number, sla_breached=job_out(job).sla_breached,
        visits=[records.output(VisitOut, v) for v in await repository.visits(session, job.id)],
        checkpoints=[records.output(CheckpointOut, c) for c in await repository.checkpoints(session, job.id)],
        notes=[records.output(NoteOut, n) for n in await reading.readable_notes(ctx, job)],
    )  # fmt: skip


async def list_jobs(ctx: RequestContext, data: ListJobs) -> Page[JobOut]:
    """A page of the jobs the caller may view (the job policy's query plan), oldest first."""
    await profile.require_contractor(ctx)
    wanted: list[tuple[Any, Any]] = [
        (Job.status, data.status), (Job.customer_id, data.customer_id), (Job.branch_id, data.branch_id),
        (Job.trade, data.trade), (Job.source, data.source), (Job.work_order_id, data.work_order_id),
    ]  # fmt: skip
    filters = [column == value for column, value in wanted if value is not None]
    rows, cursor = await records.page(ctx, kinds.JOB, data, *filters)
    return Page[JobOut](items=[job_out(r) for r in rows], next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateJob) -> JobOut:
    """Changes an open job's fields; `customer_id` and `branch_id` are checked as on create."""
    job = await load(ctx, data.id, "update", lock=True)
    require_open(job)
    changes: dict[str, Any] = {k: v for k, v in records.changes_of(data).items() if v is not None or k not in REQUIRED}
    if changes.get("customer_id") is not None:
        await customers.load(ctx, changes["customer_id"])
    await check_branch(ctx, changes.get("branch_id"))
    if changes:
        await records.change(ctx, kinds.JOB, job, changes)
    return job_out(job)


async def history(ctx: RequestContext, job_id: uuid.UUID) -> HistoryOut:
    job = await load(ctx, job_id)
    return HistoryOut(items=[StatusChangeOut.model_validate(h) for h in await repository.history(ctx.session, job.id)])

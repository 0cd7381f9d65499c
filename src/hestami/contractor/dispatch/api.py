"""What other domains (the field technician's backend) may use of dispatch: who is assigned to a visit, and the
assignment's own moves when the technician arrives and finishes. Read and written as the system in the context's
organization: the calling domain authorizes its own action first. Every write holds the organization's dispatch lock
(`hold`), taken before any job or assignment row lock, like dispatch's own writers."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime

from hestami.contractor.dispatch import kinds, repository, rules, workflows
from hestami.contractor.dispatch.models import DispatchAssignment
from hestami.core import records
from hestami.core.context import RequestContext

__all__ = ["VisitAssignment", "arrive", "assignment_of_visit", "finish", "hold", "job_technician_users", "was_assigned"]


@dataclass(frozen=True, slots=True)
class VisitAssignment:
    id: uuid.UUID
    job_id: uuid.UUID
    visit_id: uuid.UUID
    technician_id: uuid.UUID
    technician_user_id: uuid.UUID
    status: str
    starts_at: datetime
    ends_at: datetime


def _ref(row: DispatchAssignment) -> VisitAssignment:
    return VisitAssignment(
        row.id, row.job_id, row.visit_id, row.technician_id, row.technician_user_id, row.status, row.starts_at,
        row.ends_at,
    )  # fmt: skip


async def hold(ctx: RequestContext) -> None:
    """The organization's dispatch lock until the transaction ends (before any job or assignment row lock)."""
    await repository.lock_dispatch(ctx.session, ctx.require_org())


async def assignment_of_visit(ctx: RequestContext, visit_id: uuid.UUID) -> VisitAssignment | None:
    """The visit's assignment that is not cancelled (live or completed), or None."""
    row = await repository.of_visit(ctx.session, visit_id)
    return _ref(row) if row is not None else None


async def job_technician_users(ctx: RequestContext, job_id: uuid.UUID) -> list[uuid.UUID]:
    """The accounts of the technicians with an assignment of the job that is not cancelled."""
    return (await repository.technician_users_of_jobs(ctx.session, [job_id])).get(job_id, [])


async def was_assigned(ctx: RequestContext, visit_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """Whether the user's technician had an assignment of the visit that was cancelled (reassigned or unassigned)."""
    return await repository.was_assigned(ctx.session, visit_id, user_id)


async def _move(ctx: RequestContext, visit_id: uuid.UUID, target: str, changes: dict[str, object]) -> None:
    row = await repository.of_visit(ctx.session, visit_id)
    if row is None or row.status not in rules.LIVE or row.status == target:
        return
    locked = await repository.assignment(ctx.session, row.id, lock=True)
    assert locked is not None
    await records.change(ctx, kinds.ASSIGNMENT, locked, {"status": target, **changes}, action=target.lower())
    ctx.after_commit(functools.partial(workflows.wake_assignment, locked.id))


async def arrive(ctx: RequestContext, visit_id: uuid.UUID, at: datetime) -> None:
    """The technician is on site (work started): the visit's ASSIGNED or EN_ROUTE assignment becomes ON_SITE."""
    await _move(ctx, visit_id, "ON_SITE", {"on_site_at": at})


async def finish(ctx: RequestContext, visit_id: uuid.UUID, at: datetime) -> None:
    """The visit is done: its live assignment becomes COMPLETED (on site from `at` when never marked)."""
    row = await repository.of_visit(ctx.session, visit_id)
    changes: dict[str, object] = {"finished_at": at}
    if row is not None and row.on_site_at is None:
        changes["on_site_at"] = at
    await _move(ctx, visit_id, "COMPLETED", changes)

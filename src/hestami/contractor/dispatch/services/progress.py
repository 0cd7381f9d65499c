"""One turn of an assignment's run (`dispatch_assignment_v1`), as the system in the contractor's organization: the
assignment follows its job and visit (cancelled, completed, on site: `rules.followed_status`), then the customer's
notices due now are recorded (each once: `notices`). A turn holds the dispatch lock and the assignment's row, like
every other writer of assignments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from hestami.contractor.dispatch import kinds, repository, rules
from hestami.contractor.dispatch.models import DispatchAssignment
from hestami.contractor.dispatch.services import notices
from hestami.contractor.job import api as jobs
from hestami.core import records
from hestami.core.context import RequestContext

FINISHED = frozenset({"COMPLETED", "CANCELLED"})


@dataclass(frozen=True, slots=True)
class Turn:
    status: str
    happened: tuple[str, ...]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


async def _follow(ctx: RequestContext, row: DispatchAssignment, job: jobs.JobRef) -> tuple[str, ...]:
    visit = await jobs.load_visit(ctx, row.visit_id)
    target = rules.followed_status(row.status, job.status, visit.status)
    if target is None:
        return ()
    now = datetime.now(UTC)
    changes: dict[str, object] = {"status": target}
    if target == "ON_SITE":
        changes["on_site_at"] = now
    else:
        changes["finished_at"] = now
    await records.change(ctx, kinds.ASSIGNMENT, row, changes, action=target.lower())
    return (f"followed: {target}",)


async def take_turn(ctx: RequestContext, assignment_id: uuid.UUID) -> Turn | None:
    """The turn; None while the assignment is not visible (the request that made it has not committed yet)."""
    await repository.lock_dispatch(ctx.session, ctx.require_org())
    row = await repository.assignment(ctx.session, assignment_id, lock=True)
    if row is None:
        return None
    job = await jobs.load_job(ctx, row.job_id)
    happened = list(await _follow(ctx, row, job))
    if row.status in {"ASSIGNED", "EN_ROUTE"} and await notices.arrival_window(ctx, row, job):
        happened.append("arrival window")
    if row.status == "EN_ROUTE" and row.en_route_at is not None and await notices.on_the_way(ctx, row, job):
        happened.append("on the way")
    return Turn(row.status, tuple(happened))


async def live_of_job(ctx: RequestContext, job_id: uuid.UUID) -> list[uuid.UUID]:
    """The ids of the job's live assignments (no lock: for waking their runs)."""
    return [a.id for a in await repository.live_of_job(ctx.session, job_id)]

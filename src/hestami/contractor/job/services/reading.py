"""Which of a job's notes the caller may read. Every note of a job shares the job's technicians, so the note policy
is asked once per kind of note (internal or not) with the technicians looked up once, rather than through a query
plan: a plan reads the technicians from dispatch's SQL column, one decision from the registered source, and the
notes shown with a job follow the same decision as the job itself."""

from __future__ import annotations

from collections.abc import Sequence

from hestami.contractor.job import kinds, repository
from hestami.contractor.job.models import Job, JobNote
from hestami.core.authz import AttrValue, Resource, allows
from hestami.core.context import RequestContext


async def readable_notes(ctx: RequestContext, job: Job) -> list[JobNote]:
    """The job's notes the caller may `view`, oldest first."""
    rows: Sequence[JobNote] = await repository.notes(ctx.session, job.id)
    technicians: list[str] | None = None
    readable = []
    for note in rows:
        base = kinds.JOB_NOTE.base_resource(note)
        if not await allows(ctx, "view", base):
            if technicians is None:
                technicians = (await kinds.technician_users(ctx, [job.id]))[job.id]
            attrs: dict[str, AttrValue] = {**base.attr, "technician_user_ids": technicians}
            if not await allows(ctx, "view", Resource(base.kind, base.id, attrs)):
                continue
        readable.append(note)
    return readable

"""Set-up for the jobs' HTTP tests: a contractor on the platform (`technician.helpers.contractor`: a profile,
insurance, branches North and South, its admin as `manager`), its customers, and jobs walked to a status."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from hestami.contractor.job import kinds
from hestami.contractor.job.lifecycle import path
from hestami.core.context import RequestContext
from tests.contractor.technician.helpers import Workforce, contractor
from tests.support.rpc import suffix

__all__ = ["Workforce", "contractor", "customer", "history", "job_in", "new_job", "working"]


async def customer(force: Workforce, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Homeowner {suffix()}", "phone": "(512) 555-0199", "address": "1 Elm St, Austin, TX",
            "zip_code": "78704", **fields}  # fmt: skip
    return dict(await force.ok("customer/v1/create", body))


async def new_job(force: Workforce, **fields: Any) -> dict[str, Any]:
    body = {"title": f"Leaking faucet {suffix()}", "trade": "PLUMBING", **fields}
    return dict(await force.ok("job/v1/create", body))


async def job_in(force: Workforce, status: str, **fields: Any) -> dict[str, Any]:
    """A new job walked along the shortest way of the table to `status` (from LEAD when asked for a lead)."""
    first = "LEAD" if status == "LEAD" else "TICKET"
    job = await new_job(force, status=first, **fields)
    for step in path(first, status):
        job = await force.ok("job/v1/transition", {"id": job["id"], "to": step})
    return job


async def history(force: Workforce, job_id: str) -> list[tuple[str | None, str]]:
    found = await force.ok("job/v1/history", {"id": job_id})
    return [(h["from_status"], h["to_status"]) for h in found["items"]]


@asynccontextmanager
async def working(assigned: Mapping[str, Sequence[uuid.UUID]]) -> AsyncIterator[None]:
    """While the block runs, the technicians working each job (by job id) are `assigned` (what dispatch's
    assignments say in the product): the job's single-record decisions read it; lists keep the registered column."""
    saved = (kinds._technicians.users, kinds._technicians.column)

    async def users(ctx: RequestContext, job_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        found = {job_id: list(assigned.get(str(job_id), ())) for job_id in job_ids}
        if saved[0] is not None:
            for job_id, more in (await saved[0](ctx, job_ids)).items():
                found.setdefault(job_id, []).extend(more)
        return found

    kinds._technicians.users = users
    try:
        yield
    finally:
        kinds._technicians.users, kinds._technicians.column = saved
